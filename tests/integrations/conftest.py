"""Helpers for the CSV import and export tests: run the commands, count every table, export
to bytes, empty the database."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import PROTECT, ForeignKey

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import (
    AdverseChange,
    Contract,
    Holding,
    Product,
    ProductFamily,
    Release,
)
from heedful.core.models import User
from heedful.interactions.models import Interaction
from heedful.orders.models import Order
from heedful.sales.models import Opportunity, Quota, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

FIXTURES = Path(__file__).parent / "fixtures"
FULL = FIXTURES / "full"

COUNTED = [
    User, Account, TeamMembership, Contact, ProductFamily, Product, Release, Holding, Contract,
    AdverseChange, Invoice, Dispute, Ticket, Order, Interaction, Interaction.contacts.through,
    NewsItem, ServiceMetric, ScopeRecord, Opportunity, StageChange, Quota,
]


class Ran:
    def __init__(self, stdout: str, stderr: str, error: CommandError | None) -> None:
        self.stdout, self.stderr, self.error = stdout, stderr, error

    @property
    def returncode(self) -> int:
        return 0 if self.error is None else self.error.returncode


def run(name: str, *args: str) -> Ran:
    """call_command, keeping stdout, stderr and the CommandError (if any)."""
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return Ran(stdout.getvalue(), stderr.getvalue(), error)
    return Ran(stdout.getvalue(), stderr.getvalue(), None)


def table_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def export_bytes(directory: Path, *args: str) -> dict[str, bytes]:
    result = run("export", str(directory), *args)
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.csv"))}


def empty_database() -> None:
    Account.objects.all().delete()
    Release.objects.all().delete()
    Product.objects.all().delete()
    ProductFamily.objects.all().delete()
    # Records that keep their user from being deleted (a manager's forecast adjustment, a
    # review that coaches, an onboarding plan) go before the users.
    for model in apps.get_models():
        if any(
            isinstance(field, ForeignKey) and field.related_model is User
            and field.remote_field.on_delete is PROTECT
            for field in model._meta.fields
        ):
            model._default_manager.all().delete()
    User.objects.all().delete()


@pytest.fixture
def full_data(db) -> None:  # noqa: ANN001
    """Every kind imported from tests/integrations/fixtures/full."""
    result = run("import_all", str(FULL))
    assert result.returncode == 0, result.stderr
