from decimal import Decimal

from heedful.lib.charts import Bar, bar_chart_svg


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
