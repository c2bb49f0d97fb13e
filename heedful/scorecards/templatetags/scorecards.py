"""The manager's landing page (the team view) shows, above the plays, who is below standard
this quarter and how the new hires' onboarding goes: ``{% sales_management_summary %}``."""

from datetime import timedelta
from typing import Any

from django import template

from heedful.core.models import Role, User
from heedful.forecasts import periods
from heedful.lib import clock
from heedful.onboarding import services as onboarding_services
from heedful.scorecards import services

register = template.Library()

RECENT_PLAN_DAYS = 183
"""Onboarding plans shown: those started in the last six months."""


@register.inclusion_tag("scorecards/_landing.html", takes_context=True)
def sales_management_summary(context: dict[str, Any]) -> dict[str, Any]:
    user: User = context["request"].user
    if user.role != Role.MANAGER:
        return {"shown": False}
    as_of = clock.today()
    period = periods.quarter_of(as_of)
    cards = [card for card in services.scorecards(
        reps=services.team_reps(user=user), period=period, as_of=as_of) if card.below]
    cards.sort(key=lambda card: -len(card.below))
    plans = [
        onboarding_services.progress(plan=plan, as_of=as_of) for plan in
        onboarding_services.get_all(user=user).filter(
            starts_on__gt=as_of - timedelta(days=RECENT_PLAN_DAYS), starts_on__lte=as_of)
    ]
    return {"shown": True, "cards": cards, "period": period, "plans": plans}
