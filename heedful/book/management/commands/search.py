"""``heedful search TEXT [--limit N] [--json] [--as-user USERNAME]``: fuzzy customer lookup.

Without ``--as-user`` the search sees every account: the command line is the operator's
shell. ``--json`` prints a list, best match first, of the keys in CONTRACTS.md.

Names and ids are user data: the table prints them literally, with no terminal escape
sequence or control character and no rich markup ("[bold red]") taking effect.
"""

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from heedful.book.search import SearchHit, search_customers
from heedful.core.models import Role, User
from heedful.lib.text import terminal_safe

BAD_INPUT = 2
CONTRACT_KEYS = (
    "kind", "external_id", "name", "account_external_id", "account_name", "matched", "score",
    "closeness",
)
# json.dumps escapes C0 controls but, with ensure_ascii=False, writes DEL and C1 controls
# (\x9b starts a terminal escape on its own) as they are: escape them too, same JSON value.
_RAW_JSON_CONTROLS = re.compile(r"[\x7f-\x9f]")


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def operator() -> User:
    """An unsaved all-seeing user: whoever runs the command line administers the install."""
    return User(username="heedful-cli", role=Role.ADMIN, is_active=True)


class Command(BaseCommand):
    help = "Find an account or contact by a name (typos allowed), alias, e-mail, phone or id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="What to look for, e.g. 'Acme Telcom' or a phone.")
        parser.add_argument("--limit", type=int, default=10, help="At most this many (1-100).")
        parser.add_argument("--json", action="store_true", help="Print JSON on stdout.")
        parser.add_argument(
            "--as-user", metavar="USERNAME", help="Search as this user, seeing what they see."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = (options["text"] or "").strip()
        if not text:
            raise bad_input("TEXT must not be empty: type a name, e-mail, phone or id.")
        limit = options["limit"]
        if not 1 <= limit <= 100:
            raise bad_input(f"--limit {limit}: expected a number from 1 to 100.")
        user = operator()
        if options["as_user"]:
            found = User.objects.filter(username=options["as_user"]).first()
            if found is None:
                raise bad_input(f"--as-user {options['as_user']!r}: no such user.")
            user = found
        hits = search_customers(user=user, text=text, limit=limit)
        if options["json"]:
            listed = json.dumps([as_contract(hit) for hit in hits], ensure_ascii=False)
            self.stdout.write(
                _RAW_JSON_CONTROLS.sub(lambda control: f"\\u{ord(control[0]):04x}", listed)
            )
            return
        self.print_table(text, hits)

    def print_table(self, text: str, hits: list[SearchHit]) -> None:
        if not hits:
            self.stdout.write(f"No close match for {text!r}: nothing found.")
            return
        table = Table(title=printable(f"Customers matching {text!r}"))
        if not any(hit.is_close for hit in hits):
            self.stdout.write(f"No close match for {text!r}; the nearest:")
        for heading in ("Kind", "Id", "Name", "Account", "Matched", "Score"):
            table.add_column(heading, justify="right" if heading == "Score" else "left")
        for hit in hits:
            account = "" if hit.kind == "account" else (
                f"{hit.account_name} ({hit.account_external_id})"
            )
            table.add_row(
                hit.kind, printable(hit.external_id), printable(hit.name), printable(account),
                hit.match_in_words, f"{hit.score:.0f}",
            )
        console = Console(file=self.stdout, width=120, emoji=False)  # type: ignore[arg-type]
        console.print(table)


def printable(value: str) -> str:
    """User data for a rich table cell: shown as it is written, never obeyed."""
    return escape(terminal_safe(value))


def as_contract(hit: SearchHit) -> dict[str, Any]:
    values = hit.as_dict()
    return {key: values[key] for key in CONTRACT_KEYS}
