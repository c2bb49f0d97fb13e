"""Tickets: the account team hears of every new one, and calls once it is resolved.

"I've actually had my phones turned off and the sales team from the telcom provider never even
knew." "Call me up and check to see if it got fixed, how it got fixed and how it can be
avoided in the future."
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from heedful.interactions.models import Interaction
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
    scoped,
    start_of,
)
from heedful.support.models import OPEN_TICKET_STATUSES, Ticket, TicketStatus

# A ticket of this severity or worse holds back pitches while it is open.
HOLDING_SEVERITY = 2


def quoted(subject: str) -> str:
    return f' "{subject}"' if subject else ""


class TicketOpened(Rule):
    key = "support.ticket_opened"
    reads = frozenset({"ticket", "contact"})
    name = "Ticket opened"
    defaults = {"recent_days": 2, "urgent_severity": 1, "priority": 60}
    threshold_labels = {
        "recent_days": "Flag tickets opened in the last (days)",
        "urgent_severity": "Urgent at this severity or worse (1 is the worst)",
    }
    declared_facts = {
        "ticket": facts.record("Ticket", "tickets"),
        "severity": facts.number("Severity (1 is highest)"),
        "status": facts.choice("Status", TicketStatus),
        "opened_at": facts.moment("Opened"),
        "subject": facts.hidden(),  # the ticket's name
        "window_days": facts.days("Looked back"),
    }

    def hurting_account_ids(
        self, *, as_of: date, account_ids: Sequence[int] | None
    ) -> set[int]:
        """Accounts with an open severity-1 or 2 ticket, however old: no pitch while their
        service is down."""
        tickets = scoped(Ticket.objects.all(), account_ids).filter(
            status__in=OPEN_TICKET_STATUSES, severity__lte=HOLDING_SEVERITY,
            opened_at__lt=end_of(as_of),
        )
        return set(tickets.order_by().values_list("account_id", flat=True).distinct())

    def holds_pitches(self, finding: Finding) -> bool:
        return finding.urgent or finding.facts["severity"] <= HOLDING_SEVERITY

    @staticmethod
    def _bump(severity: int, urgent: bool) -> int:
        return (3 - severity) * 15 + (5 if urgent else 0)

    def bumps(self, thresholds: Thresholds) -> tuple[int, int]:
        """Severity 4 (urgent only if ``urgent_severity`` reaches it) to severity 1."""
        urgent_severity = int(thresholds["urgent_severity"])
        return self._bump(4, urgent_severity >= 4), self._bump(1, urgent_severity >= 1)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        recent_days = int(limits["recent_days"])
        urgent_severity = int(limits["urgent_severity"])
        rows = (
            scoped(Ticket.objects.all(), account_ids)
            .filter(
                status__in=OPEN_TICKET_STATUSES,
                opened_at__gte=start_of(as_of - timedelta(days=recent_days)),
                opened_at__lt=end_of(as_of),
            )
            .values(
                "account_id", "account__owner_id", "external_id", "subject", "severity",
                "status", "opened_at", "contact__full_name",
            )
        )
        for row in rows:
            severity = row["severity"]
            urgent = severity <= urgent_severity
            opened = row["opened_at"]
            contact = row["contact__full_name"]
            reported_by = f", reported by {contact}" if contact else ""
            explanation = (
                f"Severity-{severity} ticket {row['external_id']}{quoted(row['subject'])} was "
                f"opened on {day(local_date(opened))}{reported_by} and is still "
                f"{TicketStatus(row['status']).label.lower()}."
            )
            if urgent:
                action = (
                    "Call them now: say you know about it, who is working on it, and that you "
                    "will call back as soon as it is fixed."
                )
            else:
                action = (
                    f"Let them know you have seen ticket {row['external_id']} and will check "
                    "back with them once it is resolved."
                )
            yield Finding(
                account_id=row["account_id"],
                subject=f"ticket:{row['external_id']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, self._bump(severity, urgent)),
                urgent=urgent,
                title=f"Severity-{severity} ticket opened: {row['subject'] or row['external_id']}",
                explanation=explanation,
                facts={
                    "ticket": facts.reference(row["external_id"], row["subject"]),
                    "severity": severity,
                    "status": row["status"],
                    "opened_at": opened.isoformat(),
                    "subject": row["subject"],
                    "window_days": recent_days,
                },
                suggested_action=action,
            )


class ResolvedCheckin(Rule):
    key = "support.resolved_checkin"
    reads = frozenset({"ticket", "interaction"})
    name = "Check in after a resolved ticket"
    defaults = {"recent_days": 7, "priority": 60}
    threshold_labels = {"recent_days": "Check in after tickets resolved in the last (days)"}
    declared_facts = {
        "ticket": facts.record("Ticket", "tickets"),
        "severity": facts.number("Severity (1 is highest)"),
        "opened_at": facts.moment("Opened"),
        "resolved_at": facts.moment("Resolved"),
        "days_since_resolved": facts.days("Since resolved"),
        "window_days": facts.days("Looked back"),
    }
    priority_bumps = (0, 10)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        recent_days = int(limits["recent_days"])
        contact_since = Interaction.objects.filter(
            account_id=OuterRef("account_id"),
            kind__in=CUSTOMER_CONTACT_KINDS,
            occurred_at__gt=OuterRef("resolved_at"),
            occurred_at__lt=end_of(as_of),
        )
        rows = (
            scoped(Ticket.objects.all(), account_ids)
            .filter(
                status__in=(TicketStatus.RESOLVED, TicketStatus.CLOSED),
                resolved_at__isnull=False,
                resolved_at__gte=start_of(as_of - timedelta(days=recent_days)),
                resolved_at__lt=end_of(as_of),
            )
            .filter(~Exists(contact_since))
            .values(
                "account_id", "account__owner_id", "account__name", "external_id", "subject",
                "severity", "opened_at", "resolved_at",
            )
        )
        for row in rows:
            resolved_on = local_date(row["resolved_at"])
            days_ago = (as_of - resolved_on).days
            when = "today" if days_ago == 0 else f"{days_phrase(days_ago)} ago"
            yield Finding(
                account_id=row["account_id"],
                subject=f"ticket:{row['external_id']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, max(0, 3 - row["severity"]) * 5),
                urgent=False,
                title=(
                    f"Check in: “{row['subject']}” was resolved" if row["subject"]
                    else f"Check in: their severity-{row['severity']} ticket was resolved"
                ),
                explanation=(
                    f"Severity-{row['severity']} ticket {row['external_id']}"
                    f"{quoted(row['subject'])} was resolved on {day(resolved_on)} "
                    f"({when}), and nobody has been in touch with {row['account__name']} since."
                ),
                facts={
                    "ticket": facts.reference(row["external_id"], row["subject"]),
                    "severity": row["severity"],
                    "opened_at": row["opened_at"].isoformat(),
                    "resolved_at": row["resolved_at"].isoformat(),
                    "days_since_resolved": days_ago,
                    "window_days": recent_days,
                },
                suggested_action=(
                    "Call to check it is really fixed, how it was fixed, and how it can be "
                    "avoided in the future."
                ),
            )
