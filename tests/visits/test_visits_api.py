"""Visits over /api/v1/visits: planned and changed through the same form as the page, on the
accounts the caller may see, never overwriting another person's change, never showing the
link, the code or the photo."""

import json

import pytest
from django.test import Client

from heedful.core.models import AuditEntry, User
from heedful.visits.models import Visit
from tests.api.conftest import API, client_for
from tests.factories import ContactFactory, UserFactory


def _post(client: Client, body: dict):  # noqa: ANN202
    return client.post(API + "/visits", json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: dict, **headers: str):  # noqa: ANN202
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def plan(people) -> dict:  # noqa: ANN001
    ContactFactory(account=people.ours, external_id="CON-RICH", full_name="Richard Hale")
    UserFactory(username="hannah", full_name="Hannah Schmid")
    return {
        "account_external_id": "ACC-OURS", "contact_external_id": "CON-RICH",
        "visitor_username": "hannah", "visitor_role": "Field engineer", "work_order": "WO-2291",
        "purpose": "Replace the SIP gateway", "window_start": "2026-12-03T09:00:00Z",
        "window_end": "2026-12-03T11:00:00Z", "our_phone": "+1 415 555 0100",
        "internal_notes": "Margin on this job is thin",
    }


def test_a_visit_planned_through_the_api_is_on_the_accounts_visits_page(
    people, plan, client  # noqa: ANN001
) -> None:
    # when
    response = _post(client_for(people.rep), plan)
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["announced_at"] is None and body["happened"] == ""
    visit = Visit.objects.get(pk=body["id"])
    assert visit.created_by == people.rep and visit.code_hash == "-"
    client.force_login(people.rep)
    page = client.get("/visits/account/ACC-OURS/").content.decode()
    assert "WO-2291" in page and "Hannah Schmid" in page


def test_the_answer_holds_no_link_code_or_photo(people, plan) -> None:  # noqa: ANN001
    # given
    created = _post(client_for(people.rep), plan).json()
    # when
    shown = client_for(people.rep).get(f"{API}/visits/{created['id']}").json()
    # then
    assert not {"token_hash", "code_hash", "photo", "wrong_codes"} & set(shown)


def test_a_rep_neither_sees_nor_plans_a_visit_at_another_teams_account(
    people, plan  # noqa: ANN001
) -> None:
    # given
    ContactFactory(account=people.theirs, external_id="CON-DEE")
    theirs = _post(client_for(people.other_rep), {
        **plan, "account_external_id": "ACC-THEIRS", "contact_external_id": "CON-DEE",
    }).json()
    rep = client_for(people.rep)
    count = Visit.objects.count()
    # when
    read = rep.get(f"{API}/visits/{theirs['id']}")
    listed = rep.get(API + "/visits", {"account_external_id": "ACC-THEIRS"})
    planned = _post(rep, {
        **plan, "account_external_id": "ACC-THEIRS", "contact_external_id": "CON-DEE",
    })
    # then
    assert read.status_code == 404
    assert listed.json()["count"] == 0
    assert planned.status_code == 404
    assert Visit.objects.count() == count


def test_a_contact_of_another_account_is_refused_by_its_field(people, plan) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.theirs, external_id="CON-DEE")
    # when
    response = _post(client_for(people.executive), {**plan, "contact_external_id": "CON-DEE"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"]["contact_external_id"] == [
        "Contact CON-DEE is on another account."
    ]
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"window_end": "2026-12-03T23:00:00Z"}, "window_end"),
        ({"visitor_username": "gone"}, "visitor_username"),
        ({"our_phone": ""}, "our_phone"),
    ],
)
def test_bad_input_names_the_field(people, plan, change: dict, field: str) -> None:  # noqa: ANN001
    # given someone who has left
    UserFactory(username="gone", is_active=False)
    # when
    response = _post(client_for(people.rep), {**plan, **change})
    # then
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Visit.objects.exists()


def test_a_change_made_from_a_stale_read_is_412_and_the_first_change_stays(
    people, plan  # noqa: ANN001
) -> None:
    # given the rep and their manager read the same visit, and the rep moves it
    created = _post(client_for(people.rep), plan).json()
    url = f"{API}/visits/{created['id']}"
    rep, manager = client_for(people.rep), client_for(people.manager)
    read_by_manager = manager.get(url)
    moved = _patch(rep, url, {"window_start": "2026-12-03T10:00:00Z",
                              "window_end": "2026-12-03T12:00:00Z"},
                   **{"If-Match": rep.get(url)["ETag"]})
    assert moved.status_code == 200
    audited = AuditEntry.objects.count()
    # when the manager changes the work order from what they read
    response = _patch(manager, url, {"work_order": "WO-9999"},
                      **{"If-Match": read_by_manager["ETag"]})
    # then
    assert response.status_code == 412
    visit = Visit.objects.get(pk=created["id"])
    assert visit.work_order == "WO-2291" and visit.window_start.hour == 10
    assert AuditEntry.objects.count() == audited


def test_the_api_description_lists_the_visit_operations(db) -> None:  # noqa: ANN001
    document = Client().get(API + "/openapi.json").json()
    operations = {
        operation["operationId"]
        for path, methods in document["paths"].items() if path.startswith("/api/v1/visits")
        for operation in methods.values()
    }
    assert operations == {"list_visits", "create_visits", "get_visits", "update_visits"}
    assert "contact_external_id" in document["components"]["schemas"]["VisitIn"]["required"]


def test_a_visit_by_someone_who_has_left_can_still_be_changed(people, plan) -> None:  # noqa: ANN001
    # given hannah's visit, and then hannah leaves
    created = _post(client_for(people.rep), plan).json()
    User.objects.filter(username="hannah").update(is_active=False)
    # when
    response = _patch(client_for(people.rep), f"{API}/visits/{created['id']}",
                      {"purpose": "Replace the SIP gateway and its power supply"})
    moved_to_her = _post(client_for(people.rep), {**plan, "work_order": "WO-3000"})
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["visitor_username"] == "hannah"
    assert moved_to_her.status_code == 422
    assert "visitor_username" in moved_to_her.json()["errors"]
