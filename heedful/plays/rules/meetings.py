"""Meetings the customer values: a stated value before, a summary after, promises kept.

"If we cannot name the value a meeting creates for the customer, we are not ready and must
cancel it." A meeting ends with a playback of what we heard and action items (who will do
what by when), and ours are done when we said.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from heedful.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    display_name,
    end_of,
    listed,
    local_date,
    plural,
    scoped,
    start_of,
)

BLANK = Q(customer_value="") | Q(customer_value__regex=r"^\s*$")
SHOWN_ITEMS = 3


def _owner(row: dict[str, Any]) -> int | None:
    """Who prepares and follows up: the meeting's organizer, else the account's owner."""
    return row["organizer_id"] or row["account__owner_id"]


class NoValueStatement(Rule):
    key = "meetings.no_value_statement"
    name = "Meeting without a value for the customer"
    reads = frozenset({"meeting"})
    defaults = {"days_ahead": 7, "priority": 60, "soon_days": 2, "soon_bump": 15}
    threshold_labels = {
        "days_ahead": "Look at meetings in the next (days)",
        "soon_days": "A meeting this close is more pressing (days)",
        "soon_bump": "Priority added when it is that close",
    }
    declared_facts = {
        "meeting": facts.text("Meeting"),
        "starts_at": facts.moment("Starts"),
        "days_to_go": facts.days("Days to go"),
    }

    def bumps(self, thresholds: Thresholds) -> tuple[int, int]:
        return 0, int(thresholds["soon_bump"])

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        rows = (
            scoped(Meeting.objects.all(), account_ids)
            .filter(
                BLANK,
                status=MeetingStatus.SCHEDULED,
                scheduled_start__gte=start_of(as_of),
                scheduled_start__lt=end_of(as_of + timedelta(days=int(limits["days_ahead"]))),
            )
            .values(
                "id", "title", "scheduled_start", "account_id", "account__name",
                "account__owner_id", "organizer_id",
            )
        )
        for row in rows:
            starts_on = local_date(row["scheduled_start"])
            days_to_go = (starts_on - as_of).days
            bump = int(limits["soon_bump"]) if days_to_go <= int(limits["soon_days"]) else 0
            account = row["account__name"]
            yield Finding(
                account_id=row["account_id"],
                subject=f"meeting:{row['id']}",
                owner_id=_owner(row),
                priority=self.priority(limits, bump),
                urgent=False,
                title=f"Say what {account} gains from “{row['title']}”, or cancel it",
                explanation=(
                    f"The meeting “{row['title']}” with {account} on {day(starts_on)} "
                    f"({'today' if days_to_go == 0 else 'in ' + days_phrase(days_to_go)}) "
                    "states no value for the customer: if we cannot say what they gain, we are "
                    "not ready."
                ),
                facts={
                    "meeting": row["title"],
                    "starts_at": row["scheduled_start"].isoformat(),
                    "days_to_go": days_to_go,
                },
                suggested_action=(
                    f"Write on the meeting's page what {account} will gain from it; if nobody "
                    "can, cancel it and tell them why."
                ),
                period=starts_on.isoformat(),
            )


class NoSummary(Rule):
    key = "meetings.no_summary"
    name = "Meeting held without a summary"
    reads = frozenset({"meeting", "actionitem"})
    defaults = {"hours_after": 24, "recent_days": 14, "priority": 50}
    threshold_labels = {
        "hours_after": "Hours after the meeting's end",
        "recent_days": "Look at meetings that ended in the last (days)",
    }
    declared_facts = {
        "meeting": facts.text("Meeting"),
        "ended_at": facts.moment("Ended"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        # As of today: now; as of an earlier day: the end of that day.
        now = min(timezone.now(), end_of(as_of))
        ended_by = now - timedelta(hours=float(limits["hours_after"]))
        rows = (
            scoped(Meeting.objects.all(), account_ids)
            .exclude(status=MeetingStatus.CANCELLED)
            .annotate(ended_at=Coalesce("actual_end", "scheduled_end"))
            .filter(
                Q(playback_summary="") | Q(playback_summary__regex=r"^\s*$"),
                ended_at__lte=ended_by,
                ended_at__gte=start_of(as_of - timedelta(days=int(limits["recent_days"]))),
            )
            .exclude(Exists(ActionItem.objects.filter(meeting=OuterRef("pk"))))
            .values(
                "id", "title", "ended_at", "account_id", "account__name", "account__owner_id",
                "organizer_id",
            )
        )
        for row in rows:
            ended_on = local_date(row["ended_at"])
            account = row["account__name"]
            yield Finding(
                account_id=row["account_id"],
                subject=f"meeting:{row['id']}",
                owner_id=_owner(row),
                priority=self.priority(limits),
                urgent=False,
                title=f"Summarise “{row['title']}” for {account}",
                explanation=(
                    f"The meeting “{row['title']}” with {account} ended on {day(ended_on)} and "
                    "has neither a playback of what we heard nor an action item."
                ),
                facts={"meeting": row["title"], "ended_at": row["ended_at"].isoformat()},
                suggested_action=(
                    "Write the playback in the customer's words and the action items (who will "
                    f"do what by when), then send {account} the follow-up."
                ),
            )


class ActionItemsOverdue(Rule):
    key = "meetings.action_items_overdue"
    name = "Our action items past due"
    reads = frozenset({"actionitem", "meeting"})
    defaults = {"priority": 55, "late_days": 14, "late_bump": 10}
    threshold_labels = {
        "late_days": "An item this late is more pressing (days)",
        "late_bump": "Priority added when one is that late",
    }
    declared_facts = {
        "items": facts.text("Past due", many=True),
        "oldest_due_on": facts.day("Oldest due"),
        "count": facts.number("Items past due"),
        "owner": facts.person("Owner"),
    }

    def bumps(self, thresholds: Thresholds) -> tuple[int, int]:
        return 0, int(thresholds["late_bump"])

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        rows = (
            scoped(ActionItem.objects.all(), account_ids, via="meeting__account")
            .filter(
                status=ActionStatus.OPEN, user__isnull=False, due_on__lt=as_of,
            )
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .order_by("due_on", "id")
            .values(
                "id", "what", "due_on", "user_id", "user__username", "user__full_name",
                "meeting__account_id", "meeting__account__name", "meeting__title",
            )
        )
        by_owner: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_owner[(row["meeting__account_id"], row["user_id"])].append(row)
        for (account_id, user_id), items in by_owner.items():
            oldest = items[0]["due_on"]
            late_days = (as_of - oldest).days
            bump = int(limits["late_bump"]) if late_days >= int(limits["late_days"]) else 0
            owner = display_name(items[0]["user__full_name"], items[0]["user__username"])
            account = items[0]["meeting__account__name"]
            shown = [f"“{item['what']}” (due {day(item['due_on'])})" for item in items]
            more = len(shown) - SHOWN_ITEMS
            listed_items = listed(shown[:SHOWN_ITEMS] + ([f"{more} more"] if more > 0 else []))
            yield Finding(
                account_id=account_id,
                subject=f"action_items:{user_id}",
                owner_id=user_id,
                priority=self.priority(limits, bump),
                urgent=False,
                title=f"{plural(len(items), 'action item')} for {account} past due",
                explanation=(
                    f"{owner} promised {account} {listed_items}; the oldest is "
                    f"{days_phrase(late_days)} late."
                ),
                facts={
                    "items": [item["what"] for item in items],
                    "oldest_due_on": oldest.isoformat(),
                    "count": len(items),
                    "owner": facts.reference(user_id, owner),
                },
                suggested_action=(
                    f"Do them, or tell {account} when they will be done and change the dates."
                ),
            )
