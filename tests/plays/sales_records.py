"""Records the sales-management rule tests share."""

from datetime import date, timedelta
from decimal import Decimal

from heedful.expenses.models import ExpenseReport
from heedful.forecasts.models import ForecastPeriod
from heedful.onboarding.models import OnboardingPlan, OnboardingTask


def forecast_period(*, due_on: date, name: str = "2026-Q4") -> ForecastPeriod:
    return ForecastPeriod.objects.create(
        name=name, starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31), due_on=due_on,
    )


def expense_report(rep, *, due_on: date, submitted_on: date | None = None,  # noqa: ANN001
                   period: str = "2026-10") -> ExpenseReport:
    return ExpenseReport.objects.create(
        rep=rep, period=period, due_on=due_on, submitted_on=submitted_on,
        amount=Decimal("900.00"), budget=Decimal("1000.00"), currency="USD",
    )


def onboarding_plan(new_hire, manager, *, starts_on: date, every_days: int = 7  # noqa: ANN001
                    ) -> OnboardingPlan:
    return OnboardingPlan.objects.create(
        new_hire=new_hire, manager=manager, starts_on=starts_on,
        one_on_one_every_days=every_days, ramp_percents="25;50;75;100",
    )


def task(plan: OnboardingPlan, *, due_on: date, title: str = "Laptop and access",
         done_on: date | None = None) -> OnboardingTask:
    return OnboardingTask.objects.create(plan=plan, kind="administrative", title=title,
                                         due_on=due_on, done_on=done_on)


def days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)
