"""Business health: after bad news, stop pitching and offer help.

"If you call me with a great solution to quickly bring new sites on line, the day after we
announce we are closing 30% of our offices, I'm probably not going to be interested."
"""

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from heedful.accounts.models import NewsItem, Sentiment
from heedful.plays import facts
from heedful.plays.rules.base import Finding, Rule, Thresholds, day, days_phrase, scoped

HELD_BACK_WORDS = "product whitespace and roadmap-briefing plays"


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
