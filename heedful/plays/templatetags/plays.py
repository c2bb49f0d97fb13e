"""Template filters of the play pages: a rule's readable name, a fact's label, a play's age,
and the version a form sends back (optimistic concurrency)."""

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from heedful.core.versions import version_of
from heedful.plays.rules import RULES_BY_KEY

register = template.Library()


@register.filter
def rule_name(key: str) -> str:
    """``billing.spike`` → "Bill spike"; an unknown key as it is."""
    rule = RULES_BY_KEY.get(key)
    return rule.name if rule else key


@register.filter
def version(record: Any) -> str:
    """The record's version as the page shows it, for the form's hidden ``version`` field."""
    return version_of(record)


@register.filter
def fact_label(name: str) -> str:
    """``previous_median`` → "Previous median"."""
    return str(name).replace("_", " ").capitalize()


@register.filter
def fact_value(value: Any) -> str:
    """A fact as a person reads it: lists joined by commas, yes/no for booleans, timestamps
    to the minute in the site's time zone."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if value is None:
        return "—"
    if isinstance(value, str) and len(value) > 10 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    return str(value)


@register.filter
def age_in_days(moment: datetime | None) -> int | None:
    """Whole days from ``moment`` to today (the site's time zone)."""
    if moment is None:
        return None
    return (timezone.localdate() - timezone.localtime(moment).date()).days


@register.filter
def age_words(days: int | None) -> str:
    if days is None:
        return "—"
    if days <= 0:
        return "today"
    if days == 1:
        return "1 day"
    return f"{days} days"


@register.filter
def rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"
