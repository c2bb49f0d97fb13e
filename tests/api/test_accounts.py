"""/api/v1/accounts: filters, ordering, paging, validation and who may own a new account."""

import json

from heedful.accounts.models import Account
from heedful.core.models import AuditEntry
from tests.api.conftest import API, client_for
from tests.factories import AccountFactory


def post(client, path: str, payload: dict):  # noqa: ANN001, ANN201
    return client.post(API + path, json.dumps(payload), content_type="application/json")


def patch(client, path: str, payload: dict):  # noqa: ANN001, ANN201
    return client.patch(API + path, json.dumps(payload), content_type="application/json")


def test_accounts_filter_by_owner_status_segment_and_text(people) -> None:  # noqa: ANN001
    # given
    AccountFactory(external_id="ACC-P1", name="Prospect Parts", owner=people.rep,
                   status="prospect", segment="mid-market")
    client = client_for(people.executive)

    def ids(**filters: str) -> list[str]:
        return [a["external_id"] for a in client.get(API + "/accounts", filters).json()["items"]]

    # then
    assert ids(owner_username="rep") == ["ACC-OURS", "ACC-P1"]
    assert ids(status="prospect") == ["ACC-P1"]
    assert ids(segment="mid-market") == ["ACC-P1"]
    assert ids(q="utilit") == ["ACC-THEIRS"]
    assert ids(q="acc-p1") == ["ACC-P1"]


def test_accounts_sort_by_a_whitelisted_field_either_way(people) -> None:  # noqa: ANN001
    client = client_for(people.executive)
    names = [a["name"] for a in client.get(API + "/accounts?ordering=-name").json()["items"]]
    assert names == ["Theirs Utilities", "Ours Telecom"]
    names = [a["name"] for a in client.get(API + "/accounts?ordering=name").json()["items"]]
    assert names == ["Ours Telecom", "Theirs Utilities"]


def test_unknown_ordering_is_422_naming_the_parameter(people) -> None:  # noqa: ANN001
    response = client_for(people.executive).get(API + "/accounts?ordering=password")
    assert response.status_code == 422
    assert "ordering" in response.json()["errors"]


def test_paging_walks_every_account_once(people) -> None:  # noqa: ANN001
    # given
    for number in range(5):
        AccountFactory(name=f"Paged {number}", owner=people.rep)
    client = client_for(people.rep)
    # when
    first = client.get(API + "/accounts", {"limit": 4, "offset": 0}).json()
    second = client.get(API + "/accounts", {"limit": 4, "offset": 4}).json()
    # then
    assert first["count"] == second["count"] == 6
    names = [a["name"] for a in first["items"] + second["items"]]
    assert len(names) == len(set(names)) == 6


def test_page_size_is_bounded(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/accounts?limit=100000")
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


def test_new_account_is_owned_by_its_creator_who_then_sees_it(people) -> None:  # noqa: ANN001
    # given
    client = client_for(people.rep)
    # when
    response = post(client, "/accounts", {"external_id": "ACC-NEW", "name": "Northwind"})
    # then
    assert response.status_code == 201
    assert response.json()["owner_username"] == "rep"
    assert response.json()["status"] == "customer"
    assert client.get(API + "/accounts/ACC-NEW").status_code == 200
    assert AuditEntry.objects.get().subject == "account ACC-NEW"


def test_manager_may_create_an_account_for_a_report(people) -> None:  # noqa: ANN001
    response = post(client_for(people.manager), "/accounts",
                    {"external_id": "ACC-NEW", "name": "Northwind", "owner_username": "rep"})
    assert response.status_code == 201
    assert Account.objects.get(external_id="ACC-NEW").owner == people.rep


def test_executive_may_give_an_account_to_anyone(people) -> None:  # noqa: ANN001
    response = post(client_for(people.executive), "/accounts",
                    {"external_id": "ACC-NEW", "name": "Northwind", "owner_username": "other_rep"})
    assert response.status_code == 201


def test_rep_cannot_hand_an_account_to_another_team(people) -> None:  # noqa: ANN001
    # when
    response = patch(client_for(people.rep), "/accounts/ACC-OURS", {"owner_username": "other_rep"})
    # then
    assert response.status_code == 422
    assert "owner_username" in response.json()["errors"]
    people.ours.refresh_from_db()
    assert people.ours.owner == people.rep


def test_invalid_account_is_422_naming_each_field_and_saves_nothing(people) -> None:  # noqa: ANN001
    # when
    response = post(client_for(people.rep), "/accounts",
                    {"external_id": "ACC-OURS", "name": "", "status": "friend"})
    # then
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"external_id", "name", "status"}
    assert "status" in response.json()["detail"]
    assert Account.objects.count() == 2
    assert not AuditEntry.objects.exists()


def test_unknown_owner_is_422(people) -> None:  # noqa: ANN001
    response = post(client_for(people.admin), "/accounts",
                    {"external_id": "ACC-NEW", "name": "Northwind", "owner_username": "ghost"})
    assert response.status_code == 422
    assert "ghost" in response.json()["errors"]["owner_username"][0]


def test_malformed_json_types_are_422(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/accounts", {"external_id": "X", "name": ["a"]})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_patch_with_null_clears_an_optional_field(people) -> None:  # noqa: ANN001
    # given
    people.ours.city = "Oslo"
    people.ours.save()
    # when
    response = patch(client_for(people.rep), "/accounts/ACC-OURS", {"city": None})
    # then
    assert response.status_code == 200
    people.ours.refresh_from_db()
    assert people.ours.city == ""
