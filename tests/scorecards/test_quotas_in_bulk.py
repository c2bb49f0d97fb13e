"""The scorecards read every rep's quota in one query; they must count it as
``sales.services.quota_for`` does, the one definition of a quota over a window."""

from datetime import date
from decimal import Decimal

import pytest

from heedful.forecasts import periods
from heedful.sales.models import Quota
from heedful.sales.services import quota_for
from heedful.scorecards.services import quotas


@pytest.mark.parametrize("period_name", ["2026-Q4", "2026-11", "2027-Q1", "2026-Q3"])
def test_in_bulk_as_quota_for_counts_it(people, period_name: str) -> None:  # noqa: ANN001
    # given: a yearly quota and a quarterly one on top, overlapping windows in part
    Quota.objects.create(user=people.rep, period_start=date(2026, 7, 1),
                         period_end=date(2027, 6, 30), amount=Decimal("400000"), currency="USD")
    Quota.objects.create(user=people.rep, period_start=date(2026, 10, 1),
                         period_end=date(2026, 12, 31), amount=Decimal("33333.33"),
                         currency="USD")
    period = periods.parse(period_name)
    # when
    bulk = quotas([people.rep.pk, people.other_rep.pk], period)
    # then
    assert bulk[people.rep.pk] == quota_for(user=people.rep, date_from=period.starts_on,
                                            date_to=period.ends_on)
    assert people.other_rep.pk not in bulk


def test_two_currencies_are_named_not_summed(people) -> None:  # noqa: ANN001
    Quota.objects.create(user=people.rep, period_start=date(2026, 10, 1),
                         period_end=date(2026, 12, 31), amount=Decimal(1), currency="USD")
    Quota.objects.create(user=people.rep, period_start=date(2026, 11, 1),
                         period_end=date(2026, 11, 30), amount=Decimal(1), currency="EUR")
    assert quotas([people.rep.pk], periods.parse("2026-Q4"))[people.rep.pk] == (
        "The quotas for 2026-Q4 are in EUR, USD; set them in one currency.")
