"""Holding reviews that coach: a review, its coaching points and follow-ups, and the next
review's agenda, which the scorecard fills in one click.

Who may: a rep sees their own reviews; a manager those of everyone below them (and those they
held); executives and admins every review. Only someone who manages the rep holds a review,
writes its coaching points or puts something on its agenda; the follow-up's owner or the
review's manager marks a follow-up done."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import managed_users, manages, visible_accounts
from heedful.coaching.models import (
    AgendaItem,
    CoachingPoint,
    Direction,
    FollowUp,
    Review,
    ReviewKind,
    Skill,
)
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotAllowed, NotFound
from heedful.core.models import User
from heedful.lib import clock
from heedful.sales.models import Opportunity

NEXT_REVIEW_IN_DAYS = 7
"""A below-standard dimension put on the agenda when no review is planned opens a pipeline
review this many days ahead, which the manager can move."""


def _visible(user: User) -> QuerySet[Review]:
    people = managed_users(user).values("pk")
    return Review.objects.filter(Q(rep__in=people) | Q(manager=user)).select_related(
        "manager", "rep", "opportunity", "account"
    )


def get_all(*, user: User) -> QuerySet[Review]:
    return _visible(user).annotate(
        point_count=Count("points", distinct=True), agenda_count=Count("agenda", distinct=True)
    )


def get_or_raise(*, user: User, review_id: int) -> Review:
    review = (
        get_all(user=user).filter(pk=review_id)
        .prefetch_related(
            Prefetch("points", queryset=CoachingPoint.objects.order_by("pk")),
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        ).first()
    )
    if review is None:
        raise NotFound("No such review, or it is not one you may see.")
    return review


def can_coach(user: User, review: Review) -> bool:
    return manages(user, review.rep)


def _require_manager(user: User, rep: User) -> None:
    if not manages(user, rep):
        raise InvalidInput(
            "Only the rep's manager holds their reviews and writes coaching points.",
            {"rep": ["Choose someone who reports to you."]},
        )


def _text(value: Any, name: str, errors: dict[str, list[str]], reason: str) -> str:
    text = str(value or "").strip()
    if not text:
        errors[name] = [reason]
    return text


def _checked_fields(
    *, user: User, kind: str, held_on: Any, subject: Any, opportunity_external_id: Any,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A review's own fields as ``user`` gives them, checked the same way for a new review
    and a change: the values to store and, by field, what is wrong."""
    errors: dict[str, list[str]] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = ["Choose a pipeline, account, territory or deal review."]
    if isinstance(held_on, str) and held_on.strip():
        try:
            held_on = date.fromisoformat(held_on.strip())
        except ValueError:
            held_on = None
    if not isinstance(held_on, date):
        errors["held_on"] = ["Say when the review is held (a date such as 2026-11-30)."]
    subject = _text(subject, "subject", errors, "Say what is reviewed, e.g. the deal's name.")
    opportunity = None
    wanted = str(opportunity_external_id or "").strip()
    if wanted:
        opportunity = Opportunity.objects.filter(
            external_id=wanted, account__in=visible_accounts(user),
        ).first()
        if opportunity is None:
            errors["opportunity"] = ["No such opportunity among those you may see."]
    if kind == ReviewKind.DEAL and opportunity is None and "opportunity" not in errors:
        errors["opportunity"] = ["A deal review is about one opportunity: choose it."]
    values = {
        "kind": kind, "held_on": held_on, "subject": subject, "opportunity": opportunity,
        "account": opportunity.account if opportunity else None,
    }
    return values, errors


def create(
    *, user: User, rep: User, kind: str, held_on: date | None, subject: str, notes: str = "",
    opportunity_external_id: str = "",
) -> Review:
    _require_manager(user, rep)
    values, errors = _checked_fields(
        user=user, kind=kind, held_on=held_on, subject=subject,
        opportunity_external_id=opportunity_external_id,
    )
    if errors:
        raise InvalidInput("The review was not saved: correct the marked fields.", errors)
    return Review.objects.create(manager=user, rep=rep, notes=notes.strip(), **values)


# --- Reviews as the API reads and writes them (form names: ``rep`` by username,
# ``opportunity`` by external id) ------------------------------------------------------------


def get_all_with_points(*, user: User) -> QuerySet[Review]:
    """The reviews ``user`` may see with their coaching points and follow-ups, read in two
    more queries (without ``get_all``'s counts, which join both tables to every review)."""
    return _visible(user).prefetch_related(
        Prefetch("points", queryset=CoachingPoint.objects.order_by("pk")),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
    )


def _person(user: User, username: Any) -> User:
    """Someone ``user`` manages, by username; InvalidInput on ``rep`` otherwise (whether the
    person is hidden or does not exist, the same words)."""
    person = managed_users(user).filter(username=str(username or "").strip()).first()
    if person is None or not manages(user, person):
        raise InvalidInput(
            "Only the rep's manager holds their reviews and writes coaching points.",
            {"rep": ["Choose someone who reports to you."]},
        )
    return person


def create_from_input(*, user: User, data: Mapping[str, Any]) -> Review:
    with transaction.atomic():
        review = create(
            user=user, rep=_person(user, data.get("rep")), kind=str(data.get("kind") or ""),
            held_on=data.get("held_on"), subject=str(data.get("subject") or ""),
            notes=str(data.get("notes") or ""),
            opportunity_external_id=str(data.get("opportunity") or ""),
        )
        audit.record(user=user, action="review.create", subject=audit.subject_of(review))
    return get_or_raise(user=user, review_id=review.pk)


def update(*, user: User, review_id: int, changes: Mapping[str, Any]) -> Review:
    """Change a review's fields (absent ones keep their value); only someone who manages its
    rep (NotAllowed otherwise), and a new rep must be theirs too. The row is locked while the
    change is decided."""
    with transaction.atomic():
        seen = get_or_raise(user=user, review_id=review_id)
        review = (
            Review.objects.select_for_update(of=("self",)).select_related("opportunity", "rep")
            .get(pk=seen.pk)
        )
        if not manages(user, review.rep):
            raise NotAllowed("Only the rep's manager changes a review; the rep reads it.")
        rep = _person(user, changes["rep"]) if "rep" in changes else review.rep
        current_opportunity = review.opportunity.external_id if review.opportunity else ""
        values, errors = _checked_fields(
            user=user, kind=str(changes.get("kind", review.kind) or ""),
            held_on=changes.get("held_on", review.held_on),
            subject=changes.get("subject", review.subject),
            opportunity_external_id=changes.get("opportunity", current_opportunity),
        )
        if errors:
            raise InvalidInput("The review was not saved: correct the marked fields.", errors)
        values.update(rep=rep, notes=str(changes.get("notes", review.notes) or "").strip())
        changed = sorted(name for name, value in values.items()
                         if getattr(review, name) != value)
        for name, value in values.items():
            setattr(review, name, value)
        review.save()
        audit.record(
            user=user, action="review.update", subject=audit.subject_of(review),
            detail={"fields": changed},
        )
    return get_or_raise(user=user, review_id=review_id)


def delete(*, user: User, review_id: int) -> None:
    """Delete a review with its coaching points, agenda and follow-ups: only someone who
    manages its rep (NotAllowed for the rep; NotFound for one ``user`` may not see)."""
    review = get_or_raise(user=user, review_id=review_id)
    if not manages(user, review.rep):
        raise NotAllowed("Only the rep's manager deletes a review.")
    records.delete(Review.objects.all(), user=user, lookup={"pk": review.pk})


def update_notes(*, user: User, review: Review, notes: str) -> Review:
    _require_manager(user, review.rep)
    review.notes = notes.strip()
    review.save(update_fields=["notes"])
    return review


def add_point(
    *, user: User, review: Review, skill: str, observed: str, direction: str,
    dimension: str = "",
) -> CoachingPoint:
    _require_manager(user, review.rep)
    errors: dict[str, list[str]] = {}
    if skill not in Skill.values:
        errors["skill"] = ["Choose the skill the point is about."]
    if direction not in Direction.values:
        errors["direction"] = ["Say whether it reinforces something done right or corrects it."]
    observed = _text(observed, "observed", errors,
                     "Write what you saw or heard, so the rep can recognise it.")
    if errors:
        raise InvalidInput("The coaching point was not saved: correct the marked fields.", errors)
    return CoachingPoint.objects.create(
        review=review, skill=skill, observed=observed, direction=direction,
        dimension=dimension.strip(),
    )


def add_follow_up(
    *, user: User, review: Review, what: str, owner: User | None, due_on: date | None,
) -> FollowUp:
    _require_manager(user, review.rep)
    errors: dict[str, list[str]] = {}
    what = _text(what, "what", errors, "Write what will be done.")
    if owner is None or owner.pk not in (review.rep_id, review.manager_id):
        errors["owner"] = ["Choose the rep or the manager."]
    if due_on is None:
        errors["due_on"] = ["Say by when (a date such as 2026-12-07)."]
    if errors:
        raise InvalidInput("The action item was not saved: correct the marked fields.", errors)
    assert owner is not None and due_on is not None
    return FollowUp.objects.create(review=review, what=what, owner=owner, due_on=due_on)


def mark_follow_up_done(*, user: User, follow_up: FollowUp, on: date | None = None) -> FollowUp:
    review = follow_up.review
    if user.pk != follow_up.owner_id and not manages(user, review.rep):
        raise InvalidInput("Only its owner or the rep's manager marks an action item done.")
    follow_up.done_on = on or clock.today()
    follow_up.save(update_fields=["done_on"])
    return follow_up


def next_review(*, rep: User, as_of: date) -> Review | None:
    """The rep's next review: the first held on or after ``as_of``."""
    return Review.objects.filter(rep=rep, held_on__gte=as_of).order_by("held_on", "pk").first()


@dataclass(frozen=True)
class AgendaResult:
    review: Review
    item: AgendaItem
    is_new_review: bool
    was_already_there: bool


def put_on_agenda(
    *, user: User, rep: User, dimension: str, title: str, period: str,
    value: Decimal | None, standard: Decimal | None, detail: str, as_of: date | None = None,
) -> AgendaResult:
    """Put a scorecard dimension on ``rep``'s next review; with none planned, a pipeline
    review ``NEXT_REVIEW_IN_DAYS`` ahead is opened for it. Putting the same dimension and
    period twice changes nothing."""
    _require_manager(user, rep)
    as_of = as_of or clock.today()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=rep.pk).first()
        review = next_review(rep=rep, as_of=as_of)
        is_new = review is None
        if review is None:
            review = Review.objects.create(
                kind=ReviewKind.PIPELINE, held_on=as_of + timedelta(days=NEXT_REVIEW_IN_DAYS),
                manager=user, rep=rep, subject="Pipeline and scorecard",
            )
        existing = AgendaItem.objects.filter(
            review=review, dimension=dimension, period=period).first()
        if existing is not None:
            return AgendaResult(review, existing, is_new, True)
        try:
            with transaction.atomic():
                item = AgendaItem.objects.create(
                    review=review, dimension=dimension, title=title, period=period, value=value,
                    standard=standard, detail=detail, added_by=user,
                )
        except IntegrityError:  # put there by a second click at the same instant
            item = AgendaItem.objects.get(review=review, dimension=dimension, period=period)
            return AgendaResult(review, item, is_new, True)
    return AgendaResult(review, item, is_new, False)


def history(*, rep: User) -> list[Review]:
    """Every review of ``rep``, newest first, with its points, agenda and follow-ups."""
    return list(
        Review.objects.filter(rep=rep).select_related("manager", "opportunity")
        .prefetch_related("points", "agenda", Prefetch(
            "follow_ups", queryset=FollowUp.objects.select_related("owner")))
        .order_by("-held_on", "-pk")
    )
