"""A review's content as people read it, on the page, the customer's link and the PDF alike:
each metric with its months, its chart and the commentary (missed ones first, never hidden),
each function's delivered volume against the contract, then support, billing, what we heard
and our topics. Charts are drawn here from the content, so a sent review draws from what the
customer saw."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from heedful.health import services as health_services
from heedful.lib.charts import Bar, Point, bar_chart_svg, for_print, line_chart_svg
from heedful.lib.words import format_day, format_money, format_month, format_number, format_percent


@dataclass(frozen=True)
class MetricMonth:
    month: str
    actual: str
    target: str
    met: bool


@dataclass(frozen=True)
class MetricView:
    name: str
    better: str
    """"higher is better" or "lower is better"."""
    months: list[MetricMonth]
    missed_count: int
    chart: SafeString
    what_happened: str
    what_we_are_doing: str
    last_time: str
    """What the previous review said we would do about it."""
    comment_version: str = ""
    """The version of the commentary as stored, for the draft's form ("" without one)."""

    @property
    def is_missed(self) -> bool:
        return self.missed_count > 0

    @property
    def verdict(self) -> str:
        if not self.missed_count:
            return f"Met in all {len(self.months)} months" if len(self.months) > 1 else "Met"
        if len(self.months) == 1:
            return "Missed"
        return f"Missed in {self.missed_count} of {len(self.months)} months"


@dataclass(frozen=True)
class ScopeMonth:
    month: str
    contracted: str
    delivered: str
    overrun: str
    overrun_percent: str


@dataclass(frozen=True)
class ScopeView:
    function: str
    months: list[ScopeMonth]
    contracted: str
    delivered: str
    overrun: str
    overrun_percent: str
    is_over: bool
    chart: SafeString


@dataclass(frozen=True)
class ReviewView:
    content: dict[str, Any]
    account_name: str
    period_words: str
    metrics: list[MetricView]
    scope: list[ScopeView]
    support: dict[str, Any]
    billing: dict[str, Any]
    heard: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    team: list[dict[str, Any]]
    feedback_to: dict[str, Any] | None
    sent_on: str
    as_of: str

    @property
    def missed_metric_names(self) -> list[str]:
        return [metric.name for metric in self.metrics if metric.is_missed]


def _value(value: Any) -> str:
    return "—" if value is None else format_number(Decimal(str(value)))


def _percent(value: Any) -> str:
    return "—" if value is None else format_percent(Decimal(str(value)))


def _hours(value: Any) -> str:
    if value is None:
        return "—"
    hours = float(value)
    if hours >= 48:
        return f"{format_number(Decimal(str(round(hours / 24, 1))))} days"
    return f"{format_number(Decimal(str(hours)))} hours"


def present(content: dict[str, Any], *, printing: bool = False) -> ReviewView:
    """``content`` in words and charts; ``printing`` styles the charts inside their SVG (a
    PDF does not apply the page's stylesheet to them)."""
    draw = for_print if printing else (lambda svg: svg)
    return ReviewView(
        content=content,
        account_name=content["account"]["name"],
        period_words=content["period_words"],
        metrics=_metrics(content, draw),
        scope=_scope(content, draw),
        support=_support(content["support"]),
        billing=_billing(content["billing"]),
        heard=_heard(content["heard"]),
        topics=content["topics"],
        team=content["account"]["team"],
        feedback_to=content["account"]["feedback_to"],
        sent_on=format_day(content["sent_at"]) if content.get("sent_at") else "",
        as_of=format_day(content["as_of"]),
    )


def _metrics(content: dict[str, Any], draw: Any) -> list[MetricView]:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for row in content["metrics"]:
        by_name.setdefault(row["metric"], []).append(row)
    commentary = content.get("commentary", {})
    last_time = content.get("last_time", {})
    views = []
    for index, (name, rows) in enumerate(sorted(by_name.items())):
        trend = content["trends"]["metrics"].get(name, rows)
        better = "higher is better" if rows[-1]["higher_is_better"] else "lower is better"
        points = [
            Point(label=format_month(row["period"]), value=Decimal(str(row["actual"])),
                  reference=Decimal(str(row["target"])), is_highlighted=not row["met"])
            for row in trend
        ]
        words = commentary.get(name, {})
        views.append(MetricView(
            name=name, better=better,
            months=[MetricMonth(month=format_month(row["period"]), actual=_value(row["actual"]),
                                target=_value(row["target"]), met=row["met"]) for row in rows],
            missed_count=sum(1 for row in rows if not row["met"]),
            chart=draw(line_chart_svg(
                points=points, title=f"{name} per month against its target ({better})",
                format_value=format_number, reference_label="Target",
                identifier=f"metric-chart-{index}", max_labels=6, width=640, height=200,
            )),
            what_happened=words.get("what_happened", ""),
            what_we_are_doing=words.get("what_we_are_doing", ""),
            last_time=last_time.get(name, ""),
        ))
    # Missed targets first: the customer's concern comes before what went well.
    views.sort(key=lambda view: (not view.is_missed, view.name))
    return views


def _scope(content: dict[str, Any], draw: Any) -> list[ScopeView]:
    by_function: dict[str, list[dict[str, Any]]] = {}
    for row in content["scope"]:
        by_function.setdefault(row["function"], []).append(row)
    views = []
    for index, (function, rows) in enumerate(sorted(by_function.items())):
        contracted = sum(Decimal(str(row["contracted"])) for row in rows)
        delivered = sum(Decimal(str(row["delivered"])) for row in rows)
        overrun = max(delivered - contracted, Decimal(0))
        percent = (overrun / contracted * 100).quantize(Decimal("0.1")) if contracted else None
        trend = content["trends"]["scope"].get(function, rows)
        bars = [
            Bar(label=format_month(row["period"]), value=Decimal(str(row["delivered"])),
                reference=Decimal(str(row["contracted"])),
                is_highlighted=bool(row["overrun"]))
            for row in trend
        ]
        views.append(ScopeView(
            function=function,
            months=[ScopeMonth(month=format_month(row["period"]),
                               contracted=_value(row["contracted"]),
                               delivered=_value(row["delivered"]), overrun=_value(row["overrun"]),
                               overrun_percent=_percent(row["overrun_percent"]))
                    for row in rows],
            contracted=_value(contracted), delivered=_value(delivered), overrun=_value(overrun),
            overrun_percent=_percent(percent), is_over=overrun > 0,
            chart=draw(bar_chart_svg(
                bars=bars, title=f"{function}: delivered per month against contracted scope",
                format_value=format_number, reference_label="Contracted",
                identifier=f"scope-chart-{index}", max_labels=6, width=640, height=200,
            )),
        ))
    return views


def _support(support: dict[str, Any]) -> dict[str, Any]:
    return {
        "rows": [
            {"severity": row["severity"], "opened": row["opened"], "resolved": row["resolved"],
             "median": _hours(row["median_hours_to_resolve"])}
            for row in support["by_severity"]
        ],
        "opened": support["opened"], "resolved": support["resolved"],
        "median": _hours(support["median_hours_to_resolve"]),
        "still_open_count": support["still_open_count"],
        "still_open": [
            {**row, "opened_on_words": format_day(row["opened_on"])}
            for row in support["still_open"]
        ],
    }


def _billing(billing: dict[str, Any]) -> dict[str, Any]:
    return {
        "invoices": [
            {
                "invoice": row["invoice"],
                "period": _days(row["period_from"], row["period_to"]),
                "issued_on": format_day(row["issued_on"]) if row["issued_on"] else "—",
                "amount": format_money(row["amount"], row["currency"]),
                "disputed": row["disputed"],
            }
            for row in billing["invoices"]
        ],
        "totals": [format_money(row["amount"], row["currency"]) for row in billing["totals"]],
        "disputes": [
            {
                "invoice": row["invoice"], "opened_on": format_day(row["opened_on"]),
                "amount": format_money(row["amount"], row["currency"]) if row["amount"] is not None
                else "—",
                "status": "Resolved" if row["status"] == "resolved" else "Open",
                "resolved_on": format_day(row["resolved_on"]) if row["resolved_on"] else "",
            }
            for row in billing["disputes"]
        ],
    }


def _days(start: str, end: str) -> str:
    """An invoice's billing period: "Oct 2026" for a whole month, else its first and last day."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    whole_month = (
        first.day == 1 and (first.year, first.month) == (last.year, last.month)
        and last.day == calendar.monthrange(last.year, last.month)[1]
    )
    if whole_month:
        return format_month(first)
    return format_day(first) if first == last else f"{format_day(first)} to {format_day(last)}"


def _heard(heard: dict[str, Any]) -> list[dict[str, Any]]:
    statuses = {"open": "Open", "done": "Done", "cancelled": "Cancelled"}
    return [
        {
            "title": meeting["title"], "held_on": format_day(meeting["held_on"]),
            "playback": meeting["playback"],
            "ours": [
                {**item, "due_words": format_day(item["due"]) if item["due"] else "",
                 "status_label": statuses.get(item["status"], "")}
                for item in meeting["action_items"] if item["side"] == "ours"
            ],
            "theirs": [
                {**item, "due_words": format_day(item["due"]) if item["due"] else "",
                 "status_label": statuses.get(item["status"], "")}
                for item in meeting["action_items"] if item["side"] == "customer"
            ],
        }
        for meeting in heard["meetings"]
    ]


@dataclass(frozen=True)
class HealthTrend:
    """The account's health score over the review's period, for the team preparing it (the
    score weighs the owner's own sentiment, so it is not part of what the customer sees)."""

    words: str
    chart: SafeString | str


def health_trend(review: Any, as_of: date) -> HealthTrend | None:
    """The scores of ``review``'s account at each scan of its period (up to ``as_of``); None
    when no scan scored it then."""
    history = health_services.score_history(
        review.account, review.period_from, min(review.period_to, as_of)
    )
    if not history:
        return None
    first, last = history[0], history[-1]
    if len(history) == 1:
        words = f"Health score {last.score} on {format_day(last.on)}."
    else:
        moved = last.score - first.score
        change = "unchanged" if moved == 0 else f"{'up' if moved > 0 else 'down'} {abs(moved)}"
        words = (
            f"Health score {last.score} on {format_day(last.on)}, {change} from {first.score} "
            f"on {format_day(first.on)}."
        )
    points = [Point(label=format_day(score.on), value=Decimal(score.score)) for score in history]
    chart = line_chart_svg(
        points=points, title="Health score at each scan of the period",
        identifier="review-health-chart", format_value=lambda value: str(int(value)),
        reference_label="", max_labels=6, width=640, height=160,
    ) if len(points) > 1 else ""
    return HealthTrend(words=words, chart=chart)
