"""factory_boy factories for every record; tests override only what they are about."""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory

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
from heedful.sales.models import Opportunity, Quota
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username.replace("_", " ").title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@vendor.example")
    role = "rep"
    password = factory.django.Password(PASSWORD)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"ACC-{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    industry = "Telecommunications"
    segment = "enterprise"
    status = "customer"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_on_team(obj, create, extracted, **kwargs):  # noqa: ANN001, ANN201, N805
        if create and obj.owner_id:
            TeamMembership.objects.get_or_create(
                account=obj, user=obj.owner, role="owner", start_date=date(2024, 1, 1)
            )


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    role = "csm"
    start_date = date(2024, 1, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    external_id = factory.Sequence(lambda n: f"CON-{n:05d}")
    account = factory.SubFactory(AccountFactory)
    full_name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@customer.example")
    role_type = "business"


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    account = factory.SubFactory(AccountFactory)
    occurred_on = date(2026, 11, 1)
    sentiment = "neutral"
    headline = factory.Sequence(lambda n: f"Headline {n}")


class ProductFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductFamily
        django_get_or_create = ("name",)

    name = "Voice"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    family = factory.SubFactory(ProductFamilyFactory)


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Release {n}")
    release_on = date(2027, 1, 15)


class HoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holding

    account = factory.SubFactory(AccountFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 10


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    external_id = factory.Sequence(lambda n: f"CTR-{n:05d}")
    account = factory.SubFactory(AccountFactory)
    name = "Managed voice"
    start_date = date(2025, 1, 1)
    end_date = date(2027, 12, 31)
    recurring_amount = Decimal("2500.00")
    currency = "USD"


class AdverseChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdverseChange

    account = factory.SubFactory(AccountFactory)
    kind = "price_increase"
    effective_on = date(2027, 1, 1)
    recorded_on = date(2026, 11, 1)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    invoice_number = factory.Sequence(lambda n: f"INV-{n:06d}")
    account = factory.SubFactory(AccountFactory)
    period_start = date(2026, 10, 1)
    period_end = date(2026, 10, 31)
    amount = Decimal("2500.00")
    currency = "USD"


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    invoice = factory.SubFactory(InvoiceFactory)
    opened_on = date(2026, 11, 1)
    status = "open"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    external_id = factory.Sequence(lambda n: f"ORD-{n:05d}")
    account = factory.SubFactory(AccountFactory)
    ordered_on = date(2026, 11, 1)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    external_id = factory.Sequence(lambda n: f"TCK-{n:05d}")
    account = factory.SubFactory(AccountFactory)
    opened_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    severity = 3
    subject = "Cannot log in"
    status = "open"


class ServiceMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceMetric

    account = factory.SubFactory(AccountFactory)
    period = "2026-10"
    metric = "First-call resolution %"
    target = Decimal("90")
    actual = Decimal("85")


class ScopeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeRecord

    account = factory.SubFactory(AccountFactory)
    period = "2026-10"
    function = "Service desk calls"
    contracted_quantity = Decimal("1000")
    delivered_quantity = Decimal("1000")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    account = factory.SubFactory(AccountFactory)
    occurred_at = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    kind = "email"
    direction = "two_way"
    subject = factory.Sequence(lambda n: f"Interaction {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    external_id = factory.Sequence(lambda n: f"OPP-{n:05d}")
    account = factory.SubFactory(AccountFactory)
    name = "Expansion"
    owner = factory.SubFactory(UserFactory)
    stage = "qualify"
    amount = Decimal("50000.00")
    currency = "USD"


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    user = factory.SubFactory(UserFactory)
    # A year each, so that several quotas of one rep never share a period.
    period_start = factory.Sequence(lambda n: date(2000 + n % 1000, 1, 1))
    period_end = factory.LazyAttribute(lambda quota: date(quota.period_start.year, 12, 31))
    amount = Decimal("300000.00")
    currency = "USD"
