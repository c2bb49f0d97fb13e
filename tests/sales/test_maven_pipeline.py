"""The public Maven "CRM + Sales + Opportunities" pipeline (8,800 deals, 35 agents) goes in
through the documented recipe (convert, then ``heedful import-all``), and the per-rep pipeline
report matches a computation of its own straight from the source files, with nothing but
``csv`` and ``statistics``."""

import csv
import json
import statistics
from collections import defaultdict
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import SHARED_DATA

MAVEN = Path(SHARED_DATA) / "crm_pipeline" / "maven_crm_sales_opportunities"
needs_maven = pytest.mark.skipif(
    not (MAVEN / "sales_pipeline.csv").is_file(), reason=f"no Maven pipeline in {MAVEN}"
)


def independent_figures() -> dict[str, dict[str, float]]:
    """Per agent's name: win rate, won value, average won deal and median cycle days."""
    deals: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (MAVEN / "sales_pipeline.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            deals[row["sales_agent"]].append(row)
    figures = {}
    for agent, rows in deals.items():
        won = [row for row in rows if row["deal_stage"] == "Won"]
        lost = [row for row in rows if row["deal_stage"] == "Lost"]
        won_value = sum(float(row["close_value"]) for row in won)
        cycles = [
            (date.fromisoformat(row["close_date"]) - date.fromisoformat(row["engage_date"])).days
            for row in won + lost
        ]
        figures[agent] = {
            "opportunities": len(rows),
            "won": len(won), "lost": len(lost),
            "win_rate": len(won) / (len(won) + len(lost)),
            "won_value": won_value,
            "avg_won_deal": won_value / len(won),
            "median_cycle_days": statistics.median(cycles),
        }
    return figures


@needs_maven
@pytest.mark.django_db(transaction=True)
def test_the_maven_pipeline_report_per_rep_matches_an_independent_computation(
    tmp_path: Path,
) -> None:
    # given the recipe of docs/maven-pipeline.md
    call_command("convert_maven", str(MAVEN), str(tmp_path), stdout=StringIO())
    call_command("import_all", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    # when
    out = StringIO()
    call_command("report", "pipeline", "--as-of", "2018-01-01", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    # then
    expected = independent_figures()
    assert len(rows) == len(expected) == 30  # of the 35 agents, 5 have no deal
    assert sum(row["opportunities"] for row in rows) == 8800
    by_name = {row["name"]: row for row in rows}
    for agent, figures in expected.items():
        row = by_name[agent]
        assert row["rep"] == agent.lower().replace(" ", ".")
        assert (row["opportunities"], row["won"], row["lost"]) == (
            figures["opportunities"], figures["won"], figures["lost"]
        ), agent
        assert row["win_rate"] == pytest.approx(figures["win_rate"], abs=0.00005), agent
        assert row["won_value"] == pytest.approx(figures["won_value"], abs=0.005), agent
        assert row["avg_won_deal"] == pytest.approx(figures["avg_won_deal"], abs=0.005), agent
        assert row["median_cycle_days"] == figures["median_cycle_days"], agent
        assert row["currency"] == "USD"
