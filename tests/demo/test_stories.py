"""Every story of PRODUCT.md is in the demo, with the numbers that tell it, relative to the
injected as_of (never the wall clock)."""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max, Sum

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.accounts.visibility import visible_accounts
from heedful.billing.models import Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.core.models import User
from heedful.demo import company
from heedful.interactions.models import Interaction
from heedful.meetings.models import Meeting, SpeakerFigures
from heedful.orders.models import Order
from heedful.sales.models import Opportunity, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo

IN_PERSON = ("meeting", "visit")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[company.Plan]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF) as plan:
        yield plan


@pytest.fixture
def story(demo, db):  # noqa: ANN001, ANN201
    def account_of(number: int) -> Account:
        found = next(s for s in company.STORIES if s.number == number)
        return Account.objects.get(external_id=found.account_external_id)

    return account_of


def days_ago(days: int):  # noqa: ANN201
    return AS_OF - timedelta(days=days)


def test_stories_list_fifteen_stories_on_existing_accounts_and_users(story) -> None:  # noqa: ANN001
    # then
    assert [s.number for s in company.STORIES] == list(range(1, 16))
    for entry in company.STORIES:
        assert entry.account_external_id or entry.username
        if entry.account_external_id:
            assert Account.objects.filter(external_id=entry.account_external_id).exists()
        if entry.username:
            assert User.objects.filter(username=entry.username).exists()


def test_the_rep_sees_most_story_accounts(story) -> None:  # noqa: ANN001
    # given
    rep = User.objects.get(username="rep")
    story_ids = {s.account_external_id for s in company.STORIES if s.account_external_id}
    # when
    visible = set(visible_accounts(rep, on=AS_OF).values_list("external_id", flat=True))
    # then
    assert len(story_ids & visible) >= 10
    assert rep.manager.username == "manager"


def test_story_1_bill_of_7800_against_a_2500_contract(story) -> None:  # noqa: ANN001
    account = story(1)
    contract = Contract.objects.get(account=account, name__icontains="voice")
    assert contract.recurring_amount == Decimal("2500.00")
    assert contract.billing_period == "monthly"
    invoices = list(Invoice.objects.filter(contract=contract).order_by("period_start"))
    assert len(invoices) == 12
    latest = invoices[-1]
    assert latest.amount == Decimal("7800.00")
    assert latest.period_start == (AS_OF.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert latest.issued_on <= AS_OF
    for earlier in invoices[:-1]:
        assert abs(earlier.amount - Decimal("2500.00")) <= Decimal("50.00")


def test_story_2_rich_is_an_email_person_who_hates_golf(story) -> None:  # noqa: ANN001
    rich = Contact.objects.get(account=story(2), full_name="Richard Hale")
    assert rich.preferred_name == "Rich"
    assert rich.preferred_channel == "email"
    assert rich.role_type == "executive" and rich.is_key
    assert "Chief Information Officer" in rich.title
    assert rich.dislike_list == ["phone calls", "golf"]
    assert rich.like_list == ["skiing (winter)", "boating (summer)"]
    assert not Interaction.objects.filter(contacts=rich, kind="call").exists()
    assert Interaction.objects.filter(contacts=rich, kind="email").count() >= 5


def test_story_3_rep_owner_for_two_years_never_visited(story) -> None:  # noqa: ANN001
    account = story(3)
    ownership = TeamMembership.objects.get(account=account, role="owner", end_date=None)
    assert ownership.user.username == "rep" and account.owner == ownership.user
    assert ownership.start_date <= days_ago(730)
    assert not Interaction.objects.filter(account=account, kind="visit").exists()
    assert Interaction.objects.filter(account=account, user=ownership.user).exists()


def test_story_4_severity_1_phones_cut_off_and_nobody_called(story) -> None:  # noqa: ANN001
    account = story(4)
    ticket = Ticket.objects.get(account=account, severity=1)
    assert ticket.subject == "Phones cut off at HQ"
    assert ticket.status == "open"
    assert ticket.opened_at.date() == days_ago(1)
    assert not Interaction.objects.filter(account=account,
                                          occurred_at__gte=ticket.opened_at).exists()


def test_story_5_maintenance_ends_in_45_days_with_a_price_increase(story) -> None:  # noqa: ANN001
    account = story(5)
    ending = Holding.objects.filter(account=account, maintenance_end=AS_OF + timedelta(days=45))
    assert {"24x7", "8x5"} <= set(ending.values_list("maintenance_tier", flat=True))
    change = AdverseChange.objects.get(account=account, kind="price_increase")
    assert change.recorded_on <= AS_OF < change.effective_on
    assert not Interaction.objects.filter(
        account=account, kind__in=IN_PERSON, occurred_at__date__gte=change.recorded_on
    ).exists()


def test_story_6_large_order_shipped_ten_days_ago_without_follow_up(story) -> None:  # noqa: ANN001
    account = story(6)
    order = Order.objects.get(account=account, shipped_on=days_ago(10))
    assert order.amount == Decimal("184500.00")
    assert order.amount == Order.objects.filter(account=account).aggregate(m=Max("amount"))["m"]
    assert not Interaction.objects.filter(account=account,
                                          occurred_at__date__gte=order.shipped_on).exists()


def test_story_7_announced_closing_30_percent_of_offices_this_month(story) -> None:  # noqa: ANN001
    account = story(7)
    news = NewsItem.objects.get(account=account, sentiment="negative",
                                occurred_on__gte=days_ago(30))
    assert "closing 30% of its offices" in news.headline
    assert Opportunity.objects.filter(account=account, closed_on__isnull=True).exists()


def test_story_8_sla_missed_twice_in_three_months_volume_above_scope(story) -> None:  # noqa: ANN001
    account = story(8)
    months = sorted(set(ServiceMetric.objects.filter(account=account)
                        .values_list("period", flat=True)))[-3:]
    missed = [
        period for period in months
        if any(not m.met_target for m in ServiceMetric.objects.filter(account=account,
                                                                      period=period))
    ]
    assert len(months) == 3 and len(missed) == 2
    assert months[-1] == (AS_OF.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    for record in ScopeRecord.objects.filter(account=account, period__in=months):
        assert record.overrun_ratio > 1.2
    assert account.holdings.filter(product__sku="CCC-DESK").exists()


def test_story_9_cfo_of_large_italian_utility_needs_an_interpreter(story) -> None:  # noqa: ANN001
    account = story(9)
    assert (account.country, account.industry, account.segment) == (
        "Italy", "Utilities", "enterprise")
    cfo = Contact.objects.get(account=account, title__contains="CFO")
    assert cfo.language == "Italian"
    assert "interpreter" in cfo.pronunciation
    assert Interaction.objects.filter(account=account, contacts=cfo,
                                      tags__contains=";interpreter;").exists()
    # the briefing held with him, his interpreter and its transcript; the review to prepare
    briefing = Meeting.objects.get(account=account, status="held", attendees__contact=cfo)
    assert briefing.attendees.filter(role="interpreter", name="Giulia Ferri").exists()
    assert briefing.language == "Italian" and briefing.transcript.figures["speakers"]
    review = Meeting.objects.get(account=account, status="scheduled")
    assert review.scheduled_start.date() == AS_OF + timedelta(days=4)
    assert review.language == "Italian" and review.customer_value
    assert review.attendees.filter(role="interpreter").exists()


def test_story_10_executive_sponsor_last_seen_nine_months_ago(story) -> None:  # noqa: ANN001
    account = story(10)
    sponsor = TeamMembership.objects.get(account=account, role="executive_sponsor")
    assert sponsor.user.username == "executive" and sponsor.is_active(AS_OF)
    last = Interaction.objects.filter(account=account, user=sponsor.user,
                                      kind__in=IN_PERSON).aggregate(m=Max("occurred_at"))["m"]
    assert 265 <= (AS_OF - last.date()).days <= 280


def test_story_11_top_performer_makes_the_number_but_no_new_accounts(story) -> None:  # noqa: ANN001
    # given
    year = days_ago(365)
    won = (Opportunity.objects.filter(won=True, closed_on__gte=year)
           .values("owner__username").annotate(total=Sum("amount")).order_by("-total"))
    # then
    assert won[0]["owner__username"] == "marco"
    marco = User.objects.get(username="marco")
    assert not Account.objects.filter(owner=marco, status="prospect").exists()
    assert Account.objects.filter(status="prospect").exclude(owner=marco).exists()
    stale = Opportunity.objects.filter(owner=marco, closed_on__isnull=True)
    assert stale.exists()
    assert all(o.close_date < AS_OF for o in stale)
    last_change = StageChange.objects.filter(opportunity__in=stale).aggregate(
        m=Max("changed_at"))["m"]
    assert (AS_OF - last_change.date()).days > 90


def test_story_12_new_hire_in_week_three_with_a_mentor(story) -> None:  # noqa: ANN001
    jordan = User.objects.get(username="jordan")
    assert jordan.start_date == days_ago(21)
    assert jordan.manager.username == "manager"
    assert User.objects.get(username="sofia").manager == jordan.manager


def test_story_13_only_technical_contacts_in_180_days(story) -> None:  # noqa: ANN001
    account = story(13)
    recent = Interaction.objects.filter(account=account, occurred_at__date__gte=days_ago(180))
    roles = set(Contact.objects.filter(interactions__in=recent)
                .values_list("role_type", flat=True))
    assert roles == {"technical"}
    assert Contact.objects.filter(account=account, role_type__in=("business", "executive"),
                                  is_key=True).count() >= 2


def test_story_14_no_professional_services_while_industry_has_them(story) -> None:  # noqa: ANN001
    account = story(14)
    family = "Professional Services"
    assert not Holding.objects.filter(account=account, product__family__name=family).exists()
    peers = Account.objects.filter(industry=account.industry, status="customer")
    owning = peers.filter(holdings__product__family__name=family).distinct().count()
    assert owning / peers.count() >= 0.3
    assert not Interaction.objects.filter(account=account,
                                          tags__contains=";professional services;").exists()


def test_story_15_rep_whose_meetings_are_pitches(story) -> None:  # noqa: ANN001
    pitches = Interaction.objects.filter(user__username="brad", kind="meeting",
                                         occurred_at__date__gte=days_ago(90),
                                         tags__contains=";pitch;")
    assert pitches.count() >= 5
    # his transcripts of the last 30 days: three questions for every ten statements
    recent = SpeakerFigures.objects.filter(
        user__username="brad", transcript__meeting__scheduled_start__date__gte=days_ago(30)
    ).aggregate(questions=Sum("questions"), statements=Sum("statements"))
    assert recent["statements"] > 0
    assert recent["questions"] / recent["statements"] == pytest.approx(0.3)


def test_every_story_account_has_a_meeting_held_in_the_last_two_months(story) -> None:  # noqa: ANN001
    for found in company.STORIES:
        if found.account_external_id is None or found.number == 12:
            continue
        held = Meeting.objects.filter(
            account__external_id=found.account_external_id, status="held",
            actual_start__date__gte=days_ago(64), actual_start__date__lt=AS_OF,
        )
        assert held.exists(), f"story {found.number}: no meeting held"
        assert all(meeting.playback_summary for meeting in held)
