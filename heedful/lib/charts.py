"""Small server-side SVG charts for pages and PDFs: no JavaScript, no chart library.

Every text that reaches the SVG is escaped here, so the result is safe to inline. Several
charts may share a page: each takes an ``identifier`` that makes its element ids unique.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from heedful.lib.words import format_month, format_recording_time


@dataclass(frozen=True)
class ChartValue:
    """One labelled value of a bar chart (a bar) or a line chart (a point of the line)."""

    label: str
    value: Decimal
    reference: Decimal | None = None
    """The value it should have had (e.g. the contracted rate, the SLA target); drawn as a
    dashed line."""
    is_highlighted: bool = False


# The names the charts' callers write, so a call reads as what it draws.
Bar = ChartValue
Point = ChartValue


PRINT_STYLE = (
    "<style>"
    ".chart-bar{fill:#7ea6e0}.chart-bar-highlight{fill:#d23c3c}"
    ".chart-reference{stroke:#1d2430;stroke-width:2;stroke-dasharray:6 4;fill:none}"
    ".chart-grid{stroke:#dde2ea;stroke-width:1}"
    ".chart-axis,.chart-legend{font-size:11px;fill:#5b6575;font-family:'DejaVu Sans',sans-serif}"
    ".chart-line{fill:none;stroke:#3b6fc2;stroke-width:2.5}"
    ".chart-point{fill:#3b6fc2}.chart-point-highlight{fill:#d23c3c}"
    "</style>"
)
"""The chart styles of app.css, carried inside each SVG for a PDF: WeasyPrint does not apply
the document's stylesheet to inline SVG."""


def for_print(svg: str) -> SafeString:
    """``svg`` (one of this module's charts) with its styles inside it, for a PDF."""
    if not svg:
        return mark_safe("")
    head, separator, rest = svg.partition(">")
    return mark_safe(f"{head}{separator}{PRINT_STYLE}{rest}")


def period_label(start: date, end: date) -> str:
    """A billing period: "Nov 2025" for one month, "Aug–Oct 2026" for a quarter within a
    year, "Dec 2025–Feb 2026" across a year end."""
    if (start.year, start.month) == (end.year, end.month):
        return format_month(start)
    if start.year == end.year:
        return f"{start:%b}–{format_month(end)}"
    return f"{format_month(start)}–{format_month(end)}"


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _opening(*, width: int, height: int, kind: str, identifier: str, title: str) -> list[str]:
    """The start of every chart: the SVG element of class ``chart`` (and ``kind``) and the
    title that names it to a screen reader."""
    css = f"chart {kind}" if kind else "chart"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="{css}" role="img" aria-labelledby="{escape(identifier)}-title">',
        f'<title id="{escape(identifier)}-title">{escape(title)}</title>',
    ]


@dataclass(frozen=True)
class _ValueAxis:
    """The vertical axis of a bar or line chart: ``bottom`` to ``top`` in ``step``s, drawn
    between ``top_edge`` and ``bottom_edge`` pixels."""

    bottom: float
    top: float
    step: float
    top_edge: float
    bottom_edge: float

    def y(self, value: float) -> float:
        height = self.bottom_edge - self.top_edge
        return self.top_edge + height * (self.top - value) / (self.top - self.bottom)

    def grid(
        self, *, left: int, right_edge: int, format_value: Callable[[Decimal], str]
    ) -> list[str]:
        """A grid line and its value at each step."""
        parts = []
        tick = self.bottom
        while tick <= self.top + self.step / 2:
            parts.append(
                f'<line class="chart-grid" x1="{left}" x2="{right_edge}" '
                f'y1="{self.y(tick):.1f}" y2="{self.y(tick):.1f}"/>'
                f'<text class="chart-axis" x="{left - 6}" y="{self.y(tick) + 4:.1f}" '
                f'text-anchor="end">{escape(format_value(Decimal(str(round(tick, 4)))))}</text>'
            )
            tick += self.step
        return parts


def _values_and_references(items: Sequence[ChartValue]) -> list[float]:
    """Every number a bar or line chart draws (its values and its references): what its
    value axis must span."""
    return [float(item.value) for item in items] + [
        float(item.reference) for item in items if item.reference is not None
    ]


def _slots(
    *,
    items: Sequence[ChartValue],
    axis: _ValueAxis,
    left: int,
    slot: float,
    label_y: int,
    max_labels: int,
    reference_label: str,
) -> list[str]:
    """What bar and line charts draw alike per item: its label along the bottom (every
    n-th, so that at most ``max_labels`` show) and its reference as a dashed line across its
    slot."""
    parts = []
    label_every = max(1, -(-len(items) // max_labels))
    for index, item in enumerate(items):
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-axis" x="{left + index * slot + slot / 2:.1f}" '
                f'y="{label_y}" text-anchor="middle">{escape(item.label)}</text>'
            )
        if item.reference is not None:
            reference_y = axis.y(float(item.reference))
            parts.append(
                f'<line class="chart-reference" x1="{left + index * slot:.1f}" '
                f'x2="{left + (index + 1) * slot:.1f}" y1="{reference_y:.1f}" '
                f'y2="{reference_y:.1f}"/>'
            )
    if any(item.reference is not None for item in items):
        parts.append(
            f'<line class="chart-reference" x1="{left}" x2="{left + 24}" y1="12" y2="12"/>'
            f'<text class="chart-legend" x="{left + 30}" y="16">{escape(reference_label)}</text>'
        )
    return parts


def _tooltip(
    item: ChartValue, format_value: Callable[[Decimal], str], reference_label: str
) -> str:
    tooltip = f"{item.label}: {format_value(item.value)}"
    if item.reference is not None:
        tooltip += f" ({reference_label.lower()} {format_value(item.reference)})"
    return tooltip


def bar_chart_svg(
    *,
    bars: Sequence[Bar],
    title: str,
    format_value: Callable[[Decimal], str] = str,
    reference_label: str = "Reference",
    identifier: str = "chart",
    max_labels: int = 12,
    width: int = 960,
    height: int = 260,
) -> SafeString:
    """A bar chart with an optional dashed reference line per bar, scaled to fit ``width`` x
    ``height`` (the SVG has a viewBox, so CSS can resize it). Empty ``bars`` gives an empty
    string. Negative values (credit notes) go below a zero line."""
    if not bars:
        return mark_safe("")
    left, right, top, bottom = 72, 12, 28, 36
    numbers = _values_and_references(bars)
    highest, lowest = max(max(numbers), 0.0), min(min(numbers), 0.0)
    step = _nice_step((highest - lowest) or 1.0, 4)
    axis = _ValueAxis(
        bottom=-step * math.ceil(-lowest / step) if lowest < 0 else 0.0,
        top=step * math.ceil(highest / step) if highest > 0 else step,
        step=step, top_edge=top, bottom_edge=height - bottom,
    )
    slot = (width - left - right) / len(bars)
    bar_width = max(slot * 0.62, 1.0)
    parts = _opening(width=width, height=height, kind="", identifier=identifier, title=title)
    parts += axis.grid(left=left, right_edge=width - right, format_value=format_value)
    for index, bar in enumerate(bars):
        x = left + index * slot + (slot - bar_width) / 2
        value = float(bar.value)
        bar_top, bar_bottom = axis.y(max(value, 0.0)), axis.y(min(value, 0.0))
        css = "chart-bar chart-bar-highlight" if bar.is_highlighted else "chart-bar"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{bar_top:.1f}" width="{bar_width:.1f}" '
            f'height="{max(bar_bottom - bar_top, 0.5):.1f}">'
            f"<title>{escape(_tooltip(bar, format_value, reference_label))}</title></rect>"
        )
    parts += _slots(
        items=bars, axis=axis, left=left, slot=slot, label_y=height - bottom + 16,
        max_labels=max_labels, reference_label=reference_label,
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart_svg(
    *,
    points: Sequence[Point],
    title: str,
    format_value: Callable[[Decimal], str] = str,
    reference_label: str = "Target",
    identifier: str = "chart",
    max_labels: int = 12,
    width: int = 960,
    height: int = 220,
) -> SafeString:
    """A trend line of ``points`` left to right with a dashed reference line (a target that
    may change from point to point) and highlighted points (e.g. a missed target). The value
    axis spans the values and references with a margin, not from zero, so that a metric
    moving between 92% and 96% shows its movement. Empty ``points`` give an empty string."""
    if not points:
        return mark_safe("")
    left, right, top, bottom = 72, 12, 28, 36
    numbers = _values_and_references(points)
    highest, lowest = max(numbers), min(numbers)
    margin = (highest - lowest) * 0.1 or abs(highest) * 0.1 or 1.0
    step = _nice_step((highest - lowest) + 2 * margin, 4)
    bottom_value = step * math.floor((lowest - margin) / step)
    if lowest >= 0 > bottom_value:
        bottom_value = 0.0  # a count or a share never goes below zero
    axis = _ValueAxis(
        bottom=bottom_value, top=step * math.ceil((highest + margin) / step), step=step,
        top_edge=top, bottom_edge=height - bottom,
    )
    slot = (width - left - right) / len(points)

    def x(index: int) -> float:
        return left + index * slot + slot / 2

    parts = _opening(
        width=width, height=height, kind="chart-trend", identifier=identifier, title=title
    )
    parts += axis.grid(left=left, right_edge=width - right, format_value=format_value)
    # The labels and references first, so that the line and its points are drawn over them.
    parts += _slots(
        items=points, axis=axis, left=left, slot=slot, label_y=height - bottom + 16,
        max_labels=max_labels, reference_label=reference_label,
    )
    corners = " ".join(
        f"{x(index):.1f},{axis.y(float(point.value)):.1f}" for index, point in enumerate(points)
    )
    parts.append(f'<polyline class="chart-line" points="{corners}"/>')
    for index, point in enumerate(points):
        css = "chart-point chart-point-highlight" if point.is_highlighted else "chart-point"
        parts.append(
            f'<circle class="{css}" cx="{x(index):.1f}" cy="{axis.y(float(point.value)):.1f}" '
            f'r="{6 if point.is_highlighted else 4}">'
            f"<title>{escape(_tooltip(point, format_value, reference_label))}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Span:
    """A stretch of time on a timeline, in seconds from its start."""

    start: float
    end: float
    is_highlighted: bool = False


@dataclass(frozen=True)
class Lane:
    """One row of a timeline (a speaker), drawn in the colour of its ``side``: "ours" or
    "theirs"."""

    label: str
    spans: Sequence[Span]
    side: str = "theirs"


def timeline_svg(
    *,
    lanes: Sequence[Lane],
    duration: float,
    title: str,
    identifier: str = "timeline",
    width: int = 960,
    lane_height: int = 22,
    label_width: int = 150,
) -> SafeString:
    """Who spoke when: one lane per speaker, a bar per stretch of speech, minutes along the
    bottom. Highlighted spans (a monologue past its band) are drawn in the warning colour.
    Empty ``lanes`` or no duration gives an empty string."""
    if not lanes or duration <= 0:
        return mark_safe("")
    top, bottom, right = 8, 28, 12
    height = top + lane_height * len(lanes) + bottom
    plot_width = width - label_width - right

    def x(seconds: float) -> float:
        return label_width + plot_width * min(max(seconds, 0.0), duration) / duration

    parts = _opening(
        width=width, height=height, kind="chart-timeline", identifier=identifier, title=title
    )
    step = _nice_step(duration / 60, 6) * 60
    tick = 0.0
    while tick <= duration + 0.001:
        parts.append(
            f'<line class="chart-grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" '
            f'y2="{height - bottom}"/>'
            f'<text class="chart-axis" x="{x(tick):.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{escape(format_recording_time(tick))}</text>'
        )
        tick += step
    for index, lane in enumerate(lanes):
        lane_top = top + index * lane_height
        side = "ours" if lane.side == "ours" else "theirs"
        parts.append(
            f'<text class="chart-axis chart-lane-label" x="{label_width - 8}" '
            f'y="{lane_top + lane_height * 0.68:.1f}" text-anchor="end">{escape(lane.label)}</text>'
        )
        for span in lane.spans:
            css = f"chart-span chart-span-{side}"
            if span.is_highlighted:
                css += " chart-span-highlight"
            start, end = x(span.start), x(span.end)
            parts.append(
                f'<rect class="{css}" x="{start:.1f}" y="{lane_top + 3}" '
                f'width="{max(end - start, 0.8):.1f}" height="{lane_height - 6}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class ShareRow:
    """One row of a share chart: a fraction (0.42) of a whole."""

    label: str
    share: float
    side: str = "theirs"
    band: tuple[float, float] | None = None
    """The range the share should be in, drawn as two dashed marks; None for no band."""
    is_highlighted: bool = False


def share_bars_svg(
    *,
    rows: Sequence[ShareRow],
    title: str,
    identifier: str = "shares",
    width: int = 640,
    row_height: int = 26,
    label_width: int = 150,
) -> SafeString:
    """Horizontal bars of shares of a whole (talk share), each labelled with its percent;
    a row with a band shows it as dashed marks. Empty ``rows`` gives an empty string."""
    if not rows:
        return mark_safe("")
    top, bottom, right = 6, 6, 52
    height = top + row_height * len(rows) + bottom
    plot_width = width - label_width - right

    def x(share: float) -> float:
        return label_width + plot_width * min(max(share, 0.0), 1.0)

    parts = _opening(
        width=width, height=height, kind="chart-shares", identifier=identifier, title=title
    )
    for index, row in enumerate(rows):
        row_top = top + index * row_height
        side = "ours" if row.side == "ours" else "theirs"
        css = f"chart-span chart-span-{side}"
        if row.is_highlighted:
            css += " chart-span-highlight"
        parts.append(
            f'<text class="chart-axis chart-lane-label" x="{label_width - 8}" '
            f'y="{row_top + row_height * 0.66:.1f}" text-anchor="end">{escape(row.label)}</text>'
            f'<rect class="chart-grid-band" x="{label_width}" y="{row_top + 4}" '
            f'width="{plot_width}" height="{row_height - 8}"/>'
            f'<rect class="{css}" x="{label_width}" y="{row_top + 4}" '
            f'width="{max(x(row.share) - label_width, 0.8):.1f}" height="{row_height - 8}"/>'
            f'<text class="chart-axis" x="{x(row.share) + 6:.1f}" '
            f'y="{row_top + row_height * 0.66:.1f}">{round(row.share * 100)}%</text>'
        )
        if row.band is not None:
            for mark in row.band:
                parts.append(
                    f'<line class="chart-reference" x1="{x(mark):.1f}" x2="{x(mark):.1f}" '
                    f'y1="{row_top + 1}" y2="{row_top + row_height - 1}"/>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))
