"""The manager's team view: open plays per person, their age, and how closed plays ended."""

import itertools
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heedful.plays import services
from heedful.plays.models import Play, PlayAction, PlayEvent, PlayStatus
from tests.factories import AccountFactory, UserFactory

TEAM = reverse("plays:team")
_serial = itertools.count(1)


def make_play(account, **fields) -> Play:  # noqa: ANN001
    number = next(_serial)
    values = {
        "rule": "billing.spike", "subject": f"invoice:INV-{number}", "owner": account.owner,
        "priority": 50, "title": f"Play {number}", "explanation": "Why.",
        "suggested_action": "Call.",
    }
    values.update(fields)
    return Play.objects.create(account=account, **values)


def closed(account, action: str, days_ago: int) -> Play:  # noqa: ANN001
    status = PlayStatus.DISMISSED if action == PlayAction.DISMISSED else PlayStatus.DONE
    play = make_play(account, status=status)
    PlayEvent.objects.create(play=play, action=action,
                             at=timezone.now() - timedelta(days=days_ago))
    return play


def rows_by_username(response) -> dict:  # noqa: ANN001
    return {row.person.username: row for row in response.context["rows"]}


def test_rep_gets_a_readable_forbidden_page(client, people) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.get(TEAM)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Not allowed" in body
    assert "The team view is for managers, executives and admins" in body


def test_manager_sees_their_reports_transitively_and_nobody_else(client, people) -> None:  # noqa: ANN001
    # when
    client.force_login(people.director)
    directors_view = rows_by_username(client.get(TEAM))
    client.force_login(people.manager)
    managers_view = rows_by_username(client.get(TEAM))
    # then
    assert set(directors_view) == {"manager", "rep"}
    assert set(managers_view) == {"rep"}


@pytest.mark.parametrize("who", ["executive", "admin"])
def test_executives_and_admins_see_everyone(client, people, who: str) -> None:  # noqa: ANN001
    client.force_login(getattr(people, who))
    seen = set(rows_by_username(client.get(TEAM)))
    assert {"rep", "other_rep", "manager", "other_manager", "director"} <= seen
    assert who not in seen


def test_counts_overdue_ages_and_closings_per_rep(client, people) -> None:  # noqa: ANN001
    # given: three open plays (one urgent two days old and one ten days old, both overdue),
    # one snoozed
    make_play(people.ours, urgent=True, created_at=timezone.now() - timedelta(days=2))
    make_play(people.ours, created_at=timezone.now() - timedelta(days=10, hours=1))
    make_play(people.ours)
    make_play(people.ours, status=PlayStatus.SNOOZED,
              created_at=timezone.now() - timedelta(days=50))
    # and in the last 30 days: two done, one dismissed, one closed by itself
    closed(people.ours, PlayAction.DONE, 1)
    closed(people.ours, PlayAction.DONE, 29)
    closed(people.ours, PlayAction.DISMISSED, 5)
    closed(people.ours, PlayAction.AUTO_CLOSED, 3)
    # and older ones that do not count
    closed(people.ours, PlayAction.DISMISSED, 31)
    # and another team's plays
    make_play(people.theirs)
    closed(people.theirs, PlayAction.DONE, 1)
    client.force_login(people.manager)
    # when
    response = client.get(TEAM)
    # then
    row = rows_by_username(response)["rep"]
    assert (row.open_count, row.overdue_count, row.urgent_count) == (3, 2, 1)
    assert row.oldest_open_days == 10
    assert (row.done_count, row.dismissed_count, row.closed_count) == (2, 1, 4)
    body = response.content.decode()
    cells = re.search(r'<tr data-username="rep".*?</tr>', body, re.DOTALL)
    assert cells is not None
    numbers = re.findall(r'class="num col-(\w+)">(?:<span[^>]*>)?([^<]+)', cells.group(0))
    assert dict(numbers) == {
        "open": "3", "overdue": "2", "urgent": "1", "oldest": "10 days", "done": "2",
        "dismissed": "1",
    }
    assert " of " not in cells.group(0)


def test_a_person_without_plays_shows_none_open_not_zero_days(client, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    response = client.get(TEAM)
    row = rows_by_username(response)["rep"]
    assert (row.open_count, row.oldest_open_days, row.done_count) == (0, None, 0)
    assert "none open" in response.content.decode()
    assert not re.search(r"\b0 days", response.content.decode())


def test_plays_raised_today_read_raised_today_not_zero_days(client, people) -> None:  # noqa: ANN001
    make_play(people.ours)
    client.force_login(people.manager)
    body = client.get(TEAM).content.decode()
    assert "raised today" in body and not re.search(r"\b0 days", body)


def test_each_person_links_to_their_queue(client, people) -> None:  # noqa: ANN001
    make_play(people.ours, title="The rep's play")
    client.force_login(people.manager)
    body = client.get(TEAM).content.decode()
    link = f"{reverse('plays:queue')}?owner={people.rep.pk}"
    assert f'href="{link}"' in body
    queue = client.get(link)
    assert [play.title for play in queue.context["page"]] == ["The rep's play"]


def test_a_manager_counts_only_plays_on_accounts_they_can_see(people) -> None:  # noqa: ANN001
    # given: the rep owns a play on an account outside the manager's view (not its owner
    # nor on its team any more)
    make_play(people.theirs, owner=people.rep)
    make_play(people.ours)
    # when
    rows = {row.person.username: row for row in services.get_team(user=people.manager)}
    everyone = {row.person.username: row for row in services.get_team(user=people.executive)}
    # then
    assert rows["rep"].open_count == 1
    assert everyone["rep"].open_count == 2


def test_team_view_uses_a_constant_number_of_queries(
    client, people, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given
    make_play(people.ours)
    client.force_login(people.manager)
    with CaptureQueriesContext(connection) as one_report:
        assert len(client.get(TEAM).context["rows"]) == 1
    for index in range(4):
        report = UserFactory(username=f"report{index}", manager=people.manager)
        account = AccountFactory(owner=report)
        make_play(account, urgent=True)
        closed(account, PlayAction.DONE, 2)
    # then
    with django_assert_num_queries(len(one_report.captured_queries)):
        response = client.get(TEAM)
    assert len(response.context["rows"]) == 5


def test_team_view_sorts_by_a_column_either_way_with_blanks_last(client, people) -> None:  # noqa: ANN001
    # given the executive's view: rep has three open plays, other_rep one, nobody else any
    for _ in range(3):
        make_play(people.ours)
    make_play(people.theirs)
    client.force_login(people.executive)
    # when sorted by open plays, most first
    most = [row.person.username for row in client.get(TEAM, {"sort": "-open"}).context["rows"]]
    # then
    assert most[:2] == ["rep", "other_rep"]
    # and fewest first puts the people with none first, then other_rep, then rep
    fewest = [row.person.username for row in client.get(TEAM, {"sort": "open"}).context["rows"]]
    assert fewest[-2:] == ["other_rep", "rep"]
    # and a column without a value for some (oldest open) keeps the blanks last both ways
    for sort in ("oldest", "-oldest"):
        rows = client.get(TEAM, {"sort": sort}).context["rows"]
        assert [row.oldest_open_days is None for row in rows[:2]] == [False, False]
    # and the header says how it is sorted
    body = client.get(TEAM, {"sort": "-open"}).content.decode()
    assert 'aria-sort="descending" class="col-open num"' in body


def test_team_view_pages_a_large_team(client, people, settings) -> None:  # noqa: ANN001
    # given more reps than a page holds
    settings.HEEDFUL_PAGE_SIZE = 3
    for index in range(5):
        UserFactory(username=f"zz-rep{index}", full_name=f"Zz Rep {index}",
                    manager=people.manager)
    client.force_login(people.manager)
    # when
    first = client.get(TEAM)
    last = client.get(TEAM, {"page": 3})
    # then 6 people (rep and the five) in pages of 3, in name order
    assert first.context["page"].paginator.count == 6
    assert len(first.context["rows"]) == 3
    assert last.context["page"].number == 2  # past the end: the last page
    second = client.get(TEAM, {"page": 2})
    assert [row.person.username for row in second.context["rows"]] == [
        "zz-rep2", "zz-rep3", "zz-rep4"]
    assert "Page 1 of 2" in first.content.decode()
    # an unknown sort falls back to names
    assert client.get(TEAM, {"sort": "salary"}).status_code == 200
