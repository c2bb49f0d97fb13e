import re
from decimal import Decimal

from heedful.lib.charts import Bar, Lane, Point, Span, bar_chart_svg, line_chart_svg, timeline_svg


def test_no_bars_give_no_chart() -> None:
    assert bar_chart_svg(bars=[], title="Nothing") == ""


def test_highlighted_bar_and_reference_line_are_drawn() -> None:
    # given
    bars = [
        Bar(label="Sep 26", value=Decimal("2500"), reference=Decimal("2500")),
        Bar(label="Oct 26", value=Decimal("7800"), reference=Decimal("2500"), is_highlighted=True),
    ]
    # when
    svg = bar_chart_svg(bars=bars, title="Invoiced", reference_label="Contracted rate")
    # then
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2
    assert svg.count("chart-bar-highlight") == 1
    assert "Contracted rate" in svg
    assert svg.count('class="chart-reference"') == 3  # one per bar and the legend


def test_text_is_escaped() -> None:
    # when
    svg = bar_chart_svg(bars=[Bar(label="<script>", value=Decimal("1"))], title="A & B")
    # then
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_credit_notes_go_below_zero() -> None:
    # when
    svg = bar_chart_svg(
        bars=[Bar(label="a", value=Decimal("-500")), Bar(label="b", value=Decimal("1000"))],
        title="With a credit",
    )
    # then: the axis shows a negative tick
    assert ">-500<" in svg or ">-" in svg


def test_a_trend_line_marks_the_points_that_missed_their_target() -> None:
    # given
    points = [
        Point(label="Aug 2026", value=Decimal("86.5"), reference=Decimal("80")),
        Point(label="Sep 2026", value=Decimal("69.5"), reference=Decimal("80"),
              is_highlighted=True),
        Point(label="Oct 2026", value=Decimal("70"), reference=Decimal("80"),
              is_highlighted=True),
    ]
    # when
    svg = line_chart_svg(points=points, title="First-call resolution %", identifier="sla-1")
    # then
    assert svg.count("<circle") == 3 and svg.count("chart-point-highlight") == 2
    assert svg.count("<polyline") == 1
    assert svg.count('class="chart-reference"') == 4  # one per point and the legend
    assert 'aria-labelledby="sla-1-title"' in svg and 'id="sla-1-title"' in svg
    assert ">Sep 2026<" in svg


def test_no_points_give_no_trend() -> None:
    assert line_chart_svg(points=[], title="Nothing") == ""


def test_a_flat_trend_still_has_an_axis_around_its_value() -> None:
    # when: every month at the target, 95
    svg = line_chart_svg(
        points=[Point(label=str(m), value=Decimal("95"), reference=Decimal("95")) for m in "ab"],
        title="Flat",
    )
    # then: the axis spans the value instead of collapsing to one line
    ticks = [float(t) for t in re.findall(r'text-anchor="end">([\d.]+)<', svg)]
    assert min(ticks) < 95 < max(ticks)


def test_a_timeline_reads_its_minutes_as_a_recording_does() -> None:
    # when: a meeting of four minutes
    svg = timeline_svg(
        lanes=[Lane(label="Ann", spans=[Span(start=0, end=240)], side="ours")],
        duration=240, title="Who spoke when",
    )
    # then
    assert ">00:00<" in svg and ">04:00<" in svg
