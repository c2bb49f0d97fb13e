"""A leader's request to see a customer over /api/v1/join-requests: the owner's task, as from
the account's page; only leaders ask, on accounts they see, and only they change it."""

import json

from django.test import Client

from heedful.programs.models import JoinRequest
from tests.api.conftest import API, client_for


def _post(client: Client, body: dict):  # noqa: ANN202
    return client.post(API + "/join-requests", json.dumps(body), content_type="application/json")


def test_a_leader_asks_to_see_a_customer_and_the_owner_reads_it(people) -> None:  # noqa: ANN001
    # when
    asked = _post(client_for(people.manager), {
        "account_external_id": "ACC-OURS", "note": "Their renewal worries",
    })
    # then
    assert asked.status_code == 201, asked.json()
    assert asked.json()["leader_username"] == "manager"
    listed = client_for(people.rep).get(API + "/join-requests").json()
    assert [item["note"] for item in listed["items"]] == ["Their renewal worries"]


def test_a_rep_is_not_a_leader_and_asks_nothing(people) -> None:  # noqa: ANN001
    # when
    asked = _post(client_for(people.rep), {"account_external_id": "ACC-OURS"})
    # then
    assert asked.status_code == 403
    assert "ask the account owner" in asked.json()["detail"]
    assert not JoinRequest.objects.exists()


def test_a_leader_cannot_ask_about_an_account_they_do_not_see(people) -> None:  # noqa: ANN001
    # when
    asked = _post(client_for(people.manager), {"account_external_id": "ACC-THEIRS"})
    # then
    assert asked.status_code == 404
    assert not JoinRequest.objects.exists()


def test_only_the_leader_who_asked_changes_the_request(people) -> None:  # noqa: ANN001
    # given
    asked = _post(client_for(people.manager), {
        "account_external_id": "ACC-OURS", "note": "Their renewal worries",
    }).json()
    # when
    changed = client_for(people.director).patch(
        f"{API}/join-requests/{asked['id']}", json.dumps({"note": "Something else"}),
        content_type="application/json",
    )
    # then
    assert changed.status_code == 404
    assert JoinRequest.objects.get().note == "Their renewal worries"
