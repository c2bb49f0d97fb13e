"""The service review of an account for a period: built from the records by a few set-based
queries (never one query per row), edited (commentary and topics only), sent (frozen as the
customer saw it) and shared with the customer by a link.

A review's *content* is one JSON-able dict: the keys of CONTRACTS.md ("Service review") that
``heedful review --json`` prints, plus what the pages need besides (the account, its team,
the metrics' and scope's trend over twelve months, the commentary). A draft's content is
read from the records each time; a sent review's is its ``snapshot``, what the customer saw.
The order of the sections is fixed here, not by the user: the customer's data first.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from heedful.accounts.models import Account, TeamMembership
from heedful.accounts.visibility import visible_accounts
from heedful.billing.models import Dispute, DisputeStatus, Invoice
from heedful.core import audit, shared_links
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import User
from heedful.core.versions import lock_if_unchanged, matches, version_of
from heedful.lib import clock
from heedful.meetings.models import ActionItem, Meeting, MeetingStatus
from heedful.reviews.models import (
    MetricComment,
    Review,
    ReviewStatus,
    ReviewTopic,
    SharedReview,
    TopicKind,
)
from heedful.reviews.periods import Period, month_before, parse_period
from heedful.support.models import (
    OPEN_TICKET_STATUSES,
    ScopeRecord,
    ServiceMetric,
    Ticket,
    TicketStatus,
    target_met,
)

SECTIONS = ("metrics", "scope", "support", "billing", "heard", "topics")
"""The order every review shows, which no one can change: the customer's data first."""
CONTRACT_KEYS = (
    "account_external_id", "period", "sections", "metrics", "scope", "support", "billing",
    "heard", "topics",
)
"""The keys ``heedful review --json`` prints (CONTRACTS.md), in this order."""
TREND_MONTHS = 12
"""Each metric's and function's chart covers the twelve months up to the period's end."""
STILL_OPEN_SHOWN = 50
"""Open tickets listed by name; past this the review gives their count."""
SEVERITIES = (1, 2, 3, 4)


def number(value: Decimal | int | float | None) -> int | float | None:
    """A stored number as a JSON number: 4000.00 → 4000, 82.5000 → 82.5."""
    if value is None:
        return None
    decimal = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimal == decimal.to_integral_value():
        return int(decimal)
    return float(decimal.normalize())


def overrun_of(contracted: Decimal, delivered: Decimal) -> tuple[Decimal, Decimal | None]:
    """Delivered above contracted (never below zero), and that as a percent of contracted
    (one decimal; None when nothing was contracted)."""
    overrun = max(delivered - contracted, Decimal(0))
    if contracted <= 0:
        return overrun, None
    percent = (overrun / contracted * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return overrun, percent


# -- building the content --------------------------------------------------------------------


def build_content(*, account: Account, period: Period, as_of: date) -> dict[str, Any]:
    """The review of ``account`` for ``period`` as the records tell it on ``as_of``, without
    commentary or topics (``with_edits`` adds a draft's)."""
    trend_from = month_before(period.months[-1], TREND_MONTHS - 1)
    first_month, last_month = period.months[0], period.months[-1]
    metrics, metric_trends = _metrics(account, trend_from, first_month, last_month)
    scope, scope_trends = _scope(account, trend_from, first_month, last_month)
    return {
        "account_external_id": account.external_id,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "sections": list(SECTIONS),
        "metrics": metrics,
        "scope": scope,
        "support": _support(account, period, as_of),
        "billing": _billing(account, period),
        "heard": _heard(account, period, as_of),
        "topics": [],
        # What the pages need besides the contract's keys.
        "period_key": period.key,
        "period_words": period.words,
        "as_of": as_of.isoformat(),
        "account": _account_part(account, as_of),
        "trends": {"metrics": metric_trends, "scope": scope_trends},
        "commentary": {},
        "last_time": {},
    }


def as_contract(content: dict[str, Any]) -> dict[str, Any]:
    """What ``heedful review --json`` prints: the keys CONTRACTS.md names, in its order."""
    return {key: content[key] for key in CONTRACT_KEYS}


def _metrics(
    account: Account, trend_from: str, first_month: str, last_month: str
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The period's metric rows (one per metric and month) and each metric's twelve months,
    from one query."""
    rows = (
        ServiceMetric.objects.filter(account=account, period__gte=trend_from,
                                     period__lte=last_month)
        .order_by("metric", "period")
        .values_list("metric", "period", "target", "actual", "higher_is_better")
    )
    in_period: list[dict[str, Any]] = []
    trends: dict[str, list[dict[str, Any]]] = {}
    for metric, month, target, actual, higher_is_better in rows:
        met = target_met(actual=actual, target=target, higher_is_better=higher_is_better)
        row = {
            "metric": metric, "period": month, "target": number(target),
            "actual": number(actual), "higher_is_better": higher_is_better, "met": met,
        }
        trends.setdefault(metric, []).append(row)
        if month >= first_month:
            in_period.append(row)
    measured = {row["metric"] for row in in_period}
    return in_period, {name: points for name, points in trends.items() if name in measured}


def _scope(
    account: Account, trend_from: str, first_month: str, last_month: str
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    rows = (
        ScopeRecord.objects.filter(account=account, period__gte=trend_from,
                                   period__lte=last_month)
        .order_by("function", "period")
        .values_list("function", "period", "contracted_quantity", "delivered_quantity")
    )
    in_period: list[dict[str, Any]] = []
    trends: dict[str, list[dict[str, Any]]] = {}
    for function, month, contracted, delivered in rows:
        overrun, percent = overrun_of(contracted, delivered)
        row = {
            "function": function, "period": month, "contracted": number(contracted),
            "delivered": number(delivered), "overrun": number(overrun),
            "overrun_percent": number(percent),
        }
        trends.setdefault(function, []).append(row)
        if month >= first_month:
            in_period.append(row)
    measured = {row["function"] for row in in_period}
    return in_period, {name: points for name, points in trends.items() if name in measured}


def _moment_range(period: Period) -> tuple[datetime, datetime]:
    """The period as moments in the site's time zone: from its first day's start to the start
    of the day after its last."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, zone),
        datetime.combine(period.end + timedelta(days=1), time.min, zone),
    )


def _hours(span: timedelta) -> float:
    return round(span.total_seconds() / 3600, 1)


def _support(account: Account, period: Period, as_of: date) -> dict[str, Any]:
    """Tickets opened and resolved in the period by severity, the median time to resolve
    those resolved, and the tickets still open: three queries."""
    start, end = _moment_range(period)
    tickets = Ticket.objects.filter(account=account)
    counts = {
        row["severity"]: row
        for row in tickets.filter(
            Q(opened_at__gte=start, opened_at__lt=end)
            | Q(resolved_at__gte=start, resolved_at__lt=end)
        ).values("severity").annotate(
            opened=Count("pk", filter=Q(opened_at__gte=start, opened_at__lt=end)),
            resolved=Count("pk", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        )
    }
    durations: dict[int, list[float]] = {}
    for severity, opened_at, resolved_at in tickets.filter(
        resolved_at__gte=start, resolved_at__lt=end
    ).values_list("severity", "opened_at", "resolved_at"):
        if resolved_at is not None:  # filtered above; the type does not know it
            durations.setdefault(severity, []).append(_hours(resolved_at - opened_at))
    every_duration = [hours for spans in durations.values() for hours in spans]
    still_open = tickets.filter(status__in=OPEN_TICKET_STATUSES, opened_at__lt=end)
    listed = list(
        still_open.order_by("severity", "opened_at", "pk")
        .values("external_id", "severity", "subject", "opened_at", "status")[:STILL_OPEN_SHOWN]
    )
    statuses = dict(TicketStatus.choices)
    return {
        "by_severity": [
            {
                "severity": severity,
                "opened": counts.get(severity, {}).get("opened", 0),
                "resolved": counts.get(severity, {}).get("resolved", 0),
                "median_hours_to_resolve": _median(durations.get(severity, [])),
            }
            for severity in SEVERITIES
        ],
        "opened": sum(row["opened"] for row in counts.values()),
        "resolved": sum(row["resolved"] for row in counts.values()),
        "median_hours_to_resolve": _median(every_duration),
        "still_open_count": still_open.count() if len(listed) == STILL_OPEN_SHOWN
        else len(listed),
        "still_open": [
            {
                "ticket": row["external_id"], "severity": row["severity"],
                "subject": row["subject"],
                "opened_on": timezone.localtime(row["opened_at"]).date().isoformat(),
                "status": row["status"], "status_label": statuses.get(row["status"], ""),
            }
            for row in listed
        ],
    }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _billing(account: Account, period: Period) -> dict[str, Any]:
    """Invoices whose billing period starts in the review's period, with their totals per
    currency, and the disputes opened in the period or still open: two queries."""
    invoices = list(
        Invoice.objects.filter(
            account=account, period_start__gte=period.start, period_start__lte=period.end
        )
        .annotate(disputed=Exists(Dispute.objects.filter(invoice=OuterRef("pk"))))
        .order_by("period_start", "invoice_number")
        .values("invoice_number", "period_start", "period_end", "issued_on", "amount",
                "currency", "disputed")
    )
    totals: dict[str, Decimal] = {}
    for invoice in invoices:
        currency = invoice["currency"]
        totals[currency] = totals.get(currency, Decimal(0)) + invoice["amount"]
    disputes = (
        Dispute.objects.filter(invoice__account=account)
        .filter(Q(opened_on__gte=period.start, opened_on__lte=period.end)
                | Q(status=DisputeStatus.OPEN, opened_on__lte=period.end))
        .order_by("opened_on", "pk")
        .values("invoice__invoice_number", "invoice__currency", "opened_on", "amount", "status",
                "resolved_on")
    )
    return {
        "invoices": [
            {
                "invoice": row["invoice_number"],
                "period_from": row["period_start"].isoformat(),
                "period_to": row["period_end"].isoformat(),
                "issued_on": row["issued_on"].isoformat() if row["issued_on"] else None,
                "amount": number(row["amount"]), "currency": row["currency"],
                "disputed": row["disputed"],
            }
            for row in invoices
        ],
        "totals": [
            {"currency": currency, "amount": number(amount)}
            for currency, amount in sorted(totals.items())
        ],
        "disputes": [
            {
                "invoice": row["invoice__invoice_number"],
                "opened_on": row["opened_on"].isoformat(),
                "amount": number(row["amount"]), "currency": row["invoice__currency"],
                "status": row["status"],
                "resolved_on": row["resolved_on"].isoformat() if row["resolved_on"] else None,
            }
            for row in disputes
        ],
    }


def _heard(account: Account, period: Period, as_of: date) -> dict[str, Any]:
    """The period's meetings that took place by ``as_of``, with their playback and action
    items: two queries."""
    start, end = _moment_range(period)
    zone = timezone.get_current_timezone()
    now = datetime.combine(as_of + timedelta(days=1), time.min, zone)
    meetings = list(
        Meeting.objects.filter(account=account, scheduled_start__gte=start,
                               scheduled_start__lt=end, scheduled_end__lte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("scheduled_start", "pk")
        .values("pk", "title", "scheduled_start", "actual_start", "playback_summary")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for item in (
        ActionItem.objects.filter(meeting_id__in=[meeting["pk"] for meeting in meetings])
        .exclude(status="cancelled")
        .select_related("user", "contact").order_by("due_on", "pk")
    ):
        owner = item.contact.full_name if item.contact else (
            item.user.display_name if item.user else ""
        )
        items.setdefault(item.meeting_id, []).append({
            "what": item.what, "owner": owner,
            "side": "customer" if item.contact_id else "ours",
            "due": item.due_on.isoformat() if item.due_on else None,
            "status": item.status,
        })
    return {
        "meetings": [
            {
                "title": meeting["title"],
                "held_on": timezone.localtime(
                    meeting["actual_start"] or meeting["scheduled_start"]
                ).date().isoformat(),
                "playback": meeting["playback_summary"],
                "action_items": items.get(meeting["pk"], []),
            }
            for meeting in meetings
        ],
    }


def _person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.display_name, "email": user.email}


def _account_part(account: Account, as_of: date) -> dict[str, Any]:
    """The account, its team with roles, and whom the customer writes to with feedback: the
    owner's manager."""
    team = (
        TeamMembership.objects.active(as_of).filter(account=account)
        .select_related("user").order_by("role", "pk")
    )
    owner = account.owner
    manager = owner.manager if owner is not None else None
    return {
        "name": account.name,
        "external_id": account.external_id,
        "owner": _person(owner),
        "team": [
            {"name": member.user.display_name, "email": member.user.email,
             "role": member.get_role_display()}
            for member in team
        ],
        "feedback_to": _person(manager),
    }


# -- reviews as stored ------------------------------------------------------------------------


def get_account(*, user: User, external_id: str) -> Account:
    """The account ``external_id`` if ``user`` may see it; NotFound otherwise."""
    account = (
        visible_accounts(user).filter(external_id=external_id)
        .select_related("owner__manager").first()
    )
    if account is None:
        raise NotFound(f"No account {external_id!r} that you may see.")
    return account


def get_review(*, user: User, review_id: int) -> Review:
    """The review ``review_id`` on an account ``user`` may see; NotFound otherwise."""
    review = (
        Review.objects.filter(pk=review_id, account__in=visible_accounts(user))
        .select_related("account__owner__manager", "created_by", "sent_by").first()
    )
    if review is None:
        raise NotFound("No such review.")
    return review


def get_draft(*, account: Account, period: Period) -> Review | None:
    return Review.objects.filter(
        account=account, period=period.key, status=ReviewStatus.DRAFT
    ).first()


def get_all(*, account: Account) -> QuerySet[Review]:
    """The account's reviews, latest period first."""
    return account.reviews.select_related("created_by", "sent_by").order_by(
        "-period_to", "-pk"
    )


def get_content(*, review: Review, as_of: date | None = None) -> dict[str, Any]:
    """What ``review`` shows: as sent, or for a draft the records now with its commentary
    and topics."""
    if review.is_sent and review.snapshot:
        return review.snapshot
    period = parse_period(review.period)
    content = build_content(account=review.account, period=period, as_of=as_of or clock.today())
    return with_edits(content, review)


def get_content_for_period(
    *, account: Account, period: Period, as_of: date | None = None
) -> tuple[dict[str, Any], Review | None]:
    """The review of ``account`` for ``period`` as the command line prints it: its draft's
    if one is being prepared, else the one last sent for that period (as sent), else the
    records alone. The review it came from, if any."""
    review = get_draft(account=account, period=period) or (
        account.reviews.filter(period=period.key, status=ReviewStatus.SENT)
        .order_by("-sent_at", "-pk").first()
    )
    if review is not None:
        return get_content(review=review, as_of=as_of), review
    return build_content(account=account, period=period, as_of=as_of or clock.today()), None


def with_edits(content: dict[str, Any], review: Review) -> dict[str, Any]:
    """``content`` with the commentary and topics of ``review`` (two queries), and what its
    previous review said it would do about each metric."""
    content["commentary"] = {
        comment.metric: {
            "what_happened": comment.what_happened,
            "what_we_are_doing": comment.what_we_are_doing,
        }
        for comment in review.comments.all()
    }
    kinds = dict(TopicKind.choices)
    content["topics"] = [
        {
            "kind": topic.kind, "kind_label": kinds.get(topic.kind, ""), "title": topic.title,
            "text": topic.text, "is_open": topic.is_open,
            "carried_from": topic.carried_from.period if topic.carried_from else None,
        }
        for topic in review.topics.select_related("carried_from").order_by("position", "pk")
    ]
    previous = review.previous
    if previous is not None and previous.snapshot:
        content["last_time"] = {
            metric: words["what_we_are_doing"]
            for metric, words in previous.snapshot.get("commentary", {}).items()
            if words.get("what_we_are_doing")
        }
        content["last_time_period"] = previous.snapshot.get("period_words", previous.period)
    return content


def review_version(review: Review) -> str:
    """The version of the whole review: any change to its commentary or topics counts in
    ``revision``, so sending from an older page is refused."""
    return version_of(review)


def get_previous_sent(*, account: Account, period: Period) -> Review | None:
    return (
        account.reviews.filter(status=ReviewStatus.SENT, period_to__lte=period.end)
        .order_by("-period_to", "-sent_at", "-pk").first()
    )


def prepare(*, user: User, account: Account, period: Period) -> Review:
    """The draft review of ``account`` for ``period``, made now if there is none: it starts
    from the open topics of the account's previous sent review. Two people preparing it at
    once get the same draft (a unique constraint holds one draft per period)."""
    existing = get_draft(account=account, period=period)
    if existing is not None:
        return existing
    now = clock.now()
    previous = get_previous_sent(account=account, period=period)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                account=account, period=period.key, period_from=period.start,
                period_to=period.end, previous=previous, created_by=user, created_at=now,
                updated_at=now,
            )
            if previous is not None:
                ReviewTopic.objects.bulk_create([
                    ReviewTopic(
                        review=review, position=topic.position, kind=topic.kind,
                        title=topic.title, text=topic.text, is_open=True,
                        carried_from=topic.carried_from or previous, updated_by=user,
                        updated_at=now,
                    )
                    for topic in previous.topics.filter(is_open=True).order_by("position", "pk")
                ])
            audit.record(user=user, action="review.prepare", subject=audit.subject_of(account),
                         detail={"review": review.pk, "period": period.key})
    except IntegrityError:
        found = get_draft(account=account, period=period)
        if found is None:
            raise
        return found
    return review


def _editable(review: Review) -> Review:
    """``review`` locked for the caller's transaction, refused when it was sent."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.is_sent:
        raise InvalidInput(
            "This review was sent: what the customer saw stays as it was. Prepare the next "
            "review to change anything."
        )
    return locked


def _checked(record: MetricComment | ReviewTopic) -> None:
    """Run the record's declared checks; InvalidInput naming each field's problem."""
    try:
        record.full_clean(exclude=["review", "carried_from", "updated_by"])
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
        named = "; ".join(
            f"{_field_label(record, field)}: {' '.join(messages)}"
            for field, messages in errors.items()
        )
        raise InvalidInput(f"Nothing was saved. {named}", errors) from None


def _field_label(record: MetricComment | ReviewTopic, field: str) -> str:
    try:
        found = record._meta.get_field(field)
    except FieldDoesNotExist:  # a check across fields ("__all__")
        return "The record"
    return str(getattr(found, "verbose_name", field)).capitalize()


def _touch(review: Review, now: datetime) -> None:
    """The review changed: a new version for the send form (the row is locked)."""
    review.updated_at = now
    review.revision += 1
    review.save(update_fields=["updated_at", "revision"])


def save_comment(
    *, user: User, review: Review, metric: str, what_happened: str, what_we_are_doing: str,
    version: str,
) -> MetricComment:
    """Write the owner's commentary on ``metric``. ``version`` is the commentary's version
    the page showed ("" when there was none): when someone saved it since, nothing is
    written (StaleVersion)."""
    now = clock.now()
    with transaction.atomic():
        locked_review = _editable(review)
        period = parse_period(locked_review.period)
        measured = ServiceMetric.objects.filter(
            account_id=locked_review.account_id, metric=metric, period__gte=period.months[0],
            period__lte=period.months[-1],
        ).exists()
        if not measured:
            raise InvalidInput(f"{metric!r} is not a metric of this review.",
                               {"metric": ["Choose a metric the review shows."]})
        comment = locked_review.comments.filter(metric=metric).first()
        if comment is None:
            if version:
                raise StaleVersion(
                    "This commentary was removed since you read it; nothing was saved.",
                    current_version="",
                )
            comment = MetricComment(review=locked_review, metric=metric)
        else:
            comment = lock_if_unchanged(comment, expected=version)
        comment.what_happened = what_happened.strip()
        comment.what_we_are_doing = what_we_are_doing.strip()
        comment.updated_by = user
        comment.updated_at = now
        _checked(comment)
        try:
            with transaction.atomic():
                comment.save()
        except IntegrityError:
            # Someone wrote the first commentary on this metric at the same moment.
            current = locked_review.comments.get(metric=metric)
            raise StaleVersion(
                "Someone else wrote this commentary at the same moment; nothing was saved. "
                "Read it and re-apply your change.",
                current_version=version_of(current), record=current,
            ) from None
        _touch(locked_review, now)
        audit.record(user=user, action="review.comment", subject=audit.subject_of(review.account),
                     detail={"review": review.pk, "metric": metric})
    return comment


def add_topic(*, user: User, review: Review, kind: str, title: str, text: str) -> ReviewTopic:
    now = clock.now()
    with transaction.atomic():
        locked_review = _editable(review)
        last = locked_review.topics.order_by("-position").values_list("position", flat=True).first()
        topic = ReviewTopic(
            review=locked_review, position=(last or 0) + 1, kind=kind, title=title.strip(),
            text=text.strip(), updated_by=user, updated_at=now,
        )
        _checked(topic)
        topic.save()
        _touch(locked_review, now)
        audit.record(user=user, action="review.topic.add", subject=audit.subject_of(review.account),
                     detail={"review": review.pk, "topic": topic.pk})
    return topic


def update_topic(
    *, user: User, review: Review, topic_id: int, kind: str, title: str, text: str,
    is_open: bool, version: str,
) -> ReviewTopic:
    """Change one topic; StaleVersion (nothing written) when it changed since ``version``."""
    now = clock.now()
    with transaction.atomic():
        locked_review = _editable(review)
        topic = locked_review.topics.filter(pk=topic_id).first()
        if topic is None:
            raise NotFound("No such topic: it may have been removed.")
        topic = lock_if_unchanged(topic, expected=version)
        topic.kind, topic.title, topic.text = kind, title.strip(), text.strip()
        topic.is_open = is_open
        topic.updated_by, topic.updated_at = user, now
        _checked(topic)
        topic.save()
        _touch(locked_review, now)
        audit.record(user=user, action="review.topic.update",
                     subject=audit.subject_of(review.account),
                     detail={"review": review.pk, "topic": topic.pk})
    return topic


def delete_topic(*, user: User, review: Review, topic_id: int, version: str) -> None:
    now = clock.now()
    with transaction.atomic():
        locked_review = _editable(review)
        topic = locked_review.topics.filter(pk=topic_id).first()
        if topic is None:
            return
        topic = lock_if_unchanged(topic, expected=version)
        topic.delete()
        _touch(locked_review, now)
        audit.record(user=user, action="review.topic.delete",
                     subject=audit.subject_of(review.account),
                     detail={"review": review.pk, "topic": topic_id})


@dataclass(frozen=True)
class Sent:
    review: Review
    link: SharedReview | None
    token: str
    """The customer's token, shown once; empty when no link was asked for."""


def send(
    *, user: User, review: Review, version: str, link_days: int | None = None,
    as_of: date | None = None,
) -> Sent:
    """Freeze the draft as the customer sees it (its snapshot) and, with ``link_days``, make
    the customer's link. ``version`` is the review's version the sender saw: when anyone
    changed it since, nothing is sent (StaleVersion), so nobody sends words they have not
    read."""
    now = clock.now()
    with transaction.atomic():
        locked = _editable(review)
        current = review_version(locked)
        if not matches(version, current):
            raise StaleVersion(
                "Someone changed this review since you opened it; nothing was sent. Read it "
                "again, then send it.",
                current_version=current, record=locked,
            )
        content = get_content(review=locked, as_of=as_of)
        content["sent_at"] = now.isoformat()
        content["sent_by"] = _person(user)
        locked.snapshot = content
        locked.status = ReviewStatus.SENT
        locked.sent_at, locked.sent_by, locked.updated_at = now, user, now
        locked.save(update_fields=["snapshot", "status", "sent_at", "sent_by", "updated_at"])
        audit.record(user=user, action="review.send", subject=audit.subject_of(review.account),
                     detail={"review": review.pk, "period": review.period})
        link, token = (None, "")
        if link_days is not None:
            link, token = share(user=user, review=locked, days=link_days)
    return Sent(review=locked, link=link, token=token)


def share(*, user: User, review: Review, days: int) -> tuple[SharedReview, str]:
    """A new link to the sent ``review`` for the customer, open ``days`` days; the token is
    shown once. A draft cannot be shared: the customer sees only what was sent."""
    if not review.is_sent:
        raise InvalidInput("Send the review first: the customer sees only what was sent.")
    return shared_links.create(
        SharedReview, user=user, days=days, subject=review.account, action="review.share",
        review=review,
    )


def revoke(*, user: User, review: Review, link_id: int) -> SharedReview:
    return shared_links.revoke(
        review.shared_links.all(), user=user, link_id=link_id, subject=review.account,
        action="review.revoke",
    )


def get_links(*, review: Review) -> list[SharedReview]:
    return list(review.shared_links.select_related("created_by").order_by("-created_at", "-pk"))


def get_open_link(*, token: str) -> SharedReview:
    """The customer's link of ``token`` while it is open; NotFound otherwise, alike for an
    unknown, revoked or expired one."""
    return shared_links.get_open(
        SharedReview.objects.select_related("review__account"), token=token
    )
