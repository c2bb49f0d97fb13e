import json
from datetime import date
from decimal import Decimal

import pytest

from heedful.core.exceptions import InvalidInput
from heedful.plays import services
from heedful.plays.engine import scan
from heedful.plays.models import Play, PlayEvent, RuleSetting
from tests.factories import InvoiceFactory

SPIKE = ["billing.spike"]


def bill(account, amounts):  # noqa: ANN001, ANN201
    """Monthly invoices from August 2026; the last one is returned."""
    invoice = None
    for offset, amount in enumerate(amounts):
        month = 8 + offset
        invoice = InvoiceFactory(
            account=account, invoice_number=f"{account.external_id}-{month}",
            period_start=date(2026, month, 1), period_end=date(2026, month, 28),
            amount=Decimal(amount),
        )
    return invoice


@pytest.fixture
def spiking(people):  # noqa: ANN001, ANN201
    return bill(people.ours, ["2500.00", "2500.00", "7800.00"])


def active_plays() -> list[tuple[str, str, str]]:
    return sorted(Play.objects.filter(status__in=["open", "snoozed"])
                  .values_list("rule", "account__external_id", "subject"))


def test_scan_creates_a_play_that_records_when(people, spiking, as_of) -> None:  # noqa: ANN001
    # when
    result = scan(as_of=as_of, rules=SPIKE)
    # then
    play = Play.objects.get()
    assert (result.created, result.findings) == (1, 1)
    assert result.created_play_ids == [play.pk]
    assert (play.rule, play.status, play.owner, play.account) == (
        "billing.spike", "open", people.rep, people.ours)
    assert play.created_at == play.updated_at  # the scan's one timestamp
    assert not play.events.exists()  # events record what changed after; creation is the play's


def test_rescanning_twice_gives_the_same_plays(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    bill(people.theirs, ["100.00", "100.00", "10.00"])
    first = scan(as_of=as_of)
    plays_after_first = active_plays()
    # when
    second = scan(as_of=as_of)
    # then
    assert active_plays() == plays_after_first
    assert Play.objects.count() == len(plays_after_first)
    assert (second.created, second.updated, second.closed) == (0, 0, 0)
    assert second.unchanged == first.created
    # the engine's writes are events only when a play changes: a new play records its creation
    assert not PlayEvent.objects.exists()


def test_a_changed_condition_updates_the_play_in_place(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    scan(as_of=as_of, rules=SPIKE)
    spiking.amount = Decimal("10000.00")
    spiking.save()
    # when
    result = scan(as_of=as_of, rules=SPIKE)
    # then
    play = Play.objects.get()
    assert result.updated == 1
    assert "$10,000.00" in play.explanation
    assert play.facts["amount"] == "10000.00"
    event = play.events.get(action="updated")
    assert "explanation" in event.detail["changed"]


def test_a_fixed_condition_closes_its_play(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    scan(as_of=as_of, rules=SPIKE)
    spiking.amount = Decimal("2500.00")
    spiking.save()
    # when
    result = scan(as_of=as_of, rules=SPIKE)
    # then
    play = Play.objects.get()
    assert result.closed == 1
    assert (play.status, play.closed_reason) == ("done", "condition cleared")
    assert play.closed_at is not None
    event = play.events.get(action="auto_closed")
    assert event.user is None
    assert event.detail["reason"] == "condition cleared"


def test_a_play_closed_by_itself_comes_back_with_its_condition(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    spiking.amount = Decimal("2500.00")
    spiking.save()
    scan(as_of=as_of, rules=SPIKE)
    spiking.amount = Decimal("7800.00")
    spiking.save()
    result = scan(as_of=as_of, rules=SPIKE)
    assert result.created == 1
    assert Play.objects.filter(status="open").count() == 1


def test_scan_of_some_accounts_leaves_the_others_alone(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    scan(as_of=as_of, rules=SPIKE)
    spiking.amount = Decimal("2500.00")
    spiking.save()
    # when only the other account is scanned
    result = scan(as_of=as_of, rules=SPIKE, account_ids=[people.theirs.pk])
    # then the play of ours stays open
    assert result.closed == 0
    assert Play.objects.get().status == "open"


def test_scan_of_one_rule_leaves_the_other_rules_plays_alone(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    result = scan(as_of=as_of, rules=["billing.dispute_stale"])
    assert result.closed == 0
    assert Play.objects.get().status == "open"


def test_a_dismissed_play_stays_dismissed(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    services.dismiss(play=play, user=people.rep, reason="They asked for the extra lines")
    # when
    result = scan(as_of=as_of, rules=SPIKE)
    scan(as_of=as_of, rules=SPIKE)
    # then
    play.refresh_from_db()
    assert result.remembered == 1
    assert Play.objects.count() == 1
    assert (play.status, play.dismiss_reason, play.closed_reason) == (
        "dismissed", "They asked for the extra lines", "dismissed")
    event = play.events.get(action="dismissed")
    assert (event.user, event.detail["reason"]) == (people.rep, "They asked for the extra lines")


def test_a_dismissed_play_does_not_hide_another_subject(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    services.dismiss(play=Play.objects.get(), user=people.rep, reason="Known")
    InvoiceFactory(account=people.ours, invoice_number="NEXT", period_start=date(2026, 11, 1),
                   period_end=date(2026, 11, 20), amount=Decimal("20000.00"))
    result = scan(as_of=as_of, rules=SPIKE)
    assert result.created == 1
    assert Play.objects.get(status="open").subject == "invoice:NEXT"


def test_a_play_marked_done_does_not_come_back(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    services.mark_done(play=play, user=people.rep, outcome="Called Rich; dispute opened")
    result = scan(as_of=as_of, rules=SPIKE)
    play.refresh_from_db()
    assert result.created == 0
    assert (play.status, play.outcome) == ("done", "Called Rich; dispute opened")
    assert play.events.get(action="done").user == people.rep


def test_snooze_hides_the_play_until_the_date(people, spiking, as_of) -> None:  # noqa: ANN001
    # given
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    services.snooze(play=play, user=people.rep, until=date(2026, 11, 30), today=as_of)
    # when the scan runs before the date
    scan(as_of=date(2026, 11, 29), rules=SPIKE)
    play.refresh_from_db()
    assert (play.status, play.snoozed_until) == ("snoozed", date(2026, 11, 30))
    assert services.get_all().count() == 0
    # when the scan runs on the date
    result = scan(as_of=date(2026, 11, 30), rules=SPIKE)
    play.refresh_from_db()
    assert result.reopened == 1
    assert (play.status, play.snoozed_until) == ("open", None)
    assert list(play.events.values_list("action", flat=True)) == [
        "snoozed", "reopened"]
    assert play.events.get(action="snoozed").user == people.rep


def test_a_snoozed_play_whose_condition_clears_is_closed(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    services.snooze(play=Play.objects.get(), user=people.rep, until=date(2026, 12, 5), today=as_of)
    spiking.amount = Decimal("2500.00")
    spiking.save()
    scan(as_of=as_of, rules=SPIKE)
    assert Play.objects.get().status == "done"


def test_turning_a_rule_off_closes_its_plays(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    services.update_rule_setting(rule="billing.spike", enabled=False)
    result = scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    assert result.closed == 1
    assert (play.status, play.closed_reason) == ("done", "rule turned off")


def test_thresholds_come_from_the_rule_setting(people, as_of) -> None:  # noqa: ANN001
    # given a 40% rise: under the default 50%
    bill(people.ours, ["2500.00", "2500.00", "3500.00"])
    assert scan(as_of=as_of, rules=SPIKE).created == 0
    # when an admin lowers the threshold
    services.update_rule_setting(rule="billing.spike", thresholds={"change_percent": 30})
    # then
    assert scan(as_of=as_of, rules=SPIKE).created == 1
    assert RuleSetting.objects.get(rule="billing.spike").thresholds == {"change_percent": 30}
    assert services.get_rule_settings()["billing.spike"][1]["minimum_previous"] == 2


def test_rule_settings_reject_unknown_thresholds(db) -> None:  # noqa: ANN001
    services.get_rule_settings()
    with pytest.raises(InvalidInput):
        services.update_rule_setting(rule="billing.spike", thresholds={"nonsense": 1})
    with pytest.raises(InvalidInput):
        services.update_rule_setting(rule="billing.spike", thresholds={"change_percent": "lots"})
    assert not RuleSetting.objects.exists()
    assert services.get_rule_settings()["billing.spike"][1]["change_percent"] == 50


def test_a_scan_stores_no_rule_settings(db, as_of) -> None:  # noqa: ANN001
    # Only what an admin overrides is stored: a default changed in code takes effect.
    scan(as_of=as_of)
    assert not RuleSetting.objects.exists()


def test_unknown_rule_is_bad_input(db, as_of) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        scan(as_of=as_of, rules=["billing.nonsense"])


def test_actions_need_their_words_and_an_active_play(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    with pytest.raises(InvalidInput):
        services.dismiss(play=play, user=people.rep, reason="  ")
    with pytest.raises(InvalidInput):
        services.mark_done(play=play, user=people.rep, outcome="")
    with pytest.raises(InvalidInput):
        services.snooze(play=play, user=people.rep, until=as_of, today=as_of)
    play.refresh_from_db()
    assert play.status == "open"
    assert not play.events.exists()  # nothing was done
    services.mark_done(play=play, user=people.rep, outcome="Called")
    with pytest.raises(InvalidInput):
        services.dismiss(play=play, user=people.rep, reason="Too late")
    assert Play.objects.get().status == "done"


@pytest.mark.parametrize(("close", "words", "field", "asked", "verb"), [
    (services.mark_done, "outcome", "outcome", "Say what happened.", "marked done"),
    (services.dismiss, "reason", "reason", "Say why it is dismissed.", "dismissed"),
])
def test_closing_a_play_says_what_is_missing_and_what_is_already_so(  # noqa: PLR0913
    people, spiking, as_of, close, words, field, asked, verb,  # noqa: ANN001
) -> None:
    # given
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    # when nothing is said
    with pytest.raises(InvalidInput) as missing:
        close(play=play, user=people.rep, **{words: " "})
    # then the person is told what to say, next to the input that lacked it
    assert (str(missing.value), missing.value.errors) == (
        asked, {field: ["This field is required."]})
    # when the play is already closed
    services.snooze(play=play, user=people.rep, until=date(2026, 12, 1), today=as_of)
    services.mark_done(play=play, user=people.rep, outcome="Called")
    with pytest.raises(InvalidInput) as closed:
        close(play=play, user=people.rep, **{words: "Late"})
    # then
    assert str(closed.value) == (
        f"This play is already done; only an open or snoozed play can be {verb}.")
    event = play.events.get(action="done")
    assert event.detail == {"outcome": "Called", "previous_status": "snoozed"}
    assert Play.objects.get().outcome == "Called"


def test_reopen_brings_a_dismissed_play_back(people, spiking, as_of) -> None:  # noqa: ANN001
    scan(as_of=as_of, rules=SPIKE)
    play = Play.objects.get()
    services.dismiss(play=play, user=people.rep, reason="Oops")
    services.reopen(play=play, user=people.rep)
    assert (play.status, play.closed_reason) == ("open", "")
    assert scan(as_of=as_of, rules=SPIKE).created == 0
    assert Play.objects.count() == 1


def test_get_all_shows_only_visible_accounts(people, spiking, as_of) -> None:  # noqa: ANN001
    bill(people.theirs, ["100.00", "100.00", "10.00"])
    scan(as_of=as_of, rules=SPIKE)
    assert {p.account for p in services.get_all(user=people.rep)} == {people.ours}
    assert {p.account for p in services.get_all(user=people.executive)} == {
        people.ours, people.theirs}


def test_new_plays_keep_every_character_and_are_counted_as_created(people, as_of) -> None:  # noqa: ANN001
    # given a row with what COPY's text format must escape
    from django.utils import timezone

    from heedful.plays import engine

    odd = 'tab\there, line\nbreak, back\\slash, "quotes" and é'
    facts = json.dumps({"note": odd, "n": 1})
    now = timezone.now()
    first = engine._last_play_id()
    rows = [
        ("billing.spike", people.ours.pk, "invoice:1", None, 50, True, odd, odd, facts, odd, ""),
        ("billing.spike", people.ours.pk, "invoice:2", people.rep.pk, 40, False, "t", "e", "{}",
         "s", "2026-11"),
    ]
    # when
    engine._insert_plays(rows, now)
    result = engine.ScanResult(as_of=as_of, rules=["billing.spike"])
    engine._count_created(result, first, now)
    # then
    one, two = Play.objects.order_by("subject")
    assert (one.title, one.explanation, one.suggested_action) == (odd, odd, odd)
    assert one.facts == {"note": odd, "n": 1}
    assert (one.urgent, one.owner_id, one.status, one.closed_at) == (True, None, "open", None)
    assert (two.urgent, two.owner_id, two.period) == (False, people.rep.pk, "2026-11")
    assert one.created_at == now
    assert result.created_play_ids == [one.pk, two.pk]
    assert result.urgent_play_ids == [one.pk]
    assert result.created == 2


@pytest.mark.django_db(transaction=True)
def test_rules_are_evaluated_outside_any_transaction(people, spiking, as_of, monkeypatch) -> None:  # noqa: ANN001
    # A full scan of a large book takes a minute: other writers must not wait for all of it.
    from django.db import connection

    from heedful.plays.rules import RULES_BY_KEY

    rule = RULES_BY_KEY["billing.spike"]
    evaluate = rule.evaluate
    seen: list[bool] = []

    def watched(**kwargs: object):  # noqa: ANN202
        seen.append(connection.in_atomic_block)
        return evaluate(**kwargs)

    monkeypatch.setattr(rule, "evaluate", watched)
    # when
    result = scan(as_of=as_of, rules=SPIKE)
    # then the rule read outside a transaction, and its play was written
    assert seen == [False]
    assert result.created == 1
    assert Play.objects.filter(rule="billing.spike", status="open").count() == 1
