"""Reps see only the people their work names: the queue's owner filter and a rep's export
list nobody else (``heedful.accounts.visibility.visible_users``)."""

import csv
from pathlib import Path

import pytest
from django.test import Client

from heedful.accounts.visibility import visible_users
from heedful.plays.models import Play
from tests.factories import TeamMembershipFactory, UserFactory
from tests.integrations.conftest import run


def _play(account, owner) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule="billing.spike", account=account, subject="invoice:INV-1", owner=owner,
        priority=70, title="Bill up 212%", explanation="Why, with numbers.",
        suggested_action="Call before they do.",
    )


def _usernames(user) -> set[str]:  # noqa: ANN001
    return set(visible_users(user).values_list("username", flat=True))


def test_a_rep_sees_themselves_their_managers_and_the_people_on_their_accounts(people) -> None:  # noqa: ANN001
    # given a colleague on the rep's account team, with a manager of her own
    colleague_manager = UserFactory(username="colleague_manager", role="manager")
    colleague = UserFactory(username="colleague", role="rep", manager=colleague_manager)
    TeamMembershipFactory(account=people.ours, user=colleague, role="csm")
    # when
    seen = _usernames(people.rep)
    # then
    assert seen == {"rep", "manager", "director", "colleague", "colleague_manager"}


def test_a_manager_sees_their_reports_and_their_teams_but_not_other_reps(people) -> None:  # noqa: ANN001
    # when
    seen = _usernames(people.manager)
    # then
    assert {"manager", "rep", "director"} <= seen
    assert "other_rep" not in seen and "other_manager" not in seen


def test_executives_and_admins_see_everyone(people) -> None:  # noqa: ANN001
    everyone = {"director", "manager", "rep", "other_manager", "other_rep", "executive", "admin"}
    assert _usernames(people.executive) == everyone
    assert _usernames(people.admin) == everyone


def test_queue_of_a_user_the_rep_cannot_see_shows_no_plays_and_no_name(people) -> None:  # noqa: ANN001
    # given a play of the other rep, who is on none of the rep's accounts
    _play(people.theirs, people.other_rep)
    client = Client()
    client.force_login(people.rep)
    # when
    response = client.get("/plays/", {"owner": people.other_rep.pk})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert people.other_rep.display_name not in page
    assert "Bill up 212%" not in page
    assert "Attention queue of nobody" in page
    assert people.theirs.name not in page


def test_queue_of_a_visible_colleague_lists_their_plays(people) -> None:  # noqa: ANN001
    # given the other rep joins the rep's account team and owns a play there
    TeamMembershipFactory(account=people.ours, user=people.other_rep, role="csm")
    _play(people.ours, people.other_rep)
    client = Client()
    client.force_login(people.rep)
    # when
    response = client.get("/plays/", {"owner": people.other_rep.pk})
    # then
    page = response.content.decode()
    assert f"Attention queue of {people.other_rep.display_name}" in page
    assert "Bill up 212%" in page


@pytest.mark.parametrize("username", ["rep", "manager"])
def test_users_csv_of_a_rep_or_manager_export_lists_only_the_users_they_see(
    people, tmp_path: Path, username: str  # noqa: ANN001
) -> None:
    # when
    result = run("export", str(tmp_path), "--as-user", username)
    # then
    assert result.error is None
    with open(tmp_path / "users.csv", encoding="utf-8", newline="") as handle:
        exported = {row["username"] for row in csv.DictReader(handle)}
    assert exported == {"rep", "manager", "director"}


def test_users_csv_of_a_full_export_lists_everyone(people, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    run("export", str(tmp_path))
    # then
    with open(tmp_path / "users.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 7


def test_account_list_filtered_by_a_user_the_rep_cannot_see_shows_no_name(people) -> None:  # noqa: ANN001
    # given
    client = Client()
    client.force_login(people.rep)
    # when
    response = client.get("/accounts/", {"owner": people.other_rep.pk})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert people.other_rep.display_name not in page
    assert people.theirs.name not in page and people.ours.name not in page
