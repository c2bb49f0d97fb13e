"""How rules word day counts, dates and days: remembered for speed, never stale."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.utils import timezone

from heedful.plays.rules.base import day, days_phrase, local_date


def test_a_rule_words_days_in_the_locale_in_force_even_after_wording_them_in_another() -> None:
    # given: the same count and date worded once in the default locale
    assert days_phrase(1056) == "1,056 days"
    assert day(date(2026, 3, 2)) == "2 Mar 2026"

    # when: the site's locale changes
    with override_settings(HEEDFUL_LOCALE="de_DE"):
        # then: they read the new locale's way, not as remembered
        assert days_phrase(1056) == "1.056 days"
        assert day(date(2026, 3, 2)) == "2 März 2026"

    assert days_phrase(1056) == "1,056 days"


def test_a_moment_reads_as_its_day_in_the_time_zone_given_or_else_the_current_one() -> None:
    # given: a late evening in New York, already the next day in UTC
    moment = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    new_york = ZoneInfo("America/New_York")

    # then
    assert local_date(moment, new_york) == date(2026, 11, 21)
    with timezone.override(new_york):
        assert local_date(moment) == date(2026, 11, 21)
        assert day(moment) == "21 Nov 2026"
    assert local_date(moment) == date(2026, 11, 22)
