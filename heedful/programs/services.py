"""The sponsor programme and customer time, as leadership reads them; a leader's demand to
see a customer.

Who sponsors whom is the account team (role ``executive_sponsor``, running today); an
account's tier is its segment, and ``VisitCadence`` says how often its sponsor should meet
or visit it. Every figure here is one query (or a few) over the accounts the viewer may see.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from heedful.accounts import records
from heedful.accounts.models import Account, AccountStatus, TeamMembership, TeamRole
from heedful.accounts.visibility import report_ids, visible_accounts
from heedful.billing.models import Invoice, reporting_currency
from heedful.billing.services import in_reporting_currency
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotAllowed
from heedful.core.models import Department, Role, User
from heedful.interactions.models import Interaction, InteractionKind
from heedful.lib import clock
from heedful.meetings.models import Attendee, MeetingStatus
from heedful.programs.forms import JoinRequestForm, VisitCadenceForm
from heedful.programs.models import (
    DEFAULT_CADENCE_DAYS,
    OTHER_TIER_CADENCE_DAYS,
    JoinRequest,
    SharedPraise,
    VisitCadence,
)

FACE_TO_FACE = (InteractionKind.MEETING, InteractionKind.VISIT)
REMOTE = (InteractionKind.CALL,)
MET_KINDS = (*FACE_TO_FACE, *REMOTE)
HEARD_PER_PAIR = 3
"""How many of a sponsor's latest interactions with the customer the page quotes."""
REVENUE_DAYS = 365
"""Revenue is what the account was invoiced for periods starting in the last year."""


def is_leader(user: User) -> bool:
    """Leadership reads the programme and may demand to see a customer: managers,
    executives, admins and anyone an admin marked senior."""
    return user.is_active and (
        user.role in (Role.MANAGER, Role.EXECUTIVE, Role.ADMIN) or user.is_senior
    )


def get_all_cadences(*, user: User) -> QuerySet[VisitCadence]:
    """The tiers whose cadence an admin set (the others use ``DEFAULT_CADENCE_DAYS``)."""
    return VisitCadence.objects.all()


def get_cadence_or_raise(*, user: User, segment: str) -> VisitCadence:
    return records.get_or_raise(get_all_cadences(user=user), segment=segment)


def _may_set_cadences(user: User) -> None:
    if not user.is_staff:
        raise NotAllowed("Only an admin may set how often sponsors see customers.")


def create_cadence(*, user: User, data: Mapping[str, Any]) -> VisitCadence:
    _may_set_cadences(user)
    return records.create_with_form(VisitCadenceForm, user=user, data=data)  # type: ignore[no-any-return]


def update_cadence(*, user: User, segment: str, changes: Mapping[str, Any]) -> VisitCadence:
    _may_set_cadences(user)
    return records.update_with_form(
        VisitCadenceForm, user=user, queryset=get_all_cadences(user=user),
        lookup={"segment": segment}, changes=changes,
    )


def cadence_days() -> dict[str, int]:
    """Each tier's visit cadence: the code's defaults, with what an admin set."""
    days = dict(DEFAULT_CADENCE_DAYS)
    days.update(VisitCadence.objects.values_list("segment", "visit_every_days"))
    return days


def cadence_for(tier: str, days: dict[str, int]) -> int:
    return days.get(tier, OTHER_TIER_CADENCE_DAYS)


# -- the programme -------------------------------------------------------------------------


@dataclass
class Pair:
    """One sponsor on one account."""

    sponsor: User
    account: Account
    tier: str
    since: date | None
    cadence_days: int
    last_visit: datetime | None
    next_meeting: datetime | None
    due_on: date
    is_overdue: bool
    heard: list[Interaction] = field(default_factory=list)


@dataclass(frozen=True)
class TierGap:
    tier: str
    accounts: int
    revenue: Decimal


@dataclass
class Programme:
    as_of: date
    senior_count: int
    sponsor_count: int
    pairs: list[Pair]
    overdue_count: int
    unsponsored_by_tier: list[TierGap]
    unsponsored_count: int
    sponsors_without_account: list[User]
    reporting_currency: str


NEVER = datetime(1970, 1, 1, tzinfo=UTC)
PAIR_SORTS = {
    "due": lambda pair: (pair.due_on, pair.account.name),
    "sponsor": lambda pair: (pair.sponsor.display_name, pair.account.name),
    "account": lambda pair: (pair.account.name, pair.sponsor.display_name),
    "last": lambda pair: (pair.last_visit is not None, pair.last_visit or NEVER, pair.account.name),
}
DEFAULT_PAIR_SORT = "due"


def _sponsor_rows(viewer: User, as_of: date) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.active(as_of).filter(
        role=TeamRole.EXECUTIVE_SPONSOR, account__in=visible_accounts(viewer),
        account__status=AccountStatus.CUSTOMER,
    )


def get_programme(*, viewer: User, as_of: date, sort: str = DEFAULT_PAIR_SORT) -> Programme:
    """Who sponsors whom among the accounts ``viewer`` sees, with each pair's last and next
    visit and whether it is overdue; the customers without a sponsor by tier and revenue;
    the senior people who sponsor nobody."""
    now = clock.now()
    days = cadence_days()
    last_visit = Interaction.objects.filter(
        account_id=OuterRef("account_id"), user_id=OuterRef("user_id"),
        kind__in=FACE_TO_FACE, occurred_at__lte=now,
    ).order_by("-occurred_at").values("occurred_at")[:1]
    next_meeting = Attendee.objects.filter(
        meeting__account_id=OuterRef("account_id"), user_id=OuterRef("user_id"),
        meeting__scheduled_start__gt=now,
    ).exclude(meeting__status=MeetingStatus.CANCELLED).order_by(
        "meeting__scheduled_start"
    ).values("meeting__scheduled_start")[:1]
    memberships = (
        _sponsor_rows(viewer, as_of)
        .select_related("user", "account", "account__owner")
        .annotate(last_visit=Subquery(last_visit), next_meeting=Subquery(next_meeting))
    )
    pairs = []
    for membership in memberships:
        tier = membership.account.segment
        cadence = cadence_for(tier, days)
        last = membership.last_visit  # type: ignore[attr-defined]
        counted_from = timezone.localtime(last).date() if last else (membership.start_date or as_of)
        due_on = counted_from + timedelta(days=cadence)
        pairs.append(Pair(
            sponsor=membership.user, account=membership.account, tier=tier,
            since=membership.start_date, cadence_days=cadence, last_visit=last,
            next_meeting=membership.next_meeting,  # type: ignore[attr-defined]
            due_on=due_on, is_overdue=due_on < as_of,
        ))
    pairs.sort(key=PAIR_SORTS.get(sort, PAIR_SORTS[DEFAULT_PAIR_SORT]))
    senior = User.objects.filter(is_active=True, is_senior=True)
    sponsoring = TeamMembership.objects.active(as_of).filter(
        user_id=OuterRef("pk"), role=TeamRole.EXECUTIVE_SPONSOR
    )
    gaps = (
        unsponsored_accounts(viewer=viewer, as_of=as_of).order_by()
        .values("segment").annotate(accounts=Count("pk"), total=Sum("revenue"))
        .order_by("segment")
    )
    by_tier = [
        TierGap(tier=row["segment"], accounts=row["accounts"], revenue=row["total"] or Decimal(0))
        for row in gaps
    ]
    by_tier.sort(key=lambda gap: (-gap.revenue, gap.tier))
    return Programme(
        as_of=as_of,
        senior_count=senior.count(),
        sponsor_count=len({pair.sponsor.pk for pair in pairs}),
        pairs=pairs,
        overdue_count=sum(pair.is_overdue for pair in pairs),
        unsponsored_by_tier=by_tier,
        unsponsored_count=sum(gap.accounts for gap in by_tier),
        sponsors_without_account=list(senior.filter(~Exists(sponsoring)).order_by("full_name")),
        reporting_currency=reporting_currency(),
    )


def attach_heard(pairs: list[Pair]) -> None:
    """What each sponsor heard: their latest interactions with the customer (subjects),
    for the pairs shown, in one query."""
    if not pairs:
        return
    wanted = Q()
    for pair in pairs:
        wanted |= Q(user_id=pair.sponsor.pk, account_id=pair.account.pk)
    found: dict[tuple[int, int], list[Interaction]] = defaultdict(list)
    for interaction in Interaction.objects.filter(wanted).exclude(subject="").order_by(
        "-occurred_at"
    ):
        key = (interaction.user_id or 0, interaction.account_id)
        if len(found[key]) < HEARD_PER_PAIR:
            found[key].append(interaction)
    for pair in pairs:
        pair.heard = found[(pair.sponsor.pk, pair.account.pk)]


UNSPONSORED_SORTS = {
    "revenue": ("-revenue", "name"), "-revenue": ("revenue", "name"),
    "name": ("name",), "-name": ("-name",), "tier": ("segment", "-revenue", "name"),
    "-tier": ("-segment", "-revenue", "name"),
}


def unsponsored_accounts(
    *, viewer: User, as_of: date, sort: str = "revenue"
) -> QuerySet[Account]:
    """Customers the viewer sees that have no executive sponsor today, each with its
    revenue of the last year in the reporting currency (``revenue``; invoices in a currency
    without a rate count nothing)."""
    sponsored = TeamMembership.objects.active(as_of).filter(
        account_id=OuterRef("pk"), role=TeamRole.EXECUTIVE_SPONSOR
    )
    amount: DecimalField[Any, Any] = DecimalField(max_digits=30, decimal_places=10)
    revenue = (
        Invoice.objects.filter(
            account_id=OuterRef("pk"), period_start__gt=as_of - timedelta(days=REVENUE_DAYS)
        )
        .annotate(converted=in_reporting_currency(amount="amount", currency="currency"))
        .order_by().values("account_id").annotate(total=Sum("converted")).values("total")
    )
    return (
        visible_accounts(viewer).filter(status=AccountStatus.CUSTOMER)
        .filter(~Exists(sponsored))
        .annotate(revenue=Coalesce(Subquery(revenue, output_field=amount), Decimal(0),
                                   output_field=amount))
        .select_related("owner")
        .order_by(*UNSPONSORED_SORTS.get(sort, UNSPONSORED_SORTS["revenue"]))
    )


# -- demand to see customers ---------------------------------------------------------------


def ask_to_join(*, leader: User, account: Account, note: str = "") -> JoinRequest:
    """A leader asks to join the next meeting or visit at ``account`` (one they may see):
    the owner gets a play (``programs.leader_join``) until a meeting with the leader is
    booked or held. Asking twice while the first is pending adds nothing."""
    if not is_leader(leader):
        raise InvalidInput("Only leaders ask to see customers this way: ask the account owner.")
    note = note.strip()[:500]
    with transaction.atomic():
        pending = JoinRequest.objects.select_for_update().filter(
            account=account, leader=leader, asked_at__gte=clock.now() - timedelta(days=90)
        ).first()
        if pending is not None and not _met_since(pending):
            return pending
        request = JoinRequest.objects.create(
            account=account, leader=leader, asked_at=clock.now(), note=note
        )
        audit.record(
            user=leader, action="joinrequest.create", subject=audit.subject_of(account),
            detail={"join_request": request.pk, "note": note},
        )
        records.tell_written(request)
    return request


def get_all_join_requests(*, user: User) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "leader"
    )


def get_join_request_or_raise(*, user: User, id: int) -> JoinRequest:  # noqa: A002
    return records.get_or_raise(get_all_join_requests(user=user), pk=id)


def create_join_request(*, user: User, data: Mapping[str, Any]) -> JoinRequest:
    """``user`` asks to see the account ``data`` names (the API): as ``ask_to_join``, after
    the account is found among those they see (404 otherwise, before anything else)."""
    account = records.get_or_raise(visible_accounts(user), external_id=data.get("account"))
    if not is_leader(user):
        raise NotAllowed("Only leaders ask to see customers this way: ask the account owner.")
    return ask_to_join(leader=user, account=account, note=data.get("note") or "")


def update_join_request(
    *, user: User, id: int, changes: Mapping[str, Any]  # noqa: A002
) -> JoinRequest:
    """A leader changes their own request (another's is not found for them)."""
    return records.update_with_form(
        JoinRequestForm, user=user, queryset=get_all_join_requests(user=user).filter(leader=user),
        lookup={"pk": id}, changes=changes,
    )


def _met_since(request: JoinRequest) -> bool:
    return Interaction.objects.filter(
        account_id=request.account_id, user_id=request.leader_id, kind__in=FACE_TO_FACE,
        occurred_at__gte=request.asked_at,
    ).exists() or Attendee.objects.filter(
        meeting__account_id=request.account_id, user_id=request.leader_id,
        meeting__scheduled_start__gte=request.asked_at,
    ).exclude(meeting__status=MeetingStatus.CANCELLED).exists()


# -- customer time -------------------------------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def recent_quarters(today: date, count: int = 6) -> list[str]:
    """This quarter and the ones before it, newest first, for the page's choice."""
    quarters, year, number = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        quarters.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return quarters


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """"2026-Q4" → (1 Oct 2026, 1 Jan 2027): the first day and the day after the last.
    InvalidInput for anything else."""
    try:
        year_text, number_text = quarter.upper().split("-Q")
        year, number = int(year_text), int(number_text)
        if not 1 <= number <= 4 or not 2000 <= year <= 2100:
            raise ValueError(quarter)
    except ValueError:
        raise InvalidInput("Choose a quarter as YYYY-Qn, e.g. 2026-Q4.") from None
    first = date(year, 3 * number - 2, 1)
    after = date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    return first, after


@dataclass
class PersonTime:
    person: User
    customers: int = 0
    face_to_face: int = 0
    remote: int = 0


@dataclass
class DepartmentTime:
    department: str
    label: str
    people: int = 0
    customers: int = 0
    face_to_face: int = 0
    remote: int = 0


@dataclass
class CustomerTime:
    quarter: str
    departments: list[DepartmentTime]
    people: list[PersonTime]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _is_remote_location(location: str) -> bool:
    lowered = location.lower()
    return "://" in lowered or any(word in lowered for word in ("video", "teams", "zoom", "call"))


def get_customer_time(*, viewer: User, quarter: str) -> CustomerTime:
    """Per department and per person: the customers (accounts) met in ``quarter``, and how
    often face to face (a meeting or visit; a meeting at an address) and remotely (a call; a
    meeting by video link). Each interaction counts for the one of us it names, each meeting
    for every one of us attending it. Only accounts the viewer may see count."""
    first, after = quarter_bounds(quarter)
    since, until = _midnight(first), _midnight(after)
    seen = visible_accounts(viewer).values("pk")
    encounters: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"accounts": set(), "face_to_face": 0, "remote": 0}
    )
    interactions = Interaction.objects.filter(
        account__in=seen, user__isnull=False, kind__in=MET_KINDS,
        occurred_at__gte=since, occurred_at__lt=until,
    ).values_list("user_id", "account_id", "kind")
    for user_id, account_id, kind in interactions:
        entry = encounters[user_id]
        entry["accounts"].add(account_id)
        entry["face_to_face" if kind in FACE_TO_FACE else "remote"] += 1
    attendances = Attendee.objects.filter(
        meeting__account__in=seen, user__isnull=False,
        meeting__scheduled_start__gte=since, meeting__scheduled_start__lt=until,
    ).exclude(meeting__status=MeetingStatus.CANCELLED).values_list(
        "user_id", "meeting__account_id", "meeting__location"
    )
    for user_id, account_id, location in attendances:
        entry = encounters[user_id]
        entry["accounts"].add(account_id)
        entry["remote" if _is_remote_location(location) else "face_to_face"] += 1
    people = {user.pk: user for user in User.objects.filter(pk__in=list(encounters))}
    rows = sorted(
        (
            PersonTime(person=people[user_id], customers=len(entry["accounts"]),
                       face_to_face=entry["face_to_face"], remote=entry["remote"])
            for user_id, entry in encounters.items() if user_id in people
        ),
        key=lambda row: (-row.customers, row.person.display_name),
    )
    labels = dict(Department.choices)
    departments: dict[str, DepartmentTime] = {}
    accounts_of: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        key = row.person.department
        shown = departments.setdefault(
            key, DepartmentTime(department=key, label=labels.get(key, "No department set"))
        )
        shown.people += 1
        shown.face_to_face += row.face_to_face
        shown.remote += row.remote
        accounts_of[key] |= encounters[row.person.pk]["accounts"]
    for key, shown in departments.items():
        shown.customers = len(accounts_of[key])
    return CustomerTime(
        quarter=quarter,
        departments=sorted(departments.values(), key=lambda d: (-d.customers, d.label)),
        people=rows,
    )


def accounts_meeting_only_sales(*, viewer: User) -> QuerySet[Account]:
    """Customers the viewer sees whom someone from sales has met (a call, meeting or visit)
    and nobody from any other department ever has."""
    met = Interaction.objects.filter(account_id=OuterRef("pk"), kind__in=MET_KINDS)
    attended = Attendee.objects.filter(
        meeting__account_id=OuterRef("pk"), user__isnull=False
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    others = ("", Department.SALES)
    return (
        visible_accounts(viewer).filter(status=AccountStatus.CUSTOMER)
        .filter(
            Exists(met.filter(user__department=Department.SALES))
            | Exists(attended.filter(user__department=Department.SALES))
        )
        .filter(
            ~Exists(met.filter(user__isnull=False).exclude(user__department__in=others)),
            ~Exists(attended.exclude(user__department__in=others)),
        )
        .select_related("owner").order_by("name")
    )


# -- praise in public ----------------------------------------------------------------------

PRAISE_TAG = ";praise;"


def praise_to_share(*, manager: User) -> QuerySet[Interaction]:
    """Praise of the people who report to ``manager`` (directly or not; every praise for an
    executive or admin) not shared yet, newest first: what the rule
    ``feedback.praise_to_manager`` routed to them."""
    praise = Interaction.objects.filter(
        tags__contains=PRAISE_TAG, user__isnull=False, shared_praise__isnull=True
    )
    if not manager.sees_every_account:
        praise = praise.filter(user_id__in=report_ids(manager) - {manager.pk})
    return praise.select_related("user", "account").order_by("-occurred_at", "-pk")


def share_praise(
    *, manager: User, interaction_id: int, customer_words: str, customer_agreed: bool
) -> SharedPraise:
    """Share one praise on the team page with the customer's words, only when the customer
    agreed; InvalidInput (nothing written) otherwise."""
    words_said = customer_words.strip()
    errors: dict[str, list[str]] = {}
    if not customer_agreed:
        errors["customer_agreed"] = ["Share it only once the customer has agreed."]
    if not words_said:
        errors["customer_words"] = ["Write the customer's words, as they agreed to share them."]
    if errors:
        raise InvalidInput("The praise was not shared.", errors)
    with transaction.atomic():
        interaction = records.get_or_raise(
            praise_to_share(manager=manager).select_for_update(of=("self",)), pk=interaction_id
        )
        shared = SharedPraise.objects.create(
            interaction=interaction, customer_words=words_said[:2000], customer_agreed=True,
            shared_by=manager, shared_at=clock.now(),
        )
        audit.record(user=manager, action="praise.share", subject=audit.subject_of(interaction),
                     detail={"shared_praise": shared.pk})
    return shared


def shared_praise() -> QuerySet[SharedPraise]:
    """The team page: every praise shared, newest first (the customer agreed to each)."""
    return SharedPraise.objects.select_related(
        "interaction__user", "interaction__account", "shared_by"
    ).order_by("-shared_at", "-pk")
