"""Money, numbers, percentages and dates read one way everywhere, in the site's locale."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from heedful.lib import words


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("7800.00"), "USD", "$7,800.00"),
        ("7800.00", "EUR", "€7,800.00"),
        (Decimal("10593600"), "JPY", "¥10,593,600"),
        (Decimal("1782920.00"), "BRL", "R$1,782,920.00"),
        (Decimal("-5.5"), "GBP", "-£5.50"),
        (Decimal("12"), "CHF", "CHF12.00"),
    ],
)
def test_money_reads_with_its_currency(amount, currency: str, expected: str) -> None:  # noqa: ANN001
    assert words.format_money(amount, currency) == expected


def test_money_without_an_amount_is_empty() -> None:
    assert words.format_money(None, "USD") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30.0000", "30"), (Decimal("1450.00"), "1,450"), (82.5, "82.5"), (1000, "1,000")],
)
def test_numbers_have_no_trailing_zeros_and_group_thousands(value, expected: str) -> None:  # noqa: ANN001
    assert words.format_number(value) == expected


def test_percentages_dates_and_months_read_one_way() -> None:
    assert words.format_percent(212) == "212%"
    assert words.format_percent("12.5") == "12.5%"
    assert words.format_day(date(2026, 11, 28)) == "28 Nov 2026"
    assert words.format_day("2026-11-28") == "28 Nov 2026"
    assert words.format_moment("2026-11-21T08:30:00+00:00") == "21 Nov 2026, 08:30"
    assert words.format_moment(datetime(2026, 11, 21, 8, 30, tzinfo=UTC)) == "21 Nov 2026, 08:30"
    assert words.format_month("2025-11") == "Nov 2025"
    assert words.format_days(1) == "1 day" and words.format_days(1056) == "1,056 days"


@override_settings(HEEDFUL_LOCALE="de_DE")
def test_another_locale_words_money_and_dates_its_way() -> None:
    assert words.format_money(Decimal("7800.00"), "EUR") == "7.800,00\xa0€"
    assert words.format_number("1450.50") == "1.450,5"
    assert words.format_month("2026-03") == "März 2026"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "00:00"), (19.4, "00:19"), (59.5, "01:00"), (3599.4, "59:59"), (3900, "1:05:00")],
)
def test_time_into_a_recording_reads_as_a_player_shows_it(seconds: float, expected: str) -> None:
    assert words.format_recording_time(seconds) == expected
