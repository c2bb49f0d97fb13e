import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heedful.plays.models import Play
from tests.factories import InvoiceFactory

CONTRACT_KEYS = {
    "rule", "account_external_id", "account_name", "owner", "priority", "urgent", "title",
    "explanation", "facts", "suggested_action", "status", "created_at",
}


@pytest.fixture
def spike(people):  # noqa: ANN001, ANN201
    for month, amount in ((8, "2500.00"), (9, "2500.00"), (10, "7800.00")):
        InvoiceFactory(account=people.ours, invoice_number=f"OURS-{month}",
                       period_start=date(2026, month, 1), period_end=date(2026, month, 28),
                       amount=Decimal(amount))


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_scan_json_prints_the_open_plays_with_the_contract_keys(people, spike) -> None:  # noqa: ANN001
    # when
    out, _ = run("--as-of", "2026-11-22", "--json", "--rule", "billing.spike")
    # then
    plays = json.loads(out)
    assert len(plays) == 1
    play = plays[0]
    assert set(play) == CONTRACT_KEYS
    assert play["rule"] == "billing.spike"
    assert (play["account_external_id"], play["account_name"], play["owner"]) == (
        "ACC-OURS", "Ours Telecom", "rep")
    assert play["status"] == "open"
    assert play["urgent"] is False
    assert 0 <= play["priority"] <= 100
    assert play["facts"]["amount"] == "7800.00"
    assert "212% above" in play["explanation"]


def test_scan_json_is_the_same_on_a_second_run(people, spike) -> None:  # noqa: ANN001
    first, _ = run("--as-of", "2026-11-22", "--json")
    second, _ = run("--as-of", "2026-11-22", "--json")
    assert json.loads(first) == json.loads(second)
    rules = [play["rule"] for play in json.loads(second)]
    assert len(rules) == Play.objects.filter(status="open").count()


def test_scan_human_output_and_time_on_stderr(people, spike) -> None:  # noqa: ANN001
    out, err = run("--as-of", "2026-11-22", "--rule", "billing.spike")
    assert "Ours Telecom (ACC-OURS)" in out
    assert "212% above" in out
    assert "Scanned as of 2026-11-22 in " in err
    assert " s: " in err


def test_scan_reports_each_rule_as_it_is_done(people, spike) -> None:  # noqa: ANN001
    # when
    _, err = run("--as-of", "2026-11-22", "--rule", "billing.spike", "billing.dispute_stale")
    # then one line per rule, in order, with its findings, before the summary (the contract
    # deviation runs with the spike, which tells its findings about the same bill)
    lines = err.splitlines()
    assert lines[0].endswith("billing.spike: 1 finding(s)")
    assert lines[1].endswith("billing.contract_deviation: 0 finding(s)")
    assert lines[2].endswith("billing.dispute_stale: 0 finding(s)")
    assert lines[3].startswith("Scanned as of 2026-11-22")


def test_scan_of_one_account(people, spike) -> None:  # noqa: ANN001
    for month, amount in ((8, "100.00"), (9, "100.00"), (10, "1000.00")):
        InvoiceFactory(account=people.theirs, invoice_number=f"THEIRS-{month}",
                       period_start=date(2026, month, 1), period_end=date(2026, month, 28),
                       amount=Decimal(amount))
    out, _ = run("--as-of", "2026-11-22", "--json", "--rule", "billing.spike",
                 "--account", "ACC-THEIRS")
    assert {play["account_external_id"] for play in json.loads(out)} == {"ACC-THEIRS"}
    assert not Play.objects.filter(account=people.ours).exists()


@pytest.mark.parametrize("args", [
    ["--as-of", "2026-13-01"],
    ["--as-of", "yesterday"],
    ["--account", "ACC-NOPE"],
    ["--rule", "billing.nonsense"],
])
def test_bad_input_exits_2_and_writes_nothing(people, spike, args) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert not Play.objects.exists()


def test_bad_as_of_exits_2_from_the_command_line(db, tmp_path) -> None:  # noqa: ANN001
    import os
    import subprocess
    import sys

    environment = {**os.environ, "HEEDFUL_HOME": str(tmp_path)}
    environment.pop("HEEDFUL_DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "heedful.cli", "scan", "--as-of", "22/11/2026"],
        capture_output=True, text=True, env=environment, check=False,
    )
    assert completed.returncode == 2
    assert "YYYY-MM-DD" in completed.stderr
    assert completed.stdout == ""


def test_scan_of_some_rules_prints_only_their_plays(people, spike) -> None:  # noqa: ANN001
    # given every rule has run once
    run("--as-of", "2026-11-22")
    assert Play.objects.exclude(rule="billing.spike").filter(status="open").exists()
    # when one rule runs again
    out, _ = run("--as-of", "2026-11-22", "--json", "--rule", "billing.spike")
    # then the output is that rule's plays, as a JSON list
    assert [play["rule"] for play in json.loads(out)] == ["billing.spike"]


def test_scan_json_of_nothing_is_an_empty_list(people) -> None:  # noqa: ANN001
    out, _ = run("--as-of", "2026-11-22", "--json", "--rule", "billing.dispute_stale")
    assert json.loads(out) == []
