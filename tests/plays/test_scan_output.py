"""`heedful scan` prints names and ids from user data without the terminal obeying them."""

from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from tests.factories import AccountFactory, InvoiceFactory


def test_scan_prints_hostile_account_names_without_escape_sequences(people) -> None:  # noqa: ANN001
    # given: a bill spike on an account whose name and id carry terminal escapes
    account = AccountFactory(
        external_id="ACC-\x1b[2JEVIL", name="Evil\x1b]0;owned\x07 [red]x[/red]\x9b2J Corp",
        owner=people.rep,
    )
    for month, amount in ((8, "2500.00"), (9, "2500.00"), (10, "7800.00")):
        InvoiceFactory(account=account, invoice_number=f"EVIL-{month}",
                       period_start=date(2026, month, 1), period_end=date(2026, month, 28),
                       amount=Decimal(amount))
    out = StringIO()
    # when
    call_command("scan", "--as-of", "2026-11-22", "--rule", "billing.spike",
                 stdout=out, stderr=StringIO())
    # then
    output = out.getvalue()
    assert "Evil [red]x[/red] Corp (ACC-EVIL)" in output
    assert "\x1b" not in output and "\x9b" not in output
