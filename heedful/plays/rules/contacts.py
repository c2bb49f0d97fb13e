"""Contacts: key people gone quiet, and accounts where we only ever talk to technicians.

"Being connected though is more than sending me an invite." "Do I even know who my account
team is?"
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from heedful.accounts.models import Channel, Contact, ContactRoleType
from heedful.interactions.models import TWO_WAY_CONVERSATION, Interaction
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    end_of,
    local_date,
    parts_period,
    plural,
    scoped,
    start_of,
)

TWO_WAY = TWO_WAY_CONVERSATION  # a conversation, not a broadcast (one meaning everywhere)


class GoneCold(Rule):
    key = "contacts.gone_cold"
    reads = frozenset({"contact", "interaction"})
    name = "Key contacts gone cold"
    defaults = {"quiet_days": 90, "priority": 35}
    threshold_labels = {"quiet_days": "Flag a key contact with no conversation for (days)"}
    declared_facts = {
        "contact": facts.contact("Contact"),
        "contacts": facts.contact("Key contacts gone cold", many=True),
        "last_conversation_on": facts.day("Last two-way conversation"),
        "days_quiet": facts.days("Quiet for"),
        "threshold_days": facts.days("Flagged after"),
        "preferred_channel": facts.choice("Prefers", Channel),
        "never_spoken_with": facts.contact("Never spoken with", many=True),
        "most_days_quiet": facts.days("Longest quiet"),
    }
    priority_bumps = (0, 5)
    one_play_per_account = True

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        quiet_days = int(limits["quiet_days"])
        last_conversation = (
            Interaction.objects.filter(
                TWO_WAY, contacts=OuterRef("pk"), occurred_at__lt=end_of(as_of)
            )
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        # "No conversation since" as NOT EXISTS: filtering on the annotation made the
        # database run the correlated subquery three times per key contact.
        recent_conversation = Interaction.objects.filter(
            TWO_WAY, contacts=OuterRef("pk"),
            occurred_at__gte=start_of(as_of - timedelta(days=quiet_days)),
            occurred_at__lt=end_of(as_of),
        )
        rows = (
            scoped(Contact.objects.all(), account_ids)
            .filter(is_key=True, do_not_contact=False)
            .filter(~Exists(recent_conversation))
            .annotate(last_conversation=Subquery(last_conversation))
            .order_by()
            .values(
                "account_id", "account__owner_id", "external_id", "full_name", "preferred_name",
                "title", "preferred_channel", "last_conversation",
            )
        )
        channel_words = {
            "email": "by e-mail", "phone": "by phone", "in_person": "in person",
            "video": "on a video call", "chat": "by chat",
        }
        zone = timezone.get_current_timezone()
        for row in rows:
            last = row["last_conversation"]
            name = row["full_name"]
            who = f"{name} ({row['title']})" if row["title"] else name
            if last is None:
                since = "has never had a two-way conversation with us on record"
                days_quiet = None
                last_day = None
            else:
                last_day = local_date(last, zone)
                days_quiet = (as_of - last_day).days
                since = (
                    "has not had a two-way conversation with us since "
                    f"{day(last_day)}: {days_phrase(days_quiet)}, more than {quiet_days}"
                )
            address = row["preferred_name"] or name.split(" ")[0]
            channel = channel_words.get(row["preferred_channel"])
            how = f" {channel}, the way they prefer," if channel else ""
            reach = f"{address} {channel}" if channel else address
            yield Finding(
                account_id=row["account_id"],
                subject=f"contact:{row['external_id']}",
                period=last_day.isoformat() if last_day else "never",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, 5 if last is None else 0),
                urgent=False,
                title=f"Key contact {name} has gone cold",
                explanation=f"{who}, a key contact, {since}.",
                facts={
                    "contact": facts.reference(row["external_id"], name),
                    "last_conversation_on": last_day.isoformat() if last_day else None,
                    "days_quiet": days_quiet,
                    "threshold_days": quiet_days,
                    "preferred_channel": row["preferred_channel"] or None,
                },
                suggested_action=(
                    f"Reach {address}{how} with something useful to them: news that matters to "
                    "their business, not a check-in."
                ),
                label=f"{name}|{reach}",
            )

    def combine(self, parts: list[Finding], thresholds: Thresholds) -> Finding:
        """One play per account naming every key contact gone cold, most quiet first."""
        if len(parts) == 1:
            only = parts[0]
            only.period = parts_period(parts)
            only.subject = "contacts"
            only.facts["contacts"] = [only.facts["contact"]]
            return only
        names = [part.label.split("|", 1)[0] for part in parts]
        reaches = [part.label.split("|", 1)[1] for part in parts]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        quiet = [part.facts["days_quiet"] for part in parts if part.facts["days_quiet"]]
        return Finding(
            account_id=parts[0].account_id,
            subject="contacts",
            period=parts_period(parts),
            owner_id=parts[0].owner_id,
            priority=max(part.priority for part in parts),
            urgent=False,
            title=f"{len(parts)} key contacts have gone cold: {listed}",
            explanation=" ".join(part.explanation for part in parts),
            facts={
                "contacts": [part.facts["contact"] for part in parts],
                "never_spoken_with": [
                    part.facts["contact"] for part in parts if part.facts["days_quiet"] is None
                ],
                "most_days_quiet": max(quiet) if quiet else None,
                "threshold_days": parts[0].facts["threshold_days"],
            },
            suggested_action=(
                f"Reach {'; '.join(reaches)}, each the way they prefer, with something useful "
                "to them: news that matters to their business, not a check-in."
            ),
        )


class OnlyTechnical(Rule):
    key = "contacts.only_technical"
    reads = frozenset({"contact", "interaction"})
    name = "Only talking to technicians"
    defaults = {"lookback_days": 180, "priority": 55}
    threshold_labels = {"lookback_days": "Look at interactions of the last (days)"}
    declared_facts = {
        "interactions": facts.number("Interactions with named people"),
        "technical_interactions": facts.number("With technical contacts"),
        "business_interactions": facts.number("With business users or executives"),
        "technical_contacts": facts.number("Technical contacts met"),
        "lookback_days": facts.days("Looked back"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        lookback_days = int(limits["lookback_days"])
        technical = Q(contact__role_type=ContactRoleType.TECHNICAL)
        business = Q(contact__role_type__in=(ContactRoleType.BUSINESS, ContactRoleType.EXECUTIVE))
        participation = Interaction.contacts.through.objects
        rows = (
            scoped(participation.all(), account_ids, via="interaction__account")
            .filter(
                interaction__occurred_at__gte=start_of(as_of - timedelta(days=lookback_days)),
                interaction__occurred_at__lt=end_of(as_of),
            )
            .values("interaction__account_id", "interaction__account__owner_id")
            .annotate(
                interactions=Count("interaction_id", distinct=True),
                technical_interactions=Count("interaction_id", filter=technical, distinct=True),
                business_interactions=Count("interaction_id", filter=business, distinct=True),
                technical_people=Count("contact_id", filter=technical, distinct=True),
            )
            .filter(technical_interactions__gt=0, business_interactions=0)
        )
        for row in rows:
            interactions = row["interactions"]
            yield Finding(
                account_id=row["interaction__account_id"],
                subject="account",
                owner_id=row["interaction__account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title="We only talk to their technicians",
                explanation=(
                    f"In the last {days_phrase(lookback_days)}, "
                    f"{plural(interactions, 'interaction')} with named people were with "
                    f"{plural(row['technical_people'], 'technical contact')} and none with a "
                    "business user or an executive."
                ),
                facts={
                    "interactions": interactions,
                    "technical_interactions": row["technical_interactions"],
                    "business_interactions": 0,
                    "technical_contacts": row["technical_people"],
                    "lookback_days": lookback_days,
                },
                suggested_action=(
                    "Ask your technical contacts who owns the business outcome of what we "
                    "deliver, ask for an introduction, and meet that person."
                ),
            )
