"""Benchmark: the service review of one account in a book of 100,000 accounts, as a page and
as a PDF, and 25 reviews (a CSM's customers) in one run.

Runs in-process on a book already generated and migrated (``HEEDFUL_HOME`` for SQLite, or
``HEEDFUL_DATABASE_URL``; see bench/README.md for the 100,000-account copies). It picks the
account with service metrics that has the most tickets (the largest review), prepares a
draft of ``--period`` with commentary and a topic inside a transaction that is rolled back
(the book is left as it was), and, logged in as its owner through Django's test client
(every middleware, no network):

- page: GET of the draft's page (``/reviews/<id>/``), ``--requests`` times after 3 warm-ups;
- pdf: GET of its PDF (``/reviews/<id>/review.pdf``), ``--requests`` times;
- 25 reviews: the content and PDF of 25 accounts of that owner (accounts with service
  metrics first), as ``heedful review --all-accounts-of`` makes them, timed as one run; then
  25 accounts that all have service metrics and scope (every section full).

Prints p50/p95/max and the ratio of p95 to its target (page 300 ms, PDF 2 s; 25 reviews
30 s), each with the load average of the machine.

    HEEDFUL_HOME=/tmp/review-100k .venv/bin/python bench/review.py
    HEEDFUL_DATABASE_URL=postgresql://postgres@127.0.0.1:55440/heedful_review \\
        HEEDFUL_HOME=$(mktemp -d) .venv/bin/python bench/review.py
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")

PAGE_TARGET_S = 0.3
PDF_TARGET_S = 2.0
BATCH_TARGET_S = 30.0
BATCH = 25


def load() -> str:
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def timed(call, count: int) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def report(name: str, times: list[float], target: float) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(f"{name:<8} p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
          f"  max {ordered[-1] * 1000:7.1f} ms  p95 / target {p95 / target:.2f}  ({load()})",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", default="2026-Q3", help="The review's period.")
    parser.add_argument("--as-of", default="2026-11-22", help="The book's day.")
    parser.add_argument("--requests", type=int, default=20, help="Timed GETs per format.")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from heedful.accounts.models import Account
    from heedful.lib import clock
    from heedful.reviews import services
    from heedful.reviews.pdf import render_pdf
    from heedful.reviews.periods import parse_period
    from heedful.support.models import ServiceMetric

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    as_of = date.fromisoformat(options.as_of)
    clock.today = lambda: as_of  # type: ignore[assignment]
    period = parse_period(options.period)
    print(f"database {connection.vendor}, {Account.objects.count():,} accounts, "
          f"period {period.key}, as of {as_of} ({load()})", flush=True)
    with_metrics = ServiceMetric.objects.values("account_id").distinct()
    account = (
        Account.objects.filter(pk__in=with_metrics, owner__isnull=False)
        .annotate(ticket_count=Count("tickets")).order_by("-ticket_count", "pk")
        .select_related("owner__manager").first()
    )
    assert account is not None and account.owner is not None, "no account with service metrics"
    print(f"account {account.external_id} ({account.ticket_count} tickets), owner "
          f"{account.owner.username}", flush=True)
    with transaction.atomic():
        review = services.prepare(user=account.owner, account=account, period=period)
        content = services.get_content(review=review, as_of=as_of)
        for metric in {row["metric"] for row in content["metrics"]}:
            services.save_comment(user=account.owner, review=review, metric=metric,
                                  what_happened="Volume above scope.",
                                  what_we_are_doing="More agents.", version="")
        services.add_topic(user=account.owner, review=review, kind="scope_change",
                           title="Scope change", text="Contract the volume used.")
        client = Client()
        client.force_login(account.owner)
        page_url, pdf_url = f"/reviews/{review.pk}/", f"/reviews/{review.pk}/review.pdf"

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        timed(lambda: get(page_url), 3)
        report("page", timed(lambda: get(page_url), options.requests), PAGE_TARGET_S)
        timed(lambda: get(pdf_url), 1)
        report("pdf", timed(lambda: get(pdf_url), options.requests), PDF_TARGET_S)
        transaction.set_rollback(True)

    owner = account.owner
    accounts = list(
        Account.objects.filter(owner=owner).select_related("owner__manager")
        .order_by("external_id")
    )
    metric_ids = set(ServiceMetric.objects.filter(account__owner=owner)
                     .values_list("account_id", flat=True))
    accounts.sort(key=lambda one: (one.pk not in metric_ids, one.external_id))
    batch = accounts[:BATCH]

    def all_reviews(accounts: list[Account]) -> None:
        for one in accounts:
            content, _ = services.get_content_for_period(account=one, period=period, as_of=as_of)
            render_pdf(content)

    (elapsed,) = timed(lambda: all_reviews(batch), 1)
    print(f"{len(batch)} reviews of {owner.username} (content and PDF, "
          f"{sum(a.pk in metric_ids for a in batch)} with service metrics) in {elapsed:.1f} s; "
          f"/ target {elapsed / BATCH_TARGET_S:.2f}  ({load()})", flush=True)
    # The harder case: 25 accounts that all have metrics and scope (every section full).
    full = list(Account.objects.filter(pk__in=with_metrics).select_related("owner__manager")
                .order_by("pk")[:BATCH])
    (elapsed,) = timed(lambda: all_reviews(full), 1)
    print(f"{len(full)} reviews of accounts all with service metrics in {elapsed:.1f} s; "
          f"/ target {elapsed / BATCH_TARGET_S:.2f}  ({load()})", flush=True)


if __name__ == "__main__":
    main()
