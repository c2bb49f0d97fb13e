"""The product catalogue over /api/v1: products and releases are on no account, so everyone
reads them and only an admin changes them."""

import json

from heedful.catalog.models import Product, ProductFamily, Release
from heedful.core.models import AuditEntry
from tests import factories
from tests.api.conftest import API, client_for


def _post(client, path: str, payload: dict):  # noqa: ANN001, ANN202
    return client.post(API + path, json.dumps(payload), content_type="application/json")


def test_a_rep_reads_the_catalogue(people) -> None:  # noqa: ANN001
    # given
    product = factories.ProductFactory(sku="SKU-PHONE", name="Desk phone")
    factories.ReleaseFactory(product=product, name="4.2")
    rep = client_for(people.rep)
    # when
    products = rep.get(API + "/products").json()
    one = rep.get(API + "/products/SKU-PHONE")
    releases = rep.get(API + "/releases", {"sku": "SKU-PHONE"}).json()
    # then
    assert [item["sku"] for item in products["items"]] == ["SKU-PHONE"]
    assert one.status_code == 200 and one.json()["family"] == product.family.name
    assert [item["name"] for item in releases["items"]] == ["4.2"]


def test_a_rep_cannot_change_the_catalogue(people) -> None:  # noqa: ANN001
    # given
    product = factories.ProductFactory(sku="SKU-PHONE", name="Desk phone")
    rep = client_for(people.rep)
    audit_before = AuditEntry.objects.count()
    # when
    created = _post(rep, "/products", {"sku": "SKU-NEW", "name": "Headset", "family": "Audio"})
    changed = rep.patch(
        API + "/products/SKU-PHONE", json.dumps({"name": "Cheap phone"}),
        content_type="application/json",
    )
    released = _post(
        rep, "/releases", {"sku": "SKU-PHONE", "name": "5.0", "release_on": "2027-01-15"}
    )
    # then
    assert (created.status_code, changed.status_code, released.status_code) == (403, 403, 403)
    assert "admin" in created.json()["detail"]
    product.refresh_from_db()
    assert product.name == "Desk phone"
    assert not Product.objects.filter(sku="SKU-NEW").exists()
    assert not ProductFamily.objects.filter(name="Audio").exists()
    assert not Release.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_an_admin_adds_a_product_in_a_new_family_and_its_release(people) -> None:  # noqa: ANN001
    admin = client_for(people.admin)
    # when
    product = _post(
        admin, "/products",
        {"sku": "SKU-HS", "name": "Headset", "family": "Audio", "launched_on": "2026-03-01"},
    )
    release = _post(
        admin, "/releases",
        {"sku": "SKU-HS", "name": "2.0", "release_on": "2027-02-01", "summary": "Noise cut"},
    )
    # then
    assert product.status_code == 201, product.content
    assert product.json() == {
        "sku": "SKU-HS", "name": "Headset", "family": "Audio", "launched_on": "2026-03-01",
    }
    assert release.status_code == 201, release.content
    assert Release.objects.get().product.sku == "SKU-HS"
    again = _post(admin, "/products", {"sku": "SKU-HS", "name": "Other", "family": "Audio"})
    assert again.status_code == 409
