"""The demo company's shapes: staff, accounts, contacts, history, and the rules that
bulk_create would otherwise skip (derived fields, natural keys, normalized tags)."""

from collections.abc import Iterator

import pytest
from django.test import Client

from heedful.accounts.models import Account, Contact, TeamMembership
from heedful.billing.models import Invoice
from heedful.core.models import User
from heedful.demo import company
from heedful.demo.vocabulary import DEMO_PASSWORD
from heedful.interactions.models import Interaction
from heedful.lib.text import fold
from heedful.sales.models import StageChange
from tests.conftest import AS_OF
from tests.demo.helpers import built_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[company.Plan]:  # noqa: ANN001
    with django_db_blocker.unblock(), built_demo(AS_OF) as plan:
        yield plan


def test_staff_have_roles_managers_and_the_admin_is_superuser(demo, db) -> None:  # noqa: ANN001
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["rep"] == "rep" and roles["manager"] == "manager"
    assert roles["executive"] == "executive" and roles["admin"] == "admin"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    managers = set(User.objects.filter(role="manager").values_list("username", flat=True))
    assert len(managers) == 3
    assert User.objects.filter(role="rep", manager__username__in=managers).count() >= 10


@pytest.mark.parametrize("username", ["rep", "manager", "executive", "admin"])
def test_demo_logins_can_log_in(demo, db, username: str) -> None:  # noqa: ANN001
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/accounts/").status_code == 200


def test_a_few_hundred_realistic_accounts_with_contacts(demo, db) -> None:  # noqa: ANN001
    assert 250 <= Account.objects.count() <= 350
    assert len(set(Account.objects.values_list("industry", flat=True))) >= 10
    assert len(set(Account.objects.values_list("country", flat=True))) >= 10
    assert Account.objects.filter(status="prospect").exists()
    assert Account.objects.filter(status="former").exists()
    assert Contact.objects.count() >= 3 * Account.objects.count()
    emails = list(Contact.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))
    names = Contact.objects.values_list("full_name", flat=True)
    accented = [name for name in names if fold(name) != name.casefold()]
    assert len(accented) >= 50
    assert Contact.objects.exclude(preferred_name="").count() >= 50
    assert Contact.objects.exclude(pronunciation="").exists()
    assert set(Contact.objects.values_list("role_type", flat=True)) == {
        "business", "technical", "executive", "procurement"}


def test_derived_fields_are_filled_although_bulk_create_skips_save(demo, db) -> None:  # noqa: ANN001
    for account in Account.objects.all()[:50]:
        assert account.name_folded == fold(account.name)
        assert account.phone_digits and account.phone_digits.isdigit()
    for contact in Contact.objects.all()[:50]:
        assert contact.full_name_folded == fold(contact.full_name)
        assert contact.email == contact.email.lower()
    for interaction in Interaction.objects.select_related("account", "user")[:200]:
        assert interaction.natural_key == Interaction.compute_natural_key(
            account_external_id=interaction.account.external_id,
            occurred_at_iso=interaction.occurred_at.isoformat(), kind=interaction.kind,
            username=interaction.user.username if interaction.user else "",
            subject=interaction.subject,
        )
        assert interaction.tags == "" or (interaction.tags.startswith(";")
                                          and interaction.tags == interaction.tags.lower())


def test_account_teams_keep_their_history(demo, db) -> None:  # noqa: ANN001
    ended = TeamMembership.objects.filter(role="owner", end_date__isnull=False)
    assert ended.count() >= 30
    assert TeamMembership.objects.filter(role="csm").exists()
    assert TeamMembership.objects.filter(role="se").exists()
    assert TeamMembership.objects.filter(role="executive_sponsor").count() >= 5


def test_nothing_happens_after_as_of(demo, db) -> None:  # noqa: ANN001
    assert not Interaction.objects.filter(occurred_at__date__gt=AS_OF).exists()
    assert not Invoice.objects.filter(issued_on__gt=AS_OF).exists()
    assert not StageChange.objects.filter(changed_at__date__gt=AS_OF).exists()
    assert Invoice.objects.filter(account__status="customer").count() >= 2000


def test_every_row_is_valid(demo, db) -> None:  # noqa: ANN001
    for model in (Account, Contact, Invoice):
        for row in model.objects.all()[:100]:
            row.full_clean(validate_unique=False)
