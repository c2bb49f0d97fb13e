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

from heedful.lib.words import format_month


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    reference: Decimal | None = None
    """The value the bar should have had (e.g. the contracted rate); drawn as a dashed line."""
    is_highlighted: bool = False


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal
    reference: Decimal | None = None
    """The value the point should have reached (e.g. the SLA target); drawn as a dashed line."""
    is_highlighted: bool = False


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
    plot_width, plot_height = width - left - right, height - top - bottom
    numbers = [float(bar.value) for bar in bars]
    numbers += [float(bar.reference) for bar in bars if bar.reference is not None]
    highest, lowest = max(max(numbers), 0.0), min(min(numbers), 0.0)
    step = _nice_step((highest - lowest) or 1.0, 4)
    top_value = step * math.ceil(highest / step) if highest > 0 else step
    bottom_value = -step * math.ceil(-lowest / step) if lowest < 0 else 0.0

    def y(value: float) -> float:
        return top + plot_height * (top_value - value) / (top_value - bottom_value)

    slot = plot_width / len(bars)
    bar_width = max(slot * 0.62, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="{escape(identifier)}-title">',
        f'<title id="{escape(identifier)}-title">{escape(title)}</title>',
    ]
    tick = bottom_value
    while tick <= top_value + step / 2:
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="chart-axis" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(format_value(Decimal(str(round(tick, 2)))))}</text>"
        )
        tick += step
    label_every = max(1, -(-len(bars) // max_labels))
    for index, bar in enumerate(bars):
        x = left + index * slot + (slot - bar_width) / 2
        value = float(bar.value)
        bar_top, bar_bottom = y(max(value, 0.0)), y(min(value, 0.0))
        css = "chart-bar chart-bar-highlight" if bar.is_highlighted else "chart-bar"
        tooltip = f"{bar.label}: {format_value(bar.value)}"
        if bar.reference is not None:
            tooltip += f" ({reference_label.lower()} {format_value(bar.reference)})"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{bar_top:.1f}" width="{bar_width:.1f}" '
            f'height="{max(bar_bottom - bar_top, 0.5):.1f}"><title>{escape(tooltip)}</title></rect>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-axis" x="{x + bar_width / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
        if bar.reference is not None:
            reference_y = y(float(bar.reference))
            parts.append(
                f'<line class="chart-reference" x1="{left + index * slot:.1f}" '
                f'x2="{left + (index + 1) * slot:.1f}" y1="{reference_y:.1f}" '
                f'y2="{reference_y:.1f}"/>'
            )
    if any(bar.reference is not None for bar in bars):
        parts.append(
            f'<line class="chart-reference" x1="{left}" x2="{left + 24}" y1="12" y2="12"/>'
            f'<text class="chart-legend" x="{left + 30}" y="16">{escape(reference_label)}</text>'
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
    plot_width, plot_height = width - left - right, height - top - bottom
    numbers = [float(point.value) for point in points]
    numbers += [float(point.reference) for point in points if point.reference is not None]
    highest, lowest = max(numbers), min(numbers)
    margin = (highest - lowest) * 0.1 or abs(highest) * 0.1 or 1.0
    step = _nice_step((highest - lowest) + 2 * margin, 4)
    top_value = step * math.ceil((highest + margin) / step)
    bottom_value = step * math.floor((lowest - margin) / step)
    if lowest >= 0 > bottom_value:
        bottom_value = 0.0  # a count or a share never goes below zero

    def y(value: float) -> float:
        return top + plot_height * (top_value - value) / (top_value - bottom_value)

    slot = plot_width / len(points)

    def x(index: int) -> float:
        return left + index * slot + slot / 2

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart chart-trend" role="img" aria-labelledby="{escape(identifier)}-title">',
        f'<title id="{escape(identifier)}-title">{escape(title)}</title>',
    ]
    tick = bottom_value
    while tick <= top_value + step / 2:
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="chart-axis" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(format_value(Decimal(str(round(tick, 4)))))}</text>"
        )
        tick += step
    for index, point in enumerate(points):
        if point.reference is not None:
            reference_y = y(float(point.reference))
            parts.append(
                f'<line class="chart-reference" x1="{left + index * slot:.1f}" '
                f'x2="{left + (index + 1) * slot:.1f}" y1="{reference_y:.1f}" '
                f'y2="{reference_y:.1f}"/>'
            )
    corners = " ".join(
        f"{x(index):.1f},{y(float(point.value)):.1f}" for index, point in enumerate(points)
    )
    parts.append(f'<polyline class="chart-line" points="{corners}"/>')
    label_every = max(1, -(-len(points) // max_labels))
    for index, point in enumerate(points):
        css = "chart-point chart-point-highlight" if point.is_highlighted else "chart-point"
        tooltip = f"{point.label}: {format_value(point.value)}"
        if point.reference is not None:
            tooltip += f" ({reference_label.lower()} {format_value(point.reference)})"
        parts.append(
            f'<circle class="{css}" cx="{x(index):.1f}" cy="{y(float(point.value)):.1f}" '
            f'r="{6 if point.is_highlighted else 4}"><title>{escape(tooltip)}</title></circle>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-axis" x="{x(index):.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(point.label)}</text>'
            )
    if any(point.reference is not None for point in points):
        parts.append(
            f'<line class="chart-reference" x1="{left}" x2="{left + 24}" y1="12" y2="12"/>'
            f'<text class="chart-legend" x="{left + 30}" y="16">{escape(reference_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
