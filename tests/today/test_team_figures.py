"""The team view's figures per person: open, overdue, urgent left, done and dismissed in the
last 30 days, oldest open; and the totals. Set-based: the query count stays put as people and
plays grow."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heedful.plays import services
from heedful.plays.models import PlayAction, PlayEvent, PlayStatus
from tests.factories import AccountFactory, UserFactory


def close(play, action: str, *, days_ago: float) -> None:  # noqa: ANN001
    play.status = PlayStatus.DISMISSED if action == PlayAction.DISMISSED else PlayStatus.DONE
    play.save()
    PlayEvent.objects.create(play=play, action=action,
                             at=timezone.now() - timedelta(days=days_ago))


def test_overdue_is_a_day_for_urgent_plays_and_a_week_for_others(people, make_play) -> None:  # noqa: ANN001
    # given
    now = timezone.now()
    make_play(people.ours, urgent=True, created_at=now - timedelta(hours=20))  # not yet
    make_play(people.ours, urgent=True, created_at=now - timedelta(days=1, hours=1))  # overdue
    make_play(people.ours, created_at=now - timedelta(days=6, hours=23))  # not yet
    make_play(people.ours, created_at=now - timedelta(days=7, hours=1))  # overdue
    make_play(people.ours, status=PlayStatus.SNOOZED, created_at=now - timedelta(days=60))
    # when
    row = {row.person.username: row for row in services.get_team(user=people.manager, now=now)}
    # then
    rep = row["rep"]
    assert (rep.open_count, rep.overdue_count, rep.urgent_count, rep.oldest_open_days) == (
        4, 2, 2, 7)


def test_done_and_dismissed_count_the_last_30_days_only(people, make_play) -> None:  # noqa: ANN001
    close(make_play(people.ours), PlayAction.DONE, days_ago=0.5)
    close(make_play(people.ours), PlayAction.DONE, days_ago=29.9)
    close(make_play(people.ours), PlayAction.DONE, days_ago=30.1)
    close(make_play(people.ours), PlayAction.DISMISSED, days_ago=3)
    close(make_play(people.ours), PlayAction.AUTO_CLOSED, days_ago=3)
    row = {row.person.username: row for row in services.get_team(user=people.manager)}["rep"]
    assert (row.done_count, row.dismissed_count, row.closed_count) == (2, 1, 4)


def test_totals_add_up_every_person_and_keep_the_oldest(people, make_play) -> None:  # noqa: ANN001
    # given: the director sees the manager and the rep
    now = timezone.now()
    mine = AccountFactory(owner=people.manager)
    make_play(people.ours, created_at=now - timedelta(days=12))
    make_play(people.ours, urgent=True)
    make_play(mine, created_at=now - timedelta(days=3))
    close(make_play(mine), PlayAction.DISMISSED, days_ago=1)
    # when
    totals = services.TeamTotals.of(services.get_team(user=people.director, now=now))
    # then
    assert (totals.people, totals.open_count, totals.overdue_count, totals.urgent_count) == (
        2, 3, 1, 1)
    assert (totals.oldest_open_days, totals.done_count, totals.dismissed_count) == (12, 0, 1)


def test_the_team_view_shows_the_figures_and_links_each_person_to_their_today(
    client, people, make_play  # noqa: ANN001
) -> None:
    make_play(people.ours, urgent=True, created_at=timezone.now() - timedelta(days=2))
    client.force_login(people.manager)
    body = client.get(reverse("plays:team")).content.decode()
    assert f'href="{reverse("today:page")}?owner={people.rep.pk}"' in body
    assert "<strong>1</strong> overdue" in body and "<strong>1</strong> urgent left" in body
    assert "Urgent left" in body and "Overdue" in body


def test_the_team_view_reads_the_same_queries_for_more_people_and_plays(
    client, people, make_play  # noqa: ANN001
) -> None:
    # given
    make_play(people.ours)
    client.force_login(people.executive)
    with CaptureQueriesContext(connection) as small_team:
        client.get(reverse("plays:team"))
    # when: six more reps, each with plays open and closed
    for index in range(6):
        report = UserFactory(username=f"report{index}", manager=people.manager)
        account = AccountFactory(owner=report)
        for number in range(5):
            make_play(account, urgent=number == 0,
                      created_at=timezone.now() - timedelta(days=number * 3))
        close(make_play(account), PlayAction.DONE, days_ago=2)
        close(make_play(account), PlayAction.DISMISSED, days_ago=4)
    # then
    with CaptureQueriesContext(connection) as large_team:
        response = client.get(reverse("plays:team"))
    assert len(large_team.captured_queries) == len(small_team.captured_queries)
    rows = {row.person.username: row for row in response.context["rows"]}
    assert (rows["report3"].open_count, rows["report3"].done_count) == (5, 1)


def test_a_manager_with_plays_of_their_own_is_pointed_to_their_today(
    client, people, make_play  # noqa: ANN001
) -> None:
    make_play(AccountFactory(owner=people.executive), title="Visit the sponsor")
    client.force_login(people.executive)
    body = client.get(reverse("plays:team")).content.decode()
    assert "You have 1 open play of your own" in body
    assert f'<a href="{reverse("today:page")}">see them on your Today</a>' in body
