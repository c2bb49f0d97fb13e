"""``heedful review``: the JSON of CONTRACTS.md, the PDF, many accounts at once, and exit
code 2 naming what is wrong."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from heedful.reviews import services
from heedful.reviews.periods import parse_period
from tests.factories import AccountFactory


def review(*args: str) -> str:
    out = StringIO()
    call_command("review", *args, stdout=out)
    return out.getvalue()


def test_json_is_the_contracts_object(mixed) -> None:  # noqa: ANN001
    printed = json.loads(review("ACC-OURS", "--period", "2026-Q3", "--json"))
    assert printed["sections"][:2] == ["metrics", "scope"]
    assert printed["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert len(printed["metrics"]) == 9
    assert printed["topics"] == []


def test_json_carries_the_drafts_topics(mixed, people) -> None:  # noqa: ANN001
    draft = services.prepare(user=people.rep, account=mixed, period=parse_period("2026-Q3"))
    services.add_topic(user=people.rep, review=draft, kind="renewal", title="Renewal in March",
                       text="")
    printed = json.loads(review("ACC-OURS", "--period", "2026-Q3", "--json"))
    assert printed["topics"] == [{"kind": "renewal", "kind_label": "Renewal",
                                  "title": "Renewal in March", "text": "", "is_open": True,
                                  "carried_from": None}]


def test_pdf_is_written(mixed, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "q3.pdf"
    review("ACC-OURS", "--period", "2026-Q3", "--pdf", str(path))
    assert path.read_bytes().startswith(b"%PDF")


def test_every_account_of_a_user_at_once(mixed, people, tmp_path: Path) -> None:  # noqa: ANN001
    AccountFactory(external_id="ACC-SECOND", owner=people.rep)
    printed = review("--all-accounts-of", "rep", "--period", "2026-Q3", "--json",
                     "--pdf", str(tmp_path))
    assert [json.loads(line)["account_external_id"] for line in printed.splitlines()] == [
        "ACC-OURS", "ACC-SECOND"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "review-ACC-OURS-2026-Q3.pdf", "review-ACC-SECOND-2026-Q3.pdf"]


@pytest.mark.parametrize(("args", "named"), [
    (["ACC-OURS", "--period", "2026-Q5"], "--period"),
    (["ACC-OURS", "--period", "2026-13"], "month 13"),
    (["ACC-OURS", "--period", "2026-09-30..2026-07-01"], "ends before it starts"),
    (["ACC-NOPE", "--period", "2026-Q3"], "ACC-NOPE"),
    (["--all-accounts-of", "nobody", "--period", "2026-Q3"], "nobody"),
    (["ACC-OURS", "--period", "2026-Q3", "--pdf", "/no/such/folder/x.pdf"], "/no/such/folder"),
    (["--period", "2026-Q3"], "ACCOUNT_EXTERNAL_ID"),
])
def test_bad_input_exits_2_naming_what_is_wrong(mixed, args: list[str], named: str) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as refused:
        review(*args)
    assert refused.value.returncode == 2
    assert named in str(refused.value)
