"""Template filters of the play pages: a rule's readable name, a play's facts in words, a
play's age, and the version a form sends back (optimistic concurrency)."""

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from heedful.core.versions import version_of
from heedful.plays.facts import ShownFact, shown_facts
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
def play_facts(play: Any) -> list[ShownFact]:
    """The play's facts with their labels, each worded by its type (see
    ``heedful.plays.facts``)."""
    return shown_facts(play)


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
