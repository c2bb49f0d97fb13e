"""Events and what customers said over /api/v1: events are on no account, so everyone signed
in reads and plans them (as on the pages); what a customer said is on their account, so the
visibility rule holds, and it reaches the account's timeline as from the event's page."""

import json

import pytest
from django.test import Client

from heedful.core.models import AuditEntry
from heedful.events.models import Event, FeedbackItem
from heedful.interactions.models import Interaction
from tests.api.conftest import API, client_for
from tests.factories import ContactFactory, ProductFamilyFactory


def _post(client: Client, path: str, body: dict):  # noqa: ANN202
    return client.post(API + path, json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: dict, **headers: str):  # noqa: ANN202
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


WEBINAR = {
    "topic": "What our voice platform needs", "format": "webinar",
    "starts_at": "2026-11-20T15:00:00Z", "ends_at": "2026-11-20T16:00:00Z",
    "location": "https://webinar.example/voice", "family": "Voice",
}


def test_a_rep_plans_an_event_they_host_and_every_colleague_reads_it(people) -> None:  # noqa: ANN001
    # given
    ProductFamilyFactory(name="Voice")
    # when
    created = _post(client_for(people.rep), "/events", WEBINAR)
    listed = client_for(people.other_rep).get(API + "/events").json()
    # then
    assert created.status_code == 201, created.json()
    assert created.json()["host_username"] == "rep"
    assert [item["topic"] for item in listed["items"]] == ["What our voice platform needs"]
    assert Event.objects.get().family.name == "Voice"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2026-11-20T14:00:00Z"}, "ends_at"),
        ({"family": "Fax"}, "family"),
        ({"format": "carrier_pigeon"}, "format"),
    ],
)
def test_a_bad_event_names_the_field(people, change: dict, field: str) -> None:  # noqa: ANN001
    # given
    ProductFamilyFactory(name="Voice")
    # when
    response = _post(client_for(people.rep), "/events", {**WEBINAR, **change})
    # then
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Event.objects.exists()


def test_feedback_through_the_api_reaches_the_timeline_and_the_feedback_page(
    people, client  # noqa: ANN001
) -> None:
    # given
    ContactFactory(account=people.ours, external_id="CON-ANA", full_name="Ana Ruiz")
    ProductFamilyFactory(name="Voice")
    # when
    response = _post(client_for(people.rep), "/feedback-items", {
        "account_external_id": "ACC-OURS", "contact_external_id": "CON-ANA",
        "family": "Voice", "theme": "needs", "said": "Searchable recordings",
    })
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["event_id"] is None
    note = Interaction.objects.get(account=people.ours, tags__contains=";feedback;")
    assert "Searchable recordings" in note.subject
    client.force_login(people.manager)
    page = client.get("/events/feedback/?account=ACC-OURS").content.decode()
    assert "Searchable recordings" in page


def test_feedback_at_another_teams_account_is_hidden_and_cannot_be_written(people) -> None:  # noqa: ANN001
    # given
    theirs = _post(client_for(people.other_rep), "/feedback-items", {
        "account_external_id": "ACC-THEIRS", "theme": "price", "said": "Too dear",
    }).json()
    rep = client_for(people.rep)
    count = FeedbackItem.objects.count()
    # when
    read = rep.get(f"{API}/feedback-items/{theirs['id']}")
    listed = rep.get(API + "/feedback-items").json()
    changed = _patch(rep, f"{API}/feedback-items/{theirs['id']}", {"said": "Cheap"})
    written = _post(rep, "/feedback-items", {
        "account_external_id": "ACC-THEIRS", "theme": "price", "said": "Cheap",
    })
    # then
    assert read.status_code == 404 and changed.status_code == 404
    assert listed["count"] == 0
    assert written.status_code == 404
    assert FeedbackItem.objects.count() == count
    assert FeedbackItem.objects.get().said == "Too dear"


def test_feedback_from_a_contact_of_another_account_names_the_contact(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.theirs, external_id="CON-DEE")
    # when
    response = _post(client_for(people.executive), "/feedback-items", {
        "account_external_id": "ACC-OURS", "contact_external_id": "CON-DEE",
        "theme": "problem", "said": "Calls drop",
    })
    # then
    assert response.status_code == 422
    assert "contact_external_id" in response.json()["errors"]
    assert not FeedbackItem.objects.exists()


def test_a_feedback_change_from_a_stale_read_is_412(people) -> None:  # noqa: ANN001
    # given
    created = _post(client_for(people.rep), "/feedback-items", {
        "account_external_id": "ACC-OURS", "theme": "problem", "said": "Calls drop",
    }).json()
    url = f"{API}/feedback-items/{created['id']}"
    rep, manager = client_for(people.rep), client_for(people.manager)
    read_by_manager = manager.get(url)
    first = _patch(rep, url, {"theme": "needs"}, **{"If-Match": rep.get(url)["ETag"]})
    assert first.status_code == 200
    audited = AuditEntry.objects.count()
    # when
    response = _patch(manager, url, {"said": "Calls drop daily"},
                      **{"If-Match": read_by_manager["ETag"]})
    # then
    assert response.status_code == 412
    item = FeedbackItem.objects.get()
    assert (item.theme, item.said) == ("needs", "Calls drop")
    assert AuditEntry.objects.count() == audited
