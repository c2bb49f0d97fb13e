"""Every resource's list, detail, create and update, for a rep on their own account."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heedful.core.models import AuditEntry
from tests.api.conftest import API, client_for
from tests.api.resources import SPECS
from tests.factories import AccountFactory

PATHS = sorted(SPECS)


@pytest.mark.parametrize("path", PATHS)
def test_list_pages_the_records_with_a_total(people, path: str) -> None:  # noqa: ANN001
    # given
    spec = SPECS[path]
    records = [spec.make(people.ours) for _ in range(3)] if path != "accounts" else []
    # when
    response = client_for(people.executive).get(f"{API}/{path}", {"limit": 2, "offset": 0})
    # then
    assert response.status_code == 200
    page = response.json()
    assert page["limit"] == 2 and page["offset"] == 0
    assert page["count"] == spec.model.objects.count() >= len(records)
    assert len(page["items"]) == 2


@pytest.mark.parametrize("path", PATHS)
def test_detail_names_the_record(people, path: str) -> None:  # noqa: ANN001
    # given
    spec = SPECS[path]
    record = spec.make(people.ours)
    # when
    response = client_for(people.rep).get(f"{API}/{path}/{spec.key(record)}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert str(body[spec.key_field]) == str(spec.key(record))
    if spec.account_field == "account_external_id":
        assert body["account_external_id"] == "ACC-OURS"


@pytest.mark.parametrize("path", PATHS)
def test_create_on_own_account_answers_201_and_is_audited(people, path: str) -> None:  # noqa: ANN001
    # given
    spec = SPECS[path]
    payload = spec.create(people.ours, people)
    before = spec.model.objects.count()
    # when
    writer = getattr(people, spec.writer)
    response = client_for(writer).post(
        f"{API}/{path}", json.dumps(payload), content_type="application/json"
    )
    # then
    assert response.status_code == 201, response.json()
    assert spec.model.objects.count() == before + 1
    body = response.json()
    for name, value in payload.items():
        assert body[name] == value, name
    entry = AuditEntry.objects.get()
    assert entry.user == writer and entry.action.endswith(".create")


@pytest.mark.parametrize("path", PATHS)
def test_update_changes_only_the_fields_sent(people, path: str) -> None:  # noqa: ANN001
    # given
    spec = SPECS[path]
    record = spec.make(people.ours)
    url = f"{API}/{path}/{spec.key(record)}"
    writer = getattr(people, spec.writer)
    client = client_for(writer)
    before = client.get(url).json()
    # when
    response = client.patch(url, json.dumps(spec.change), content_type="application/json")
    # then
    assert response.status_code == 200, response.json()
    assert response.json() == {**before, **spec.change}
    assert client.get(url).json() == {**before, **spec.change}
    entry = AuditEntry.objects.get()
    assert entry.action.endswith(".update") and entry.user == writer


@pytest.mark.parametrize("path", PATHS)
def test_unknown_record_is_404(people, path: str) -> None:  # noqa: ANN001
    response = client_for(people.executive).get(f"{API}/{path}/999999")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("path", PATHS)
def test_list_uses_a_constant_number_of_queries(
    people, path: str, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given
    spec = SPECS[path]
    make = (lambda: AccountFactory(owner=people.rep)) if path == "accounts" else (
        lambda: spec.make(people.ours)
    )
    make()
    client = client_for(people.rep)
    with CaptureQueriesContext(connection) as one_record:
        assert client.get(f"{API}/{path}").json()["count"] >= 1
    for _ in range(5):
        make()
    # then
    with django_assert_num_queries(len(one_record.captured_queries)):
        response = client.get(f"{API}/{path}")
    assert response.json()["count"] >= 6
