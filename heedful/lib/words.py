"""Money, numbers, percentages, dates and months as a person reads them: one format for each,
in the site's locale (``HEEDFUL_LOCALE``, through babel and the Unicode CLDR). Pages, e-mails,
chat messages and rules all word their values here, so a date never reads two ways.

Dates read "28 Nov 2026" (day, short month, year: no reader takes it for another day, unlike
11/28 or 28/11) with the month's name in the locale's language; months read "Nov 2026".
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_format_percent
from django.conf import settings
from django.utils import timezone

DAY_PATTERN = "d MMM y"
MONTH_PATTERN = "MMM y"
TIME_PATTERN = "HH:mm"


def locale() -> str:
    return str(getattr(settings, "HEEDFUL_LOCALE", "en_US"))


def as_decimal(value: Decimal | int | float | str) -> Decimal | None:
    """A number from what facts and rows hold (JSON strings, floats, Decimals); None when it
    is not one."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_money(amount: Decimal | int | float | str | None, currency: str) -> str:
    """$7,800.00, €1,234.50, ¥10,593,600 (the currency's own decimals); an amount without a
    currency as a plain number. Empty for None."""
    if amount is None:
        return ""
    number = as_decimal(amount)
    if number is None:
        return str(amount)
    if not currency:
        return format_number(number)
    try:
        return format_currency(number, currency.upper(), locale=locale())
    except (ValueError, KeyError):  # a code the CLDR does not know
        return f"{format_decimal(number, format='#,##0.00', locale=locale())} {currency}"


def format_number(value: Decimal | int | float | str) -> str:
    """1450.00 → "1,450"; 30.0000 → "30"; 82.5 → "82.5": grouped, no trailing zeros."""
    number = as_decimal(value)
    if number is None:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return format_decimal(number, locale=locale(), decimal_quantization=False)


def format_percent(value: Decimal | int | float | str) -> str:
    """A value already in percent: 52 → "52%", 12.5 → "12.5%"."""
    number = as_decimal(value)
    if number is None:
        return str(value)
    return babel_format_percent(
        number / 100, format="#,##0.##%", locale=locale(), decimal_quantization=False
    )


def parse_day(value: date | str) -> date | None:
    """A date from a ``date``, a datetime, or an ISO string ("2026-11-28", with or without a
    time); None when it is none of these."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    moment = parse_moment(value)
    return None if moment is None else parse_day(moment)


def parse_moment(value: datetime | str) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def format_day(value: date | datetime | str) -> str:
    """28 Nov 2026 (a moment is read as its day in the site's time zone)."""
    day = parse_day(value)
    if day is None:
        return str(value)
    return babel_format_date(day, DAY_PATTERN, locale=locale())


def format_moment(value: datetime | str) -> str:
    """28 Nov 2026, 14:05 in the site's time zone; a bare date as its day."""
    moment = parse_moment(value)
    if moment is None:
        return str(value)
    if isinstance(value, str) and len(value) <= 10:
        return format_day(moment.date())
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{format_day(moment.date())}, {moment:%H:%M}"


def format_month(value: date | str) -> str:
    """Nov 2026, from a date or a "2026-11" period."""
    if isinstance(value, date):
        return babel_format_date(value, MONTH_PATTERN, locale=locale())
    try:
        year, month = (int(part) for part in value[:7].split("-"))
        first = date(year, month, 1)
    except ValueError:
        return value
    return babel_format_date(first, MONTH_PATTERN, locale=locale())


def format_period(name: str) -> str:
    """Q4 2026 from "2026-Q4", Nov 2026 from "2026-11": a reporting period as people say it."""
    year, _dash, part = name.partition("-")
    if part[:1] in ("Q", "q") and year.isdigit():
        return f"Q{part[1:]} {year}"
    return format_month(name)


def format_days(days: int) -> str:
    return "1 day" if days == 1 else f"{format_number(days)} days"


def format_recording_time(seconds: float) -> str:
    """Time into a recording as a player shows it: "02:30" (mm:ss), "1:05:00" from an hour
    on (h:mm:ss); to the nearest second, a half up."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes:02d}:{rest:02d}"


def spelled_out(key: str) -> str:
    """A stored key as words: ``previous_median`` → "Previous median"."""
    return str(key).replace("_", " ").strip().capitalize()


def yes_no(value: object) -> str:
    return "yes" if value else "no"
