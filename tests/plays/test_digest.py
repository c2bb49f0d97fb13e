"""``heedful digest``: one e-mail per user with their open, non-urgent plays, by account and
priority; nobody with nothing to do gets one."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from heedful.lib import clock
from heedful.plays.models import DigestSent, Play, PlayStatus
from tests.factories import AccountFactory

AS_OF = date(2026, 11, 22)


def play(account, owner, priority: int, title: str, **fields: object) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule=fields.pop("rule", "contacts.gone_cold"), account=account, owner=owner,
        subject=f"subject:{title}", priority=priority, title=title,
        explanation=f"Because of {title}.", suggested_action=f"Do {title}.", **fields,
    )


def digest(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("digest", "--as-of", AS_OF.isoformat(), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def plays(people):  # noqa: ANN001, ANN201
    """The rep's plays on two accounts, one urgent and one handled; the other rep's one."""
    second = AccountFactory(external_id="ACC-SECOND", name="Second Bank", owner=people.rep)
    play(people.ours, people.rep, 40, "Call Ann")
    play(second, people.rep, 70, "Brief on roadmap")
    play(people.ours, people.rep, 55, "Check the renewal")
    play(people.ours, people.rep, 95, "Phones down", urgent=True)
    play(people.ours, people.rep, 99, "Done already", status=PlayStatus.DONE)
    play(second, people.rep, 80, "Snoozed to next week", status=PlayStatus.SNOOZED,
         snoozed_until=date(2026, 11, 29))
    play(second, people.rep, 30, "Snooze is over", status=PlayStatus.SNOOZED,
         snoozed_until=AS_OF)
    play(people.theirs, people.other_rep, 50, "Visit the site")
    return people


def test_each_user_gets_one_email_with_their_plays_by_account_and_priority(plays) -> None:  # noqa: ANN001
    # when
    digest()
    # then one e-mail each for rep and other_rep, none for the managers
    assert sorted(message.to[0] for message in mail.outbox) == [
        "other_rep@vendor.example", "rep@vendor.example",
    ]
    rep_mail = next(message for message in mail.outbox if message.to == ["rep@vendor.example"])
    assert rep_mail.subject == "Heedful: 4 plays for 22 Nov 2026"
    body = rep_mail.body
    # accounts in the order of their most important play, plays by priority inside
    order = ["Second Bank", "Brief on roadmap", "Snooze is over", "Ours Telecom",
             "Check the renewal", "Call Ann"]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "http://127.0.0.1:8000/accounts/ACC-SECOND/" in body
    assert "Because of Call Ann." in body
    assert "-> Do Call Ann." in body
    # urgent (sent at once), handled and still-snoozed plays are not in it
    for absent in ("Phones down", "Done already", "Snoozed to next week", "Visit the site"):
        assert absent not in body


def test_users_with_no_open_plays_get_nothing(people) -> None:  # noqa: ANN001
    # given only an urgent play and a dismissed one
    play(people.ours, people.rep, 95, "Phones down", urgent=True)
    play(people.ours, people.rep, 50, "Dismissed", status=PlayStatus.DISMISSED)
    # when
    _, stderr = digest()
    # then
    assert mail.outbox == []
    assert "Sent 0 of 0 digest e-mail(s)" in stderr


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(plays) -> None:  # noqa: ANN001
    # when
    stdout, stderr = digest("--dry-run")
    # then
    assert mail.outbox == []
    assert "To: rep@vendor.example\nSubject: Heedful: 4 plays for 22 Nov 2026" in stdout
    assert "To: other_rep@vendor.example" in stdout
    assert "Dry run: 2 digest e-mail(s) not sent." in stderr


def test_user_without_an_email_address_is_skipped(plays) -> None:  # noqa: ANN001
    # given
    plays.other_rep.email = ""
    plays.other_rep.save(update_fields=["email"])
    # when
    digest()
    # then
    assert [message.to for message in mail.outbox] == [["rep@vendor.example"]]


def test_play_on_an_account_the_owner_can_no_longer_see_is_left_out(people) -> None:  # noqa: ANN001
    # given a play left with the rep on the other team's account
    play(people.theirs, people.rep, 60, "Not yours any more")
    play(people.ours, people.rep, 40, "Call Ann")
    # when
    digest()
    # then
    [message] = mail.outbox
    assert "Call Ann" in message.body
    assert "Not yours any more" not in message.body


def test_bad_as_of_is_bad_input(db) -> None:  # noqa: ANN001
    with pytest.raises(CommandError) as error:
        call_command("digest", "--as-of", "22/11/2026", stdout=StringIO(), stderr=StringIO())
    assert error.value.returncode == 2


def test_running_the_digest_twice_the_same_day_sends_each_email_once(plays) -> None:  # noqa: ANN001
    # given the digest went out
    digest()
    assert len(mail.outbox) == 2
    # when it runs again for the same day
    _, stderr = digest()
    # then nobody gets it twice, and the command says why
    assert len(mail.outbox) == 2
    assert "Sent 0 of 2 digest e-mail(s) as of 2026-11-22; 2 had been sent, or were being sent, by an earlier run" in stderr  # noqa: E501
    # and the next day's goes out
    call_command("digest", "--as-of", "2026-11-23", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 4


def test_a_digest_that_failed_to_send_goes_out_on_the_next_run(plays, monkeypatch) -> None:  # noqa: ANN001
    # given the mail server refuses the rep's e-mail once
    from heedful.plays import notifications

    real_send = notifications.send_mail
    refused: list[str] = []

    def send_mail(subject, body, sender, to):  # noqa: ANN001, ANN202
        if to == ["rep@vendor.example"] and not refused:
            refused.append(to[0])
            raise ConnectionRefusedError
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    with pytest.raises(CommandError, match="1 digest e-mail"):
        digest()
    assert [message.to for message in mail.outbox] == [["other_rep@vendor.example"]]
    # when run again
    _, stderr = digest()
    # then only the rep's goes out
    assert [message.to for message in mail.outbox][1:] == [["rep@vendor.example"]]
    assert "Sent 1 of 2" in stderr


NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def test_a_digest_another_run_is_sending_is_left_to_it(plays, monkeypatch) -> None:  # noqa: ANN001
    # given another run claimed the rep's digest five minutes ago and is still sending it
    monkeypatch.setattr(clock, "now", lambda: NOW)
    DigestSent.objects.create(user=plays.rep, day=AS_OF, plays=4,
                              claimed_at=NOW - timedelta(minutes=5))
    # when
    digest()
    # then only the other rep's goes out from this run
    assert [message.to for message in mail.outbox] == [["other_rep@vendor.example"]]


def test_a_digest_whose_run_died_while_sending_goes_out_later(plays, monkeypatch) -> None:  # noqa: ANN001
    # given a run claimed the rep's digest an hour ago and never marked it sent
    monkeypatch.setattr(clock, "now", lambda: NOW)
    DigestSent.objects.create(user=plays.rep, day=AS_OF, plays=4,
                              claimed_at=NOW - timedelta(hours=1))
    # when
    digest()
    # then this run sends it, and records it sent
    assert sorted(message.to[0] for message in mail.outbox) == [
        "other_rep@vendor.example", "rep@vendor.example"]
    claim = DigestSent.objects.get(user=plays.rep, day=AS_OF)
    assert (claim.claimed_at, claim.sent_at) == (NOW, NOW)
