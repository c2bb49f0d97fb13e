"""``heedful report scorecard``: JSON on stdout, a bad period refused with exit code 2."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from heedful.expenses.models import ExpenseReport


def test_the_json_is_one_object_per_rep(people) -> None:  # noqa: ANN001
    ExpenseReport.objects.create(rep=people.rep, period="2026-10", due_on=date(2026, 11, 15))
    out = StringIO()
    call_command("report", "scorecard", "--period", "2026-Q4", "--as-of", "2026-11-22",
                 "--json", stdout=out)
    rows = json.loads(out.getvalue())
    row = next(row for row in rows if row["rep"] == "rep")
    assert row["period"] == "2026-Q4"
    assert row["below_standard"] == [
        "new_accounts_won", "expenses_on_time", "customer_engagement"]
    assert set(row["dimensions"]) >= {"quota_attainment", "listening", "record_hygiene"}


def test_a_bad_period_exits_with_two_and_says_how_to_write_it(people) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as refused:
        call_command("report", "scorecard", "--period", "Q4")
    assert refused.value.returncode == 2
    assert "write a quarter as 2026-Q4 or a month as 2026-11" in str(refused.value)
