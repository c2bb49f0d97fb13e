"""Customer programmes: every part of the company meets the customer, leaders who ask to see
a customer get taken along, and a customer who registered for an event and did not come
hears from us.

"Expose as many people in your company to the customer as you can. Engineers, managers,
marketing, finance: the works." "Demand that the sales team take you out to see the
customers."
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery

from heedful.accounts.models import Account, TeamMembership, TeamRole
from heedful.core.models import Department
from heedful.events.models import EventFormat, Invitation, InvitationStatus
from heedful.interactions.models import Interaction, InteractionKind
from heedful.meetings.models import Attendee, MeetingStatus
from heedful.plays import facts
from heedful.plays.rules.base import (
    CUSTOMER_CONTACT_KINDS,
    FACE_TO_FACE_KINDS,
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    display_name,
    end_of,
    local_date,
    scoped,
    start_of,
)
from heedful.programs.models import JoinRequest

MET_KINDS = (InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.VISIT)
"""What counts as meeting the customer: a conversation, not an e-mail or a note."""
IMPORTANT_TIERS = ("enterprise",)
"""An account of these tiers (segments), or one with an executive sponsor, is important."""


def important_accounts(as_of: date):  # noqa: ANN201
    """Accounts that matter most: the top tier, or one an executive sponsors."""
    sponsored = TeamMembership.objects.active(as_of).filter(
        account_id=OuterRef("pk"), role=TeamRole.EXECUTIVE_SPONSOR
    )
    return Q(segment__in=IMPORTANT_TIERS) | Q(Exists(sponsored))


class NoExposure(Rule):
    key = "programs.no_exposure"
    reads = frozenset({"interaction", "meeting", "attendee", "teammembership"})
    name = "Important customer meets only sales"
    defaults = {"window_days": 180, "priority": 35}
    threshold_labels = {"window_days": "Look at who met them in the last (days)"}
    declared_facts = {
        "window_days": facts.days("Looked back"),
        "last_met_on": facts.day("Last met"),
        "last_met_by": facts.person("Last met by"),
        "tier": facts.text("Tier"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        window_days = int(limits["window_days"])
        since, until = start_of(as_of - timedelta(days=window_days)), end_of(as_of)
        met = Interaction.objects.filter(
            account_id=OuterRef("pk"), kind__in=MET_KINDS, occurred_at__gte=since,
            occurred_at__lt=until,
        )
        by_sales = met.filter(user__department=Department.SALES)
        by_others = met.exclude(user__department__in=("", Department.SALES)).filter(
            user__isnull=False
        )
        meetings_with_others = Attendee.objects.filter(
            meeting__account_id=OuterRef("pk"), user__isnull=False,
            meeting__scheduled_start__gte=since, meeting__scheduled_start__lt=until,
        ).exclude(meeting__status=MeetingStatus.CANCELLED).exclude(
            user__department__in=("", Department.SALES)
        )
        last_sales = by_sales.order_by("-occurred_at")
        rows = (
            scoped(Account.objects.all(), account_ids, via="")
            .filter(important_accounts(as_of))
            .filter(Exists(by_sales), ~Exists(by_others), ~Exists(meetings_with_others))
            .annotate(
                last_met_at=Subquery(last_sales.values("occurred_at")[:1]),
                last_met_by_id=Subquery(last_sales.values("user_id")[:1]),
                last_met_by_name=Subquery(last_sales.values("user__full_name")[:1]),
                last_met_by_username=Subquery(last_sales.values("user__username")[:1]),
            )
            .values(
                "pk", "name", "segment", "owner_id", "last_met_at", "last_met_by_id",
                "last_met_by_name", "last_met_by_username",
            )
        )
        for row in rows:
            met_by = display_name(row["last_met_by_name"], row["last_met_by_username"])
            met_on = local_date(row["last_met_at"])
            tier = row["segment"] or "sponsored"
            yield Finding(
                account_id=row["pk"],
                subject="exposure",
                period=f"{as_of.year}-Q{(as_of.month - 1) // 3 + 1}",
                owner_id=row["owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"Only sales has met {row['name']} in {days_phrase(window_days)}",
                explanation=(
                    f"{row['name']} is an important account ({tier}); in the last "
                    f"{days_phrase(window_days)} everyone who met them was from sales (last "
                    f"{met_by} on {day(met_on)}): no engineer, product manager, leader or "
                    "anyone else from the company."
                ),
                facts={
                    "window_days": window_days,
                    "last_met_on": met_on.isoformat(),
                    "last_met_by": facts.reference(row["last_met_by_id"], met_by),
                    "tier": tier,
                },
                suggested_action=(
                    "Bring someone who is not selling to your next meeting or visit: the "
                    "engineer who builds what they use, a product manager, their executive "
                    "sponsor. Ask the customer what they want them to hear."
                ),
            )


class LeaderJoin(Rule):
    key = "programs.leader_join"
    reads = frozenset({"joinrequest", "interaction", "meeting", "attendee"})
    name = "A leader asked to see the customer"
    defaults = {"maximum_days": 90, "priority": 60}
    threshold_labels = {"maximum_days": "Keep asking for (days after the request)"}
    declared_facts = {
        "leader": facts.person("Leader"),
        "asked_on": facts.day("Asked on"),
        "note": facts.text("Wants to hear"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        since = start_of(as_of - timedelta(days=int(limits["maximum_days"])))
        met_since = Interaction.objects.filter(
            account_id=OuterRef("account_id"), user_id=OuterRef("leader_id"),
            kind__in=FACE_TO_FACE_KINDS, occurred_at__gte=OuterRef("asked_at"),
        )
        invited_since = Attendee.objects.filter(
            meeting__account_id=OuterRef("account_id"), user_id=OuterRef("leader_id"),
            meeting__scheduled_start__gte=OuterRef("asked_at"),
        ).exclude(meeting__status=MeetingStatus.CANCELLED)
        rows = (
            scoped(JoinRequest.objects.all(), account_ids)
            .filter(asked_at__gte=since, asked_at__lt=end_of(as_of))
            .filter(~Exists(met_since), ~Exists(invited_since))
            .values(
                "pk", "account_id", "account__name", "account__owner_id", "asked_at", "note",
                "leader_id", "leader__full_name", "leader__username", "leader__title",
            )
        )
        for row in rows:
            leader = display_name(row["leader__full_name"], row["leader__username"])
            asked_on = local_date(row["asked_at"])
            title = f", {row['leader__title']}," if row["leader__title"] else ""
            wants = f' They want to hear: "{row["note"]}".' if row["note"] else ""
            yield Finding(
                account_id=row["account_id"],
                subject=f"join:{row['pk']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"Take {leader} to {row['account__name']}",
                explanation=(
                    f"{leader}{title} asked on {day(asked_on)} to join the next meeting or "
                    f"visit at {row['account__name']}; no meeting with them is booked yet.{wants}"
                ),
                facts={
                    "leader": facts.reference(row["leader_id"], leader),
                    "asked_on": asked_on.isoformat(),
                    "note": row["note"] or None,
                },
                suggested_action=(
                    f"Add {leader} to your next meeting or visit with them (or book one), and "
                    "brief them on the account first."
                ),
            )


class EventNoShow(Rule):
    key = "programs.event_no_show"
    reads = frozenset({"invitation", "event", "interaction"})
    name = "Registered for an event and did not come"
    defaults = {"maximum_days": 21, "priority": 40}
    threshold_labels = {"maximum_days": "Follow up until (days after the event)"}
    declared_facts = {
        "contact": facts.contact("Registered"),
        "event": facts.text("Event"),
        "event_on": facts.day("Held on"),
        "format": facts.choice("Format", EventFormat),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        since = start_of(as_of - timedelta(days=int(limits["maximum_days"])))
        heard_since = Interaction.objects.filter(
            account_id=OuterRef("account_id"), contacts=OuterRef("contact_id"),
            kind__in=CUSTOMER_CONTACT_KINDS, occurred_at__gte=OuterRef("event__ends_at"),
        )
        rows = (
            scoped(Invitation.objects.all(), account_ids)
            .filter(
                status=InvitationStatus.REGISTERED, contact__do_not_contact=False,
                event__attendance_recorded_at__isnull=False,
                event__ends_at__gte=since, event__ends_at__lt=end_of(as_of),
            )
            .filter(~Exists(heard_since))
            .values(
                "account_id", "account__owner_id", "event_id", "event__topic",
                "event__starts_at", "event__format", "contact__external_id",
                "contact__full_name", "contact__preferred_name",
            )
        )
        for row in rows:
            name = row["contact__full_name"]
            address_as = row["contact__preferred_name"] or name.split(" ")[0]
            held_on = local_date(row["event__starts_at"])
            yield Finding(
                account_id=row["account_id"],
                subject=f"event:{row['event_id']}:contact:{row['contact__external_id']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"{address_as} missed “{row['event__topic']}”",
                explanation=(
                    f"{name} registered for “{row['event__topic']}” on {day(held_on)} and did "
                    "not come; nobody has been in touch since."
                ),
                facts={
                    "contact": facts.reference(row["contact__external_id"], name),
                    "event": row["event__topic"],
                    "event_on": held_on.isoformat(),
                    "format": row["event__format"],
                },
                suggested_action=(
                    f"Send {address_as} the recording or the notes, and ask what they would "
                    "have wanted to say: their problem is what the event was for."
                ),
            )
