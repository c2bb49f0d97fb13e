"""Quotas: set by the rep's manager (never by the rep), read for a window by ``quota_for``."""

from datetime import date
from decimal import Decimal

import pytest

from heedful.core.exceptions import InvalidInput
from heedful.lib.money import Money
from heedful.sales import services
from heedful.sales.models import Quota
from tests.factories import QuotaFactory


def test_a_manager_sets_a_quota_for_a_report(people) -> None:  # noqa: ANN001
    # when
    quota = services.create_quota(
        user=people.manager,
        data={
            "user": "rep",
            "period_start": "2027-01-01",
            "period_end": "2027-03-31",
            "amount": "250000.00",
            "currency": "EUR",
        },
    )
    # then
    assert (quota.user, quota.amount, quota.currency) == (people.rep, Decimal("250000.00"), "EUR")


def test_a_rep_cannot_set_their_own_quota(people) -> None:  # noqa: ANN001
    # when
    with pytest.raises(InvalidInput) as refused:
        services.create_quota(
            user=people.rep,
            data={
                "user": "rep",
                "period_start": "2027-01-01",
                "period_end": "2027-03-31",
                "amount": "1.00",
                "currency": "USD",
            },
        )
    # then
    assert "people who report to you" in refused.value.errors["user"][0]
    assert Quota.objects.count() == 0


def test_a_period_that_ends_before_it_starts_is_refused(people) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refused:
        services.create_quota(
            user=people.admin,
            data={
                "user": "rep",
                "period_start": "2027-03-31",
                "period_end": "2027-01-01",
                "amount": "1.00",
                "currency": "USD",
            },
        )
    assert "period_end" in refused.value.errors
    assert Quota.objects.count() == 0


def test_quota_for_a_quarter_sums_the_months_inside_it(people) -> None:  # noqa: ANN001
    # given
    for start, end in [
        (date(2027, 1, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 4, 30)),
    ]:
        QuotaFactory(
            user=people.rep, period_start=start, period_end=end, amount=Decimal("100000.00")
        )
    # when
    quota = services.quota_for(
        user=people.rep, date_from=date(2027, 1, 1), date_to=date(2027, 3, 31)
    )
    # then
    assert quota == Money(Decimal("300000.00"), "USD")


def test_quota_for_part_of_a_year_counts_the_share_of_its_days(people) -> None:  # noqa: ANN001
    # given a quota of 365,000 for 2027: 1,000 a day
    QuotaFactory(
        user=people.rep,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        amount=Decimal("365000.00"),
    )
    # when
    quota = services.quota_for(
        user=people.rep, date_from=date(2027, 1, 1), date_to=date(2027, 1, 31)
    )
    # then
    assert quota == Money(Decimal("31000.00"), "USD")


def test_quota_for_a_window_without_quota_is_none(people) -> None:  # noqa: ANN001
    QuotaFactory(user=people.rep, period_start=date(2027, 1, 1), period_end=date(2027, 3, 31))
    assert (
        services.quota_for(user=people.rep, date_from=date(2027, 4, 1), date_to=date(2027, 6, 30))
        is None
    )


def test_quotas_in_two_currencies_are_never_summed(people) -> None:  # noqa: ANN001
    QuotaFactory(user=people.rep, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31))
    QuotaFactory(
        user=people.rep,
        period_start=date(2027, 2, 1),
        period_end=date(2027, 2, 28),
        currency="EUR",
    )
    with pytest.raises(services.QuotaInSeveralCurrencies, match="EUR, USD"):
        services.quota_for(user=people.rep, date_from=date(2027, 1, 1), date_to=date(2027, 3, 31))
