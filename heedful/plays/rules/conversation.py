"""Listening, measured: a rep who asks fewer questions than they make statements.

"Measure people on their questions-to-comments ratio: at least 1." The minimum is the
conversation bands' (``heedful.meetings.bands``), the one an admin sets for the meeting pages
too, so the rule and the pages never disagree.
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Sum

from heedful.meetings.bands import current_bands
from heedful.meetings.models import MeetingStatus, SpeakerFigures
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    account_filter,
    display_name,
    end_of,
    number,
    plural,
    start_of,
)


class LowQuestionRatio(Rule):
    key = "conversation.low_question_ratio"
    name = "A rep who asks too few questions"
    reads = frozenset({"speakerfigures", "transcript", "meeting", "conversationbands"})
    defaults = {"period_days": 30, "minimum_meetings": 1, "priority": 35}
    threshold_labels = {
        "period_days": "Over the meetings of the last (days)",
        "minimum_meetings": "Only with at least this many transcripts",
    }
    declared_facts = {
        "rep": facts.person("Rep"),
        "question_ratio": facts.number("Questions per statement"),
        "minimum_question_ratio": facts.number("At least"),
        "questions": facts.number("Questions"),
        "statements": facts.number("Statements"),
        "meetings": facts.number("Meetings with a transcript"),
        "period_days": facts.days("Over the last"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        period_days = int(limits["period_days"])
        minimum = current_bands().minimum_question_ratio
        # The rep's ratio is over all their meetings (not only the accounts scanned now);
        # the play sits on the account of their latest one.
        in_period = {
            "user__isnull": False,
            "is_internal": True,
            "statements__isnull": False,
            "transcript__meeting__scheduled_start__gte": start_of(
                as_of - timedelta(days=period_days - 1)
            ),
            "transcript__meeting__scheduled_start__lt": end_of(as_of),
        }
        spoken = SpeakerFigures.objects.filter(
            account_filter(None, "transcript__meeting__account"), **in_period
        ).exclude(transcript__meeting__status=MeetingStatus.CANCELLED)
        latest_account = (
            spoken.filter(user_id=OuterRef("user_id"))
            .order_by("-transcript__meeting__scheduled_start", "-transcript__meeting_id")
            .values("transcript__meeting__account_id")[:1]
        )
        rows = (
            spoken.values("user_id", "user__username", "user__full_name", "user__manager_id")
            .annotate(
                questions=Sum("questions"),
                statements=Sum("statements"),
                meetings=Count("transcript__meeting", distinct=True),
                account_id=Subquery(latest_account),
            )
            .order_by("user_id")
        )
        for row in rows:
            if not row["statements"] or row["meetings"] < int(limits["minimum_meetings"]):
                continue
            if row["questions"] / row["statements"] >= minimum:
                continue
            if account_ids is not None and row["account_id"] not in account_ids:
                continue
            yield from self._findings(row, row["account_id"], minimum, period_days, limits)

    def _findings(
        self, row: dict[str, Any], account_id: int, minimum: float, period_days: int,
        limits: Thresholds,
    ) -> Iterator[Finding]:
        rep = display_name(row["user__full_name"], row["user__username"])
        ratio = row["questions"] / row["statements"]
        said = (
            f"asked {number(round(ratio, 2))} questions for each statement in "
            f"{plural(row['meetings'], 'meeting')} of the last {period_days} days "
            f"({plural(row['questions'], 'question')}, "
            f"{plural(row['statements'], 'statement')}); at least {number(minimum)} is a "
            "conversation."
        )
        shared = {
            "rep": facts.reference(row["user_id"], rep),
            "question_ratio": round(ratio, 2),
            "minimum_question_ratio": minimum,
            "questions": row["questions"],
            "statements": row["statements"],
            "meetings": row["meetings"],
            "period_days": period_days,
        }
        yield Finding(
            account_id=account_id,
            subject=f"rep:{row['user_id']}",
            owner_id=row["user_id"],
            priority=self.priority(limits),
            urgent=False,
            title="Ask more than you tell",
            explanation=f"You {said}",
            facts=shared,
            suggested_action=(
                "Before your next meeting, write down five open questions about the customer's "
                "business, and ask them before you present anything."
            ),
        )
        if row["user__manager_id"]:
            yield Finding(
                account_id=account_id,
                subject=f"rep:{row['user_id']}:manager",
                owner_id=row["user__manager_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"{rep} asks fewer questions than they make statements",
                explanation=f"{rep}, who reports to you, {said}",
                facts=shared,
                suggested_action=(
                    f"Listen to one of {rep}'s recorded meetings with them and coach one habit: "
                    "a question before each point."
                ),
            )
