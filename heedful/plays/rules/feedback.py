"""Praise: route a customer's compliment to the praised person's manager.

"Have I ever sent your boss an email telling you what a great job you did? Would I even know
who that was?"
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from heedful.interactions.models import Interaction, InteractionKind
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    display_name,
    end_of,
    local_date,
    scoped,
    start_of,
    tag_filter,
)

PRAISE_TAG = "praise"
KIND_WORDS = {
    "email": "an e-mail", "call": "a call", "meeting": "a meeting", "visit": "a visit",
    "note": "a note", "chat": "a chat",
}


class PraiseToManager(Rule):
    key = "feedback.praise_to_manager"
    reads = frozenset({"interaction"})
    name = "Praise to pass to a manager"
    defaults = {"recent_days": 30, "priority": 40}
    threshold_labels = {"recent_days": "Look at praise of the last (days)"}
    declared_facts = {
        "praised": facts.person("Praised"),
        "occurred_on": facts.day("When"),
        "kind": facts.choice("In", InteractionKind),
        "subject": facts.text("About"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        recent_days = int(limits["recent_days"])
        rows = (
            scoped(Interaction.objects.all(), account_ids)
            .filter(
                tag_filter(PRAISE_TAG),
                user__isnull=False,
                user__manager__isnull=False,
                occurred_at__gte=start_of(as_of - timedelta(days=recent_days)),
                occurred_at__lt=end_of(as_of),
            )
            .values(
                "account_id", "account__name", "natural_key", "occurred_at", "kind", "subject",
                "user_id", "user__username", "user__full_name", "user__manager_id",
            )
        )
        for row in rows:
            praised = display_name(row["user__full_name"], row["user__username"])
            praised_on = local_date(row["occurred_at"])
            about = f' ("{row["subject"]}")' if row["subject"] else ""
            yield Finding(
                account_id=row["account_id"],
                subject=f"praise:{row['natural_key'][:20]}",
                owner_id=row["user__manager_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"{row['account__name']} praised {praised}",
                explanation=(
                    f"On {day(praised_on)} {row['account__name']} praised {praised} in "
                    f"{KIND_WORDS.get(row['kind'], row['kind'])}{about}; {praised} reports to you."
                ),
                facts={
                    "praised": facts.reference(row["user_id"], praised),
                    "occurred_on": praised_on.isoformat(),
                    "kind": row["kind"],
                    "subject": row["subject"],
                },
                suggested_action=(
                    f"Thank the customer for telling us, then recognise {praised} in front of "
                    "the team and note it for their next review."
                ),
            )
