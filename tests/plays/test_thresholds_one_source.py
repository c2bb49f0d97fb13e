"""A rule's thresholds have one source: the defaults declared in code, under what an admin
overrode. The scan, the settings page and the Account 360's highlights all read the same
effective value; a default changed in code takes effect wherever no admin overrode it."""

import importlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heedful.plays import services
from heedful.plays.engine import scan
from heedful.plays.models import Play, RuleSetting
from heedful.plays.rules.billing import BillingContractDeviation
from heedful.plays.rules.service import ScopeOverrun
from tests.factories import ContractFactory, InvoiceFactory, ScopeRecordFactory, TicketFactory

SETTINGS = reverse("plays:settings")
SCOPE = "service.scope_overrun"


@pytest.fixture
def today() -> date:
    # The Account 360 shows the records as of the site's today: the data is laid around it.
    return timezone.localdate()


@pytest.fixture
def over_scope(people, today: date):  # noqa: ANN001, ANN201
    """This month, 15% more delivered than contracted: under the default 20%."""
    return ScopeRecordFactory(
        account=people.ours, period=f"{today:%Y-%m}", function="Service desk calls",
        contracted_quantity=Decimal("1000"), delivered_quantity=Decimal("1150"),
    )


@pytest.fixture
def bill_off_contract(people, today: date):  # noqa: ANN001, ANN201
    """This month's bill 30% above the contracted rate: over the default 10%."""
    contract = ContractFactory(account=people.ours, recurring_amount=Decimal("1000.00"))
    return InvoiceFactory(
        account=people.ours, contract=contract, invoice_number="INV-OFF-1",
        period_start=today.replace(day=1), period_end=today, amount=Decimal("1300.00"),
    )


def scope_plays(today: date) -> int:
    scan(as_of=today, rules=[SCOPE])
    return Play.objects.filter(rule=SCOPE, status="open").count()


def account_page(client: Client, people) -> str:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.get(reverse("accounts:detail", kwargs={"external_id": "ACC-OURS"}))
    assert response.status_code == 200
    return response.content.decode()


def scope_row_is_marked(body: str) -> bool:
    """The Account 360 charts scope per function: a month over scope is a highlighted bar."""
    chart = re.search(r'data-function="Service desk calls">(.*?)</figure>', body, re.S)
    return bool(chart and "chart-bar-highlight" in chart.group(1))


def bill_row_is_marked(body: str) -> bool:
    return bool(re.search(r'<tr class="row-danger">\s*<td>INV-OFF-1', body))


def settings_page(client: Client, people) -> str:  # noqa: ANN001
    client.force_login(people.admin)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    return response.content.decode()


def test_a_default_changed_in_code_reaches_the_scan_the_settings_page_and_the_account_360(
    client, people, today: date, over_scope, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    # given a first scan with the code's default of 20%: 15% over is no play
    assert scope_plays(today) == 0
    assert not scope_row_is_marked(account_page(client, people))
    # when the default in code comes down to 10%
    monkeypatch.setitem(ScopeOverrun.defaults, "overrun_percent", 10)
    # then the scan raises the play, the settings page shows 10, and the Account 360 marks it
    assert scope_plays(today) == 1
    assert 'name="service-scope_overrun-overrun_percent" value="10"' in settings_page(
        client, people)
    body = account_page(client, people)
    assert scope_row_is_marked(body)
    assert "delivered more than 10% above contracted" in body


def test_an_admin_override_wins_over_the_code_on_all_three(
    client, people, today: date, over_scope, bill_off_contract,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the code's defaults say 10% for scope and 40% for bills
    monkeypatch.setitem(ScopeOverrun.defaults, "overrun_percent", 10)
    monkeypatch.setitem(BillingContractDeviation.defaults, "change_percent", 40)
    assert scope_plays(today) == 1
    body = account_page(client, people)
    assert scope_row_is_marked(body) and not bill_row_is_marked(body)
    # when an admin sets 30% for scope and 20% for bills on the settings page
    client.force_login(people.admin)
    for rule, prefix, values in [
        (SCOPE, "service-scope_overrun",
         {"overrun_percent": "30", "lookback_months": "3", "priority": "55"}),
        ("billing.contract_deviation", "billing-contract_deviation",
         {"change_percent": "20", "recent_days": "60", "priority": "65"}),
    ]:
        form = {"rule": rule, f"{prefix}-enabled": "on"}
        form.update({f"{prefix}-{name}": value for name, value in values.items()})
        assert client.post(SETTINGS, form).status_code == 302
    # then only the overridden values are stored
    assert dict(RuleSetting.objects.values_list("rule", "thresholds")) == {
        SCOPE: {"overrun_percent": 30}, "billing.contract_deviation": {"change_percent": 20},
    }
    # and the scan, the settings page and the Account 360 follow the admin
    assert scope_plays(today) == 0
    assert 'name="service-scope_overrun-overrun_percent" value="30"' in settings_page(
        client, people)
    body = account_page(client, people)
    assert not scope_row_is_marked(body)
    assert "delivered more than 30% above contracted" in body
    assert bill_row_is_marked(body)
    assert "more than 20% away from the contracted rate" in body
    scan(as_of=today, rules=["billing.contract_deviation"])
    assert Play.objects.filter(rule="billing.contract_deviation", status="open").count() == 1


def test_the_account_360_marks_a_bill_by_the_contract_rule_not_a_constant_of_its_own(
    client, people, bill_off_contract, today: date  # noqa: ANN001
) -> None:
    # given a bill 30% above its contract: the rule's default of 10% flags it
    scan(as_of=today, rules=["billing.contract_deviation"])
    assert Play.objects.filter(rule="billing.contract_deviation").count() == 1
    # when
    body = account_page(client, people)
    # then the page marks the same bill (it marked only bills above 1.5x before)
    assert bill_row_is_marked(body)


def test_the_settings_page_shows_the_priority_the_plays_carry(
    client, people, today: date  # noqa: ANN001
) -> None:
    # given a severity-1 ticket, whose play carries 95 although the threshold says 60
    TicketFactory(
        account=people.ours, severity=1, external_id="TCK-SEV1",
        opened_at=datetime.combine(today, datetime.min.time(), tzinfo=UTC),
    )
    scan(as_of=today, rules=["support.ticket_opened"])
    carried = Play.objects.get(rule="support.ticket_opened").priority
    assert carried == 95
    # when
    body = settings_page(client, people)
    # then the ticket rule's section says which priorities its plays carry, 95 included
    section = body.split('id="rule-support-ticket_opened"')[1].split("</section>")[0]
    assert "Its plays carry priority 45 to 95" in section
    spike = body.split('id="rule-billing-spike"')[1].split("</section>")[0]
    assert "Its plays carry priority 70 to 90" in spike


def test_every_play_of_the_demo_carries_a_priority_its_settings_page_shows(db) -> None:  # noqa: ANN001
    # given the demo company, scanned
    from heedful.demo.company import build_demo
    from heedful.plays.rules import RULES_BY_KEY
    from tests.conftest import AS_OF

    build_demo(as_of=AS_OF)
    scan(as_of=AS_OF)
    settings = services.get_rule_settings()
    # then every play's priority lies in the range its rule's section shows
    ranges = {key: rule.priority_range(settings[key][1]) for key, rule in RULES_BY_KEY.items()}
    outside = [
        (play.rule, play.priority, ranges[play.rule])
        for play in Play.objects.all()
        if not ranges[play.rule][0] <= play.priority <= ranges[play.rule][1]
    ]
    assert Play.objects.count() > 20
    assert outside == []


def test_the_migration_keeps_only_what_differs_from_the_copied_defaults(db) -> None:  # noqa: ANN001
    # given the rows the first scan copied, one changed by an admin, one rule switched off
    migration = importlib.import_module(
        "heedful.plays.migrations.0005_rule_settings_hold_only_overrides"
    )
    for rule, defaults in migration.DEFAULTS_WHEN_COPIED.items():
        RuleSetting.objects.create(rule=rule, thresholds=dict(defaults))
    RuleSetting.objects.filter(rule="billing.spike").update(
        thresholds={**migration.DEFAULTS_WHEN_COPIED["billing.spike"], "change_percent": 35}
    )
    RuleSetting.objects.filter(rule="orders.shipped_followup").update(enabled=False)
    # when
    migration.keep_only_overrides(django_apps, None)
    # then
    assert {
        setting.rule: (setting.enabled, setting.thresholds)
        for setting in RuleSetting.objects.all()
    } == {
        "billing.spike": (True, {"change_percent": 35}),
        "orders.shipped_followup": (False, {}),
    }


def test_saving_the_defaults_stores_nothing(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    form = {"rule": SCOPE, "service-scope_overrun-enabled": "on",
            "service-scope_overrun-overrun_percent": "20",
            "service-scope_overrun-lookback_months": "3", "service-scope_overrun-priority": "55"}
    # when
    assert client.post(SETTINGS, form).status_code == 302
    # then
    assert not RuleSetting.objects.exists()


def test_the_account_360_marks_a_contract_ending_by_the_renewal_rule_window(
    client, people, today: date, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    # given a contract ending in 60 days: inside the renewal rule's default 90 days
    from datetime import timedelta

    from heedful.plays.rules.contracts import RenewalDue

    ContractFactory(
        account=people.ours, name="Voice ending", start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=60),
    )
    marked = re.compile(r'<tr class="row-warn">\s*<td>Voice ending')
    assert marked.search(account_page(client, people))
    # when the rule's window in code comes down to 30 days
    monkeypatch.setitem(RenewalDue.defaults, "days_ahead", 30)
    # then the page no longer marks it
    assert not marked.search(account_page(client, people))
