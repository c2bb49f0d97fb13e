"""Template filters shared by every page: money and "in N days" wording."""

from decimal import Decimal

from django import template

from heedful.lib.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "USD") -> str:
    """``{{ invoice.amount|money:invoice.currency }}`` → "$7,800.00"; empty for None."""
    return format_money(amount, currency or "USD")


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
