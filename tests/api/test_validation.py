"""Input the forms refuse answers 422 naming the field, and writes nothing."""

import json
from datetime import UTC, datetime

import pytest

from heedful.billing.models import Invoice
from heedful.core.models import AuditEntry
from heedful.interactions.models import Interaction
from heedful.sales.models import StageChange
from heedful.support.models import Ticket
from tests.api.conftest import API, client_for
from tests.factories import AccountFactory, ContactFactory, ContractFactory, InvoiceFactory


def post(client, path: str, payload: dict):  # noqa: ANN001, ANN201
    return client.post(API + path, json.dumps(payload), content_type="application/json")


def invoice(account: str, **overrides: object) -> dict:
    return {"invoice_number": "INV-NEW", "account_external_id": account,
            "period_start": "2026-11-01", "period_end": "2026-11-30", "amount": "10.00",
            "currency": "USD", **overrides}


@pytest.mark.parametrize("currency", ["usd", "US", "EURO", "12$"])
def test_currency_must_be_three_capital_letters(people, currency: str) -> None:  # noqa: ANN001
    # when
    response = post(client_for(people.rep), "/invoices", invoice("ACC-OURS", currency=currency))
    # then
    assert response.status_code == 422
    assert any("ISO 4217" in reason for reason in response.json()["errors"]["currency"])
    assert not Invoice.objects.exists()
    assert not AuditEntry.objects.exists()


def test_amount_must_be_a_decimal(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/invoices", invoice("ACC-OURS", amount="lots"))
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]


def test_money_is_answered_as_decimal_strings(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/invoices", invoice("ACC-OURS", amount="2500.5"))
    assert response.status_code == 201
    assert response.json()["amount"] == "2500.50"


def test_period_end_before_start_is_refused(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/invoices",
                    invoice("ACC-OURS", period_end="2026-10-01"))
    assert response.status_code == 422
    assert "period_end" in response.json()["errors"]


def test_invoice_contract_must_be_on_the_same_account(people) -> None:  # noqa: ANN001
    # given
    other = ContractFactory(account=AccountFactory(owner=people.rep))
    # when
    response = post(client_for(people.rep), "/invoices",
                    invoice("ACC-OURS", contract_external_id=other.external_id))
    # then
    assert response.status_code == 422
    assert "contract_external_id" in response.json()["errors"]


def test_month_must_be_yyyy_mm(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/scope-records", {
        "account_external_id": "ACC-OURS", "period": "2026-13", "function": "Desk",
        "contracted_quantity": "1", "delivered_quantity": "1",
    })
    assert response.status_code == 422
    assert "period" in response.json()["errors"]


def ticket(**overrides: object) -> dict:
    return {"external_id": "TCK-NEW", "account_external_id": "ACC-OURS",
            "opened_at": "2026-11-21T08:30:00", "severity": 2, "status": "open", **overrides}


@pytest.mark.parametrize("severity", [0, 5])
def test_ticket_severity_is_one_to_four(people, severity: int) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/tickets", ticket(severity=severity))
    assert response.status_code == 422
    assert "severity" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_naive_timestamp_is_utc(people) -> None:  # noqa: ANN001
    # when
    response = post(client_for(people.rep), "/tickets", ticket())
    # then
    assert response.status_code == 201
    assert Ticket.objects.get().opened_at == datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    assert response.json()["opened_at"] in ("2026-11-21T08:30:00Z", "2026-11-21T08:30:00+00:00")


def test_ticket_contact_must_be_of_the_account(people) -> None:  # noqa: ANN001
    # given a contact on another account the rep can see
    stranger = ContactFactory(account=AccountFactory(owner=people.rep))
    # when
    response = post(client_for(people.rep), "/tickets",
                    ticket(contact_external_id=stranger.external_id))
    # then
    assert response.status_code == 422
    assert "contact_external_id" in response.json()["errors"]


def test_ticket_naming_a_hidden_contact_is_404(people) -> None:  # noqa: ANN001
    hidden = ContactFactory(account=people.theirs)
    response = post(client_for(people.rep), "/tickets",
                    ticket(contact_external_id=hidden.external_id))
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_interaction_with_a_hidden_contact_is_404(people) -> None:  # noqa: ANN001
    hidden = ContactFactory(account=people.theirs)
    response = post(client_for(people.rep), "/interactions", {
        "account_external_id": "ACC-OURS", "occurred_at": "2026-11-19T14:00:00Z",
        "kind": "call", "contact_external_ids": [hidden.external_id],
    })
    assert response.status_code == 404


def test_interaction_is_by_its_creator_unless_told(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/interactions", {
        "account_external_id": "ACC-OURS", "occurred_at": "2026-11-19T14:00:00Z",
        "kind": "note", "tags": ["Renewal", " roadmap "],
    })
    assert response.status_code == 201
    assert response.json()["username"] == "rep"
    assert response.json()["tags"] == ["renewal", "roadmap"]


def test_duplicate_interaction_is_a_409_conflict_not_500(people) -> None:  # noqa: ANN001
    payload = {"account_external_id": "ACC-OURS", "occurred_at": "2026-11-19T14:00:00Z",
               "kind": "note", "subject": "Same"}
    client = client_for(people.rep)
    assert post(client, "/interactions", payload).status_code == 201
    response = post(client, "/interactions", payload)
    assert response.status_code == 409
    assert Interaction.objects.filter(subject="Same").count() == 1


def test_duplicate_invoice_number_is_409(people) -> None:  # noqa: ANN001
    InvoiceFactory(account=people.ours, invoice_number="INV-NEW")
    response = post(client_for(people.rep), "/invoices", invoice("ACC-OURS"))
    assert response.status_code == 409
    assert response.json()["errors"] == {
        "invoice_number": ["This id cannot be used; choose another."]
    }


def test_opportunity_keeps_its_stage_history(people) -> None:  # noqa: ANN001
    # given
    client = client_for(people.rep)
    post(client, "/opportunities", {"external_id": "OPP-1", "account_external_id": "ACC-OURS",
                                    "name": "Expansion", "stage": "qualify"})
    # when
    client.patch(API + "/opportunities/OPP-1", json.dumps({"stage": "proposal"}),
                 content_type="application/json")
    client.patch(API + "/opportunities/OPP-1", json.dumps({"name": "Bigger expansion"}),
                 content_type="application/json")
    # then
    stages = list(StageChange.objects.order_by("changed_at", "pk").values_list("stage", flat=True))
    assert stages == ["qualify", "proposal"]


def test_won_needs_a_close_date(people) -> None:  # noqa: ANN001
    response = post(client_for(people.rep), "/opportunities", {
        "external_id": "OPP-1", "account_external_id": "ACC-OURS", "name": "X",
        "stage": "closed", "won": True,
    })
    assert response.status_code == 422
    assert "closed_on" in response.json()["errors"]


def test_every_write_is_in_the_audit_log(people) -> None:  # noqa: ANN001
    # when
    client = client_for(people.rep)
    post(client, "/tickets", ticket())
    client.patch(API + "/tickets/TCK-NEW", json.dumps({"status": "closed"}),
                 content_type="application/json")
    # then
    entries = list(AuditEntry.objects.order_by("pk").values_list("user__username", "action",
                                                                  "subject", "detail"))
    assert entries == [
        ("rep", "ticket.create", "support ticket TCK-NEW", entries[0][3]),
        ("rep", "ticket.update", "support ticket TCK-NEW", {"fields": ["status"]}),
    ]
