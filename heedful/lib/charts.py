"""Small server-side SVG charts for pages and PDFs: no JavaScript, no chart library.

Every text that reaches the SVG is escaped here, so the result is safe to inline.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    reference: Decimal | None = None
    """The value the bar should have had (e.g. the contracted rate); drawn as a dashed line."""
    is_highlighted: bool = False


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
        f'class="chart" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
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
    label_every = max(1, -(-len(bars) // 12))
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
