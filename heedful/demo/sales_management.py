"""Stories 11 and 12 of PRODUCT.md in the sales-management records, relative to the demo's
day and without chance (a build with the same seed writes the same rows):

11. Marco Bellini, the "top performer" (manager: Priya Raman), filed last quarter's forecast
    late and this quarter's not at all, sends his expense reports late and over budget, and
    his open opportunities are stale; Priya's last deal review with him coached on it.
12. Jordan Blake, three weeks in under Morgan Lindqvist ('manager'), follows an onboarding
    plan with Sofia Marquez as mentor: weekly 1:1s, one training overdue, the territory-plan
    review coming up.

Every other rep files forecasts and expenses on time and opened a new account this quarter,
so that the plays for managers tell these stories and not noise.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from heedful.accounts.models import Account, AccountStatus
from heedful.coaching.models import AgendaItem, CoachingPoint, FollowUp, Review
from heedful.core.models import Role, User
from heedful.expenses.models import ExpenseReport
from heedful.forecasts import periods
from heedful.forecasts.models import (
    ForecastAdjustment,
    ForecastPeriod,
    ForecastSubmission,
)
from heedful.onboarding.models import (
    OnboardingPlan,
    OnboardingTask,
    OneOnOne,
    PlanTemplate,
    TemplateTask,
)
from heedful.sales.models import ForecastCategory, Opportunity, Quota, Stage, StageChange

TOP_PERFORMER, NEW_HIRE, MENTOR = "marco", "jordan", "sofia"
FORECAST_DUE_DAY = 9
"""A quarter's forecast is due this many days after it starts."""
EXPENSES_DUE_DAY = 15
"""A month's expense report is due on this day of the next month."""
BUDGET = Decimal("1500.00")

ONBOARDING_TASKS = (
    # kind, title, due day
    ("administrative", "Laptop, phone and badge", 0),
    ("administrative", "CRM, e-mail and expense system access", 1),
    ("training", "Product training: voice and SD-WAN", 5),
    ("training", "Sales process and CRM training", 10),
    ("training", "Shadow three customer meetings with the mentor", 14),
    ("territory_review", "Territory-plan review with the manager", 23),
    ("training", "Negotiation training", 45),
    ("territory_review", "First pipeline review of the territory", 60),
)
OVERDUE_TASK = "Sales process and CRM training"


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _round(amount: Decimal) -> Decimal:
    return (amount / 1000).quantize(Decimal(1)) * 1000


def build_sales_management(*, as_of: date) -> None:
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    reps = [user for user in users.values() if user.role == Role.REP]
    _stages()
    _quotas(as_of, reps)
    _forecasts(as_of, reps, users)
    _expenses(as_of, reps)
    _new_accounts(as_of, reps)
    _onboarding(as_of, users)
    _reviews(as_of, users)


# The sales process as the demo company's admin set it up: (name, forecast category, per cent).
STAGES = (
    ("qualify", ForecastCategory.PIPELINE, 10),
    ("discover", ForecastCategory.PIPELINE, 25),
    ("propose", ForecastCategory.BEST_CASE, 50),
    ("negotiate", ForecastCategory.COMMIT, 75),
    ("closed_won", ForecastCategory.CLOSED, 100),
    ("closed_lost", ForecastCategory.OMITTED, 0),
)


def _stages() -> None:
    """The stages in their order, so the funnel reads qualify to negotiate and the pipeline is
    weighted. No norm days: how long a stage should take is the admin's call, left unset."""
    for order, (name, category, probability) in enumerate(STAGES):
        Stage.objects.update_or_create(name=name, defaults={
            "order": order, "forecast_category": category, "probability": probability,
        })


def _quotas(as_of: date, reps: list[User]) -> None:
    """Each rep's quota for last quarter, this one and the next: a tenth above what they won
    last quarter, at least 100,000 (the new hire ramps from a quarter of it); Marco's this
    quarter is already made. A quota already set (by another part of the demo) is left as it
    is."""
    current = periods.quarter_of(as_of)
    last = periods.previous(current)
    following = periods.quarter_of(current.ends_on + timedelta(days=1))
    for rep in reps:
        won = Opportunity.objects.filter(
            owner=rep, won=True, closed_on__gte=last.starts_on, closed_on__lte=last.ends_on,
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if not won and rep.username != NEW_HIRE:
            continue  # sells nothing of their own (a CSM, an engineer): no quota
        amount = max(_round(won * Decimal("1.1")), Decimal(100000))
        if rep.username == NEW_HIRE:
            amount = Decimal(25000)
        for quarter in (last, current, following):
            if rep.username == TOP_PERFORMER and quarter == current:
                won_so_far = Opportunity.objects.filter(
                    owner=rep, won=True, closed_on__gte=quarter.starts_on, closed_on__lte=as_of,
                ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
                amount = max(_round(won_so_far * Decimal("0.9")), Decimal(100000))
            Quota.objects.get_or_create(
                user=rep, period_start=quarter.starts_on, period_end=quarter.ends_on,
                defaults={"amount": amount, "currency": "USD"},
            )


def _forecast_period(quarter: periods.Period, as_of: date) -> ForecastPeriod:
    due_on = quarter.starts_on + timedelta(days=FORECAST_DUE_DAY)
    if quarter.contains(as_of) and due_on > as_of:
        due_on = as_of + timedelta(days=2)  # early in the quarter: the reminder shows
    return ForecastPeriod.objects.create(name=quarter.name, starts_on=quarter.starts_on,
                                         ends_on=quarter.ends_on, due_on=due_on)


def _won(rep: User, period: ForecastPeriod) -> Decimal:
    return Opportunity.objects.filter(
        owner=rep, won=True, closed_on__gte=period.starts_on, closed_on__lte=period.ends_on,
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _forecasts(as_of: date, reps: list[User], users: dict[str, User]) -> None:
    current = periods.quarter_of(as_of)
    last = _forecast_period(periods.previous(current), as_of)
    this = _forecast_period(current, as_of)
    submissions = []
    for index, rep in enumerate(sorted(reps, key=lambda user: user.username)):
        for period in (last, this):
            if rep.start_date and rep.start_date > period.due_on or period.due_on > as_of:
                continue
            won = _won(rep, last)
            commit = _round(won * Decimal("0.9") + 20000 * (index % 3))
            late = rep.username == TOP_PERFORMER
            if late and period == this:
                continue  # Marco has not submitted this quarter's at all
            submitted_on = period.due_on + timedelta(days=12 if late else -(index % 4))
            submissions.append(ForecastSubmission(
                period=period, rep=rep, commit=commit, best_case=commit + 40000,
                pipeline=commit * 2 + 80000, currency="USD", submitted_at=_moment(submitted_on),
                is_late=submitted_on > period.due_on, is_latest=True,
                note="" if not late else "Don't worry, I'll make my number.",
            ))
    ForecastSubmission.objects.bulk_create(submissions)
    # Alex resubmitted this quarter after a deal slipped; the manager adjusted the commit.
    alex = users.get("rep")
    if alex and this.due_on <= as_of:
        first = ForecastSubmission.objects.filter(period=this, rep=alex).first()
        if first is not None:
            first.is_latest = False
            first.save(update_fields=["is_latest"])
            ForecastSubmission.objects.create(
                period=this, rep=alex, commit=first.commit - 25000 if first.commit >= 25000
                else first.commit, best_case=first.best_case, pipeline=first.pipeline,
                currency="USD", submitted_at=_moment(min(as_of, this.due_on + timedelta(
                    days=20))), is_late=True, note="Crestline moved its decision to January.",
            )
            ForecastAdjustment.objects.create(
                period=this, rep=alex, manager=users["manager"], category="best_case",
                change=Decimal("-30000.00"), made_at=_moment(as_of - timedelta(days=2)),
                reason="Pinecrest's price increase makes the renewal uncertain.",
            )


def _expenses(as_of: date, reps: list[User]) -> None:
    reports = []
    for rep in reps:
        month = date(as_of.year, as_of.month, 1)
        for _ in range(3):
            month = (month - timedelta(days=1)).replace(day=1)
            due_on = (month + timedelta(days=32)).replace(day=EXPENSES_DUE_DAY)
            if due_on > as_of or (rep.start_date and rep.start_date > month):
                continue
            late = rep.username == TOP_PERFORMER
            submitted_on: date | None = due_on - timedelta(days=1)
            if late:
                submitted_on = due_on + timedelta(days=18)
                if submitted_on > as_of:
                    submitted_on = None
            reports.append(ExpenseReport(
                rep=rep, period=f"{month.year}-{month.month:02d}", due_on=due_on,
                submitted_on=submitted_on, currency="USD", budget=BUDGET,
                amount=BUDGET * (Decimal("1.4") if late else Decimal("0.8")),
            ))
    ExpenseReport.objects.bulk_create(reports)


def _new_accounts(as_of: date, reps: list[User]) -> None:
    """Each rep but Marco and the new hire won a first deal with an account this quarter.
    Marco's customers were won years ago: their first orders are put on record, so that his
    wins this quarter are all with old customers."""
    quarter = periods.quarter_of(as_of)
    closed_on = min(as_of, quarter.starts_on + timedelta(days=20))
    ever_won = Opportunity.objects.filter(account_id=OuterRef("pk"), won=True)
    won_before = Opportunity.objects.filter(account_id=OuterRef("account_id"), won=True,
                                            closed_on__lt=quarter.starts_on)
    first_orders = (
        Opportunity.objects.filter(owner__username=TOP_PERFORMER, won=True,
                                   closed_on__gte=quarter.starts_on)
        .exclude(Exists(won_before)).select_related("account", "owner").order_by("pk")
    )
    long_ago = as_of - timedelta(days=3 * 365)
    for number, won in enumerate(first_orders, start=1):
        first_order = Opportunity.objects.create(
            external_id=f"OPP-FIRST-{number:03d}", account=won.account, owner=won.owner,
            name=f"First order from {won.account.name}", stage="closed_won",
            amount=Decimal("40000.00"), currency="USD", won=True,
            created_on=long_ago - timedelta(days=60), close_date=long_ago, closed_on=long_ago,
        )
        # Every opportunity has its history, as one imported from a CRM does.
        StageChange.objects.create(opportunity=first_order, stage="closed_won",
                                   changed_at=_moment(long_ago))
    for number, rep in enumerate(sorted(reps, key=lambda user: user.username), start=1):
        if rep.username in (TOP_PERFORMER, NEW_HIRE):
            continue
        account = (
            Account.objects.filter(owner=rep, status__in=(AccountStatus.PROSPECT,
                                                          AccountStatus.CUSTOMER))
            .exclude(Exists(ever_won)).order_by("pk").first()
        )
        if account is None:
            continue
        opportunity = Opportunity.objects.create(
            external_id=f"OPP-NEW-{number:03d}", account=account, owner=rep,
            name=f"First order from {account.name}", stage="closed_won",
            amount=Decimal("12000.00"), currency="USD", won=True,
            created_on=closed_on - timedelta(days=30), close_date=closed_on,
            closed_on=closed_on,
        )
        StageChange.objects.create(opportunity=opportunity, stage="closed_won",
                                   changed_at=_moment(closed_on))


def _onboarding(as_of: date, users: dict[str, User]) -> None:
    template = PlanTemplate.objects.create(
        name="Account executive, first 90 days", one_on_one_every_days=7,
        ramp_percents="25;50;75;100",
    )
    TemplateTask.objects.bulk_create([
        TemplateTask(template=template, kind=kind, title=title, due_day=due_day)
        for kind, title, due_day in ONBOARDING_TASKS
    ])
    new_hire = users.get(NEW_HIRE)
    if new_hire is None or new_hire.manager is None or new_hire.start_date is None:
        return
    starts_on = new_hire.start_date
    plan = OnboardingPlan.objects.create(
        new_hire=new_hire, manager=new_hire.manager, mentor=users.get(MENTOR),
        template=template, starts_on=starts_on, one_on_one_every_days=7,
        ramp_percents=template.ramp_percents,
    )
    tasks = []
    for kind, title, due_day in ONBOARDING_TASKS:
        due_on = starts_on + timedelta(days=due_day)
        done = due_on < as_of and title != OVERDUE_TASK
        tasks.append(OnboardingTask(plan=plan, kind=kind, title=title, due_on=due_on,
                                    done_on=min(due_on, as_of) if done else None))
    OnboardingTask.objects.bulk_create(tasks)
    notes = ((6, "Laptop and access sorted; agreed the first two weeks."),
             (13, "Shadowed Sofia at two customers; booked the CRM training."),
             (20, "The CRM training slipped again; the territory plan is drafted."))
    OneOnOne.objects.bulk_create([
        OneOnOne(plan=plan, held_on=starts_on + timedelta(days=days), notes=note)
        for days, note in notes if starts_on + timedelta(days=days) <= as_of
    ])
    Review.objects.create(
        kind="territory", held_on=starts_on + timedelta(days=23), manager=new_hire.manager,
        rep=new_hire, subject=f"{new_hire.display_name}'s territory plan",
        notes="Which prospects first, and how the taken-over accounts are introduced.",
    )


def _reviews(as_of: date, users: dict[str, User]) -> None:
    marco, brad = users.get(TOP_PERFORMER), users.get("brad")
    if marco is not None and marco.manager is not None:
        deal = (Opportunity.objects.filter(owner=marco, closed_on__isnull=True)
                .order_by("-amount", "pk").first())
        review = Review.objects.create(
            kind="deal" if deal else "pipeline", held_on=as_of - timedelta(days=14),
            manager=marco.manager, rep=marco, subject=deal.name if deal else "Pipeline",
            opportunity=deal, account=deal.account if deal else None,
            notes="The deal is real; the records around it are not.",
        )
        CoachingPoint.objects.bulk_create([
            CoachingPoint(review=review, skill="business_understanding", direction="reinforce",
                          observed="Knew the customer's expansion plans better than their own "
                          "IT director; keep leading with them."),
            CoachingPoint(review=review, skill="process_and_tools", direction="correct",
                          dimension="record_hygiene",
                          observed="His open opportunities carry close dates months past and "
                          "no stage change since the summer: the forecast cannot be read "
                          "from them."),
        ])
        AgendaItem.objects.create(
            review=review, dimension="forecast_timeliness", period=periods.quarter_of(
                as_of).name, title="Forecasts on time: 0% against a standard of 100%",
            value=Decimal(0), standard=Decimal(1), added_by=marco.manager,
            detail="0 of 1 forecasts on time; 0 late, 1 not submitted.",
            added_at=_moment(as_of - timedelta(days=15)),
        )
        FollowUp.objects.create(
            review=review, owner=marco, due_on=as_of - timedelta(days=7),
            what="Update the close date and next step of every open opportunity",
        )
        Review.objects.create(
            kind="pipeline", held_on=as_of + timedelta(days=3), manager=marco.manager,
            rep=marco, subject="Quarter-end pipeline",
        )
    if brad is not None and brad.manager is not None:
        review = Review.objects.create(
            kind="account", held_on=as_of - timedelta(days=10), manager=brad.manager, rep=brad,
            subject="Account review of Brad's top five",
        )
        CoachingPoint.objects.create(
            review=review, skill="listening", direction="correct", dimension="listening",
            observed="Three questions for every ten statements in last week's calls: ask "
            "what they are trying to achieve before the bundle.",
        )
        FollowUp.objects.create(review=review, owner=brad, due_on=as_of + timedelta(days=4),
                                what="Prepare five discovery questions for the Meridian call")
