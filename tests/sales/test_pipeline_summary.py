"""The pipeline report's cache (ADR 0039) is held equal to the scan it keeps: after every kind
of write (a form's save, a bulk update, a bulk insert, a cascade, raw SQL, a stage's
probability), on days in and out of the quarter it was computed in."""

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from heedful.billing.models import ExchangeRate
from heedful.demo.database import bulk_load
from heedful.sales import pipeline_summary
from heedful.sales.models import Opportunity, PipelineChange, PipelineSummary, Stage
from heedful.sales.pipeline import pipeline_report
from heedful.sales.pipeline_summary import counted_changes
from tests.factories import AccountFactory, OpportunityFactory

DAYS = (
    date(2025, 12, 31), date(2026, 2, 14), date(2026, 3, 31), date(2026, 4, 1),
    date(2026, 8, 15), date(2026, 11, 22), date(2026, 12, 31), date(2027, 3, 1),
)


def random_deals(people, rng: random.Random, count: int, **fields) -> list[Opportunity]:  # noqa: ANN001, ANN003
    deals = []
    for _ in range(count):
        created = date(2026, 1, 1) + timedelta(days=rng.randint(0, 360))
        closed = created + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.6 else None
        deals.append(Opportunity(**{
            "external_id": f"RND-{rng.randrange(10**9):09d}",
            "account": rng.choice((people.ours, people.theirs)),
            "owner": rng.choice((people.rep, people.other_rep, people.manager)),
            "name": "Deal",
            "stage": "closed" if closed else rng.choice(("qualify", "propose", "unset")),
            "amount": Decimal(rng.randint(100, 900_000)) / 100,
            "currency": rng.choice(("USD", "USD", "EUR", "GBP")),
            "created_on": None if rng.random() < 0.05 else created,
            "close_date": created + timedelta(days=rng.randint(10, 200)),
            "closed_on": closed,
            "won": None if closed is None else rng.random() < 0.5,
            **fields,
        }))
    return deals


@contextmanager
def override_fold_above(rows: int) -> Iterator[None]:
    before = pipeline_summary.FOLD_ABOVE
    pipeline_summary.FOLD_ABOVE = rows
    try:
        yield
    finally:
        pipeline_summary.FOLD_ABOVE = before


def assert_summaries_equal_the_scan() -> None:
    """On every day, first on the last one: the day the summaries were last kept for, so that
    a write the summaries did not notice would show."""
    for day in (DAYS[-1], *DAYS):
        scanned = pipeline_report(Opportunity.objects.all(), as_of=day, summaries=False)
        for _ in range(2):  # the first fills the summaries, the second reads them
            summarized = pipeline_report(Opportunity.objects.all(), as_of=day)
            assert summarized.as_json() == scanned.as_json(), day
            assert summarized.total.as_json("rep") == scanned.total.as_json("rep"), day


def test_the_report_from_summaries_equals_the_scan_after_every_kind_of_write(people) -> None:  # noqa: ANN001
    # given
    rng = random.Random(40)
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.10"))
    Stage.objects.create(name="qualify", order=1, probability=10)
    propose = Stage.objects.create(name="propose", order=2, probability=50)
    Opportunity.objects.bulk_create(random_deals(people, rng, 40))
    assert_summaries_equal_the_scan()
    # when a form saves one deal
    deal = Opportunity.objects.filter(closed_on__isnull=True).order_by("pk").first()
    deal.amount += Decimal("1234.56")
    deal.save()
    # then
    assert_summaries_equal_the_scan()
    # when a bulk update closes deals, another moves deals to another owner
    Opportunity.objects.filter(closed_on__isnull=True, owner=people.rep).update(
        closed_on=date(2026, 12, 1), won=True, stage="closed"
    )
    Opportunity.objects.filter(owner=people.manager, currency="EUR").update(owner=people.rep)
    assert_summaries_equal_the_scan()
    # when deals are deleted, one by one and with their account
    Opportunity.objects.order_by("pk").first().delete()
    doomed = AccountFactory(owner=people.other_rep)
    Opportunity.objects.bulk_create(random_deals(people, rng, 5, account=doomed))
    assert_summaries_equal_the_scan()
    doomed.delete()
    assert_summaries_equal_the_scan()
    # when raw SQL inserts a deal, and an admin changes a stage's probability
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Opportunity._meta.db_table} (external_id, account_id, name, "
            "owner_id, stage, amount, currency, created_on, close_date, closed_on, won, "
            "forecast_category, competitor, next_step, customer_value) VALUES "
            "('RAW-1', %s, 'Raw', %s, 'propose', 777.00, 'USD', '2026-10-02', '2026-12-20', "
            "NULL, NULL, '', '', '', '')",
            [people.theirs.pk, people.other_rep.pk],
        )
    propose.probability = 60
    propose.save()
    # then
    assert_summaries_equal_the_scan()


def test_a_second_report_reads_the_summaries_not_the_opportunities(people) -> None:  # noqa: ANN001
    # given
    Opportunity.objects.bulk_create(random_deals(people, random.Random(41), 30))
    pipeline_report(Opportunity.objects.all(), as_of=date(2026, 11, 22), with_totals=False)
    # when
    with CaptureQueriesContext(connection) as queries:
        report = pipeline_report(
            Opportunity.objects.all(), as_of=date(2026, 11, 20), with_totals=False
        )
    # then
    assert report.rows
    table = Opportunity._meta.db_table
    assert [query["sql"] for query in queries if table in query["sql"]] == []


def test_a_changed_deal_is_counted_at_once(people) -> None:  # noqa: ANN001
    # given
    deal = OpportunityFactory(
        account=people.ours, owner=people.rep, amount=Decimal("1000.00"),
        created_on=date(2026, 1, 1), closed_on=date(2026, 2, 1), won=True,
    )
    first = pipeline_report(Opportunity.objects.all(), as_of=date(2026, 11, 22))
    # when a bulk update changes it behind the models' back
    Opportunity.objects.filter(pk=deal.pk).update(amount=Decimal("2500.00"))
    # then
    again = pipeline_report(Opportunity.objects.all(), as_of=date(2026, 11, 22))
    assert [row.won_value for row in first.rows] == [Decimal("1000.00")]
    assert [row.won_value for row in again.rows] == [Decimal("2500.00")]
    assert PipelineSummary.objects.get().won_value == Decimal("2500.00")


@pytest.mark.django_db(transaction=True)
def test_deals_the_demo_loads_past_the_triggers_are_counted(people) -> None:  # noqa: ANN001
    # given summaries kept
    rng = random.Random(42)
    Opportunity.objects.bulk_create(random_deals(people, rng, 20))
    assert_summaries_equal_the_scan()
    # when the demo's bulk load (which drops SQLite's triggers for speed) adds deals
    with bulk_load([Opportunity._meta.db_table]):
        Opportunity.objects.bulk_create(random_deals(people, rng, 20))
    # then
    assert_summaries_equal_the_scan()


@pytest.mark.postgres_only  # SQLite has one writer at a time
@pytest.mark.django_db(transaction=True)
def test_two_writers_to_one_owners_deals_do_not_wait_for_each_other(people) -> None:  # noqa: ANN001
    if connection.vendor != "postgresql":  # make test leaves it out there (-m)
        pytest.skip("needs PostgreSQL")
    # given: two deals of one rep, and a long import holding one of them changed, uncommitted
    first, second = Opportunity.objects.bulk_create(random_deals(people, random.Random(7), 2,
                                                                 owner=people.rep))
    holding, release = threading.Event(), threading.Event()

    def long_import() -> None:
        try:
            with transaction.atomic():
                Opportunity.objects.filter(pk=first.pk).update(amount=Decimal("1.00"))
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=long_import)
    writer.start()
    assert holding.wait(10)
    try:
        # when: a rep saves the other deal meanwhile (it would wait for the import to commit)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            Opportunity.objects.filter(pk=second.pk).update(amount=Decimal("2.00"))
    finally:
        release.set()
        writer.join()
    # then: both changes counted; the report equals the scan
    assert_summaries_equal_the_scan()


@pytest.mark.django_db(transaction=True)
def test_folding_the_counted_changes_keeps_every_summary_current(people) -> None:  # noqa: ANN001
    # given: summaries kept, then more transactions' changes than the fold waits for
    Opportunity.objects.bulk_create(random_deals(people, random.Random(11), 30))
    pipeline_report(Opportunity.objects.all(), as_of=date(2026, 11, 22))
    counts = counted_changes()
    rows = PipelineChange.objects.count()
    for _ in range(3):  # three transactions, each a row per owner on PostgreSQL
        with transaction.atomic():
            deal = Opportunity.objects.order_by("?").first()
            Opportunity.objects.filter(owner=deal.owner).update(stage="propose")
    # when: the counts are read with a fold due
    with override_fold_above(0):
        after = counted_changes()
    # then: the counts grew by the writes, the rows are one per owner again, the report equals
    # the scan, and a summary kept before the writes is not read
    assert sum(after.values()) > sum(counts.values())
    assert PipelineChange.objects.count() <= max(rows, len(after))
    assert counted_changes() == after
    assert_summaries_equal_the_scan()
