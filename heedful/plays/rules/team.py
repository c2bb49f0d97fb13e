"""The account team shows up: a new owner introduces themselves, the owner visits the site,
the executive sponsor meets the customer.

"I've been your account rep for two years. This is a nice building. It took me a while to
find it since I'd never been here before."
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery

from heedful.accounts.models import TeamMembership, TeamRole
from heedful.interactions.models import Interaction, InteractionKind
from heedful.plays import facts
from heedful.plays.rules.base import (
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


def current_owner_memberships(as_of: date, account_ids: Sequence[int] | None):  # noqa: ANN201
    """The owner row running on ``as_of`` of each account (one at most: see
    ``heedful.accounts.ownership``), with a known start date."""
    return (
        scoped(TeamMembership.objects.active(as_of), account_ids)
        .filter(role=TeamRole.OWNER, start_date__isnull=False)
    )


class NewOwnerUnintroduced(Rule):
    key = "team.new_owner_unintroduced"
    same_record_as = ("team.site_never_visited",)
    reads = frozenset({"teammembership", "interaction"})
    name = "New owner not introduced"
    defaults = {"settle_days": 14, "priority": 55}
    threshold_labels = {"settle_days": "Give a new owner this long to meet them (days)"}
    declared_facts = {
        "owner": facts.person("Owner"),
        "previous_owner": facts.person("Previous owner"),
        "owner_since": facts.day("Owner since"),
        "days_as_owner": facts.days("Owner for"),
        "threshold_days": facts.days("Flagged after"),
    }
    priority_bumps = (0, 15)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        settle_days = int(limits["settle_days"])
        earlier_owners = (
            TeamMembership.objects.filter(account_id=OuterRef("account_id"), role=TeamRole.OWNER)
            .filter(Q(start_date__lt=OuterRef("start_date")) | Q(start_date__isnull=True))
            .exclude(user_id=OuterRef("user_id"))
        )
        previous_owner = earlier_owners.order_by(F("start_date").desc(nulls_last=True))
        met = Interaction.objects.filter(
            account_id=OuterRef("account_id"), user_id=OuterRef("user_id"),
            kind__in=FACE_TO_FACE_KINDS, occurred_at__lt=end_of(as_of),
        )
        rows = (
            current_owner_memberships(as_of, account_ids)
            .filter(start_date__lte=as_of - timedelta(days=settle_days))
            .filter(Exists(earlier_owners), ~Exists(met))
            .annotate(
                previous_full_name=Subquery(previous_owner.values("user__full_name")[:1]),
                previous_username=Subquery(previous_owner.values("user__username")[:1]),
                previous_user_id=Subquery(previous_owner.values("user_id")[:1]),
            )
            .values(
                "account_id", "account__name", "user_id", "user__username", "user__full_name",
                "start_date", "previous_full_name", "previous_username", "previous_user_id",
            )
        )
        for row in rows:
            days = (as_of - row["start_date"]).days
            owner = display_name(row["user__full_name"], row["user__username"])
            previous = display_name(row["previous_full_name"], row["previous_username"])
            yield Finding(
                account_id=row["account_id"],
                subject=f"owner:{row['user__username']}",
                owner_id=row["user_id"],
                priority=self.priority(limits, min(15, days // 30 * 5)),
                urgent=False,
                title=f"Introduce yourself to {row['account__name']}",
                explanation=(
                    f"{owner} took over {row['account__name']} from {previous} on "
                    f"{day(row['start_date'])}, {days_phrase(days)} ago, and has not met "
                    "or visited them yet."
                ),
                facts={
                    "owner": facts.reference(row["user_id"], owner),
                    "previous_owner": facts.reference(row["previous_user_id"], previous),
                    "owner_since": row["start_date"].isoformat(),
                    "days_as_owner": days,
                    "threshold_days": settle_days,
                },
                suggested_action=(
                    "Ask for a short introduction meeting, in person if you can: who you are, "
                    "who else is on their account team, and how they like to work with you."
                ),
            )


class SiteNeverVisited(Rule):
    key = "team.site_never_visited"
    reads = frozenset({"teammembership", "interaction"})
    name = "Owner never visited the site"
    defaults = {"owner_days": 180, "priority": 50}
    threshold_labels = {"owner_days": "Flag owners who have not visited after owning it for (days)"}
    declared_facts = {
        "owner": facts.person("Owner"),
        "owner_since": facts.day("Owner since"),
        "days_as_owner": facts.days("Owner for"),
        "city": facts.text("Site"),
        "threshold_days": facts.days("Flagged after"),
    }
    priority_bumps = (0, 20)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        owner_days = int(limits["owner_days"])
        visited = Interaction.objects.filter(
            account_id=OuterRef("account_id"), user_id=OuterRef("user_id"),
            kind=InteractionKind.VISIT, occurred_at__lt=end_of(as_of),
        )
        rows = (
            current_owner_memberships(as_of, account_ids)
            .filter(start_date__lte=as_of - timedelta(days=owner_days))
            .filter(~Exists(visited))
            .values(
                "account_id", "account__name", "account__city", "user_id", "user__username",
                "user__full_name", "start_date",
            )
        )
        for row in rows:
            days = (as_of - row["start_date"]).days
            owner = display_name(row["user__full_name"], row["user__username"])
            city = row["account__city"]
            yield Finding(
                account_id=row["account_id"],
                subject=f"owner:{row['user__username']}",
                owner_id=row["user_id"],
                priority=self.priority(limits, min(20, days // 180 * 5)),
                urgent=False,
                title=f"Visit {row['account__name']}: never been",
                explanation=(
                    f"{owner} has owned {row['account__name']} for {days_phrase(days)} (since "
                    f"{day(row['start_date'])}) and has never visited their site."
                ),
                facts={
                    "owner": facts.reference(row["user_id"], owner),
                    "owner_since": row["start_date"].isoformat(),
                    "days_as_owner": days,
                    "city": city or None,
                    "threshold_days": owner_days,
                },
                suggested_action=(
                    f"Arrange a visit to their site{f' in {city}' if city else ''}: meet the "
                    "people who use what we deliver, not just your usual contact."
                ),
            )


class ExecVisitDue(Rule):
    key = "team.exec_visit_due"
    reads = frozenset({"teammembership", "interaction"})
    name = "Executive sponsor visit due"
    defaults = {"quiet_days": 180, "priority": 55}
    threshold_labels = {"quiet_days": "Ask for a sponsor's meeting or visit every (days)"}
    declared_facts = {
        "sponsor": facts.person("Executive sponsor"),
        "sponsor_since": facts.day("Sponsor since"),
        "last_meeting_on": facts.day("Last met"),
        "days_since_meeting": facts.days("Since last met"),
        "threshold_days": facts.days("Flagged after"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        quiet_days = int(limits["quiet_days"])
        quiet_since = as_of - timedelta(days=quiet_days)
        last_meeting = (
            Interaction.objects.filter(
                account_id=OuterRef("account_id"), user_id=OuterRef("user_id"),
                kind__in=FACE_TO_FACE_KINDS, occurred_at__lt=end_of(as_of),
            )
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        rows = (
            scoped(TeamMembership.objects.active(as_of), account_ids)
            .filter(
                role=TeamRole.EXECUTIVE_SPONSOR,
                start_date__isnull=False,
                start_date__lte=quiet_since,
            )
            .annotate(last_meeting=Subquery(last_meeting))
            .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lt=start_of(quiet_since)))
            .values(
                "account_id", "account__name", "user_id", "user__username", "user__full_name",
                "start_date", "last_meeting",
            )
        )
        for row in rows:
            sponsor = display_name(row["user__full_name"], row["user__username"])
            last = row["last_meeting"]
            if last is None:
                last_day = None
                since = f"has not met or visited {row['account__name']} since becoming sponsor"
                since += f" on {day(row['start_date'])}"
            else:
                last_day = local_date(last)
                days = (as_of - last_day).days
                since = (
                    f"has not met or visited {row['account__name']} in {days_phrase(days)} "
                    f"(last on {day(last_day)})"
                )
            yield Finding(
                account_id=row["account_id"],
                subject=f"sponsor:{row['user__username']}",
                period=last_day.isoformat() if last_day else "never",
                owner_id=row["user_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"Executive visit due at {row['account__name']}",
                explanation=(
                    f"{sponsor}, the executive sponsor, {since}; the rule asks for one every "
                    f"{days_phrase(quiet_days)}."
                ),
                facts={
                    "sponsor": facts.reference(row["user_id"], sponsor),
                    "sponsor_since": row["start_date"].isoformat(),
                    "last_meeting_on": last_day.isoformat() if last_day else None,
                    "days_since_meeting": (as_of - last_day).days if last_day else None,
                    "threshold_days": quiet_days,
                },
                suggested_action=(
                    "Book a meeting or visit with their executives: how is our work serving "
                    "them, and what do they need from us next?"
                ),
            )
