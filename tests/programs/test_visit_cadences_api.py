"""How often a sponsor should see a customer of each tier, over /api/v1/visit-cadences: a
company-wide setting, read by everyone, set by an admin, and read by the sponsor programme."""

import json

from django.test import Client

from heedful.core.models import AuditEntry
from heedful.programs import services
from heedful.programs.models import VisitCadence
from tests.api.conftest import API, client_for


def _post(client: Client, body: dict):  # noqa: ANN202
    return client.post(API + "/visit-cadences", json.dumps(body), content_type="application/json")


def test_an_admin_sets_a_tiers_cadence_and_the_programme_uses_it(people) -> None:  # noqa: ANN001
    # when
    created = _post(client_for(people.admin), {"segment": "enterprise", "visit_every_days": 60})
    # then
    assert created.status_code == 201, created.json()
    assert services.cadence_days()["enterprise"] == 60
    listed = client_for(people.rep).get(API + "/visit-cadences").json()
    assert listed["items"] == [{"segment": "enterprise", "visit_every_days": 60}]


def test_a_rep_cannot_set_a_cadence(people) -> None:  # noqa: ANN001
    # given
    VisitCadence.objects.create(segment="smb", visit_every_days=365)
    rep = client_for(people.rep)
    audited = AuditEntry.objects.count()
    # when
    created = _post(rep, {"segment": "enterprise", "visit_every_days": 30})
    changed = rep.patch(API + "/visit-cadences/smb", json.dumps({"visit_every_days": 7}),
                        content_type="application/json")
    # then
    assert created.status_code == 403 and changed.status_code == 403
    assert "Only an admin" in created.json()["detail"]
    assert list(VisitCadence.objects.values_list("segment", "visit_every_days")) == [
        ("smb", 365)
    ]
    assert AuditEntry.objects.count() == audited


def test_a_cadence_out_of_range_names_the_field(people) -> None:  # noqa: ANN001
    # when
    response = _post(client_for(people.admin), {"segment": "smb", "visit_every_days": 3})
    # then
    assert response.status_code == 422
    assert "visit_every_days" in response.json()["errors"]
    assert not VisitCadence.objects.exists()


def test_a_tier_set_twice_is_a_conflict(people) -> None:  # noqa: ANN001
    # given
    VisitCadence.objects.create(segment="smb", visit_every_days=365)
    # when
    response = _post(client_for(people.admin), {"segment": "smb", "visit_every_days": 180})
    # then
    assert response.status_code == 409
    assert VisitCadence.objects.get().visit_every_days == 365
