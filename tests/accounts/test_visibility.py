from datetime import date

from heedful.accounts.visibility import visible_accounts
from tests.factories import AccountFactory, TeamMembershipFactory


def names(user) -> set[str]:  # noqa: ANN001
    return set(visible_accounts(user).values_list("external_id", flat=True))


def test_rep_sees_only_the_accounts_of_their_team(people) -> None:  # noqa: ANN001
    assert names(people.rep) == {"ACC-OURS"}


def test_manager_sees_reports_accounts_transitively(people) -> None:  # noqa: ANN001
    assert names(people.manager) == {"ACC-OURS"}
    assert names(people.director) == {"ACC-OURS"}
    assert names(people.other_manager) == {"ACC-THEIRS"}


def test_executive_and_admin_see_every_account(people) -> None:  # noqa: ANN001
    assert names(people.executive) == {"ACC-OURS", "ACC-THEIRS"}
    assert names(people.admin) == {"ACC-OURS", "ACC-THEIRS"}


def test_team_member_sees_account_only_while_on_the_team(people) -> None:  # noqa: ANN001
    # given
    shared = AccountFactory(external_id="ACC-SHARED", owner=people.other_rep)
    TeamMembershipFactory(
        account=shared, user=people.rep, role="csm",
        start_date=date(2024, 1, 1), end_date=date(2025, 6, 30),
    )
    # then
    assert "ACC-SHARED" in set(
        visible_accounts(people.rep, on=date(2025, 1, 1)).values_list("external_id", flat=True)
    )
    assert "ACC-SHARED" not in names(people.rep)


def test_inactive_user_sees_nothing(people) -> None:  # noqa: ANN001
    people.executive.is_active = False
    assert names(people.executive) == set()
