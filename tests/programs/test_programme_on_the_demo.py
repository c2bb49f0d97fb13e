"""The programme page's figures on the demo match a count by hand, and the demo holds the
issue's story: a sponsor programme with gaps, a focus group with feedback themes and a
no-show, an engineering visit announced in time and confirmed by the customer."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from heedful.accounts.models import Account, TeamMembership
from heedful.billing.models import Invoice
from heedful.core.models import User
from heedful.demo import company
from heedful.events.models import FeedbackItem
from heedful.interactions.models import Interaction
from heedful.lib import clock
from heedful.plays.engine import scan
from heedful.plays.models import Play
from heedful.programs import services
from heedful.visits.models import Visit
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo

CADENCE = {"enterprise": 90, "mid-market": 180, "smb": 365}
NOW = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[company.Plan]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF) as plan:
        scan(as_of=AS_OF, rules=["programs.event_no_show", "programs.leader_join"])
        yield plan


@pytest.fixture
def at_the_demo_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: AS_OF)


def hand_count() -> dict[str, object]:
    """The programme counted row by row in Python, without the services' queries."""
    customers = {account.pk: account for account in Account.objects.filter(status="customer")}
    pairs = [
        membership for membership in TeamMembership.objects.filter(role="executive_sponsor")
        if membership.is_active(AS_OF) and membership.account_id in customers
    ]
    overdue = 0
    for pair in pairs:
        visits = [
            timezone.localtime(interaction.occurred_at).date()
            for interaction in Interaction.objects.filter(
                account_id=pair.account_id, user_id=pair.user_id)
            if interaction.kind in ("meeting", "visit") and interaction.occurred_at <= NOW
        ]
        counted_from = max(visits) if visits else pair.start_date
        cadence = CADENCE.get(customers[pair.account_id].segment, 180)
        overdue += counted_from + timedelta(days=cadence) < AS_OF
    sponsored = {pair.account_id for pair in pairs}
    gaps = Counter(account.segment for pk, account in customers.items() if pk not in sponsored)
    revenue: Counter[str] = Counter()
    for invoice in Invoice.objects.filter(account_id__in=customers.keys() - sponsored):
        if invoice.period_start > AS_OF - timedelta(days=365) and invoice.currency == "USD":
            revenue[customers[invoice.account_id].segment] += invoice.amount
    sponsors = {pair.user_id for pair in pairs}
    idle = sorted(user.username for user in User.objects.filter(is_senior=True, is_active=True)
                  if not any(m.is_active(AS_OF) for m in user.team_memberships.filter(
                      role="executive_sponsor")))
    return {"pairs": len(pairs), "sponsors": len(sponsors), "overdue": overdue,
            "gaps": dict(gaps), "unsponsored": sum(gaps.values()), "revenue": revenue,
            "idle": idle}


def test_programme_figures_match_a_count_by_hand(demo, db, at_the_demo_day) -> None:  # noqa: ANN001
    # given
    executive = User.objects.get(username="executive")
    expected = hand_count()
    # when
    programme = services.get_programme(viewer=executive, as_of=AS_OF)
    # then
    assert len(programme.pairs) == expected["pairs"]
    assert programme.sponsor_count == expected["sponsors"]
    assert programme.overdue_count == expected["overdue"]
    assert programme.unsponsored_count == expected["unsponsored"]
    assert {gap.tier: gap.accounts for gap in programme.unsponsored_by_tier} == expected["gaps"]
    revenue = expected["revenue"]
    assert isinstance(revenue, Counter)
    for gap in programme.unsponsored_by_tier:
        assert gap.revenue.quantize(Decimal("0.01")) == revenue[gap.tier]
    assert [user.username for user in programme.sponsors_without_account] == expected["idle"]
    # the gaps the demo is built to show
    assert expected["idle"] == ["ingrid"] and expected["overdue"] >= 2


def test_programme_page_shows_the_hand_counted_figures(
    demo, db, client, at_the_demo_day  # noqa: ANN001
) -> None:
    expected = hand_count()
    client.force_login(User.objects.get(username="executive"))
    page = client.get("/programs/sponsors/").content.decode()
    shown = dict(re.findall(r'id="figure-(\w+)">([\d,]+)<', page))
    assert shown == {
        "pairs": str(expected["pairs"]), "sponsors": str(expected["sponsors"]),
        "overdue": str(expected["overdue"]), "unsponsored": f"{expected['unsponsored']:,}",
        "idle": str(len(expected["idle"])),  # type: ignore[arg-type]
    }
    assert "Ingrid Holm" in page and "Ravi Patel" in page


def test_demo_focus_group_has_themes_and_a_no_show_play(demo, db) -> None:  # noqa: ANN001
    themes = set(FeedbackItem.objects.values_list("theme", flat=True))
    assert {"problem", "does_well", "needs"} <= themes
    play = Play.objects.get(rule="programs.event_no_show", status="open")
    assert "Voice platform focus group" in play.explanation


def test_demo_engineering_visit_was_announced_in_time_and_confirmed(demo, db) -> None:  # noqa: ANN001
    visit = Visit.objects.get(work_order="WO-2291")
    assert visit.visitor.department == "engineering"
    assert visit.is_announced_in_time() and visit.happened == "yes"


def test_demo_leader_request_is_a_play_for_the_owner(demo, db) -> None:  # noqa: ANN001
    play = Play.objects.get(rule="programs.leader_join", status="open")
    assert "Catherine Duval" in play.explanation
    assert play.owner == play.account.owner
