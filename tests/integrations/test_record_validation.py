"""Each record kind is validated by one declaration (its model's field validators and checks),
so the CSV import and the API refuse the same rows with the same message.

The property test enumerates every CSV kind that has an API resource, every declared rule of
its model, and lets hypothesis make rows that break the rule; both paths must refuse them
alike. The plain tests below it pin each gap the two paths used to disagree on.
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heedful.accounts import services as accounts_services
from heedful.accounts.models import Account, Contact
from heedful.billing.models import Invoice
from heedful.catalog.models import Contract
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.integrations.csv_import import SPECS, ImportRejected, import_files
from heedful.lib.csvfile import write_csv
from heedful.lib.validators import (
    CURRENCIES,
    RecordCheck,
    implied_validators,
    validate_currency,
    validate_month,
    validate_not_negative,
    validate_record_id,
)
from heedful.orders.models import Order
from heedful.sales.models import Opportunity
from tests import factories
from tests.api.conftest import API, client_for
from tests.api.resources import SPECS as API_SPECS
from tests.integrations.conftest import run, table_counts

API_PATH = {
    "accounts": "accounts", "contacts": "contacts", "team": "team-memberships", "news": "news",
    "holdings": "holdings", "contracts": "contracts", "adverse_changes": "adverse-changes",
    "invoices": "invoices", "disputes": "disputes", "tickets": "tickets", "orders": "orders",
    "interactions": "interactions", "service_metrics": "service-metrics",
    "scope": "scope-records", "opportunities": "opportunities", "quotas": "quotas",
    "stage_changes": "stage-changes", "opportunity_products": "opportunity-products",
    "expense_reports": "expense-reports",
}
"""CSV kind → API resource: every CSV kind with an API resource."""
API_ONLY = {
    "meetings", "reviews", "visits", "events", "feedback-items", "visit-cadences",
    "join-requests",
}
"""API resources of kinds that have no CSV format."""

LIST_COLUMNS = {"aliases", "likes", "dislikes", "tags", "contact_external_ids"}

VALID_ROWS: dict[str, dict[str, str]] = {
    "accounts": {"external_id": "ACC-NEW", "name": "Northwind", "city": "Oslo"},
    "contacts": {
        "external_id": "CON-NEW", "account_external_id": "ACC-1", "full_name": "Ada Lovelace",
        "title": "CTO", "likes": "chess",
    },
    "team": {
        "account_external_id": "ACC-1", "username": "admin", "role": "se",
        "start_date": "2026-01-01", "end_date": "2026-12-31",
    },
    "news": {
        "account_external_id": "ACC-1", "occurred_on": "2026-11-02", "sentiment": "negative",
        "headline": "Closing 30% of its offices",
    },
    "holdings": {"account_external_id": "ACC-1", "sku": "SKU-1", "quantity": "4"},
    "contracts": {
        "external_id": "CTR-NEW", "account_external_id": "ACC-1", "name": "Voice",
        "start_date": "2026-01-01", "end_date": "2027-12-31", "recurring_amount": "100.00",
        "currency": "EUR",
    },
    "adverse_changes": {
        "account_external_id": "ACC-1", "kind": "price_increase", "effective_on": "2027-01-01",
        "recorded_on": "2026-11-01", "summary": "Up 5%",
    },
    "invoices": {
        "account_external_id": "ACC-1", "invoice_number": "INV-NEW",
        "period_start": "2026-11-01", "period_end": "2026-11-30", "amount": "10.00",
        "currency": "USD",
    },
    "disputes": {
        "invoice_number": "INV-1", "opened_on": "2026-11-15", "amount": "5.00",
        "status": "resolved", "resolved_on": "2026-11-20",
    },
    "tickets": {
        "external_id": "TCK-NEW", "account_external_id": "ACC-1",
        "opened_at": "2026-11-21T08:30:00+00:00", "severity": "2", "subject": "Phones down",
        "status": "resolved", "resolved_at": "2026-11-22T08:30:00+00:00",
    },
    "orders": {
        "external_id": "ORD-NEW", "account_external_id": "ACC-1", "ordered_on": "2026-11-01",
        "shipped_on": "2026-11-03", "delivered_on": "2026-11-05", "amount": "12.00",
        "currency": "GBP", "description": "40 handsets",
    },
    "interactions": {
        "account_external_id": "ACC-1", "occurred_at": "2026-11-19T14:00:00+00:00",
        "kind": "call", "direction": "outbound", "subject": "Renewal check-in",
        "tags": "renewal",
    },
    "service_metrics": {
        "account_external_id": "ACC-1", "period": "2026-10", "metric": "Availability %",
        "target": "99.9", "actual": "99.5",
    },
    "scope": {
        "account_external_id": "ACC-1", "period": "2026-10", "function": "Desk-side support",
        "contracted_quantity": "400", "delivered_quantity": "520",
    },
    "stage_changes": {
        "opportunity_external_id": "OPP-1", "stage": "proposal",
        "changed_at": "2026-11-02T09:00:00Z",
    },
    "opportunities": {
        "external_id": "OPP-NEW", "account_external_id": "ACC-1", "name": "Expansion",
        "owner_username": "admin", "stage": "closed", "amount": "80000.00", "currency": "USD",
        "created_on": "2026-01-01", "close_date": "2026-06-30", "closed_on": "2026-06-01",
        "won": "true",
    },
    "opportunity_products": {
        "opportunity_external_id": "OPP-1", "sku": "SKU-1", "quantity": "3",
        "unit_price": "1200.00",
    },
    "quotas": {
        "username": "admin", "period_start": "2027-01-01", "period_end": "2027-03-31",
        "amount": "300000.00", "currency": "USD",
    },
    "expense_reports": {
        "rep_username": "admin", "period": "2026-10", "due_on": "2026-11-15",
        "submitted_on": "2026-11-14", "amount": "1840.50", "budget": "2000.00",
        "currency": "USD",
    },
}
"""A row of each kind that both paths accept, on the records ``records`` makes."""


@pytest.fixture
def records(db):  # noqa: ANN001, ANN201
    """An admin (who may see and write everything) and the records the valid rows name."""
    admin = factories.UserFactory(username="admin", role="admin")
    account = factories.AccountFactory(external_id="ACC-1", owner=admin)
    factories.ContactFactory(external_id="CON-1", account=account)
    factories.ProductFactory(sku="SKU-1")
    factories.InvoiceFactory(invoice_number="INV-1", account=account)
    factories.OpportunityFactory(external_id="OPP-1", account=account, owner=admin)
    return admin


# --- The two paths -------------------------------------------------------------------------

Refusals = list[tuple[str, str]]
"""(column, reason) pairs, sorted."""


def refused_by_csv(kind: str, row: dict[str, str], folder: Path) -> Refusals:
    path = folder / f"{kind}.csv"
    write_csv(path, list(row), [list(row.values())])
    try:
        import_files([(kind, path)])
    except ImportRejected as rejected:
        return sorted((problem.column, problem.reason) for problem in rejected.problems)
    return []


def refused_by_api(kind: str, row: dict[str, str], user: User) -> Refusals:
    payload: dict[str, Any] = {}
    for column, value in row.items():
        if value == "" and column != "currency":  # an empty currency is sent as one
            continue
        payload[column] = value.split(";") if column in LIST_COLUMNS else value
    response = client_for(user).post(
        f"{API}/{API_PATH[kind]}", json.dumps(payload), content_type="application/json"
    )
    if response.status_code == 201:
        return []
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    return sorted((column, reason) for column, reasons in errors.items() for reason in reasons)


# --- What each kind declares ---------------------------------------------------------------


def _fields_of(kind: str) -> dict[str, models.Field]:
    """CSV column → the model field it fills, for columns that are not references."""
    spec = SPECS[kind]
    return {
        column.name: spec.field_named(column.field_name)
        for column in spec.columns
        if column.field_name and column.ref is None
    }


def _dates(draw: st.DrawFn, model_field: models.Field) -> tuple[str, str]:
    """Two values of a date or timestamp field, the second before the first."""
    first = draw(st.dates(min_value=date(2000, 1, 2), max_value=date(2090, 1, 1)))
    earlier = first - timedelta(days=draw(st.integers(min_value=1, max_value=3000)))
    earlier = max(earlier, date(1990, 1, 1))
    if isinstance(model_field, models.DateTimeField):
        return f"{first.isoformat()}T10:00:00+00:00", f"{earlier.isoformat()}T10:00:00+00:00"
    return first.isoformat(), earlier.isoformat()


def _breaking_field_rule(
    kind: str, column: str, model_field: models.Field, rule: str
) -> st.SearchStrategy[dict[str, str]]:
    """Rows whose ``column`` breaks the field validator ``rule``."""
    letters = st.text(alphabet="ABCxyz019", min_size=1, max_size=4)
    if rule == "id":
        middle = st.sampled_from(["/", "?", "#", "%", "\\", "\x00", "\x1b", "\x85", "\n"])
        value = st.builds(lambda a, m, b: a + m + b, letters, middle, letters)
    elif rule == "control":
        long_text = isinstance(model_field, models.TextField)
        allowed_in_long_text = {"\t", "\n", "\r"}
        controls = [
            chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]
            if not (long_text and chr(code) in allowed_in_long_text)
        ]
        value = st.builds(lambda a, m, b: a + m + b, letters, st.sampled_from(controls), letters)
    elif rule == "currency":
        value = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3).filter(
            lambda code: code not in CURRENCIES
        )
    elif rule == "not_negative":
        value = st.decimals(
            min_value=Decimal("-999999"), max_value=Decimal("-0.01"), places=2
        ).map(str)
    elif rule == "month":
        value = st.sampled_from(["2026-13", "2026-00", "26-10", "2026/10", "2026-1"])
    elif rule == "range":
        low = next(v.limit_value for v in model_field.validators
                   if isinstance(v, MinValueValidator))
        high = next(v.limit_value for v in model_field.validators
                    if isinstance(v, MaxValueValidator))
        value = st.one_of(
            st.integers(min_value=low - 1000, max_value=low - 1),
            st.integers(min_value=high + 1, max_value=high + 1000),
        ).map(str)
    else:
        raise AssertionError(f"no generator for the rule {rule!r} of {kind}.{column}")
    return value.map(lambda text: {**VALID_ROWS[kind], column: text})


def _breaking_check(kind: str, check: RecordCheck) -> st.SearchStrategy[dict[str, str]]:
    """Rows that break the record check ``check``."""
    fields = _fields_of(kind)
    column_of = {model_field.name: column for column, model_field in fields.items()}
    read = [SPECS[kind].field_named(name) for name in check.reads]
    base = VALID_ROWS[kind]

    if len(read) == 2 and all(isinstance(f, models.DateField) for f in read):
        first, last = (column_of[name] for name in check.reads)

        @st.composite
        def out_of_order(draw: st.DrawFn) -> dict[str, str]:
            later, earlier = _dates(draw, read[0])
            return {**base, first: later, last: earlier}

        return out_of_order()
    if read[-1].name == check.field and read[-1].attname == "currency":
        amount = column_of[check.reads[0]]
        return st.decimals(min_value=0, max_value=Decimal("99999"), places=2).map(
            lambda value: {**base, amount: str(value), "currency": ""}
        )
    if isinstance(read[1], models.BooleanField):  # required_when another field says so
        return st.sampled_from(["true", "false"]).map(
            lambda flag: {**base, column_of[check.reads[1]]: flag, column_of[check.field]: ""}
        )
    raise AssertionError(f"no generator for the check on {kind}.{check.field}")


def declared_rules() -> list[tuple[str, str, str]]:
    """(kind, column or check field, rule) for every declaration of every kind."""
    rules = []
    for kind in API_PATH:
        for column, model_field in _fields_of(kind).items():
            if column not in VALID_ROWS[kind] or model_field.choices:
                continue  # a column the valid row leaves out, or a choice (not a validator)
            validators = model_field.validators
            if validate_record_id in validators:
                rules.append((kind, column, "id"))
            if implied_validators(model_field):
                rules.append((kind, column, "control"))
            if validate_currency in validators:
                rules.append((kind, column, "currency"))
            if validate_not_negative in validators:
                rules.append((kind, column, "not_negative"))
            if validate_month in validators:
                rules.append((kind, column, "month"))
            if any(isinstance(v, MinValueValidator) for v in validators):
                rules.append((kind, column, "range"))
        for check in SPECS[kind].model.checks_across_fields:  # type: ignore[attr-defined]
            rules.append((kind, f"{check.field} ({', '.join(check.reads)})", "check"))
    return rules


def test_every_csv_kind_with_an_api_resource_is_enumerated() -> None:
    api_resources = set(API_SPECS) - API_ONLY
    assert set(API_PATH.values()) == api_resources
    assert set(API_PATH) <= set(SPECS)
    assert set(VALID_ROWS) == set(API_PATH)


def test_every_rule_the_issue_names_is_declared() -> None:
    rules = set(declared_rules())
    assert ("orders", "shipped_on (ordered_on, shipped_on)", "check") in rules
    assert ("opportunities", "closed_on (closed_on, won)", "check") in rules
    assert ("contracts", "recurring_amount", "not_negative") in rules
    assert ("invoices", "currency", "currency") in rules
    assert ("orders", "currency (amount, currency)", "check") in rules
    assert ("accounts", "name", "control") in rules and ("accounts", "external_id", "id") in rules


def test_the_valid_rows_are_accepted_by_both_paths(records, tmp_path: Path) -> None:  # noqa: ANN001
    for kind, row in VALID_ROWS.items():
        assert refused_by_csv(kind, row, tmp_path) == [], kind
        assert refused_by_api(kind, {**row, **_renamed(kind)}, records) == [], kind


def _renamed(kind: str) -> dict[str, str]:
    """The second path writes a record of its own (the first's id is taken now)."""
    row = VALID_ROWS[kind]
    if "external_id" in row:
        return {"external_id": row["external_id"] + "-2"}
    if kind == "invoices":
        return {"invoice_number": "INV-NEW-2"}
    if kind == "team":
        return {"role": "csm"}
    if kind == "quotas":
        return {"period_start": "2027-04-01", "period_end": "2027-06-30"}
    if kind == "expense_reports":  # one report per rep and month
        return {"period": "2026-11", "due_on": "2026-12-15"}
    if kind == "news":
        return {"headline": "Another headline"}
    if kind == "holdings":
        return {"sku": factories.ProductFactory(sku="SKU-2").sku}
    if kind == "opportunity_products":  # a product is on a deal once
        return {"sku": factories.ProductFactory(sku="SKU-3").sku}
    if kind == "adverse_changes":
        return {"kind": "termination"}
    if kind == "disputes":
        return {"opened_on": "2026-11-16"}
    if kind == "interactions":
        return {"subject": "Another call"}
    if kind in ("service_metrics", "scope"):
        return {"period": "2026-11"}
    return {}


@pytest.mark.parametrize(("kind", "target", "rule"), declared_rules())
def test_csv_and_api_refuse_the_same_bad_rows_with_the_same_message(
    records, tmp_path: Path, kind: str, target: str, rule: str  # noqa: ANN001
) -> None:
    # given rows that break one declared rule
    if rule == "check":
        field_name = target.split(" ")[0]
        check = next(
            c for c in SPECS[kind].model.checks_across_fields  # type: ignore[attr-defined]
            if c.field == field_name and f"{c.field} ({', '.join(c.reads)})" == target
        )
        rows = _breaking_check(kind, check)
    else:
        rows = _breaking_field_rule(kind, target, _fields_of(kind)[target], rule)
    before = table_counts()

    @settings(max_examples=8, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(row=rows)
    def both_refuse_alike(row: dict[str, str]) -> None:
        # when
        by_csv = refused_by_csv(kind, row, tmp_path)
        by_api = refused_by_api(kind, row, records)
        # then
        assert by_csv, f"the CSV import accepted {row!r}"
        assert by_csv == by_api

    both_refuse_alike()
    assert table_counts() == before


# --- Each gap the two paths disagreed on, on both paths ------------------------------------


def refused_by_both(kind: str, changes: dict[str, str], user: User, folder: Path) -> Refusals:
    row = {**VALID_ROWS[kind], **changes}
    by_csv = refused_by_csv(kind, row, folder)
    assert by_csv == refused_by_api(kind, row, user)
    return by_csv


def test_an_order_shipped_before_it_was_ordered_is_refused(records, tmp_path: Path) -> None:  # noqa: ANN001
    refused = refused_by_both("orders", {"shipped_on": "2026-10-30"}, records, tmp_path)
    assert refused == [("shipped_on", "Must not be before ordered on (2026-11-01).")]
    assert not Order.objects.exists()


def test_a_won_opportunity_without_its_close_is_refused(records, tmp_path: Path) -> None:  # noqa: ANN001
    refused = refused_by_both("opportunities", {"closed_on": ""}, records, tmp_path)
    assert refused == [("closed_on", "Say when it closed, if it was won or lost.")]
    assert not Opportunity.objects.filter(external_id="OPP-NEW").exists()


def test_a_negative_recurring_amount_is_refused(records, tmp_path: Path) -> None:  # noqa: ANN001
    refused = refused_by_both("contracts", {"recurring_amount": "-100.00"}, records, tmp_path)
    assert refused == [("recurring_amount", "Must not be negative (-100.00).")]
    assert not Contract.objects.exists()


def test_a_currency_that_is_not_iso_4217_is_refused(records, tmp_path: Path) -> None:  # noqa: ANN001
    refused = refused_by_both("invoices", {"currency": "XYZ"}, records, tmp_path)
    assert refused == [
        ("currency", "“XYZ” is not an ISO 4217 currency code in use (e.g. USD, EUR, GBP).")
    ]
    assert not Invoice.objects.filter(invoice_number="INV-NEW").exists()


@pytest.mark.parametrize("kind", ["contracts", "orders", "opportunities"])
def test_an_amount_without_a_currency_is_refused_not_taken_as_usd(
    records, tmp_path: Path, kind: str  # noqa: ANN001
) -> None:
    amount = "recurring_amount" if kind == "contracts" else "amount"
    refused = refused_by_both(kind, {"currency": ""}, records, tmp_path)
    label = amount.replace("_", " ")
    assert refused == [
        ("currency", f"Give the currency of the {label} (an ISO 4217 code, e.g. EUR).")
    ]
    # (the records hold an opportunity of their own, for the stage changes)
    assert not SPECS[kind].model.objects.filter(
        external_id=VALID_ROWS[kind]["external_id"]
    ).exists()


def accepted_by_both(kind: str, changes: dict[str, str], user: User, folder: Path) -> bool:
    row = {**VALID_ROWS[kind], **changes}
    by_csv = refused_by_csv(kind, row, folder)
    by_api = refused_by_api(kind, {**row, **_renamed(kind)}, user)
    return by_csv == by_api == []


def test_an_order_without_an_amount_needs_no_currency(records, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    accepted = accepted_by_both("orders", {"amount": "", "currency": ""}, records, tmp_path)
    # then, and no currency is made up
    assert accepted
    assert list(Order.objects.values_list("currency", flat=True)) == ["", ""]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\n"])
def test_control_characters_in_names_are_refused(
    records, tmp_path: Path, character: str  # noqa: ANN001
) -> None:
    refused = refused_by_both("accounts", {"name": f"Acme{character}Corp"}, records, tmp_path)
    code = f"{ord(character):04X}"
    assert refused == [
        ("name", f"Must not contain control characters (found U+{code} at position 5).")
    ]
    assert not Account.objects.filter(external_id="ACC-NEW").exists()


def test_long_text_keeps_its_line_breaks(records, tmp_path: Path) -> None:  # noqa: ANN001
    # when an adverse change's summary has two paragraphs
    assert accepted_by_both(
        "adverse_changes", {"summary": "Up 5%.\n\nFrom January."}, records, tmp_path
    )


@pytest.mark.parametrize("external_id", ["ACC/1", "ACC?1", "ACC#1", "ACC%2F1", "ACC\\1",
                                         "ACC\x001", "ACC\t1"])
def test_an_id_that_cannot_live_in_a_url_is_refused_for_a_new_record(
    records, tmp_path: Path, external_id: str  # noqa: ANN001
) -> None:
    refused = refused_by_both("accounts", {"external_id": external_id}, records, tmp_path)
    assert [column for column, _reason in refused] == ["external_id"]
    assert not Account.objects.filter(name="Northwind").exists()


def test_an_id_stored_before_the_rule_stays_importable_and_editable(
    records, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an account stored before ids were checked
    factories.AccountFactory(external_id="ACC/OLD", name="Old Name", owner=records)
    # when the export's row comes back, renamed
    refused = refused_by_csv(
        "accounts", {"external_id": "ACC/OLD", "name": "New Name"}, tmp_path
    )
    # then it updates the stored account
    assert refused == []
    assert Account.objects.get(external_id="ACC/OLD").name == "New Name"
    # and a contact on it, with a clean id of its own, is accepted too
    assert refused_by_csv(
        "contacts", {"external_id": "CON-9", "account_external_id": "ACC/OLD",
                     "full_name": "Ada"}, tmp_path
    ) == []
    assert Contact.objects.get(external_id="CON-9").account.name == "New Name"


def test_a_stored_id_breaking_the_rule_stays_editable_through_the_form(records) -> None:  # noqa: ANN001
    # given an account stored before ids were checked
    factories.AccountFactory(external_id="ACC/OLD", name="Old Name", owner=records)
    # when the API's service changes its name
    account = accounts_services.update(
        user=records, external_id="ACC/OLD", changes={"name": "New Name"}
    )
    # then it is saved; only a new id must follow the rule
    assert account.name == "New Name"
    with pytest.raises(InvalidInput) as refused:
        accounts_services.update(
            user=records, external_id="ACC/OLD", changes={"external_id": "ACC/NEW"}
        )
    assert list(refused.value.errors) == ["external_id"]
    assert Account.objects.get(pk=account.pk).external_id == "ACC/OLD"


def test_an_invoice_number_or_sku_with_a_slash_is_refused(records, tmp_path: Path) -> None:  # noqa: ANN001
    refused = refused_by_both("invoices", {"invoice_number": "2026/11/001"}, records, tmp_path)
    assert refused == [("invoice_number", "Must not contain “/”: an id has to fit in a web "
                                          "address (use letters, digits, - _ . : and spaces).")]
    products = tmp_path / "products.csv"
    products.write_text("sku,name,family\nNET/9,Router,Networking\n", encoding="utf-8")
    result = run("import", "products", str(products))
    assert result.returncode == 2
    assert f"{products}:2: sku: Must not contain “/”" in result.stderr


@pytest.mark.parametrize(("kind", "column", "value", "message"), [
    ("invoices", "contract_external_id", "CTR-9", "Contract CTR-9 is on another account."),
    ("tickets", "contact_external_id", "CON-9", "Contact CON-9 is on another account."),
    ("interactions", "contact_external_ids", "CON-1;CON-9",
     "Contact CON-9 is on another account."),
])
def test_a_record_of_another_account_is_refused_alike(
    records, tmp_path: Path, kind: str, column: str, value: str, message: str  # noqa: ANN001
) -> None:
    # given a contract and a contact of another account
    other = factories.AccountFactory(external_id="ACC-2", owner=records)
    factories.ContractFactory(external_id="CTR-9", account=other)
    factories.ContactFactory(external_id="CON-9", account=other)
    # when / then
    assert refused_by_both(kind, {column: value}, records, tmp_path) == [(column, message)]


# --- Reporting lines (users.csv; there is no users API) -------------------------------------


def _import_users(folder: Path, text: str) -> list[str]:
    path = folder / "users.csv"
    path.write_text(text, encoding="utf-8")
    result = run("import", "users", str(path))
    return result.stderr.replace(f"{path}:", "").splitlines()


def test_a_user_who_is_their_own_manager_is_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    errors = _import_users(tmp_path, "username,role,manager_username\nann,rep,ann\n")
    # then
    assert errors[0] == "2: manager_username: A person cannot be their own manager."
    assert not User.objects.exists()


def test_a_manager_cycle_within_the_file_is_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    # when
    errors = _import_users(
        tmp_path,
        "username,role,manager_username\nann,rep,bob\nbob,manager,cy\ncy,manager,ann\n"
        "dee,rep,ann\n",
    )
    # then every line of the circle is named, and the one hanging off it is fine
    assert errors[:3] == [
        "2: manager_username: Reporting lines would go round in a circle: ann → bob → cy → ann.",
        "3: manager_username: Reporting lines would go round in a circle: bob → cy → ann → bob.",
        "4: manager_username: Reporting lines would go round in a circle: cy → ann → bob → cy.",
    ]
    assert len(errors) == 3
    assert not User.objects.exists()


def test_a_manager_cycle_through_stored_users_is_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    # given ann reports to bob, who reports to cy
    cy = factories.UserFactory(username="cy", role="manager")
    bob = factories.UserFactory(username="bob", role="manager", manager=cy)
    factories.UserFactory(username="ann", role="rep", manager=bob)
    # when a file makes cy report to ann
    errors = _import_users(tmp_path, "username,role,manager_username\ncy,manager,ann\n")
    # then
    assert errors[0] == (
        "2: manager_username: Reporting lines would go round in a circle: cy → ann → bob → cy."
    )
    assert User.objects.get(username="cy").manager is None


def test_the_file_may_straighten_a_reporting_line_it_also_reverses(
    db, tmp_path: Path  # noqa: ANN001
) -> None:
    # given bob reports to ann
    ann = factories.UserFactory(username="ann", role="manager")
    factories.UserFactory(username="bob", role="rep", manager=ann)
    # when one file swaps them
    errors = _import_users(
        tmp_path, "username,role,manager_username\nann,rep,bob\nbob,manager,\n"
    )
    # then the file's lines win over the stored ones, and there is no circle
    assert errors == []
    assert User.objects.get(username="ann").manager.username == "bob"


def test_the_admin_refuses_a_manager_cycle_too(db) -> None:  # noqa: ANN001
    # given
    ann = factories.UserFactory(username="ann", role="manager")
    bob = factories.UserFactory(username="bob", role="rep", manager=ann)
    # when ann is made to report to bob
    ann.manager = bob
    # then the model's validation (the admin's form runs it) refuses it
    with pytest.raises(ValidationError) as refused:
        ann.full_clean()
    assert refused.value.message_dict == {
        "manager": ["Reporting lines would go round in a circle: ann → bob → ann."]
    }


# --- An update that leaves a column out: the checks read the stored value -------------------


def _left_out(kind: str, column: str) -> dict[str, str]:
    return {name: value for name, value in VALID_ROWS[kind].items() if name != column}


def test_an_update_without_the_close_column_keeps_the_stored_close(
    records, tmp_path: Path  # noqa: ANN001
) -> None:
    # given a won opportunity with its close, stored
    assert refused_by_csv("opportunities", VALID_ROWS["opportunities"], tmp_path) == []
    # when a later file renames it and leaves the closed_on column out
    row = {**_left_out("opportunities", "closed_on"), "name": "Expansion, phase 2"}
    refused = refused_by_csv("opportunities", row, tmp_path)
    # then it is accepted: the stored close still says when it closed
    assert refused == []
    stored = Opportunity.objects.get(external_id="OPP-NEW")
    assert (stored.name, stored.closed_on) == ("Expansion, phase 2", date(2026, 6, 1))


def test_an_update_that_moves_the_order_after_its_stored_shipping_is_refused(
    records, tmp_path: Path  # noqa: ANN001
) -> None:
    # given an order shipped on 3 November, stored
    assert refused_by_csv("orders", VALID_ROWS["orders"], tmp_path) == []
    # when a later file, without the shipped_on and delivered_on columns, moves the order
    # date after the stored shipping
    row = {**_left_out("orders", "shipped_on"), "ordered_on": "2026-11-10"}
    del row["delivered_on"]
    refused = refused_by_csv("orders", row, tmp_path)
    # then the row is refused as the API would refuse the record, and nothing changes
    assert ("shipped_on", "Must not be before ordered on (2026-11-10).") in refused
    assert Order.objects.get(external_id="ORD-NEW").ordered_on == date(2026, 11, 1)
