"""Submitting forecasts, the manager's roll-up and adjustments, reminders and accuracy.

Who sees what: a rep their own; a manager everyone below them; executives and admins
everyone (``accounts.visibility.managed_users``). Only a manager adjusts, never their own."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from heedful.accounts import records
from heedful.accounts.visibility import managed_users, manages
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotAllowed, NotFound
from heedful.core.models import Role, User
from heedful.forecasts.models import (
    SUBMITTED_CATEGORIES,
    ForecastAdjustment,
    ForecastCategory,
    ForecastPeriod,
    ForecastSubmission,
)
from heedful.lib import clock
from heedful.lib.validators import check_record
from heedful.sales.models import Opportunity

ZERO = Decimal("0.00")


def get_periods() -> QuerySet[ForecastPeriod]:
    return ForecastPeriod.objects.all()


def get_period_or_raise(*, name: str) -> ForecastPeriod:
    period = ForecastPeriod.objects.filter(name=name.strip().upper()).first()
    if period is None:
        raise NotFound(f"There is no forecast period {name}; an admin opens periods.")
    return period


def current_period(*, as_of: date) -> ForecastPeriod | None:
    """The period ``as_of`` falls in, else the next one to start, else the latest."""
    periods = ForecastPeriod.objects.order_by("starts_on")
    return (
        periods.filter(starts_on__lte=as_of, ends_on__gte=as_of).first()
        or periods.filter(starts_on__gt=as_of).first()
        or periods.last()
    )


def get_person_or_raise(*, user: User, username: str) -> User:
    person = managed_users(user).filter(username=username).first()
    if person is None:
        raise NotFound("No such person among those whose forecasts you may see.")
    return person


def _amount(
    raw: Any, name: str, errors: dict[str, list[str]], *, negative_allowed: bool = False
) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", "").strip() or "0").quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[name] = ["Write an amount such as 125000 or 125000.50."]
        return ZERO
    if value < 0 and not negative_allowed:
        errors[name] = ["An amount cannot be negative."]
    return value


def submit(
    *, user: User, period: ForecastPeriod, commit: Any, best_case: Any, pipeline: Any,
    note: str = "", now: datetime | None = None,
) -> ForecastSubmission:
    """``user``'s forecast for ``period``. The earlier submission, if any, stays as history and
    this one becomes the latest; late when made after the due date."""
    now = now or clock.now()
    errors: dict[str, list[str]] = {}
    amounts = {name: _amount(value, name, errors) for name, value in
               (("commit", commit), ("best_case", best_case), ("pipeline", pipeline))}
    if not errors:
        errors = check_record(
            ForecastSubmission.checks_across_fields, ForecastSubmission(**amounts)
        )
    if errors:
        raise InvalidInput("The forecast was not submitted: correct the marked figures.", errors)
    with transaction.atomic():
        # Locking the rep's row serialises two submissions of the same rep, so exactly one
        # stays the latest.
        User.objects.select_for_update().filter(pk=user.pk).first()
        ForecastSubmission.objects.filter(period=period, rep=user, is_latest=True).update(
            is_latest=False
        )
        return ForecastSubmission.objects.create(
            period=period, rep=user, currency=period.currency, note=note.strip(),
            submitted_at=now, is_late=timezone.localtime(now).date() > period.due_on,
            is_latest=True, **amounts,
        )


def adjust(
    *, user: User, rep: User, period: ForecastPeriod, category: str, change: Any, reason: str,
    now: datetime | None = None,
) -> ForecastAdjustment:
    if not manages(user, rep):
        raise InvalidInput(
            "Only the rep's manager adjusts a forecast, and nobody adjusts their own.",
            {"rep": ["Choose someone who reports to you."]},
        )
    errors: dict[str, list[str]] = {}
    amount = _amount(change, "change", errors, negative_allowed=True)
    if category not in {choice.value for choice in SUBMITTED_CATEGORIES}:
        errors["category"] = ["Choose commit, best case or pipeline."]
    if "change" not in errors:
        errors.update(check_record(
            ForecastAdjustment.checks_across_fields, ForecastAdjustment(change=amount)
        ))
    if not reason.strip():
        errors["reason"] = ["Say why: the rep and your own manager read it."]
    if errors:
        raise InvalidInput("The adjustment was not saved: correct the marked fields.", errors)
    return ForecastAdjustment.objects.create(
        period=period, rep=rep, manager=user, category=category, change=amount,
        reason=reason.strip(), made_at=now or clock.now(),
    )


@dataclass
class RollUpRow:
    rep: User
    submission: ForecastSubmission | None
    adjustments: list[ForecastAdjustment] = field(default_factory=list)

    def own(self, category: str) -> Decimal | None:
        return None if self.submission is None else getattr(self.submission, category)

    def adjusted(self, category: str) -> Decimal | None:
        own = self.own(category)
        change = sum((item.change for item in self.adjustments if item.category == category),
                     ZERO)
        if own is None:
            return change if self.adjustments else None
        return own + change

    @property
    def commit(self) -> Decimal | None:
        return self.own(ForecastCategory.COMMIT)

    @property
    def adjusted_commit(self) -> Decimal | None:
        return self.adjusted(ForecastCategory.COMMIT)

    @property
    def best_case(self) -> Decimal | None:
        return self.own(ForecastCategory.BEST_CASE)

    @property
    def adjusted_best_case(self) -> Decimal | None:
        return self.adjusted(ForecastCategory.BEST_CASE)

    @property
    def pipeline(self) -> Decimal | None:
        return self.own(ForecastCategory.PIPELINE)

    @property
    def adjusted_pipeline(self) -> Decimal | None:
        return self.adjusted(ForecastCategory.PIPELINE)


@dataclass
class RollUp:
    period: ForecastPeriod
    rows: list[RollUpRow]

    def total(self, category: str, *, adjusted: bool) -> Decimal:
        values = [row.adjusted(category) if adjusted else row.own(category) for row in self.rows]
        return sum((value for value in values if value is not None), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {
            f"{'adjusted_' if adjusted else ''}{category.value}": self.total(category,
                                                                           adjusted=adjusted)
            for category in SUBMITTED_CATEGORIES for adjusted in (False, True)
        }

    @property
    def missing(self) -> int:
        return sum(1 for row in self.rows if row.submission is None)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.submission is not None and row.submission.is_late)


def roll_up(*, user: User, period: ForecastPeriod) -> RollUp:
    """Everyone below ``user`` (not ``user``): their latest submissions and the adjustments
    made to them, kept apart. Three queries."""
    reps = list(
        managed_users(user).exclude(pk=user.pk).filter(role="rep").order_by("full_name",
                                                                            "username")
    )
    ids = [rep.pk for rep in reps]
    latest = {
        submission.rep_id: submission for submission in
        ForecastSubmission.objects.filter(period=period, rep_id__in=ids, is_latest=True)
    }
    adjustments: dict[int, list[ForecastAdjustment]] = defaultdict(list)
    for adjustment in ForecastAdjustment.objects.filter(
        period=period, rep_id__in=ids
    ).select_related("manager"):
        adjustments[adjustment.rep_id].append(adjustment)
    return RollUp(period=period, rows=[
        RollUpRow(rep=rep, submission=latest.get(rep.pk), adjustments=adjustments[rep.pk])
        for rep in reps
    ])


def history(*, rep: User, period: ForecastPeriod) -> list[ForecastSubmission]:
    """Every submission of ``rep`` for ``period``, the latest first."""
    return list(ForecastSubmission.objects.filter(period=period, rep=rep).order_by(
        "-submitted_at", "-pk"))


@dataclass(frozen=True)
class Reminder:
    period: ForecastPeriod
    days_left: int


def reminder(*, rep: User, as_of: date) -> Reminder | None:
    """The reminder ``rep`` sees: a period due within its ``reminder_days`` (or overdue)
    that they have not submitted for; None otherwise."""
    period = (
        ForecastPeriod.objects.filter(due_on__gte=as_of, starts_on__lte=as_of)
        .exclude(submissions__rep=rep).order_by("due_on").first()
    )
    if period is None:
        return None
    days_left = (period.due_on - as_of).days
    return Reminder(period, days_left) if days_left <= period.reminder_days else None


@dataclass(frozen=True)
class Accuracy:
    period: ForecastPeriod
    rep_id: int
    commit: Decimal | None
    best_case: Decimal | None
    won: Decimal

    @property
    def against_commit(self) -> Decimal | None:
        """Won ÷ commit: 1 is a forecast met exactly; None without a commit."""
        if not self.commit:
            return None
        return (self.won / self.commit).quantize(Decimal("0.001"))

    @property
    def against_best_case(self) -> Decimal | None:
        if not self.best_case:
            return None
        return (self.won / self.best_case).quantize(Decimal("0.001"))


def won_by_rep(*, rep_ids: list[int] | QuerySet[User, Any] | None, period_start: date,
               period_end: date, currency: str) -> dict[int, Decimal]:
    """What each rep won in the period (closed won, by close day), in ``currency``: one
    grouped query. ``rep_ids`` (ids, or a query of users' ``pk``) None means every rep."""
    rows = Opportunity.objects.filter(
        won=True, closed_on__gte=period_start, closed_on__lte=period_end, currency=currency,
    )
    if rep_ids is not None:
        rows = rows.filter(owner_id__in=rep_ids)
    return {
        row["owner_id"]: row["won"] or ZERO
        for row in rows.order_by().values("owner_id").annotate(won=Sum("amount"))
    }


def accuracy(*, rep_ids: list[int], as_of: date, periods: int = 6) -> list[Accuracy]:
    """Per rep and closed period (the last ``periods`` that ended before ``as_of``): the
    latest commit and best case against what was won. One query per period, grouped by rep."""
    closed = list(ForecastPeriod.objects.filter(ends_on__lt=as_of).order_by("-ends_on")[:periods])
    result: list[Accuracy] = []
    for period in reversed(closed):
        won = won_by_rep(rep_ids=rep_ids, period_start=period.starts_on,
                         period_end=period.ends_on, currency=period.currency)
        submitted = {
            submission.rep_id: submission for submission in ForecastSubmission.objects.filter(
                period=period, rep_id__in=rep_ids, is_latest=True)
        }
        for rep_id in rep_ids:
            submission = submitted.get(rep_id)
            result.append(Accuracy(
                period=period, rep_id=rep_id,
                commit=submission.commit if submission else None,
                best_case=submission.best_case if submission else None,
                won=won.get(rep_id, ZERO),
            ))
    return result


# --- Submissions as the API reads and files them ---------------------------------------------


def get_all(*, user: User) -> QuerySet[ForecastSubmission]:
    """The submissions, latest and earlier, of everyone whose forecasts ``user`` may see."""
    return ForecastSubmission.objects.filter(rep__in=managed_users(user)).select_related(
        "period", "rep"
    )


def get_submission_or_raise(*, user: User, id: int) -> ForecastSubmission:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def _filer_of(user: User, username: Any) -> User | None:
    """Whose forecast ``user`` may file: their own; an admin's (an integration's) anyone's.
    A manager changes a rep's figures by an adjustment, never by submitting for them."""
    username = str(username or user.username).strip()
    if username == user.username:
        return user
    if user.role == Role.ADMIN and user.is_active:
        return User.objects.filter(username=username, is_active=True).first()
    return None


def create_submission(*, user: User, data: Mapping[str, Any]) -> ForecastSubmission:
    """File a forecast from the API's fields (form names: ``period`` by name, ``rep`` by
    username): ``submit``, so a resubmission keeps the earlier ones and is the latest."""
    errors: dict[str, list[str]] = {}
    rep = _filer_of(user, data.get("rep"))
    if rep is None:
        errors["rep"] = ["You file your own forecast; a manager adjusts a rep's instead."]
    period = _period_named(data.get("period"), errors)
    for category in ("commit", "best_case", "pipeline"):
        if data.get(category) in (None, ""):
            errors[category] = ["Write an amount such as 125000 or 125000.50."]
    if errors:
        raise InvalidInput("The forecast was not submitted: correct the marked fields.", errors)
    assert rep is not None and period is not None
    with transaction.atomic():
        submission = submit(
            user=rep, period=period, commit=data["commit"], best_case=data["best_case"],
            pipeline=data["pipeline"], note=str(data.get("note") or ""),
        )
        audit.record(
            user=user, action="forecastsubmission.create", subject=audit.subject_of(submission),
            detail={"period": period.name, "rep": rep.username, "is_late": submission.is_late},
        )
    return submission


def _period_named(name: Any, errors: dict[str, list[str]]) -> ForecastPeriod | None:
    wanted = str(name or "").strip().upper()
    period = ForecastPeriod.objects.filter(name=wanted).first() if wanted else None
    if period is None:
        errors["period"] = [f"There is no forecast period “{wanted}”; an admin opens periods."]
    return period


def refuse_change(*, user: User, id: int, changes: Mapping[str, Any]) -> ForecastSubmission:  # noqa: A002
    """A submission is history: NotAllowed (after NotFound for one ``user`` may not see)."""
    get_submission_or_raise(user=user, id=id)
    raise NotAllowed(
        "A submitted forecast is kept as it was: submit again, and the new one is the latest."
    )


# --- Adjustments as the API reads and files them ---------------------------------------------


def get_all_adjustments(*, user: User) -> QuerySet[ForecastAdjustment]:
    """The adjustments to the forecasts of everyone whose forecasts ``user`` may see: a rep
    reads those made to their own (with the reason), a manager those of their people."""
    return ForecastAdjustment.objects.filter(rep__in=managed_users(user)).select_related(
        "period", "rep", "manager"
    )


def get_adjustment_or_raise(*, user: User, id: int) -> ForecastAdjustment:  # noqa: A002
    return records.get_or_raise(get_all_adjustments(user=user), pk=id)


def create_adjustment(*, user: User, data: Mapping[str, Any]) -> ForecastAdjustment:
    """``adjust`` from the API's fields: only the rep's manager, never their own."""
    errors: dict[str, list[str]] = {}
    rep = managed_users(user).filter(username=str(data.get("rep") or "").strip()).first()
    if rep is None or not manages(user, rep):
        errors["rep"] = ["Choose someone who reports to you."]
    period = _period_named(data.get("period"), errors)
    if errors:
        raise InvalidInput(
            "Only the rep's manager adjusts a forecast, and nobody adjusts their own.", errors
        )
    assert rep is not None and period is not None
    with transaction.atomic():
        adjustment = adjust(
            user=user, rep=rep, period=period, category=str(data.get("category") or ""),
            change=data.get("change"), reason=str(data.get("reason") or ""),
        )
        audit.record(
            user=user, action="forecastadjustment.create", subject=audit.subject_of(adjustment),
            detail={"period": period.name, "rep": rep.username, "category": adjustment.category},
        )
    return adjustment


def refuse_adjustment_change(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> ForecastAdjustment:
    """An adjustment is kept as made: NotAllowed (after NotFound for one ``user`` may not
    see). A further adjustment corrects it."""
    get_adjustment_or_raise(user=user, id=id)
    raise NotAllowed("An adjustment is kept as it was made: add another to correct it.")
