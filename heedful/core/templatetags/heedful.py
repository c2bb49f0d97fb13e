"""Template filters shared by every page: money, numbers, dates and months (worded by
``heedful.lib.words``, one format each), "in N days" wording, links to user data."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from heedful.lib import words
from heedful.lib.money import format_money
from heedful.lib.text import safe_url

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "USD") -> str:
    """``{{ invoice.amount|money:invoice.currency }}`` → "$7,800.00"; empty for None."""
    return format_money(amount, currency or "USD")


@register.filter
def number(value: Decimal | int | float | None) -> str:
    """1450.00 → "1,450"; 30.0000 → "30"; empty for None."""
    return "" if value is None else words.format_number(value)


@register.filter
def day(value: date | datetime | str | None) -> str:
    """A date as every page writes it: "28 Nov 2026"; empty for None."""
    return "" if value in (None, "") else words.format_day(value)  # type: ignore[arg-type]


@register.filter
def moment(value: datetime | str | None) -> str:
    """A moment as every page writes it: "28 Nov 2026, 14:05" (site time zone); empty for None."""
    return "" if value in (None, "") else words.format_moment(value)  # type: ignore[arg-type]


@register.filter
def month(value: date | str | None) -> str:
    """"2026-11" → "Nov 2026"; empty for None."""
    return "" if value in (None, "") else words.format_month(value)  # type: ignore[arg-type]


@register.filter
def spelled_out(key: str | None) -> str:
    """A stored key as words: "closed_won" → "Closed won"."""
    return words.spelled_out(key or "")


@register.filter
def days_from_now(days: int | None) -> str:
    """A day count relative to today in words: "in 45 days", "today", "12 days ago"."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


@register.filter
def percent(ratio: float | Decimal | None) -> str:
    """0.82 → "82%"; empty for None."""
    if ratio is None:
        return ""
    return f"{float(ratio) * 100:.0f}%"


@register.filter
def link(value: str | None, scheme: str = "https") -> SafeString:
    """A link to a web address, e-mail address or phone number that came from user data:
    ``{{ account.website|link }}``, ``{{ contact.email|link:"mailto" }}``,
    ``{{ account.phone|link:"tel" }}``. Only http, https, mailto and tel become links; any
    other value (``javascript:...``) is shown as plain text. Every page builds such links
    here and nowhere else."""
    text = value or ""
    href = safe_url(text, scheme)
    if not href:
        return SafeString(conditional_escape(text))
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', href, text)
