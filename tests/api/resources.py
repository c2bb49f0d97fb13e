"""What the API tests need to know of each REST resource: how to make a record on an account,
how the API names it, a valid create payload and a valid change.

``tests/api/test_visibility.py`` takes the routes from the NinjaAPI itself, so a new route
whose resource is not described here fails the suite until someone describes it.
"""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Model

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.api import api
from heedful.billing.models import Dispute, Invoice
from heedful.catalog.models import AdverseChange, Contract, Holding
from heedful.coaching.models import CoachingPoint, FollowUp, Review
from heedful.core.models import User
from heedful.events.models import Event, FeedbackItem
from heedful.expenses.models import ExpenseReport
from heedful.forecasts import services as forecasts
from heedful.forecasts.models import ForecastAdjustment, ForecastPeriod, ForecastSubmission
from heedful.interactions.models import Interaction
from heedful.meetings.models import Meeting
from heedful.orders.models import Order
from heedful.plays.models import Play
from heedful.programs.models import JoinRequest, VisitCadence
from heedful.sales.models import Opportunity, OpportunityProduct, Quota, StageChange
from heedful.support.models import ScopeRecord, ServiceMetric, Ticket
from heedful.visits.models import Visit
from tests import factories


@dataclass(frozen=True)
class Spec:
    path: str
    model: type[Model]
    make: Callable[[Account], Model]
    key: Callable[[Model], Any]
    key_field: str
    """The field of the API's answer that ``key`` matches."""
    create: Callable[[Account, Any], dict[str, Any]]
    change: dict[str, Any]
    account_field: str | None = "account_external_id"
    """The field that moves a record to another account, and how to name that account."""
    move_to: Callable[[Account], Any] = field(default=lambda account: account.external_id)
    writer: str = "rep"
    """Who (of ``people``) creates and changes such records on ``ours``."""
    other_writer: str = "manager"
    """Someone else who may change the same record."""
    owner_field: str = "owner_username"
    """For a record on no account: the field naming whose it is (a user the rep cannot
    name is refused there)."""


def _external_id(record: Model) -> Any:
    return record.external_id  # type: ignore[attr-defined]


def _invoice_number(record: Model) -> Any:
    return record.invoice_number  # type: ignore[attr-defined]


def _id(record: Model) -> Any:
    return record.pk


SPECS: dict[str, Spec] = {}
_serial = itertools.count(1)  # for records unique per account (metric, function, date)


def describe(spec: Spec) -> None:
    SPECS[spec.path] = spec


describe(Spec(
    path="accounts", model=Account, make=lambda account: account, key=_external_id,
    key_field="external_id",
    create=lambda account, people: {"external_id": "ACC-NEW", "name": "Northwind Traders"},
    change={"city": "Oslo", "aliases": ["Northwind", "NWT"]}, account_field=None,
))
describe(Spec(
    path="contacts", model=Contact,
    make=lambda account: factories.ContactFactory(account=account), key=_external_id,
    key_field="external_id",
    create=lambda account, people: {
        "external_id": "CON-NEW", "account_external_id": account.external_id,
        "full_name": "Ada Lovelace", "likes": ["chess", "tea"],
    },
    change={"title": "CTO", "is_key": True},
))
describe(Spec(
    path="team-memberships", model=TeamMembership,
    make=lambda account: factories.TeamMembershipFactory(account=account), key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "username": "manager", "role": "se",
        "start_date": "2026-01-01",
    },
    change={"end_date": "2026-12-31"},
))
describe(Spec(
    path="news", model=NewsItem,
    make=lambda account: factories.NewsItemFactory(account=account), key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "occurred_on": "2026-11-02",
        "sentiment": "negative", "headline": "Closing 30% of its offices",
    },
    change={"sentiment": "positive"},
))



describe(Spec(
    path="holdings", model=Holding,
    make=lambda account: factories.HoldingFactory(account=account), key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "sku": factories.ProductFactory().sku,
        "quantity": 40, "maintenance_tier": "24x7", "maintenance_end": "2027-06-30",
    },
    change={"quantity": 55, "maintenance_tier": "8x5"},
))
describe(Spec(
    path="contracts", model=Contract,
    make=lambda account: factories.ContractFactory(account=account), key=_external_id,
    key_field="external_id",
    create=lambda account, people: {
        "external_id": "CTR-NEW", "account_external_id": account.external_id,
        "name": "Managed network", "start_date": "2026-01-01", "end_date": "2028-12-31",
        "recurring_amount": "4200.50", "currency": "EUR", "billing_period": "quarterly",
        "notice_days": 90,
    },
    change={"recurring_amount": "4300.00", "notice_days": 60},
))
describe(Spec(
    path="adverse-changes", model=AdverseChange,
    make=lambda account: factories.AdverseChangeFactory(
        account=account, effective_on=date(2027, 1, 1) + timedelta(days=next(_serial))
    ),
    key=_id,
    key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "kind": "end_of_support",
        "effective_on": "2027-03-31", "recorded_on": "2026-11-20", "summary": "Model X retires",
    },
    change={"summary": "Model X retires; Model Y replaces it"},
))
describe(Spec(
    path="invoices", model=Invoice,
    make=lambda account: factories.InvoiceFactory(account=account), key=_invoice_number,
    key_field="invoice_number",
    create=lambda account, people: {
        "invoice_number": "INV-NEW", "account_external_id": account.external_id,
        "contract_external_id": factories.ContractFactory(account=account).external_id,
        "period_start": "2026-11-01", "period_end": "2026-11-30", "issued_on": "2026-12-01",
        "amount": "2500.00", "currency": "USD",
    },
    change={"amount": "-120.00", "issued_on": "2026-12-02"},
))
describe(Spec(
    path="disputes", model=Dispute,
    make=lambda account: factories.DisputeFactory(
        invoice=factories.InvoiceFactory(account=account)
    ),
    key=_id, key_field="id",
    create=lambda account, people: {
        "invoice_number": factories.InvoiceFactory(account=account).invoice_number,
        "opened_on": "2026-11-15", "amount": "300.00",
    },
    change={"status": "resolved", "resolved_on": "2026-11-30"},
    account_field="invoice_number",
    move_to=lambda account: factories.InvoiceFactory(account=account).invoice_number,
))
describe(Spec(
    path="tickets", model=Ticket,
    make=lambda account: factories.TicketFactory(account=account), key=_external_id,
    key_field="external_id",
    create=lambda account, people: {
        "external_id": "TCK-NEW", "account_external_id": account.external_id,
        "contact_external_id": factories.ContactFactory(account=account).external_id,
        "opened_at": "2026-11-21T08:30:00Z", "severity": 1, "subject": "Phones down",
        "status": "open",
    },
    change={"status": "resolved", "resolved_at": "2026-11-21T12:00:00Z"},
))
describe(Spec(
    path="orders", model=Order,
    make=lambda account: factories.OrderFactory(account=account), key=_external_id,
    key_field="external_id",
    create=lambda account, people: {
        "external_id": "ORD-NEW", "account_external_id": account.external_id,
        "ordered_on": "2026-11-01", "amount": "1200.00", "currency": "GBP",
        "description": "40 handsets",
    },
    change={"shipped_on": "2026-11-05", "delivered_on": "2026-11-07"},
))
describe(Spec(
    path="interactions", model=Interaction,
    make=lambda account: factories.InteractionFactory(account=account), key=_id,
    key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "occurred_at": "2026-11-19T14:00:00Z",
        "kind": "call", "direction": "outbound", "username": "rep",
        "contact_external_ids": [factories.ContactFactory(account=account).external_id],
        "subject": "Renewal check-in", "tags": ["renewal", "roadmap"],
    },
    change={"subject": "Renewal check-in, follow-up", "tags": ["praise"]},
))
describe(Spec(
    path="service-metrics", model=ServiceMetric,
    make=lambda account: factories.ServiceMetricFactory(
        account=account, metric=f"Metric {next(_serial)}"
    ),
    key=_id,
    key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "period": "2026-10",
        "metric": "Availability %", "target": "99.9000", "actual": "99.9500",
    },
    change={"metric": "First-call resolution"},
))
describe(Spec(
    path="scope-records", model=ScopeRecord,
    make=lambda account: factories.ScopeRecordFactory(
        account=account, function=f"Function {next(_serial)}"
    ),
    key=_id,
    key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "period": "2026-10",
        "function": "Desk-side support", "contracted_quantity": "400.00",
        "delivered_quantity": "520.00",
    },
    change={"delivered_quantity": "610.00"},
))
describe(Spec(
    path="opportunities", model=Opportunity,
    make=lambda account: factories.OpportunityFactory(account=account, owner=account.owner),
    key=_external_id, key_field="external_id",
    create=lambda account, people: {
        "external_id": "OPP-NEW", "account_external_id": account.external_id,
        "name": "Contact-centre expansion", "owner_username": account.owner.username,
        "stage": "qualify", "amount": "80000.00", "currency": "USD", "close_date": "2027-03-31",
    },
    change={"stage": "proposal", "amount": "95000.00"},
))

describe(Spec(
    path="quotas", model=Quota,
    make=lambda account: factories.QuotaFactory(user=account.owner), key=_id, key_field="id",
    create=lambda account, people: {
        "username": account.owner.username, "period_start": "2027-01-01",
        "period_end": "2027-03-31", "amount": "300000.00", "currency": "USD",
    },
    change={"amount": "320000.00"}, account_field=None, owner_field="username",
    writer="manager", other_writer="director",
))


def _meeting(account: Account) -> Meeting:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(days=next(_serial))
    return Meeting.objects.create(
        account=account, title="Quarterly review", organizer=account.owner,
        scheduled_start=start, scheduled_end=start + timedelta(hours=1),
    )


describe(Spec(
    path="meetings", model=Meeting, make=_meeting, key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "title": "Renewal planning",
        "scheduled_start": "2026-12-03T10:00:00Z", "scheduled_end": "2026-12-03T11:00:00Z",
    },
    change={"objective": "Agree the renewal's scope"},
))


def _stage_change(account: Account) -> StageChange:
    opportunity = factories.OpportunityFactory(account=account, owner=account.owner)
    return StageChange.objects.create(
        opportunity=opportunity, stage="qualify",
        changed_at=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(days=next(_serial)),
    )


describe(Spec(
    path="stage-changes", model=StageChange, make=_stage_change, key=_id, key_field="id",
    create=lambda account, people: {
        "opportunity_external_id": factories.OpportunityFactory(
            account=account, owner=account.owner
        ).external_id,
        "stage": "proposal", "changed_at": "2026-11-02T09:00:00Z",
    },
    change={"stage": "negotiate"},
    account_field="opportunity_external_id",
    move_to=lambda account: factories.OpportunityFactory(
        account=account, owner=account.owner
    ).external_id,
))


def _opportunity_product(account: Account) -> OpportunityProduct:
    return OpportunityProduct.objects.create(
        opportunity=factories.OpportunityFactory(account=account, owner=account.owner),
        product=factories.ProductFactory(), quantity=2, unit_price="1200.00",
    )


describe(Spec(
    path="opportunity-products", model=OpportunityProduct, make=_opportunity_product, key=_id,
    key_field="id",
    create=lambda account, people: {
        "opportunity_external_id": factories.OpportunityFactory(
            account=account, owner=account.owner
        ).external_id,
        "sku": factories.ProductFactory().sku, "quantity": 3, "unit_price": "950.00",
    },
    # twice as many at half the price: the total the answer derives stays as it was
    change={"quantity": 4, "unit_price": "600.00"},
    account_field="opportunity_external_id",
    move_to=lambda account: factories.OpportunityFactory(
        account=account, owner=account.owner
    ).external_id,
))


def _expense_report(account: Account) -> ExpenseReport:
    serial = next(_serial)
    return ExpenseReport.objects.create(
        rep=account.owner, period=f"{2030 + serial // 12}-{serial % 12 + 1:02d}",
        due_on=date(2030, 1, 5), amount="1840.50", budget="2000.00", currency="EUR",
    )


# Records of a person, on no account: whose they are is the visibility rule
# (``managed_users``): a rep their own, a manager their people's.
describe(Spec(
    path="expense-reports", model=ExpenseReport, make=_expense_report, key=_id, key_field="id",
    create=lambda account, people: {
        "rep_username": account.owner.username, "period": "2026-10", "due_on": "2026-11-05",
        "submitted_on": "2026-11-03", "amount": "1840.50", "budget": "2000.00",
        "currency": "EUR",
    },
    change={"submitted_on": "2026-11-07", "amount": "1900.00"}, account_field=None,
    owner_field="rep_username",
))


def _review(account: Account) -> Review:
    review = Review.objects.create(
        kind="pipeline", held_on=date(2026, 12, 1) + timedelta(days=next(_serial)),
        manager=account.owner.manager, rep=account.owner, subject="The quarter's pipeline",
    )
    CoachingPoint.objects.create(
        review=review, skill="discovery_questions", direction="correct",
        observed="Asked about budget before the problem.",
    )
    FollowUp.objects.create(
        review=review, what="Update next steps", owner=account.owner, due_on=date(2026, 12, 8)
    )
    return review


describe(Spec(
    path="reviews", model=Review, make=_review, key=_id, key_field="id",
    create=lambda account, people: {
        "kind": "pipeline", "held_on": "2026-12-04", "rep_username": account.owner.username,
        "subject": "Q4 pipeline", "notes": "Two deals slipped.",
    },
    change={"notes": "Two deals slipped; one is back."}, account_field=None,
    owner_field="rep_username", writer="manager", other_writer="director",
))


def forecast_period() -> ForecastPeriod:
    return ForecastPeriod.objects.get_or_create(
        name="2026-Q4", defaults={
            "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31),
            "due_on": date(2026, 11, 20),
        },
    )[0]


def _forecast_submission(account: Account) -> ForecastSubmission:
    return forecasts.submit(
        user=account.owner, period=forecast_period(), commit="100000", best_case="150000",
        pipeline="300000",
    )


def _forecast_adjustment(account: Account) -> ForecastAdjustment:
    return forecasts.adjust(
        user=account.owner.manager, rep=account.owner, period=forecast_period(),
        category="commit", change="-25000", reason="The Acme deal slips to January.",
    )


def _visit(account: Account) -> Visit:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC) + timedelta(days=next(_serial))
    return Visit.objects.create(
        account=account, contact=factories.ContactFactory(account=account),
        visitor=account.owner, visitor_role="Field engineer",
        work_order=f"WO-{next(_serial)}", purpose="Replace the SIP gateway",
        window_start=start, window_end=start + timedelta(hours=2), our_phone="+1 415 555 0100",
        token_hash=f"{next(_serial):064d}", code_hash="-", created_at=start - timedelta(days=3),
    )


describe(Spec(
    path="visits", model=Visit, make=_visit, key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id,
        "contact_external_id": factories.ContactFactory(account=account).external_id,
        "visitor_username": "rep", "visitor_role": "Field engineer", "work_order": "WO-2291",
        "purpose": "Replace the SIP gateway", "window_start": "2026-12-03T09:00:00Z",
        "window_end": "2026-12-03T11:00:00Z", "our_phone": "+1 415 555 0100",
    },
    change={"work_order": "WO-2292", "purpose": "Replace the SIP gateway and its power supply"},
))


def _feedback_item(account: Account) -> FeedbackItem:
    return FeedbackItem.objects.create(
        account=account, theme="needs", said=f"Searchable recordings ({next(_serial)})",
        recorded_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC) + timedelta(days=next(_serial)),
    )


describe(Spec(
    path="feedback-items", model=FeedbackItem, make=_feedback_item, key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id,
        "contact_external_id": factories.ContactFactory(account=account).external_id,
        "theme": "problem", "said": "Calls drop when the line fails over",
    },
    change={"theme": "needs", "said": "Calls should survive a failover"},
))


def _event(account: Account) -> Event:
    start = datetime(2026, 12, 1, 15, 0, tzinfo=UTC) + timedelta(days=next(_serial))
    return Event.objects.create(
        topic="Voice roadmap focus group", format="in_person", starts_at=start,
        ends_at=start + timedelta(hours=2), host=account.owner, created_at=start,
    )


describe(Spec(
    path="events", model=Event, make=_event, key=_id, key_field="id",
    create=lambda account, people: {
        "topic": "What a contact centre needs", "format": "webinar",
        "starts_at": "2026-12-09T15:00:00Z", "ends_at": "2026-12-09T16:00:00Z",
        "host_username": "rep",
    },
    change={"topic": "What a contact centre needs in 2027", "location": "https://meet.example/x"},
    account_field=None,
))


describe(Spec(
    path="visit-cadences", model=VisitCadence,
    make=lambda account: VisitCadence.objects.create(
        segment=f"tier-{next(_serial)}", visit_every_days=90
    ),
    key=lambda record: record.segment,  # type: ignore[attr-defined]
    key_field="segment",
    create=lambda account, people: {"segment": "enterprise", "visit_every_days": 60},
    change={"visit_every_days": 45}, account_field=None, writer="admin", other_writer="admin",
))


def _join_request(account: Account) -> JoinRequest:
    return JoinRequest.objects.create(
        account=account, leader=User.objects.get(username="manager"),
        asked_at=datetime(2026, 11, 1, 9, tzinfo=UTC) + timedelta(days=next(_serial)),
        note="How do they use the contact centre?",
    )


# Only a leader asks to see a customer, and only they change their request: the manager
# writes both times.
describe(Spec(
    path="join-requests", model=JoinRequest, make=_join_request, key=_id, key_field="id",
    create=lambda account, people: {
        "account_external_id": account.external_id, "note": "Their renewal worries",
    },
    change={"note": "Their renewal worries, and the new call centre"},
    writer="manager", other_writer="manager",
))

CATALOGUE_PATHS = ("/products", "/releases", "/visit-cadences")
"""Company-wide records, on no account: everyone reads them, admins write them
(``tests/api/test_catalogue.py``, ``tests/programs/test_visit_cadences_api.py``)."""
EVENT_PATHS = ("/events",)
"""Customer events, on no account: everyone signed in reads and plans them, as on the pages
(``tests/events/test_events_api.py``)."""


def _play(account: Account) -> Play:
    return Play.objects.create(
        rule="billing.spike", account=account, subject=f"invoice:INV-{next(_serial)}",
        owner=account.owner, priority=70, title="Bill up 212%", explanation="Why, with numbers.",
        facts={"amount": "7800.00"}, suggested_action="Call before they do.",
    )


# Plays are raised by the rules, never posted, and PATCH acts on them rather than editing
# fields: they take part in the visibility tests only (tests/plays/test_plays_api.py has the
# rest).
VISIBILITY_ONLY_SPECS: dict[str, Spec] = {
    "plays": Spec(
        path="plays", model=Play, make=_play, key=_id, key_field="id",
        create=lambda account, people: {},
        change={"status": "dismissed", "reason": "Already handled on the phone."},
        account_field=None,
    ),
    # A submission is history: filed again, never changed (tests/forecasts/
    # test_forecast_api.py has the rest).
    "forecast-submissions": Spec(
        path="forecast-submissions", model=ForecastSubmission, make=_forecast_submission,
        key=_id, key_field="id",
        create=lambda account, people: {
            "period": forecast_period().name, "rep_username": account.owner.username,
            "commit": "100000.00", "best_case": "150000.00", "pipeline": "300000.00",
        },
        change={}, account_field=None, owner_field="rep_username",
    ),
    "forecast-adjustments": Spec(
        path="forecast-adjustments", model=ForecastAdjustment, make=_forecast_adjustment,
        key=_id, key_field="id",
        create=lambda account, people: {
            "period": forecast_period().name, "rep_username": account.owner.username,
            "category": "commit", "change": "-25000.00", "reason": "Slips to January.",
        },
        change={}, account_field=None, owner_field="rep_username", writer="manager",
    ),
}


def routes() -> list[tuple[str, str]]:
    """Every (method, path) the API serves, e.g. ``("PATCH", "/contacts/{external_id}")``."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    # As the OpenAPI document names it: "{path:external_id}" is "{external_id}".
                    documented = re.sub(r"{[^}:]+:", "{", f"{prefix}{path}".replace("//", "/"))
                    found.append((method, documented))
    return sorted(set(found))


def spec_of(path: str) -> Spec | None:
    name = path.strip("/").split("/")[0]
    return SPECS.get(name) or VISIBILITY_ONLY_SPECS.get(name)
