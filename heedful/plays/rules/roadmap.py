"""Roadmap: brief the customer on releases in the families they own.

"Did you just release the best product of the year? Did I know it was coming? Heck did I just
buy 3000 from your competitor because I had no idea you guys were working on one?"
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef

from heedful.catalog.models import Holding
from heedful.interactions.models import Interaction
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    end_of,
    scoped,
    start_of,
    tag_filter,
)

ROADMAP_TAG = "roadmap"
RELEASE = "product__family__products__releases"


def release_words(release: dict[str, Any], as_of: date) -> str:
    days = (release["release_on"] - as_of).days
    if days > 0:
        when = f"due on {day(release['release_on'])} (in {days_phrase(days)})"
    elif days == 0:
        when = "out today"
    else:
        when = f"out since {day(release['release_on'])} ({days_phrase(-days)} ago)"
    return f"{release['product']} {release['name']} is {when}"


class BriefingDue(Rule):
    key = "roadmap.briefing_due"
    reads = frozenset({"holding", "product", "productfamily", "release", "interaction"})
    name = "Roadmap briefing due"
    defaults = {
        "quiet_days": 180, "upcoming_days": 90, "recent_days": 90, "plays_per_owner": 1,
        "priority": 50,
    }
    threshold_labels = {
        "quiet_days": "Flag accounts not briefed on the roadmap for (days)",
        "upcoming_days": "Count releases due within (days)",
        "recent_days": "Count releases out for at most (days)",
        "plays_per_owner": "Briefings offered at a time, per owner",
    }
    declared_facts = {
        "families": facts.text("Families they own", many=True),
        "releases": facts.table("Releases", {
            "product": facts.text("Product"),
            "name": facts.text("Release"),
            "sku": facts.hidden(),
            "release_on": facts.day("Out on"),
        }),
        "quiet_days": facts.days("Not briefed for"),
    }
    priority_bumps = (0, 5)
    is_pitch = True

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        quiet_days = int(limits["quiet_days"])
        briefed = Interaction.objects.filter(
            tag_filter(ROADMAP_TAG),
            account_id=OuterRef("account_id"),
            occurred_at__gte=start_of(as_of - timedelta(days=quiet_days)),
            occurred_at__lt=end_of(as_of),
        )
        rows = (
            scoped(Holding.objects.all(), account_ids)
            .filter(**{
                f"{RELEASE}__release_on__gte": as_of - timedelta(days=int(limits["recent_days"])),
                f"{RELEASE}__release_on__lte": as_of + timedelta(days=int(limits["upcoming_days"])),
            })
            .filter(~Exists(briefed))
            .values(
                "account_id", "account__owner_id", "product__family__name",
                f"{RELEASE}__name", f"{RELEASE}__release_on", f"{RELEASE}__product__name",
                f"{RELEASE}__product__sku",
            )
            .order_by()
            .distinct()
        )
        by_account: dict[int, dict[str, Any]] = defaultdict(lambda: {"releases": {}})
        for row in rows:
            entry = by_account[row["account_id"]]
            entry["owner_id"] = row["account__owner_id"]
            key = (row[f"{RELEASE}__product__sku"], row[f"{RELEASE}__name"])
            entry["releases"][key] = {
                "family": row["product__family__name"],
                "product": row[f"{RELEASE}__product__name"],
                "sku": row[f"{RELEASE}__product__sku"],
                "name": row[f"{RELEASE}__name"],
                "release_on": row[f"{RELEASE}__release_on"],
            }
        for account_id, entry in by_account.items():
            releases = sorted(
                entry["releases"].values(),
                key=lambda r: (abs((r["release_on"] - as_of).days), r["sku"], r["name"]),
            )
            families = sorted({release["family"] for release in releases})
            first = releases[0]
            more = len(releases) - 1
            others = (
                f", and {more} more release{'s' if more > 1 else ''} in the window" if more else ""
            )
            fingerprint = "|".join(sorted(f"{r['sku']}/{r['name']}" for r in releases))
            yield Finding(
                account_id=account_id,
                subject="account",
                period=hashlib.sha1(fingerprint.encode()).hexdigest()[:16],
                owner_id=entry["owner_id"],
                priority=self.priority(limits, 5 if first["release_on"] <= as_of else 0),
                urgent=False,
                title=f"Roadmap briefing due: {first['product']} {first['name']}",
                explanation=(
                    f"They own {' and '.join(families)} products; {release_words(first, as_of)}"
                    f"{others}. Nobody has briefed them on the roadmap in the last "
                    f"{days_phrase(quiet_days)}."
                ),
                facts={
                    "families": families,
                    "releases": [
                        {"sku": r["sku"], "name": r["name"], "product": r["product"],
                         "release_on": r["release_on"].isoformat()}
                        for r in releases
                    ],
                    "quiet_days": quiet_days,
                },
                suggested_action=(
                    f"Offer a roadmap briefing: what is coming in {' and '.join(families)} and "
                    "what it means for them, before they buy it from someone else."
                ),
            )
