"""Deal warnings: open opportunities going quiet, unanswered, overdue, single-threaded, without
power, or stalled in a stage.

A deal is open on the day when it has not closed by then; one query per rule over every open
deal in scope. The deal's conversations are those on its account (interactions name no deal).
"""

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from heedful.accounts.models import Contact, ContactRoleType
from heedful.interactions.models import Direction, Interaction, InteractionKind
from heedful.plays import facts
from heedful.plays.rules.base import (
    CUSTOMER_CONTACT_KINDS,
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    end_of,
    local_date,
    money,
    plural,
    scoped,
    start_of,
)
from heedful.sales.models import Opportunity, Stage, StageChange

NEVER = datetime(1900, 1, 1, tzinfo=UTC)
REPLY: DateTimeField = DateTimeField()

DEAL_FACTS = {
    "opportunity": facts.record("Deal", "opportunities"),
    "amount": facts.money("Amount"),
}


def open_deals(as_of: date, account_ids: Sequence[int] | None) -> QuerySet[Opportunity]:
    return scoped(Opportunity.objects.all(), account_ids).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of),
        Q(created_on__isnull=True) | Q(created_on__lte=as_of),
    )


DEAL_COLUMNS = (
    "pk", "external_id", "name", "account_id", "owner_id", "amount", "currency", "stage",
    "close_date",
)


def deal_facts(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "opportunity": facts.reference(row["external_id"], row["name"]),
        "amount": None if row["amount"] is None else str(row["amount"]),
        "currency": row["currency"],
    }


def deal_words(row: dict[str, Any]) -> str:
    amount = f" ({money(row['amount'], row['currency'])})" if row["amount"] is not None else ""
    return f"The deal {row['name']}{amount}"


class DealRule(Rule):
    priority_bumps = (0, 0)

    def finding(
        self, row: dict[str, Any], limits: Thresholds, *, title: str, explanation: str,
        facts_of: dict[str, Any], action: str, period: str = "",
    ) -> Finding:
        return Finding(
            account_id=row["account_id"], subject=f"opportunity:{row['external_id']}",
            owner_id=row["owner_id"], priority=self.priority(limits), urgent=False,
            title=title, explanation=explanation, facts={**deal_facts(row), **facts_of},
            suggested_action=action, period=period,
        )


class NoActivity(DealRule):
    key = "deals.no_activity"
    name = "Deals with no activity"
    reads = frozenset({"opportunity", "interaction"})
    defaults = {"quiet_days": 21, "priority": 40}
    threshold_labels = {"quiet_days": "Flag an open deal with no customer contact for (days)"}
    declared_facts = {
        **DEAL_FACTS,
        "last_contact_on": facts.day("Last customer contact"),
        "days_quiet": facts.days("Quiet for"),
        "threshold_days": facts.days("Flagged after"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        quiet_days = int(limits["quiet_days"])
        contact = Interaction.objects.filter(
            account=OuterRef("account_id"), kind__in=CUSTOMER_CONTACT_KINDS,
            occurred_at__lt=end_of(as_of),
        )
        recent = contact.filter(occurred_at__gte=start_of(as_of - timedelta(days=quiet_days)))
        last = contact.order_by("-occurred_at").values("occurred_at")[:1]
        rows = (
            open_deals(as_of, account_ids)
            .filter(~Exists(recent))
            .annotate(last_contact=Subquery(last))
            .order_by()
            .values(*DEAL_COLUMNS, "last_contact")
        )
        for row in rows:
            last_day = local_date(row["last_contact"]) if row["last_contact"] else None
            if last_day is None:
                since = "has had no customer contact on record"
                quiet = None
            else:
                quiet = (as_of - last_day).days
                since = (
                    f"has had no customer contact since {day(last_day)}: "
                    f"{days_phrase(quiet)}, more than {quiet_days}"
                )
            yield self.finding(
                row, limits, title=f"No activity on {row['name']}",
                explanation=f"{deal_words(row)} {since}.",
                facts_of={
                    "last_contact_on": last_day.isoformat() if last_day else None,
                    "days_quiet": quiet, "threshold_days": quiet_days,
                },
                action="Call the customer with a reason that moves the deal: the next step "
                "you agreed, or the value it serves them.",
                period=last_day.isoformat() if last_day else "never",
            )


class Ghosted(DealRule):
    key = "deals.ghosted"
    name = "Deals whose customer stopped answering"
    reads = frozenset({"opportunity", "interaction"})
    defaults = {"unanswered_emails": 3, "priority": 55}
    threshold_labels = {"unanswered_emails": "Flag after this many of our e-mails unanswered"}
    declared_facts = {
        **DEAL_FACTS,
        "unanswered_emails": facts.number("Our e-mails unanswered"),
        "last_reply_on": facts.day("Last reply from the customer"),
        "threshold_emails": facts.number("Flagged after"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        needed = int(limits["unanswered_emails"])
        before_end = Q(occurred_at__lt=end_of(as_of))
        last_reply = (
            Interaction.objects.filter(
                before_end, account=OuterRef("account_id"),
                direction__in=(Direction.INBOUND, Direction.TWO_WAY),
            )
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        unanswered = (
            Interaction.objects.filter(
                before_end, account=OuterRef("account_id"), kind=InteractionKind.EMAIL,
                direction=Direction.OUTBOUND,
            )
            .filter(occurred_at__gt=OuterRef("reply_floor"))
            .order_by()
            .values("account")
            .annotate(count=Count("pk"))
            .values("count")
        )
        rows = (
            open_deals(as_of, account_ids)
            .annotate(last_reply=Subquery(last_reply))
            # Never answered: every e-mail counts.
            .annotate(reply_floor=Coalesce("last_reply", Value(NEVER, output_field=REPLY)))
            .annotate(unanswered=Coalesce(Subquery(unanswered), 0))
            .filter(unanswered__gte=needed)
            .order_by()
            .values(*DEAL_COLUMNS, "last_reply", "unanswered")
        )
        for row in rows:
            reply = local_date(row["last_reply"]) if row["last_reply"] else None
            since = f"since their last reply on {day(reply)}" if reply else "and none answered"
            count = row["unanswered"]
            yield self.finding(
                row, limits, title=f"{row['name']}: {plural(count, 'e-mail')} unanswered",
                explanation=(
                    f"{deal_words(row)}: we sent {plural(count, 'e-mail')} {since}, "
                    f"{needed} or more."
                ),
                facts_of={
                    "unanswered_emails": count, "threshold_emails": needed,
                    "last_reply_on": reply.isoformat() if reply else None,
                },
                action="Stop e-mailing: call, or ask someone else they know to reach them.",
                period=reply.isoformat() if reply else "never",
            )


class Overdue(DealRule):
    key = "deals.overdue"
    # One play per deal: the first of these that finds something about it says the rest.
    same_record_as = (
        "deals.ghosted", "deals.stalled", "deals.no_activity", "deals.no_power",
        "deals.single_threaded",
    )
    name = "Deals past their close date"
    reads = frozenset({"opportunity"})
    defaults = {"grace_days": 0, "priority": 50}
    threshold_labels = {"grace_days": "Flag an open deal this many days after its close date"}
    declared_facts = {
        **DEAL_FACTS,
        "close_date": facts.day("Close date"),
        "days_overdue": facts.days("Overdue by"),
        "threshold_days": facts.days("Grace"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        grace = int(limits["grace_days"])
        rows = (
            open_deals(as_of, account_ids)
            .filter(close_date__lt=as_of - timedelta(days=grace))
            .order_by()
            .values(*DEAL_COLUMNS)
        )
        for row in rows:
            late = (as_of - row["close_date"]).days
            yield self.finding(
                row, limits, title=f"{row['name']} is past its close date",
                explanation=(
                    f"{deal_words(row)} was to close on {day(row['close_date'])} and is still "
                    f"open: {days_phrase(late)} late."
                ),
                facts_of={
                    "close_date": row["close_date"].isoformat(), "days_overdue": late,
                    "threshold_days": grace,
                },
                action="Agree a real close date with the customer, or close the deal as lost.",
                period=row["close_date"].isoformat(),
            )


def engaged_contacts(window_days: int, as_of: date) -> QuerySet[Contact]:
    """Contacts of the deal's account (``OuterRef("account_id")``) in a conversation of the
    last ``window_days``."""
    return Contact.objects.filter(
        account=OuterRef("account_id"),
        interactions__occurred_at__gte=start_of(as_of - timedelta(days=window_days)),
        interactions__occurred_at__lt=end_of(as_of),
        interactions__kind__in=CUSTOMER_CONTACT_KINDS,
    )


class SingleThreaded(DealRule):
    key = "deals.single_threaded"
    name = "Single-threaded deals"
    reads = frozenset({"opportunity", "interaction", "contact"})
    defaults = {"least_contacts": 2, "window_days": 90, "priority": 40}
    threshold_labels = {
        "least_contacts": "Flag a deal with fewer customer contacts engaged than",
        "window_days": "Counting conversations of the last (days)",
    }
    declared_facts = {
        **DEAL_FACTS,
        "contacts_engaged": facts.number("Customer contacts engaged"),
        "threshold_contacts": facts.number("At least"),
        "window_days": facts.days("Over the last"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        least, window = int(limits["least_contacts"]), int(limits["window_days"])
        engaged = (
            engaged_contacts(window, as_of).order_by().values("account")
            .annotate(count=Count("pk", distinct=True)).values("count")
        )
        rows = (
            open_deals(as_of, account_ids)
            .annotate(engaged=Coalesce(Subquery(engaged), 0))
            .filter(engaged__lt=least)
            .order_by()
            .values(*DEAL_COLUMNS, "engaged")
        )
        for row in rows:
            count = row["engaged"]
            yield self.finding(
                row, limits, title=f"{row['name']} hangs on {plural(count, 'contact')}",
                explanation=(
                    f"{deal_words(row)} has {plural(count, 'customer contact')} engaged in "
                    f"the last {window} days, fewer than {least}."
                ),
                facts_of={
                    "contacts_engaged": count, "threshold_contacts": least,
                    "window_days": window,
                },
                action="Ask your contact who else the decision touches, and meet them.",
                period=str(count),
            )


class NoPower(DealRule):
    key = "deals.no_power"
    name = "Deals with no executive or decision maker engaged"
    reads = frozenset({"opportunity", "interaction", "contact"})
    defaults = {"window_days": 90, "priority": 45}
    threshold_labels = {"window_days": "Counting conversations of the last (days)"}
    declared_facts = {
        **DEAL_FACTS,
        "window_days": facts.days("Over the last"),
        "decision_makers": facts.contact("Decision makers on record", many=True),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        window = int(limits["window_days"])
        # Power: an executive, or where the customer's org chart is on record, someone at
        # its top (people report to them, they report to nobody).
        powerful = Q(role_type=ContactRoleType.EXECUTIVE) | Q(
            Exists(Contact.objects.filter(reports_to=OuterRef("pk"))), reports_to__isnull=True
        )
        rows = (
            open_deals(as_of, account_ids)
            .filter(~Exists(engaged_contacts(window, as_of).filter(powerful)))
            .order_by()
            .values(*DEAL_COLUMNS)
        )
        found = list(rows)
        known: dict[int, list[dict[str, Any]]] = {}
        for contact in Contact.objects.filter(
            powerful, account_id__in={row["account_id"] for row in found}
        ).values("account_id", "external_id", "full_name"):
            known.setdefault(contact["account_id"], []).append(
                facts.reference(contact["external_id"], contact["full_name"])
            )
        for row in found:
            names = known.get(row["account_id"], [])
            who = (
                "; on record: " + ", ".join(person["name"] for person in names)
                if names else "; none is on record"
            )
            yield self.finding(
                row, limits, title=f"No decision maker in {row['name']}",
                explanation=(
                    f"{deal_words(row)} has had no executive or decision maker in a "
                    f"conversation in the last {window} days{who}."
                ),
                facts_of={"window_days": window, "decision_makers": names},
                action="Ask your sponsor to introduce you to whoever signs, with the value "
                "the deal serves in their words.",
            )


class Stalled(DealRule):
    key = "deals.stalled"
    name = "Deals stalled in a stage"
    reads = frozenset({"opportunity", "stagechange", "stage"})
    defaults = {"days_over_norm": 0, "priority": 45}
    threshold_labels = {
        "days_over_norm": "Flag a deal this many days beyond its stage's norm",
    }
    declared_facts = {
        **DEAL_FACTS,
        "stage": facts.text("Stage"),
        "in_stage_since": facts.day("In the stage since"),
        "days_in_stage": facts.days("In the stage for"),
        "norm_days": facts.days("Norm for the stage"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        extra = int(limits["days_over_norm"])
        norms: dict[str, int] = {
            name: norm
            for name, norm in Stage.objects.filter(norm_days__isnull=False).values_list(
                "name", "norm_days"
            )
            if norm is not None
        }
        if not norms:
            return
        entered = (
            StageChange.objects.filter(
                opportunity=OuterRef("pk"), stage=OuterRef("stage"),
                changed_at__lt=end_of(as_of),
            )
            .order_by()
            .values("opportunity")
            .annotate(last=Max("changed_at"))
            .values("last")
        )
        late = Q(pk__in=[])
        for name, norm in norms.items():
            late |= Q(stage=name, entered__lt=start_of(as_of - timedelta(days=norm + extra)))
        rows = (
            open_deals(as_of, account_ids)
            .filter(stage__in=list(norms))
            .annotate(entered=Subquery(entered))
            .filter(late)
            .order_by()
            .values(*DEAL_COLUMNS, "entered")
        )
        for row in rows:
            since = local_date(row["entered"])
            days_in = (as_of - since).days
            norm = norms[row["stage"]]
            yield self.finding(
                row, limits, title=f"{row['name']} has stalled in {row['stage']}",
                explanation=(
                    f"{deal_words(row)} has been in {row['stage']} since {day(since)}: "
                    f"{days_phrase(days_in)}, beyond the stage's norm of {norm} days"
                    + (f" by more than {extra}." if extra else ".")
                ),
                facts_of={
                    "stage": row["stage"], "in_stage_since": since.isoformat(),
                    "days_in_stage": days_in, "norm_days": norm,
                },
                action="Find what the customer needs to take the next step, and agree it "
                "with them.",
                period=f"{row['stage']}:{since.isoformat()}",
            )

