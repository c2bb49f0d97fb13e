"""The scorecard's faster queries (one pass over the open deals joined to the touched
accounts; the engaged accounts as a set) give the figures the per-deal and per-account
queries they replaced gave, on a small book built to sit on every edge: the window's first
and last moment, a deal without a close date or closing on the day, next steps of white space
only, an account touched many times, one-way mail. As of 22 Nov 2026, for 2026-Q4."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Exists, OuterRef, Q

from heedful.accounts.models import Account
from heedful.core.models import User
from heedful.forecasts import periods
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction
from heedful.plays.rules.base import ACCOUNT_STATUSES_WITH_PLAYS, end_of, start_of
from heedful.sales.models import Opportunity
from heedful.scorecards import services
from tests.factories import AccountFactory, InteractionFactory, OpportunityFactory

AS_OF = date(2026, 11, 22)
QUARTER = periods.parse("2026-Q4")
TOUCHED_FROM = start_of(AS_OF - timedelta(days=services.TOUCHED_DAYS))
ENGAGED_FROM = start_of(AS_OF - timedelta(days=services.ENGAGED_DAYS))
MICROSECOND = timedelta(microseconds=1)


def _hygiene_as_before(rep_ids: list[int]) -> dict[int, dict[str, int]]:
    """The query record hygiene ran before: an EXISTS per open deal, the next step by regular
    expression."""
    touched = Interaction.objects.filter(
        account_id=OuterRef("account_id"), occurred_at__gte=TOUCHED_FROM,
        occurred_at__lt=end_of(AS_OF),
    )
    has_next_step = Q(next_step__regex=r"\S")
    rows = (
        Opportunity.objects.filter(owner_id__in=rep_ids, closed_on__isnull=True)
        .annotate(touched=Exists(touched)).order_by().values("owner_id")
        .annotate(
            open=Count("id"),
            kept_up=Count("id", filter=Q(touched=True, close_date__gt=AS_OF) & has_next_step),
            untouched=Count("id", filter=Q(touched=False)),
            past_close=Count("id", filter=Q(close_date__lte=AS_OF) | Q(close_date__isnull=True)),
            no_next_step=Count("id", filter=~has_next_step),
        )
    )
    return {row.pop("owner_id"): row for row in rows}


def _engaged_as_before(rep_ids: list[int]) -> dict[int, int]:
    """The query customer engagement ran before: distinct accounts among the conversations."""
    owned = Account.objects.filter(owner_id__in=rep_ids, status__in=ACCOUNT_STATUSES_WITH_PLAYS)
    return dict(
        Interaction.objects.filter(
            TWO_WAY_CONVERSATION, account__in=owned, occurred_at__gte=ENGAGED_FROM,
            occurred_at__lt=end_of(AS_OF),
        ).order_by().values("account__owner_id")
        .annotate(count=Count("account_id", distinct=True))
        .values_list("account__owner_id", "count")
    )


@pytest.fixture
def book(people):  # noqa: ANN001, ANN201
    """Two reps' open deals and their accounts' timelines, on every edge of the windows."""
    first = AccountFactory(owner=people.rep, external_id="ACC-FIRST")  # touched at the start
    before = AccountFactory(owner=people.rep, external_id="ACC-BEFORE")  # a moment too early
    last = AccountFactory(owner=people.rep, external_id="ACC-LAST")  # the day's last moment
    busy = AccountFactory(owner=people.other_rep, external_id="ACC-BUSY")  # touched often
    InteractionFactory(account=first, occurred_at=TOUCHED_FROM, kind="call", direction="")
    InteractionFactory(account=before, occurred_at=TOUCHED_FROM - MICROSECOND)
    InteractionFactory(account=last, occurred_at=end_of(AS_OF) - MICROSECOND,
                       direction="outbound")  # touched, but one way: not engaged
    InteractionFactory(account=people.ours, occurred_at=ENGAGED_FROM)  # engaged, not touched
    for day in range(5):
        InteractionFactory(account=busy, occurred_at=end_of(AS_OF) - timedelta(days=day + 1))
    next_steps = ["Send the quote", "", " \t\n", "\u00a0\u3000", " Call the CFO "]
    close_dates = [AS_OF + timedelta(days=1), AS_OF, None, AS_OF - timedelta(days=3)]
    accounts = [first, before, last, busy, people.ours]
    for index in range(40):
        account = accounts[index % len(accounts)]
        OpportunityFactory(
            account=account, owner=account.owner, next_step=next_steps[index % len(next_steps)],
            close_date=close_dates[index % len(close_dates)],
        )
    OpportunityFactory(account=first, owner=people.rep, closed_on=date(2026, 11, 1),
                       won=True, next_step="Closed")  # closed: not counted
    return people


def test_record_hygiene_counts_what_the_query_per_deal_counted(book) -> None:  # noqa: ANN001
    # given
    rep_ids = [book.rep.pk, book.other_rep.pk]
    expected = _hygiene_as_before(rep_ids)
    # when
    measured = services.record_hygiene(services.Reps.of(rep_ids), QUARTER, AS_OF)
    # then
    assert {rep_id: measured[rep_id].facts for rep_id in rep_ids} == expected
    assert expected[book.rep.pk]["kept_up"] > 0 and expected[book.rep.pk]["untouched"] > 0


def test_customer_engagement_counts_what_the_distinct_accounts_counted(book) -> None:  # noqa: ANN001
    # given
    rep_ids = [book.rep.pk, book.other_rep.pk]
    expected = _engaged_as_before(rep_ids)
    # when
    measured = services.customer_engagement(services.Reps.of(rep_ids), QUARTER, AS_OF)
    # then
    assert {rep_id: measured[rep_id].facts["engaged"] for rep_id in rep_ids} == expected
    assert expected == {book.rep.pk: 3, book.other_rep.pk: 1}


# Spaces, tabs and line ends: Unicode's other spaces are white space to SQLite's test (Python's)
# and, as before, to PostgreSQL's regular expression as its locale says (the edge book holds
# one: each database counts it as it did).
@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\r\n \t\x0b\x0c"])
def test_a_next_step_of_white_space_only_is_no_next_step(people, blank: str) -> None:  # noqa: ANN001
    # given: a deal touched today, closing later, whose next step is only white space
    InteractionFactory(account=people.ours, occurred_at=start_of(AS_OF))
    OpportunityFactory(account=people.ours, owner=people.rep, close_date=date(2026, 12, 20),
                       next_step=blank)
    OpportunityFactory(account=people.ours, owner=people.rep, close_date=date(2026, 12, 20),
                       next_step=f"{blank}Book the demo{blank}")
    # when
    reps = services.Reps.of([people.rep.pk])
    facts = services.record_hygiene(reps, QUARTER, AS_OF)[people.rep.pk].facts
    # then
    assert (facts["kept_up"], facts["no_next_step"]) == (1, 1)


def test_record_hygiene_at_and_just_under_the_standard_on_the_edge_book(book) -> None:  # noqa: ANN001
    # given: the standard at the rep's figure, then one step above it
    reps = services.Reps.of([book.rep.pk])
    figure = services.record_hygiene(reps, QUARTER, AS_OF)[book.rep.pk].value
    assert figure is not None
    for standard, meets in ((figure, True), (figure + Decimal("0.0001"), False)):
        services.set_standard(user=book.manager, dimension="record_hygiene", value=standard)
        # when
        card = services.scorecards(reps=[book.rep], period=QUARTER, as_of=AS_OF)[0]
        # then
        assert card.score("record_hygiene").meets is meets


def test_reps_given_as_a_query_score_as_the_same_reps_given_one_by_one(book) -> None:  # noqa: ANN001
    # given: the report's way (every dimension filters by the query that picked the reps) and
    # a page's way (their ids)
    picked = User.objects.filter(pk__in=[book.rep.pk, book.other_rep.pk]).order_by("username")
    # when
    by_query = services.scorecards(reps=picked, period=QUARTER, as_of=AS_OF)
    by_list = services.scorecards(reps=list(picked), period=QUARTER, as_of=AS_OF)
    # then
    assert [card.rep for card in by_query] == [card.rep for card in by_list]
    assert [[(score.value, score.detail, score.facts) for score in card.scores]
            for card in by_query] == [[(score.value, score.detail, score.facts)
                                       for score in card.scores] for card in by_list]
    assert by_query[0].score("record_hygiene").facts["open"] > 0


def test_the_white_space_trimmed_on_sqlite_is_what_python_calls_white_space() -> None:
    every = "".join(character for character in map(chr, range(0x110000)) if character.isspace())
    assert services.WHITE_SPACE == every
