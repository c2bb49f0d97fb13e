"""The interactions of an account page ten at a time and sort by date or kind, in place (an
htmx request gets the section alone) and without JavaScript (a plain link gets the page)."""

import re
from datetime import UTC, datetime, timedelta

from django.urls import reverse

from heedful.account360.services import INTERACTIONS_PER_PAGE
from tests.factories import InteractionFactory

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def history(account, days: int = 23) -> None:  # noqa: ANN001
    """One interaction a day from 1 Sep 2026, subjects "Day 1"..."Day N", calls every
    third day and e-mails otherwise."""
    for day in range(days):
        InteractionFactory(
            account=account, occurred_at=START + timedelta(days=day),
            subject=f"Day {day + 1}", kind="call" if day % 3 == 0 else "email",
        )


def subjects(body: str) -> list[str]:
    section = body[body.index('id="interactions-results"'):]
    return re.findall(r"<strong>(Day \d+)</strong>", section)


def get(client, people, headers: dict | None = None, **query: str) -> str:  # noqa: ANN001
    client.force_login(people.rep)
    address = reverse("accounts:detail", args=["ACC-OURS"])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    response = client.get(address, headers=headers or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_newest_ten_come_first_with_a_link_to_the_next_page(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    body = get(client, people)
    # then
    assert subjects(body) == [f"Day {day}" for day in range(23, 13, -1)]
    assert "23 interactions · page 1 of 3" in body
    assert 'href="?interactions_page=2#interactions"' in body


def test_the_last_page_holds_the_oldest(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    body = get(client, people, interactions_page="3")
    # then
    assert subjects(body) == ["Day 3", "Day 2", "Day 1"]
    assert "page 3 of 3" in body and 'rel="next"' not in body


def test_a_page_past_the_end_shows_the_last_and_nonsense_the_first(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # then
    assert subjects(get(client, people, interactions_page="99")) == ["Day 3", "Day 2", "Day 1"]
    assert subjects(get(client, people, interactions_page="-2"))[0] == "Day 23"
    assert subjects(get(client, people, interactions_page="x"))[0] == "Day 23"


def test_sorting_oldest_first_and_by_kind(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    oldest = get(client, people, interactions_sort="oldest")
    by_kind = get(client, people, interactions_sort="kind")
    unknown = get(client, people, interactions_sort="'; drop")
    # then
    assert subjects(oldest)[:3] == ["Day 1", "Day 2", "Day 3"]
    assert subjects(by_kind)[:3] == ["Day 22", "Day 19", "Day 16"]  # calls, newest first
    assert subjects(unknown)[0] == "Day 23"
    assert 'aria-current="true">Oldest first' in oldest


def test_paging_keeps_the_sort(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    body = get(client, people, interactions_sort="oldest", interactions_page="2")
    # then
    assert subjects(body)[0] == f"Day {INTERACTIONS_PER_PAGE + 1}"
    assert 'href="?interactions_sort=oldest&amp;interactions_page=3#interactions"' in body


def test_an_htmx_request_for_the_section_gets_the_section_alone(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    body = get(
        client, people, headers={"HX-Request": "true", "HX-Target": "interactions-results"},
        interactions_page="2",
    )
    # then
    assert body.lstrip().startswith('<div id="interactions-results"')
    assert "<html" not in body and 'id="plays"' not in body
    assert subjects(body) == [f"Day {day}" for day in range(13, 3, -1)]


def test_a_history_restore_gets_the_whole_page(client, people) -> None:  # noqa: ANN001
    # given
    history(people.ours)
    # when
    body = get(
        client, people,
        headers={"HX-Request": "true", "HX-Target": "interactions-results",
                 "HX-History-Restore-Request": "true"},
        interactions_page="2",
    )
    # then
    assert "<html" in body and subjects(body)[0] == "Day 13"


def test_another_teams_interactions_stay_hidden(client, people) -> None:  # noqa: ANN001
    # given
    history(people.theirs, days=3)
    client.force_login(people.rep)
    # when
    response = client.get(
        reverse("accounts:detail", args=["ACC-THEIRS"]),
        headers={"HX-Request": "true", "HX-Target": "interactions-results"},
    )
    # then
    assert response.status_code == 404
    assert "Day 1" not in response.content.decode()
