"""The play forms of the pages carry the version of the play the person saw: acting on a
page opened before someone else acted shows "This play changed since you opened it" and
writes nothing."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heedful.plays.models import Play, PlayEvent, PlayStatus

QUEUE = reverse("plays:queue")


def _play(people) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule="billing.spike", account=people.ours, subject="invoice:INV-1", owner=people.rep,
        priority=70, title="Bill up 212%", explanation="Why, with numbers.",
        facts={"amount": "7800.00"}, suggested_action="Call before they do.",
    )


def _logged_in(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


def _form_fields(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the play form that posts to ``action`` on ``page``."""
    form = re.search(rf'<form[^>]*action="[^"]*/{action}/"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, f"no {action} form on the page"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


def _opened(client: Client, url: str, action: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return _form_fields(response.content.decode(), action)


@pytest.mark.parametrize("is_htmx", [False, True])
def test_second_snooze_from_a_stale_queue_is_refused_and_the_first_survives(
    people, is_htmx: bool  # noqa: ANN001
) -> None:
    # given the rep and their manager open the rep's queue, and the rep snoozes the play
    play = _play(people)
    rep, manager = _logged_in(people.rep), _logged_in(people.manager)
    seen_by_rep = _opened(rep, QUEUE, "snooze")
    seen_by_manager = _opened(manager, f"{QUEUE}?owner={people.rep.pk}", "snooze")
    assert seen_by_rep["version"] and seen_by_rep["version"] == seen_by_manager["version"]
    today = timezone.localdate()
    url = reverse("plays:act", args=[play.pk, "snooze"])
    rep.post(url, {**seen_by_rep, "until": str(today + timedelta(days=3))})
    events = PlayEvent.objects.count()
    # when the manager snoozes it from the page they opened before
    headers = {"HTTP_HX_REQUEST": "true"} if is_htmx else {}
    response = manager.post(
        url, {**seen_by_manager, "until": str(today + timedelta(days=30))}, **headers
    )
    # then
    assert response.status_code == (200 if is_htmx else 409)
    page = response.content.decode()
    until = today + timedelta(days=3)
    assert (
        f"This play changed since you opened it: it is now snoozed until "
        f"{until.day} {until:%b %Y}." in page
    )
    play.refresh_from_db()
    assert play.snoozed_until == today + timedelta(days=3)
    assert PlayEvent.objects.count() == events


@pytest.mark.parametrize(("action", "data"), [
    ("done", {"outcome": "Called them."}),
    ("dismiss", {"reason": "Handled on the phone."}),
])
def test_done_or_dismiss_from_a_page_opened_before_a_snooze_is_refused(
    people, action: str, data: dict  # noqa: ANN001
) -> None:
    # given
    play = _play(people)
    detail = reverse("plays:detail", args=[play.pk])
    stale = _opened(_logged_in(people.manager), detail, action)
    snooze = _opened(_logged_in(people.rep), detail, "snooze")
    _logged_in(people.rep).post(
        reverse("plays:act", args=[play.pk, "snooze"]),
        {**snooze, "until": str(timezone.localdate() + timedelta(days=3))},
    )
    # when
    response = _logged_in(people.manager).post(
        reverse("plays:act", args=[play.pk, action]), {**stale, **data}
    )
    # then
    assert response.status_code == 409
    assert "This play changed since you opened it" in response.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.SNOOZED


def test_undo_right_after_acting_uses_the_new_version(people) -> None:  # noqa: ANN001
    # given the rep marks the play done in place (htmx): the answered row offers Undo
    play = _play(people)
    rep = _logged_in(people.rep)
    seen = _opened(rep, QUEUE, "done")
    row = rep.post(
        reverse("plays:act", args=[play.pk, "done"]), {**seen, "outcome": "Called them."},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    # when
    response = rep.post(
        reverse("plays:act", args=[play.pk, "reopen"]), _form_fields(row, "reopen")
    )
    # then
    assert response.status_code == 302
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN


def test_a_form_without_a_version_still_acts(people) -> None:  # noqa: ANN001
    # given a page from before forms carried a version
    play = _play(people)
    # when
    response = _logged_in(people.rep).post(
        reverse("plays:act", args=[play.pk, "dismiss"]), {"reason": "Handled."}
    )
    # then
    assert response.status_code == 302
    play.refresh_from_db()
    assert play.status == PlayStatus.DISMISSED
