"""Service delivery: SLA misses and scope overruns, shown to the customer with the data first.

"Open the review with their performance data, good and bad, then the volume we delivered
against the contract."
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from heedful.lib.months import review_period_ending
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    add_months,
    decimal_fact,
    listed,
    month_key,
    month_words,
    number,
    parts_period,
    scoped,
)
from heedful.support.models import ScopeRecord, ServiceMetric


def periods_window(as_of: date, lookback_months: int) -> tuple[str, str]:
    return month_key(add_months(as_of, -(max(1, lookback_months) - 1))), month_key(as_of)


def met(row: dict[str, Any]) -> bool:
    if row["higher_is_better"]:
        return row["actual"] >= row["target"]
    return row["actual"] <= row["target"]


class SlaMiss(Rule):
    key = "service.sla_miss"
    reads = frozenset({"servicemetric"})
    name = "SLA target missed"
    defaults = {"misses": 2, "periods": 3, "lookback_months": 6, "priority": 60}
    threshold_labels = {
        "misses": "Flag a metric that missed its target at least (times)",
        "periods": "Out of its last (months)",
        "lookback_months": "Look at the last (months)",
    }
    declared_facts = {
        "metric": facts.text("Metric"),
        "target": facts.number("Target"),
        "higher_is_better": facts.yes_no("Higher is better"),
        "periods": facts.table("Months", {
            "period": facts.month("Month"),
            "target": facts.number("Target"),
            "actual": facts.number("Actual"),
            "met": facts.yes_no("Met"),
        }),
        "misses": facts.number("Misses"),
        "threshold_misses": facts.number("Misses that raise a play"),
        "missed_metrics": facts.table("Metrics that missed", {
            "metric": facts.text("Metric"),
            "misses": facts.number("Misses"),
        }),
        "review_period": facts.review("Review to prepare"),
    }
    priority_bumps = (0, 10)
    one_play_per_account = True

    def holds_pitches(self, finding: Finding) -> bool:
        """No pitch while we miss what we promised."""
        return True

    def combine(self, parts: list[Finding], thresholds: Thresholds) -> Finding:
        """One play per account naming every metric that missed its target."""
        first = parts[0]
        metrics = [part.facts["metric"] for part in parts]
        title = first.title if len(parts) == 1 else (
            f"{len(parts)} SLA targets missed: {listed(metrics)}"
        )
        return Finding(
            account_id=first.account_id, subject="service", period=parts_period(parts),
            owner_id=first.owner_id, priority=first.priority, urgent=False, title=title,
            explanation=" ".join(part.explanation for part in parts),
            facts={"missed_metrics": [
                       {"metric": part.facts["metric"], "misses": part.facts["misses"]}
                       for part in parts
                   ],
                   "threshold_misses": first.facts["threshold_misses"],
                   "review_period": max(part.facts["review_period"] for part in parts)},
            suggested_action=(
                "Open the next review with these metrics, good and bad: what caused the misses "
                "and what is being done about them, before they bring it up."
            ),
        )

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        misses_needed = max(1, int(limits["misses"]))
        periods = max(1, int(limits["periods"]))
        first, last = periods_window(as_of, int(limits["lookback_months"]))
        rows = (
            scoped(ServiceMetric.objects.all(), account_ids)
            .filter(period__gte=first, period__lte=last)
            .annotate(recency=Window(
                RowNumber(), partition_by=[F("account_id"), F("metric")],
                order_by=F("period").desc(),
            ))
            .filter(recency__lte=periods)
            .values(
                "account_id", "account__owner_id", "metric", "period", "target", "actual",
                "higher_is_better",
            )
            .order_by("account_id", "metric", "-period")
        )
        grouped: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            grouped[(row["account_id"], row["metric"])].append(row)
        for (account_id, metric), recent in grouped.items():
            missed = [row for row in recent if not met(row)]
            if len(missed) < misses_needed:
                continue
            kept = [row for row in recent if met(row)]
            target = recent[0]["target"]
            missed_words = ", ".join(
                f"{number(r['actual'])} in {month_words(r['period'])}" for r in missed
            )
            kept_words = "; met in " + ", ".join(
                f"{month_words(r['period'])} with {number(r['actual'])}" for r in kept
            ) if kept else ""
            direction = "" if recent[0]["higher_is_better"] else " (lower is better)"
            yield Finding(
                account_id=account_id,
                subject=f"metric:{metric}",
                period=recent[0]["period"],
                owner_id=recent[0]["account__owner_id"],
                priority=self.priority(limits, 10 if len(missed) == len(recent) else 0),
                urgent=False,
                title=f"{metric} missed its target {len(missed)} of the last {len(recent)} months",
                explanation=(
                    f"{metric} missed its target of {number(target)}{direction} in "
                    f"{len(missed)} of the last {len(recent)} months: {missed_words}"
                    f"{kept_words}."
                ),
                facts={
                    "metric": metric,
                    "target": decimal_fact(target),
                    "higher_is_better": recent[0]["higher_is_better"],
                    "periods": [
                        {"period": r["period"], "target": decimal_fact(r["target"]),
                         "actual": decimal_fact(r["actual"]), "met": met(r)}
                        for r in recent
                    ],
                    "misses": len(missed),
                    "threshold_misses": misses_needed,
                    "review_period": review_period_ending(recent[0]["period"]),
                },
                suggested_action=(
                    "Open the next review with this metric, good and bad: what caused the "
                    "misses and what is being done about them, before they bring it up."
                ),
            )


class ScopeOverrun(Rule):
    key = "service.scope_overrun"
    reads = frozenset({"scoperecord"})
    name = "Delivered above contracted scope"
    defaults = {"overrun_percent": 20, "lookback_months": 3, "priority": 55}
    threshold_labels = {
        "overrun_percent": "Flag delivery above contracted scope by more than (%)",
        "lookback_months": "Look at the last (months)",
    }
    declared_facts = {
        "function": facts.text("Function"),
        "period": facts.month("Month"),
        "contracted_quantity": facts.number("Contracted"),
        "delivered_quantity": facts.number("Delivered"),
        "overrun_percent": facts.percent("Over by"),
        "threshold_percent": facts.percent("Flagged beyond"),
        "overruns": facts.table("Functions over scope", {
            "function": facts.text("Function"),
            "overrun_percent": facts.percent("Over by"),
        }),
        "review_period": facts.review("Review to prepare"),
    }
    priority_bumps = (0, 20)
    one_play_per_account = True
    same_record_as = ("service.sla_miss",)

    def combine(self, parts: list[Finding], thresholds: Thresholds) -> Finding:
        """One play per account naming every function delivered above its scope."""
        first = parts[0]
        functions = [part.facts["function"] for part in parts]
        title = first.title if len(parts) == 1 else (
            f"{listed(functions)}: up to {first.facts['overrun_percent']}% above contracted "
            "scope"
        )
        return Finding(
            account_id=first.account_id, subject="service", period=parts_period(parts),
            owner_id=first.owner_id, priority=first.priority, urgent=False, title=title,
            explanation=" ".join(part.explanation for part in parts),
            facts={"overruns": [
                       {"function": part.facts["function"],
                        "overrun_percent": part.facts["overrun_percent"]}
                       for part in parts
                   ],
                   "threshold_percent": first.facts["threshold_percent"],
                   "review_period": max(part.facts["review_period"] for part in parts)},
            suggested_action=first.suggested_action,
        )

    def merge(self, finding: Finding, other: Finding) -> Finding:
        """Volume above scope and SLA misses on one service: the same conversation, the data
        first."""
        merged = super().merge(finding, other)
        merged.title = f"{finding.title}, and SLA targets missed"
        merged.suggested_action = finding.suggested_action
        return merged

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        overrun_percent = Decimal(str(limits["overrun_percent"]))
        first, last = periods_window(as_of, int(limits["lookback_months"]))
        rows = (
            scoped(ScopeRecord.objects.all(), account_ids)
            .filter(period__gte=first, period__lte=last)
            .annotate(recency=Window(
                RowNumber(), partition_by=[F("account_id"), F("function")],
                order_by=F("period").desc(),
            ))
            .filter(recency=1)
            .values(
                "account_id", "account__owner_id", "function", "period", "contracted_quantity",
                "delivered_quantity",
            )
        )
        for row in rows:
            contracted, delivered = row["contracted_quantity"], row["delivered_quantity"]
            if contracted is None or delivered is None or contracted <= 0:
                continue
            over = (delivered - contracted) / contracted * 100
            if over <= overrun_percent:
                continue
            percent = int(over.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            function = row["function"]
            yield Finding(
                account_id=row["account_id"],
                subject=f"scope:{function}",
                period=row["period"],
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, min(20, percent // 25 * 5)),
                urgent=False,
                title=f"{function}: {percent}% above contracted scope",
                explanation=(
                    f"{function} in {month_words(row['period'])}: we delivered {number(delivered)} "
                    f"against "
                    f"{number(contracted)} contracted, {percent}% over the contract."
                ),
                facts={
                    "function": function,
                    "period": row["period"],
                    "contracted_quantity": decimal_fact(contracted),
                    "delivered_quantity": decimal_fact(delivered),
                    "overrun_percent": percent,
                    "threshold_percent": limits["overrun_percent"],
                    "review_period": review_period_ending(row["period"]),
                },
                suggested_action=(
                    "Open the review with their performance data, good and bad, then the volume "
                    "we delivered against the contract."
                ),
            )
