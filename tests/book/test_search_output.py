"""`heedful search` prints names and ids from user data literally: no terminal escape runs,
no rich markup takes effect."""

import json
from io import StringIO

from django.core.management import call_command

from tests.factories import AccountFactory, ContactFactory

HOSTILE_NAME = "Acme\x1b[2J [red]x[/red] Freight\x9b31m"


def run_search(*args: str) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_the_table_shows_hostile_names_literally_and_harmlessly(people) -> None:  # noqa: ANN001
    # given
    account = AccountFactory(external_id="ACC-\x1b]0;owned\x07ACME", name=HOSTILE_NAME,
                             owner=people.rep)
    ContactFactory(account=account, external_id="CON-1", full_name="Rita [bold]Stone[/bold]")
    # when
    output = run_search("Acme Freight") + run_search("Rita Stone")
    # then
    assert "\x1b" not in output and "\x9b" not in output
    assert "[red]x[/red]" in output
    assert "ACC-ACME" in output
    assert "Rita [bold]Stone[/bold]" in output


def test_the_search_text_is_shown_literally_too(people) -> None:  # noqa: ANN001
    # when
    output = run_search("[blink]nobody\x1b[2J")
    # then
    assert "\x1b" not in output
    assert "[blink]nobody" in output


def test_json_keeps_the_name_exactly_with_every_control_escaped(people) -> None:  # noqa: ANN001
    # given
    AccountFactory(external_id="ACC-ACME", name=HOSTILE_NAME, owner=people.rep)
    # when
    output = run_search("Acme Freight", "--json")
    # then
    assert "\x1b" not in output and "\x9b" not in output
    assert json.loads(output)[0]["name"] == HOSTILE_NAME
