"""Who owns an account has one truth (the dated owner memberships) and one writer
(``heedful.accounts.ownership``): every path gives the same owner on the page, in the team
section, in visibility and in the plays."""

import itertools
import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heedful.accounts import ownership
from heedful.accounts.models import Account, TeamMembership
from heedful.accounts.ownership import Period, normalized
from heedful.accounts.visibility import visible_accounts
from heedful.lib import clock
from heedful.plays.rules import RULES_BY_KEY
from tests.api.conftest import API, client_for
from tests.integrations.conftest import run

TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def owner_periods(account: Account) -> list[tuple[str, date | None, date | None]]:
    return [
        (m.user.username, m.start_date, m.end_date)
        for m in TeamMembership.objects.filter(account=account, role="owner")
        .select_related("user").order_by("start_date")
    ]


def assert_one_owner_everywhere(account: Account, username: str, *, formerly: str) -> None:
    """The cache, the running owner membership and visibility all name ``username``."""
    account.refresh_from_db()
    assert account.owner is not None and account.owner.username == username
    running = TeamMembership.objects.filter(account=account, role="owner", end_date=None)
    assert [m.user.username for m in running] == [username]
    new_owner = account.owner
    old_owner = TeamMembership.objects.filter(
        account=account, role="owner", user__username=formerly
    ).get()
    assert old_owner.end_date == TODAY - timedelta(days=1)
    assert visible_accounts(new_owner).filter(pk=account.pk).exists()
    assert not visible_accounts(old_owner.user).filter(pk=account.pk).exists()


# --- The normal form ---------------------------------------------------------------------


def test_a_new_owner_ends_the_previous_period_the_day_before() -> None:
    periods = normalized([Period(1, date(2024, 1, 1), None), Period(2, date(2026, 11, 30), None)])
    assert periods == [
        Period(1, date(2024, 1, 1), date(2026, 11, 29)), Period(2, date(2026, 11, 30), None)
    ]


def test_the_same_persons_overlapping_periods_are_one() -> None:
    stored_today = Period(1, date(2026, 11, 30), None, pk=7)
    periods = normalized([stored_today, Period(1, date(2024, 7, 1), None)])
    assert periods == [Period(1, date(2024, 7, 1), None)]


def test_of_two_owners_from_the_same_day_the_later_written_wins() -> None:
    assert normalized([Period(1, date(2025, 1, 1), None), Period(2, date(2025, 1, 1), None)]) == [
        Period(2, date(2025, 1, 1), None)
    ]


periods_strategy = st.lists(
    st.builds(
        Period,
        user_id=st.integers(1, 3),
        start_date=st.dates(date(2024, 1, 1), date(2024, 1, 20)),
        end_date=st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 1, 31))),
    ).filter(lambda p: p.end_date is None or p.end_date >= p.starts),
    max_size=6,
)


@given(periods_strategy)
def test_normal_form_has_one_owner_a_day_and_is_stable(periods: list[Period]) -> None:
    result = normalized(periods)
    assert normalized(result) == result
    assert sum(1 for p in result if p.end_date is None) <= 1
    for earlier, later in itertools.pairwise(result):
        assert earlier.end_date is not None and earlier.end_date < later.starts


# --- Every path that changes an owner ----------------------------------------------------


def test_owner_changed_by_the_api_moves_page_team_visibility_and_rules(people) -> None:  # noqa: ANN001
    # given rep owns ours since 2024-01-01; manager manages rep, so may hand it to... rep only
    client = client_for(people.executive)
    # when
    response = client.patch(
        API + "/accounts/ACC-OURS", json.dumps({"owner_username": "other_rep"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["owner_username"] == "other_rep"
    assert_one_owner_everywhere(people.ours, "other_rep", formerly="rep")
    # the Account 360 says the same in its header and its team section
    browser = Client()
    browser.force_login(people.executive)
    page = browser.get("/accounts/ACC-OURS/").content.decode()
    team = page[page.index("Account team"):]
    assert "other_rep" in team or people.other_rep.display_name in team
    # and the team rule addresses the new owner once they have had time to settle in
    found = list(RULES_BY_KEY["team.new_owner_unintroduced"].evaluate(
        as_of=TODAY + timedelta(days=20), account_ids=[people.ours.pk]
    ))
    assert [(f.subject, f.owner_id) for f in found] == [("owner:other_rep", people.other_rep.pk)]


def test_account_created_through_the_api_has_its_owner_on_the_team(people) -> None:  # noqa: ANN001
    client = client_for(people.rep)
    response = client.post(
        API + "/accounts", json.dumps({"external_id": "ACC-NEW", "name": "New Co"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    account = Account.objects.get(external_id="ACC-NEW")
    assert owner_periods(account) == [("rep", TODAY, None)]
    assert account.owner == people.rep


def test_owner_membership_added_through_the_team_endpoint_hands_the_account_over(people) -> None:  # noqa: ANN001
    client = client_for(people.admin)
    response = client.post(
        API + "/team-memberships",
        json.dumps({"account_external_id": "ACC-OURS", "username": "other_rep", "role": "owner",
                    "start_date": TODAY.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert_one_owner_everywhere(people.ours, "other_rep", formerly="rep")


def test_rep_cannot_make_someone_else_owner_through_the_team_endpoint(people) -> None:  # noqa: ANN001
    client = client_for(people.rep)
    response = client.post(
        API + "/team-memberships",
        json.dumps({"account_external_id": "ACC-OURS", "username": "other_rep", "role": "owner"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "only to yourself" in json.dumps(response.json())
    assert owner_periods(people.ours) == [("rep", date(2024, 1, 1), None)]


def test_owner_changed_in_the_admin_goes_through_the_same_writer(people) -> None:  # noqa: ANN001
    browser = Client()
    browser.force_login(people.admin)
    url = f"/admin/accounts/account/{people.ours.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({
        "owner": people.other_rep.pk, "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "1",
        "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "1000",
    })
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_one_owner_everywhere(people.ours, "other_rep", formerly="rep")


def test_two_running_owners_are_refused_by_the_database(people) -> None:  # noqa: ANN001
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            account=people.ours, user=people.other_rep, role="owner", start_date=TODAY
        )


# --- CSV: accounts.csv owner and team.csv history, in any order ---------------------------


ACCOUNTS_CSV = """
external_id,name,owner_username
ACC-OURS,Ours Telecom,other_rep
"""
TEAM_CSV = """
account_external_id,username,role,start_date,end_date
ACC-OURS,director,owner,2020-01-01,2023-12-31
ACC-OURS,rep,owner,2024-01-01,2025-06-30
ACC-OURS,manager,owner,2025-07-01,
"""


@pytest.mark.parametrize("order", [("accounts", "team"), ("team", "accounts")])
def test_csv_owner_and_history_give_the_same_owners_in_any_order(people, write_csv, order) -> None:  # noqa: ANN001
    files = {"accounts": write_csv("accounts.csv", ACCOUNTS_CSV),
             "team": write_csv("team.csv", TEAM_CSV)}
    for kind in [*order, *order]:  # and again: re-importing changes nothing
        result = run("import", kind, str(files[kind]))
        assert result.returncode == 0, result.stderr
    assert owner_periods(people.ours) == [
        ("director", date(2020, 1, 1), date(2023, 12, 31)),
        ("rep", date(2024, 1, 1), date(2025, 6, 30)),
        ("manager", date(2025, 7, 1), date(2026, 11, 29)),
        ("other_rep", TODAY, None),
    ]
    people.ours.refresh_from_db()
    assert people.ours.owner == people.other_rep


def test_team_csv_history_alone_decides_the_owner(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("team.csv", TEAM_CSV)
    assert run("import", "team", str(path)).returncode == 0
    people.ours.refresh_from_db()
    assert people.ours.owner == people.manager
    assert owner_periods(people.ours)[-2:] == [
        ("rep", date(2024, 1, 1), date(2025, 6, 30)), ("manager", date(2025, 7, 1), None)
    ]
    assert not visible_accounts(people.rep).filter(pk=people.ours.pk).exists()
    second = run("import", "team", str(path), "--json")
    assert json.loads(second.stdout)["files"][0]["unchanged"] == 3


def test_an_empty_owner_column_changes_nothing(people, write_csv) -> None:  # noqa: ANN001
    path = write_csv("accounts.csv", "external_id,name,owner_username\nACC-OURS,Ours Telecom,\n")
    assert run("import", "accounts", str(path)).returncode == 0
    assert owner_periods(people.ours) == [("rep", date(2024, 1, 1), None)]
    people.ours.refresh_from_db()
    assert people.ours.owner == people.rep


def test_owner_handover_by_csv_fires_the_team_rule_for_the_new_owner(people, write_csv) -> None:  # noqa: ANN001
    assert run("import", "accounts", str(write_csv("accounts.csv", ACCOUNTS_CSV))).returncode == 0
    found = list(RULES_BY_KEY["team.new_owner_unintroduced"].evaluate(
        as_of=TODAY + timedelta(days=15), account_ids=[people.ours.pk]
    ))
    assert [f.owner_id for f in found] == [people.other_rep.pk]


# --- Existing databases ------------------------------------------------------------------


def test_migration_mends_owners_the_old_paths_left_apart(people) -> None:  # noqa: ANN001
    # given the disagreement the old API left: the cache says other_rep, the running
    # membership still says rep; and an account with an owner and an empty team
    Account.objects.filter(pk=people.ours.pk).update(owner=people.other_rep)
    lonely = Account.objects.create(external_id="ACC-LONELY", name="Lonely", owner=people.rep)
    migration = __import__(
        "heedful.accounts.migrations.0005_one_running_owner", fromlist=["unify_owners"]
    )
    # when
    migration.unify_owners(apps, None)
    # then
    assert owner_periods(people.ours) == [
        ("rep", date(2024, 1, 1), date(2026, 11, 29)), ("other_rep", TODAY, None)
    ]
    assert owner_periods(lonely) == [("rep", TODAY, None)]


def test_the_nightly_scan_moves_the_cache_on_the_day_of_a_handover_dated_ahead(people) -> None:  # noqa: ANN001
    handover = Period(people.manager.pk, TODAY + timedelta(days=3), None)
    ownership.add_periods({people.ours.pk: [handover]})
    people.ours.refresh_from_db()
    assert people.ours.owner == people.rep
    assert run("scan", "--as-of", (TODAY + timedelta(days=3)).isoformat()).returncode == 0
    people.ours.refresh_from_db()
    assert people.ours.owner == people.manager


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["accounts.csv", "team.csv"]), min_size=2, max_size=5).filter(
    lambda sources: len(set(sources)) == 2
))
def test_any_order_and_repetition_of_the_two_sources_gives_the_same_owners(
    people, sources: list[str]  # noqa: ANN001
) -> None:
    # given an account whose owner rows are wiped for each example
    TeamMembership.objects.filter(account=people.ours, role="owner").delete()
    history = [
        Period(people.director.pk, date(2020, 1, 1), date(2022, 12, 31)),
        Period(people.manager.pk, date(2023, 1, 1), None),
    ]
    # when the owner of accounts.csv (other_rep) and the history of team.csv arrive in order
    for source in sources:
        if source == "team.csv":
            ownership.add_periods({people.ours.pk: history})
        else:
            ownership.set_owners({people.ours.pk: people.other_rep.pk})
    # then
    assert owner_periods(people.ours) == [
        ("director", date(2020, 1, 1), date(2022, 12, 31)),
        ("manager", date(2023, 1, 1), TODAY - timedelta(days=1)),
        ("other_rep", TODAY, None),
    ]
    assert Account.objects.get(pk=people.ours.pk).owner_id == people.other_rep.pk
