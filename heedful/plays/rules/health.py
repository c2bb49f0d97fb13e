"""Business health: after bad news, stop pitching and offer help; and a health score that fell.

"If you call me with a great solution to quickly bring new sites on line, the day after we
announce we are closing 30% of our offices, I'm probably not going to be interested."
"""

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import F, OuterRef, Subquery

from heedful.accounts.models import NewsItem, Sentiment
from heedful.health import components as health_components
from heedful.health import services as health_services
from heedful.health.models import HealthScore
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    listed,
    plural,
    scoped,
)

HELD_BACK_WORDS = "product whitespace and roadmap-briefing plays"
POINTS = 0  # a stored component is [points, most, weight, measured, numbers]


class BusinessChange(Rule):
    key = "health.business_change"
    reads = frozenset({"newsitem"})
    name = "Bad business news"
    defaults = {"recent_days": 30, "suppress_days": 90, "priority": 75}
    suppresses = ("catalog.whitespace", "roadmap.briefing_due")
    threshold_labels = {
        "recent_days": "Flag bad news of the last (days)",
        "suppress_days": "Hold back pitching plays for (days after the news)",
    }
    declared_facts = {
        "occurred_on": facts.day("In the news"),
        "headline": facts.text("Headline"),
        "held_back_until": facts.day("Pitches held back until"),
        "held_back_rules": facts.rules("Held back"),
        "suppress_days": facts.days("Held back for"),
    }

    def _negative_news(
        self, as_of: date, days: int, account_ids: Sequence[int] | None
    ):  # noqa: ANN202
        return scoped(NewsItem.objects.all(), account_ids).filter(
            sentiment=Sentiment.NEGATIVE,
            occurred_on__gte=as_of - timedelta(days=days),
            occurred_on__lte=as_of,
        )

    def suppressed_account_ids(
        self, *, as_of: date, account_ids: Sequence[int] | None, thresholds: Thresholds
    ) -> set[int]:
        limits = self.thresholds(thresholds)
        news = self._negative_news(as_of, int(limits["suppress_days"]), account_ids)
        return set(news.values_list("account_id", flat=True).distinct())

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        suppress_days = int(limits["suppress_days"])
        rows = self._negative_news(as_of, int(limits["recent_days"]), account_ids).values(
            "account_id", "account__owner_id", "account__name", "occurred_on", "headline"
        )
        for row in rows:
            held_until = row["occurred_on"] + timedelta(days=suppress_days)
            headline = row["headline"].strip()
            digest = hashlib.sha1(headline.encode()).hexdigest()[:12]
            days_ago = (as_of - row["occurred_on"]).days
            yield Finding(
                account_id=row["account_id"],
                subject=f"news:{row['occurred_on'].isoformat()}:{digest}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=f"Bad news at {row['account__name']}: {headline}"[:300],
                explanation=(
                    f"On {day(row['occurred_on'])} ({days_phrase(days_ago)} ago) the news "
                    f"said: \"{headline}\". Until {day(held_until)} Heedful holds back "
                    f"{HELD_BACK_WORDS} for {row['account__name']}."
                ),
                facts={
                    "occurred_on": row["occurred_on"].isoformat(),
                    "headline": headline,
                    "held_back_until": held_until.isoformat(),
                    "held_back_rules": list(self.suppresses),
                    "suppress_days": suppress_days,
                },
                suggested_action=(
                    "Call and ask: I know times might be tough; is there anything I can do to "
                    "help? Hold any pitch for now."
                ),
            )


class ScoreDrop(Rule):
    """The account's health score fell by more than ``drop_points`` below its highest of the
    last ``days`` days. Today's score is computed by ``prepare``, before any rule runs (the
    scan's date is the score's date)."""

    key = "health.score_drop"
    # The score is a snapshot per scan date: a change to a ticket or an interaction counts at
    # the next scan, not at the write (which would compute scores on every save).
    reads = frozenset({"healthscore"})
    name = "Health score dropped"
    # Below the plays that usually make a score fall (a severity-1 ticket, bad news, a missed
    # SLA): those say what to do; the drop sums them up, and comes after them in the queue.
    defaults = {"drop_points": 15, "days": 30, "priority": 30}
    threshold_labels = {
        "drop_points": "Flag a fall of more than (points of the health score)",
        "days": "Below its highest of the last (days)",
    }
    declared_facts = {
        "score": facts.number("Score today"),
        "peak_score": facts.number("Highest score"),
        "peak_on": facts.day("Highest on"),
        "drop": facts.number("Points lost"),
        "drop_points": facts.number("A fall of more than this raises a play"),
        "days": facts.days("Looked back"),
        "losses": facts.table("What fell", {
            "component": facts.text("Component"),
            "points_before": facts.number("Points then"),
            "points_now": facts.number("Points now"),
        }),
    }
    priority_bumps = (0, 15)

    def prepare(
        self, *, as_of: date, account_ids: Sequence[int] | None, thresholds: Thresholds
    ) -> None:
        health_services.compute_scores(as_of=as_of, account_ids=account_ids)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        drop_points = int(limits["drop_points"])
        days = max(1, int(limits["days"]))
        since = as_of - timedelta(days=days)
        peak = (
            HealthScore.objects.filter(account_id=OuterRef("account_id"), on__gte=since,
                                       on__lt=as_of)
            .order_by("-score", "-on")
        )
        rows = list(
            scoped(HealthScore.objects.filter(on=as_of), account_ids)
            .annotate(
                peak_score=Subquery(peak.values("score")[:1]),
                peak_on=Subquery(peak.values("on")[:1]),
            )
            .filter(peak_score__gt=F("score") + drop_points)
            .values(
                "account_id", "account__owner_id", "account__name", "score", "components",
                "peak_score", "peak_on",
            )
        )
        if not rows:
            return
        # The components of each peak, to say what fell: one query for the accounts that fell.
        before = {
            (row["account_id"], row["on"]): row["components"]
            for row in HealthScore.objects.filter(
                account_id__in=[row["account_id"] for row in rows], on__gte=since, on__lt=as_of
            ).values("account_id", "on", "components")
        }
        labels = {component.key: component.label for component in health_components.COMPONENTS}
        for row in rows:
            peak_on = row["peak_on"]
            if isinstance(peak_on, str):  # SQLite answers a subquery's date as text
                peak_on = date.fromisoformat(peak_on)
            then = before.get((row["account_id"], peak_on), {})
            losses = sorted(
                (
                    {"component": labels.get(key, key), "points_before": then[key][POINTS],
                     "points_now": part[POINTS]}
                    for key, part in row["components"].items()
                    if key in then and then[key][POINTS] > part[POINTS]
                ),
                key=lambda loss: loss["points_now"] - loss["points_before"],
            )[:3]
            drop = row["peak_score"] - row["score"]
            fell = listed([
                f"{loss['component'].lower()} ({loss['points_before']} → {loss['points_now']})"
                for loss in losses
            ])
            yield Finding(
                account_id=row["account_id"], subject="health-score",
                period=peak_on.isoformat(), owner_id=row["account__owner_id"],
                priority=self.priority(limits, min(15, drop - drop_points)), urgent=False,
                title=f"Health score of {row['account__name']} fell {drop} points to "
                f"{row['score']}"[:300],
                explanation=(
                    f"The health score of {row['account__name']} is {row['score']} today, "
                    f"{plural(drop, 'point')} below its {row['peak_score']} of {day(peak_on)} "
                    f"(a fall of more than {drop_points} in {days_phrase(days)} raises a play)."
                    + (f" Most lost: {fell}." if losses else "")
                ),
                facts={
                    "score": row["score"], "peak_score": row["peak_score"],
                    "peak_on": peak_on.isoformat(), "drop": drop, "drop_points": drop_points,
                    "days": days, "losses": losses,
                },
                suggested_action=(
                    "Open the health score on the Account 360, see what fell, and call the "
                    "customer about that before they call you."
                ),
            )
