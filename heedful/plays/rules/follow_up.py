"""Meetings: the follow-up call to a customer who does not want it by e-mail.

"Communicate action items: who will do what by when", in the channel the person prefers.
The follow-up of a meeting (``meetings.services.send_follow_up``) e-mails those who prefer
e-mail; for everyone else at the meeting it is a call, and this rule keeps that call in the
owner's queue until a call, meeting or visit with them is on the timeline.
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from heedful.accounts.models import Channel
from heedful.interactions.models import Interaction, InteractionKind
from heedful.meetings.models import Attendee
from heedful.plays import facts
from heedful.plays.rules.base import Finding, Rule, Thresholds, day, end_of, scoped, start_of

SPOKEN_KINDS = (InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.VISIT)


class FollowUpCall(Rule):
    key = "meetings.follow_up_call"
    reads = frozenset({"meeting", "attendee", "contact", "interaction"})
    name = "Call to follow up a meeting"
    defaults = {"maximum_days": 14, "priority": 65}
    threshold_labels = {"maximum_days": "Until (days after the follow-up)"}
    declared_facts = {
        "contact": facts.contact("Call"),
        "meeting": facts.text("Meeting"),
        "follow_up_sent_on": facts.day("Follow-up sent"),
        "preferred_channel": facts.choice("Prefers", Channel),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        since = start_of(as_of - timedelta(days=int(limits["maximum_days"])))
        spoken_since = Interaction.objects.filter(
            account_id=OuterRef("meeting__account_id"),
            contacts=OuterRef("contact_id"),
            kind__in=SPOKEN_KINDS,
            occurred_at__gte=OuterRef("meeting__follow_up_sent_at"),
            occurred_at__lt=end_of(as_of),
        )
        prefers_email = Q(contact__preferred_channel__in=("", Channel.EMAIL)) & ~Q(
            contact__email=""
        )
        rows = (
            scoped(Attendee.objects.all(), account_ids, via="meeting__account")
            .filter(
                contact__isnull=False, contact__do_not_contact=False,
                meeting__follow_up_sent_at__gte=since,
                meeting__follow_up_sent_at__lt=end_of(as_of),
            )
            .exclude(prefers_email)
            .filter(~Exists(spoken_since))
            .values(
                "meeting_id", "meeting__title", "meeting__account_id", "meeting__organizer_id",
                "meeting__account__owner_id", "meeting__follow_up_sent_at",
                "contact__external_id", "contact__full_name", "contact__preferred_name",
                "contact__preferred_channel",
            )
        )
        for row in rows:
            name = row["contact__full_name"]
            address_as = row["contact__preferred_name"] or name.split(" ")[0]
            sent = row["meeting__follow_up_sent_at"]
            yield Finding(
                account_id=row["meeting__account_id"],
                subject=f"meeting:{row['meeting_id']}:contact:{row['contact__external_id']}",
                owner_id=row["meeting__organizer_id"] or row["meeting__account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"Call {address_as} to follow up “{row['meeting__title']}”",
                explanation=(
                    f"The follow-up of “{row['meeting__title']}” went out on {day(sent)}; "
                    f"{name} does not take it by e-mail, and nobody has called since."
                ),
                facts={
                    "contact": facts.reference(row["contact__external_id"], name),
                    "meeting": row["meeting__title"],
                    "follow_up_sent_on": sent.date().isoformat(),
                    "preferred_channel": row["contact__preferred_channel"],
                },
                suggested_action=(
                    f"Call {address_as}: go through what we heard and the action items, who "
                    "does what by when, and log the call."
                ),
            )
