"""The admin's page of the rules' switches and thresholds."""

import pytest
from django.test import Client
from django.urls import reverse

from heedful.core.models import AuditEntry
from heedful.plays.models import RuleSetting
from heedful.plays.rules import ALL_RULES
from heedful.plays.services import get_rule_settings

SETTINGS = reverse("plays:settings")


def spike_form(**overrides: str) -> dict[str, str]:
    """The billing.spike form as the page posts it, with the defaults."""
    values = {
        "rule": "billing.spike", "billing-spike-enabled": "on",
        "billing-spike-change_percent": "50", "billing-spike-previous_invoices": "3",
        "billing-spike-minimum_previous": "2", "billing-spike-lookback_months": "6",
        "billing-spike-recent_days": "60", "billing-spike-priority": "70",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


@pytest.mark.parametrize("who", ["rep", "manager", "executive"])
def test_only_admins_may_open_or_post(client, people, who: str) -> None:  # noqa: ANN001
    client.force_login(getattr(people, who))
    assert client.get(SETTINGS).status_code == 403
    response = client.post(SETTINGS, spike_form(**{"billing-spike-change_percent": "80"}))
    assert response.status_code == 403
    assert get_rule_settings()["billing.spike"][1]["change_percent"] == 50
    assert not AuditEntry.objects.exists()


def test_admin_sees_every_rule_with_its_thresholds(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    body = response.content.decode()
    for rule in ALL_RULES:
        assert f'id="rule-{rule.key.replace(".", "-")}"' in body
        assert rule.name in body
    assert 'name="billing-spike-change_percent" value="50"' in body


def test_admin_changes_a_threshold_and_the_audit_log_says_who(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    response = client.post(SETTINGS, spike_form(**{"billing-spike-change_percent": "80"}))
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{SETTINGS}?saved=billing.spike#rule-billing-spike"
    enabled, thresholds = get_rule_settings()["billing.spike"]
    assert enabled is True and thresholds["change_percent"] == 80
    entry = AuditEntry.objects.get()
    assert entry.user == people.admin
    assert entry.action == "rulesetting.update" and entry.subject == "rule setting billing.spike"
    assert entry.detail["before"]["thresholds"]["change_percent"] == 50
    assert entry.detail["after"]["thresholds"]["change_percent"] == 80
    assert "Saved: Bill spike." in client.get(response["Location"]).content.decode()


def test_admin_turns_a_rule_off(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    client.post(SETTINGS, spike_form(**{"billing-spike-enabled": None}))
    assert get_rule_settings()["billing.spike"][0] is False
    assert RuleSetting.objects.get(rule="billing.spike").enabled is False


SPIKE_LABEL = "Flag a bill that differs from the usual by more than (%)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", f"{SPIKE_LABEL}: must not be negative."),
        ("fifty", f"{SPIKE_LABEL}: enter a whole number."),
        ("12.5", f"{SPIKE_LABEL}: enter a whole number."),
        ("", f"{SPIKE_LABEL}: enter a value."),
    ],
)
def test_bad_thresholds_are_refused_with_the_field_named(
    client, people, value: str, message: str  # noqa: ANN001
) -> None:
    # given
    client.force_login(people.admin)
    # when
    response = client.post(SETTINGS, spike_form(**{"billing-spike-change_percent": value}))
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="id_billing-spike-change_percent-error">{message}</p>' in body
    assert get_rule_settings()["billing.spike"][1]["change_percent"] == 50
    assert not AuditEntry.objects.exists()


def test_unknown_rule_is_refused(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    assert client.post(SETTINGS, {"rule": "no.such.rule"}).status_code == 400


def test_saving_needs_the_csrf_token(people) -> None:  # noqa: ANN001
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.admin)
    response = client.post(SETTINGS, spike_form(**{"billing-spike-change_percent": "80"}))
    assert response.status_code == 403
    assert get_rule_settings()["billing.spike"][1]["change_percent"] == 50


def test_saving_without_a_change_writes_no_audit_entry(client, people) -> None:  # noqa: ANN001
    client.force_login(people.admin)
    client.post(SETTINGS, spike_form())
    assert not AuditEntry.objects.exists()



def shown_version(body: str, rule: str = "billing.spike") -> str:
    """The version a rule's form carries on the page."""
    marker = f'name="rule" value="{rule}"><input type="hidden" name="version" value="'
    return body.split(marker)[1].split('"')[0]


def test_a_save_from_a_page_opened_before_another_admins_change_is_refused(
    client, people  # noqa: ANN001
) -> None:
    # given: two admins open the page; the first raises the spike threshold to 80
    client.force_login(people.admin)
    version = shown_version(client.get(SETTINGS).content.decode())
    first = spike_form(**{"billing-spike-change_percent": "80", "version": version})
    assert client.post(SETTINGS, first).status_code == 302
    # when: the second, from the page opened before, lowers it to 30
    second = spike_form(**{"billing-spike-change_percent": "30", "version": version})
    response = client.post(SETTINGS, second)
    # then: refused, nothing saved, and the form shows what is in force
    assert response.status_code == 422
    body = response.content.decode()
    assert "Another admin changed “Bill spike” since you opened this page; nothing was " in body
    assert 'name="billing-spike-change_percent" value="80"' in body
    assert get_rule_settings()["billing.spike"][1]["change_percent"] == 80
    assert AuditEntry.objects.count() == 1
    # and a save from the page as it is now goes through
    again = spike_form(**{"billing-spike-change_percent": "30", "version": shown_version(body)})
    assert client.post(SETTINGS, again).status_code == 302
    assert get_rule_settings()["billing.spike"][1]["change_percent"] == 30
