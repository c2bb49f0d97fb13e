"""``heedful generate``: the demo's shapes at scale, in proportion, valid and reproducible."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heedful.accounts.models import Account, Contact, TeamMembership
from heedful.billing.models import Invoice
from heedful.catalog.models import Contract, Holding
from heedful.core.models import User
from heedful.demo import generator
from heedful.interactions.models import Interaction
from heedful.lib.phones import phone_key
from heedful.lib.text import fold
from heedful.orders.models import Order
from heedful.sales.models import Opportunity
from heedful.support.models import Ticket
from tests.conftest import AS_OF
from tests.demo.helpers import table_digest

ACCOUNTS = 50


@pytest.fixture
def generated(db) -> dict[str, int]:  # noqa: ANN001
    return generator.generate(accounts=ACCOUNTS, seed=3, as_of=AS_OF)


def test_rows_come_in_the_demo_proportions(generated) -> None:  # noqa: ANN001
    assert Account.objects.count() == ACCOUNTS == generated["account"]
    assert 6 * ACCOUNTS <= Contact.objects.count() <= 14 * ACCOUNTS
    customers_and_former = Account.objects.exclude(status="prospect").count()
    assert Contract.objects.count() == customers_and_former
    assert 30 * customers_and_former <= Invoice.objects.count() <= 36 * customers_and_former
    assert 5 * ACCOUNTS <= Ticket.objects.count() <= 15 * ACCOUNTS
    assert 2 * ACCOUNTS <= Order.objects.count() <= 8 * ACCOUNTS
    assert 14 * ACCOUNTS <= Interaction.objects.count() <= 26 * ACCOUNTS
    assert 2 * ACCOUNTS <= Holding.objects.count() <= 4 * ACCOUNTS
    assert TeamMembership.objects.filter(role="owner", end_date=None).count() == ACCOUNTS
    assert Interaction.contacts.through.objects.count() > 0
    assert Opportunity.objects.exists()
    assert User.objects.filter(username__in=["rep", "manager", "executive", "admin"]).count() == 4


def test_rows_are_valid_and_read_back_through_the_orm(generated) -> None:  # noqa: ANN001
    for model in (Account, Contact, Contract, Invoice, Ticket, Order, Interaction, Holding):
        for row in model.objects.all()[:60]:
            row.full_clean(validate_unique=False, validate_constraints=False)
    for account in Account.objects.all():
        assert account.name_folded == fold(account.name)
        assert account.phone_digits == phone_key(account.phone)
        assert account.owner is not None
    for contact in Contact.objects.all()[:100]:
        assert contact.full_name_folded == fold(contact.full_name)
    emails = list(Contact.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))
    for interaction in Interaction.objects.select_related("account", "user")[:100]:
        assert interaction.natural_key == Interaction.compute_natural_key(
            account_external_id=interaction.account.external_id,
            occurred_at_iso=interaction.occurred_at.isoformat(), kind=interaction.kind,
            username=interaction.user.username, subject=interaction.subject,
        )
    for invoice in Invoice.objects.all()[:100]:
        assert invoice.period_start <= invoice.period_end < invoice.issued_on <= AS_OF
        assert invoice.amount > 0


def test_the_orm_can_add_rows_after_a_generate(generated) -> None:  # noqa: ANN001
    owner = User.objects.get(username="rep")
    account = Account.objects.create(external_id="ACC-NEW", name="New Customer", owner=owner)
    assert account.pk > max(Account.objects.exclude(pk=account.pk).values_list("pk", flat=True))


def test_same_seed_generates_the_same_rows(db) -> None:  # noqa: ANN001
    from django.db import transaction

    digests = []
    for _ in range(2):
        with transaction.atomic():
            generator.generate(accounts=20, seed=9, as_of=AS_OF)
            digests.append(table_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]


def test_generate_refuses_a_database_with_data(people) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as error:
        call_command("generate", "--accounts", "5", stdout=io.StringIO())
    assert error.value.returncode == 2
    assert Account.objects.count() == 2


def test_generate_command_reports_rows(db) -> None:  # noqa: ANN001
    out = io.StringIO()
    call_command("generate", "--accounts", "12", "--as-of", "2026-11-22", stdout=out)
    assert "account" in out.getvalue() and Account.objects.count() == 12


def test_company_names_of_a_big_book_are_told_apart() -> None:
    from heedful.demo.book_names import company_words

    first_hundred_thousand = {company_words(number) for number in range(1, 100_001)}
    assert len(first_hundred_thousand) == 100_000


def test_people_are_as_varied_as_a_real_customer_base(db) -> None:  # noqa: ANN001
    generator.generate(accounts=300, seed=4, as_of=AS_OF)
    names = list(Contact.objects.values_list("full_name", flat=True))
    assert len(names) > 2_000
    assert len(set(names)) / len(names) > 0.97, "contacts share their full names"
    accounts = list(Account.objects.values_list("name", flat=True))
    assert len(set(accounts)) == len(accounts)
    assert any(not name.isascii() for name in names), "names keep their accents"
