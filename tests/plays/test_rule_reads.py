"""Which rules a change can affect: each rule declares the kinds of record it reads
(``Rule.reads``), and the triggers run only those rules when they know what changed."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from heedful.integrations import after_import
from heedful.lib import clock
from heedful.plays import engine, triggers
from heedful.plays.models import Play
from heedful.plays.rules import ALL_RULES, READ_BY_EVERY_RULE, rules_affected_by
from tests.factories import TicketFactory

TODAY = date(2026, 11, 22)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def scanned_rules(monkeypatch: pytest.MonkeyPatch) -> list[list[str] | None]:
    """The ``rules`` of every scan the triggers run."""
    seen: list[list[str] | None] = []
    original = engine.scan

    def recording_scan(**kwargs: object):  # noqa: ANN202
        rules = kwargs.get("rules")
        seen.append(None if rules is None else list(rules))  # type: ignore[call-overload]
        return original(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "scan", recording_scan)
    return seen


TICKET_RULES = ("support.ticket_opened", "support.resolved_checkin")


def test_each_kind_of_record_maps_to_the_rules_that_read_it() -> None:
    assert rules_affected_by(["ticket"]) == [*TICKET_RULES]
    assert rules_affected_by(["invoice"]) == [
        "billing.spike", "billing.contract_deviation", "billing.dispute_stale",
    ]
    # the scope overrun tells the SLA misses of the same service
    assert rules_affected_by(["servicemetric"]) == ["service.sla_miss", "service.scope_overrun"]
    assert rules_affected_by(["dispute"]) == ["billing.dispute_stale"]
    assert "feedback.praise_to_manager" in (rules_affected_by(["interaction"]) or [])
    assert "billing.spike" not in (rules_affected_by(["interaction"]) or [])


def test_news_brings_the_rules_it_holds_back() -> None:
    assert rules_affected_by(["newsitem"]) == [
        "roadmap.briefing_due", "catalog.whitespace", "health.business_change",
    ]


def test_accounts_users_and_unknown_kinds_mean_every_rule() -> None:
    assert rules_affected_by(None) is None
    assert rules_affected_by(["account"]) is None
    assert rules_affected_by(["user"]) is None
    assert rules_affected_by(["ticket", "something_new"]) is None


def test_every_rule_reads_only_kinds_of_record_that_exist() -> None:
    models = {model._meta.model_name for model in apps.get_models()}
    for rule in ALL_RULES:
        assert rule.reads, rule.key
        assert rule.reads <= models, rule.key
    assert READ_BY_EVERY_RULE <= models


def test_a_ticket_change_runs_only_the_support_rules_and_raises_its_play(
    people, today: date, scanned_rules, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    # given
    ticket = TicketFactory(account=people.ours, severity=1, subject="Phones down")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        triggers.accounts_changed(account_ids=[people.ours.pk], kinds=["ticket"])
    # then
    assert scanned_rules == [[*TICKET_RULES]]
    play = Play.objects.get(rule="support.ticket_opened", subject=f"ticket:{ticket.external_id}")
    assert play.urgent is True


def test_a_change_of_unknown_kind_runs_every_rule(
    people, today: date, scanned_rules, django_capture_on_commit_callbacks  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        triggers.accounts_changed(account_ids=[people.ours.pk])
    assert scanned_rules == [None]


def test_a_tickets_import_runs_the_support_rules_a_users_import_every_rule(
    people, today: date, scanned_rules, tmp_path: Path,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    # given
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "external_id,account_external_id,opened_at,severity,subject,status\n"
        "TCK-CSV-1,ACC-OURS,2026-11-22T07:00:00Z,1,Line dead,open\n",
        encoding="utf-8",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "tickets", str(tickets), stdout=StringIO(), stderr=StringIO())
    # then
    assert scanned_rules == [[*TICKET_RULES]]
    assert Play.objects.get(rule="support.ticket_opened").urgent is True
    assert after_import.record_kinds_of_csv(["users"]) == {"user"}
    assert rules_affected_by(after_import.record_kinds_of_csv(["users"])) is None
    assert after_import.record_kinds_of_csv(["no_such_kind"]) is None
