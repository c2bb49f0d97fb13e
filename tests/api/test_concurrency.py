"""Optimistic concurrency in the API: every record answers its version as ``ETag``; a PATCH
sent with ``If-Match`` of a version no longer stored is refused with 412 and writes nothing,
so a client acting on what it read earlier cannot undo another person's change."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from heedful.accounts.models import Contact
from heedful.core.models import AuditEntry
from heedful.plays.models import Play, PlayEvent
from tests.api.conftest import API, client_for
from tests.api.resources import SPECS
from tests.factories import ContactFactory

PATHS = sorted(SPECS)


def _patch(client: Client, url: str, body: dict, **headers: str):  # noqa: ANN202
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.parametrize("path", PATHS)
def test_stale_if_match_is_refused_with_412_and_writes_nothing(people, path: str) -> None:  # noqa: ANN001
    # given two people read the same record, and the first changes it
    spec = SPECS[path]
    record = spec.make(people.ours)
    url = f"{API}/{path}/{spec.key(record)}"
    first = client_for(getattr(people, spec.writer))
    second = client_for(getattr(people, spec.other_writer))
    read_by_first, read_by_second = first.get(url), second.get(url)
    assert read_by_first["ETag"] == read_by_second["ETag"]
    changed = _patch(first, url, spec.change, **{"If-Match": read_by_first["ETag"]})
    assert changed.status_code == 200, changed.json()
    after_first = first.get(url).json()
    audited = AuditEntry.objects.count()
    # when the second writes back what they read
    response = _patch(second, url, read_by_second.json(), **{"If-Match": read_by_second["ETag"]})
    # then
    assert response.status_code == 412
    assert "changed since you read it" in response.json()["detail"]
    assert response["ETag"] == changed["ETag"]
    assert first.get(url).json() == after_first
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize("path", PATHS)
def test_get_and_patch_answer_the_version_as_etag(people, path: str) -> None:  # noqa: ANN001
    # given
    spec = SPECS[path]
    record = spec.make(people.ours)
    url = f"{API}/{path}/{spec.key(record)}"
    client = client_for(getattr(people, spec.writer))
    before = client.get(url)
    # when
    response = _patch(client, url, spec.change, **{"If-Match": before["ETag"]})
    # then
    assert before["ETag"].startswith('"') and before["ETag"].endswith('"')
    assert response.status_code == 200
    assert response["ETag"] != before["ETag"]
    assert response["ETag"] == client.get(url)["ETag"]


def test_etag_is_the_same_for_every_reader_and_changes_with_any_field(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.ours, external_id="CON-1", title="CFO")
    url = f"{API}/contacts/CON-1"
    etag = client_for(people.rep).get(url)["ETag"]
    # when another path (an import, the admin) changes the row
    Contact.objects.filter(external_id="CON-1").update(title="CEO")
    # then
    assert client_for(people.executive).get(url)["ETag"] != etag


def test_patch_without_if_match_still_writes(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.ours, external_id="CON-1", title="CFO")
    # when
    response = _patch(client_for(people.rep), f"{API}/contacts/CON-1", {"title": "CTO"})
    # then
    assert response.status_code == 200
    assert Contact.objects.get(external_id="CON-1").title == "CTO"


def test_if_match_star_or_a_list_holding_the_version_matches(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.ours, external_id="CON-1", title="CFO")
    client, url = client_for(people.rep), f"{API}/contacts/CON-1"
    # when
    by_star = _patch(client, url, {"title": "CTO"}, **{"If-Match": "*"})
    by_list = _patch(client, url, {"title": "CEO"}, **{"If-Match": f'"old", {by_star["ETag"]}'})
    # then
    assert by_star.status_code == 200 and by_list.status_code == 200
    assert Contact.objects.get(external_id="CON-1").title == "CEO"


def test_if_match_naming_a_hidden_record_is_404_not_412(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.theirs, external_id="CON-THEIRS")
    # when
    response = _patch(
        client_for(people.rep), f"{API}/contacts/CON-THEIRS", {"title": "CTO"},
        **{"If-Match": '"stale"'},
    )
    # then
    assert response.status_code == 404


def _play(people) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule="billing.spike", account=people.ours, subject="invoice:INV-1", owner=people.rep,
        priority=70, title="Bill up 212%", explanation="Why, with numbers.",
        facts={"amount": "7800.00"}, suggested_action="Call before they do.",
    )


def test_second_snooze_of_a_play_read_earlier_is_412_and_the_first_survives(people) -> None:  # noqa: ANN001
    # given two people read the same open play
    play = _play(people)
    url = f"{API}/plays/{play.pk}"
    first, second = client_for(people.rep), client_for(people.manager)
    etag_first, etag_second = first.get(url)["ETag"], second.get(url)["ETag"]
    today = timezone.localdate()
    snoozed = _patch(
        first, url, {"status": "snoozed", "snoozed_until": str(today + timedelta(days=3))},
        **{"If-Match": etag_first},
    )
    assert snoozed.status_code == 200
    events = PlayEvent.objects.count()
    # when the second snoozes it too, from what they read
    response = _patch(
        second, url, {"status": "snoozed", "snoozed_until": str(today + timedelta(days=30))},
        **{"If-Match": etag_second},
    )
    # then
    assert response.status_code == 412
    assert "play changed since you read it" in response.json()["detail"]
    play.refresh_from_db()
    assert play.snoozed_until == today + timedelta(days=3)
    assert PlayEvent.objects.count() == events


@pytest.mark.parametrize("body", [
    {"status": "done", "outcome": "Called them."},
    {"status": "dismissed", "reason": "Handled on the phone."},
])
def test_done_or_dismiss_of_a_play_read_before_a_snooze_is_412(people, body: dict) -> None:  # noqa: ANN001
    # given
    play = _play(people)
    url = f"{API}/plays/{play.pk}"
    stale = client_for(people.manager).get(url)["ETag"]
    _patch(client_for(people.rep), url, {
        "status": "snoozed", "snoozed_until": str(timezone.localdate() + timedelta(days=3)),
    })
    # when
    response = _patch(client_for(people.manager), url, body, **{"If-Match": stale})
    # then
    assert response.status_code == 412
    play.refresh_from_db()
    assert play.status == "snoozed"
