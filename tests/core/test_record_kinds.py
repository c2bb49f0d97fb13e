"""Each record kind is declared once (``<app>/kinds.py``): its CSV import, its export, its
form and its API schemas all follow from that declaration, so they cannot drift apart."""

import pytest
from django.test import Client

from heedful.accounts.kinds import ACCOUNT, CONTACT, NEWS_ITEM, TEAM_MEMBERSHIP
from heedful.billing.kinds import DISPUTE, INVOICE
from heedful.catalog.kinds import ADVERSE_CHANGE, CONTRACT, HOLDING, PRODUCT, RELEASE
from heedful.coaching.kinds import REVIEW
from heedful.core.kinds import Column, RecordKind
from heedful.events.kinds import EVENT, FEEDBACK_ITEM
from heedful.expenses.kinds import EXPENSE_REPORT
from heedful.forecasts.kinds import FORECAST_ADJUSTMENT, FORECAST_SUBMISSION
from heedful.integrations.csv_import import SPECS
from heedful.interactions.kinds import INTERACTION
from heedful.meetings.kinds import MEETING
from heedful.orders.kinds import ORDER
from heedful.programs.kinds import JOIN_REQUEST, VISIT_CADENCE
from heedful.sales.kinds import OPPORTUNITY, OPPORTUNITY_PRODUCT, QUOTA, STAGE_CHANGE
from heedful.support.kinds import SCOPE_RECORD, SERVICE_METRIC, TICKET
from heedful.visits.kinds import VISIT
from tests.api.conftest import API
from tests.api.resources import SPECS as API_RESOURCES
from tests.integrations.conftest import run

KINDS: dict[str, tuple[RecordKind, str]] = {
    "accounts": (ACCOUNT, "Account"),
    "contacts": (CONTACT, "Contact"),
    "team": (TEAM_MEMBERSHIP, "TeamMembership"),
    "news": (NEWS_ITEM, "NewsItem"),
    "holdings": (HOLDING, "Holding"),
    "contracts": (CONTRACT, "Contract"),
    "adverse_changes": (ADVERSE_CHANGE, "AdverseChange"),
    "invoices": (INVOICE, "Invoice"),
    "disputes": (DISPUTE, "Dispute"),
    "tickets": (TICKET, "Ticket"),
    "orders": (ORDER, "Order"),
    "interactions": (INTERACTION, "Interaction"),
    "service_metrics": (SERVICE_METRIC, "ServiceMetric"),
    "scope": (SCOPE_RECORD, "ScopeRecord"),
    "opportunities": (OPPORTUNITY, "Opportunity"),
    "stage_changes": (STAGE_CHANGE, "StageChange"),
    "opportunity_products": (OPPORTUNITY_PRODUCT, "OpportunityProduct"),
    "quotas": (QUOTA, "Quota"),
    "expense_reports": (EXPENSE_REPORT, "ExpenseReport"),
    "products": (PRODUCT, "Product"),
    "releases": (RELEASE, "Release"),
}
API_ONLY_KINDS = (
    MEETING, REVIEW, FORECAST_SUBMISSION, FORECAST_ADJUSTMENT, VISIT, EVENT, FEEDBACK_ITEM,
    VISIT_CADENCE, JOIN_REQUEST,
)
"""Kinds the API reads and writes that have no CSV format (yet)."""


def test_every_api_resource_has_a_declared_kind() -> None:
    declared = {kind.model for kind, _name in KINDS.values()} | {
        kind.model for kind in API_ONLY_KINDS
    }
    assert {resource.model for resource in API_RESOURCES.values()} <= declared


@pytest.mark.parametrize("csv_kind", sorted(KINDS))
def test_csv_import_export_and_api_name_the_same_columns(csv_kind: str, db, tmp_path) -> None:  # noqa: ANN001
    kind, name = KINDS[csv_kind]
    assert run("export", str(tmp_path)).returncode == 0
    document = Client().get(API + "/openapi.json").json()["components"]["schemas"]
    # the import's columns, in the contract's order, and which are required
    spec = SPECS[csv_kind]
    assert [column.name for column in spec.columns] == kind.column_names
    assert [c.name for c in spec.columns if c.required] == [
        c.name for c in kind.columns if c.required
    ]
    # the export writes them
    header = (tmp_path / f"{csv_kind}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.removeprefix("\ufeff").split(",") == kind.column_names
    # the API takes them, requiring the same ones (except what defaults to the caller)
    created = document[f"{name}In"]
    assert list(created["properties"]) == kind.column_names
    assert sorted(created.get("required", [])) == sorted(
        column.name for column in kind.columns
        if column.required and not column.defaults_to_you
    )
    # and answers them
    assert set(kind.column_names) <= set(document[f"{name}Out"]["properties"])


def test_a_column_added_to_a_declaration_reaches_every_path() -> None:
    # given a kind declared with one more column
    extended = RecordKind(model=CONTACT.model, columns=(*CONTACT.columns, Column("language")))
    # then the form, the API's input and output all know it, with the model's type
    create, patch, out, _page = extended.schemas("ExtendedContact")
    assert extended.form_fields.count("language") == 2
    assert "language" in create.model_fields and "language" in out.model_fields


def test_api_descriptions_come_from_the_model(db) -> None:  # noqa: ANN001
    document = Client().get(API + "/openapi.json").json()["components"]["schemas"]
    role_type = document["ContactIn"]["properties"]["role_type"]
    assert "business, technical, executive, procurement" in role_type["description"]
    preferred = document["ContactIn"]["properties"]["preferred_name"]
    assert "Rich" in preferred["description"]  # the model's help text
