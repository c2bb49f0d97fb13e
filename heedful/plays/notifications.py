"""Telling people about plays: urgent ones at once (e-mail, and a Slack-compatible chat
webhook when ``HEEDFUL_CHAT_WEBHOOK_URL`` is set), the rest in a daily digest.

Each urgent play is notified at most once per channel. Sending first *claims* the channel:
in a short transaction that locks the play, a ``notified`` PlayEvent is written with result
``sending`` unless one exists; the message goes out after that commit and the event then
records the outcome (``sent``, ``delivered``, ``failed`` or ``skipped``). Two workers, or a
re-scan, never send twice; a process that dies mid-send leaves ``sending`` behind and the
play is not notified again (at most once, never twice).

The webhook URL is a secret (Slack's carries its key in the path): it is never logged nor
stored; errors are described by status code or error type only.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from heedful.core.models import User
from heedful.lib import clock, words
from heedful.plays.facts import facts_as_text, shown_facts
from heedful.plays.models import DigestSent, Play, PlayAction, PlayEvent, PlayStatus

logger = logging.getLogger(__name__)

NOTIFIED = PlayAction.NOTIFIED
"""The PlayEvent action of a notification; ``detail`` holds channel and result."""
EMAIL = "email"
CHAT = "chat"

CHAT_TRIES = 3
CHAT_TIMEOUT_SECONDS = 2.0
CHAT_FIRST_BACKOFF_SECONDS = 0.5
"""Waits between tries double: 0.5 s, then 1 s; the worst case is about 7.5 s."""


# -- messages ------------------------------------------------------------------------------


def account_url(play: Play) -> str:
    path = reverse("accounts:detail", kwargs={"external_id": play.account.external_id})
    return f"{settings.HEEDFUL_BASE_URL}{path}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def urgent_email(play: Play) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail about one urgent play."""
    subject = one_line(f"Urgent: {play.title} ({play.account.name})")[:200]
    facts = "".join(f"  {line}\n" for line in facts_as_text(shown_facts(play)))
    body = (
        f"{play.title}\n"
        f"Account: {play.account.name}\n\n"
        f"Why: {play.explanation}\n\n"
        + (f"The facts:\n{facts}\n" if facts else "")
        + f"What to do: {play.suggested_action}\n\n"
        f"Open the account: {account_url(play)}\n\n"
        f"-- Heedful, urgent play {play.pk} ({rule_name(play.rule)})\n"
    )
    return subject, body


def rule_name(key: str) -> str:
    from heedful.plays.rules import RULES_BY_KEY

    rule = RULES_BY_KEY.get(key)
    return rule.name if rule else key


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chat_message(play: Play) -> dict[str, Any]:
    """The Slack-compatible JSON for one urgent play (``text`` only, which Slack, Mattermost,
    Rocket.Chat and Teams' Slack-compatible hooks all accept)."""
    owner = play.owner.display_name if play.owner else "nobody"
    facts = "".join(
        f"• {slack_escape(line)}\n" for line in facts_as_text(shown_facts(play))
    )
    text = (
        f"*Urgent: {slack_escape(play.title)}* ({slack_escape(play.account.name)})\n"
        f"{slack_escape(play.explanation)}\n"
        f"{facts}"
        f"*What to do:* {slack_escape(play.suggested_action)}\n"
        f"Owner: {slack_escape(owner)} · <{account_url(play)}|Open the account>"
    )
    return {"text": text}


# -- claiming a channel --------------------------------------------------------------------


def _claim(play_id: int, channel: str) -> tuple[Play, PlayEvent] | None:
    """Lock the play and write its ``sending`` event for ``channel``; None when the play is
    gone, no longer an open urgent play, or was already notified on that channel."""
    with transaction.atomic():
        play = (
            Play.objects.select_for_update(of=("self",))
            .select_related("account", "owner")
            .filter(pk=play_id)
            .first()
        )
        if play is None or not play.urgent or play.status != PlayStatus.OPEN:
            return None
        if PlayEvent.objects.filter(
            play=play, action=NOTIFIED, detail__channel=channel
        ).exists():
            return None
        event = PlayEvent.objects.create(
            play=play, action=NOTIFIED, detail={"channel": channel, "result": "sending"}
        )
    return play, event


def _record(event: PlayEvent, result: str, **detail: Any) -> str:
    event.detail = {"channel": event.detail["channel"], "result": result, **detail}
    event.save(update_fields=["detail"])
    return result


def notified_events(play: Play) -> list[PlayEvent]:
    return list(play.events.filter(action=NOTIFIED).order_by("at", "id"))


# -- e-mail --------------------------------------------------------------------------------


def email_owner(*, play_id: int) -> str:
    """E-mail an urgent play to its owner, once. Returns the outcome: ``sent``, ``skipped``
    (no owner or no address), ``failed`` (the e-mail backend raised) or ``already`` (sent
    before, or no longer an open urgent play)."""
    claimed = _claim(play_id, EMAIL)
    if claimed is None:
        return "already"
    play, event = claimed
    owner = play.owner
    if owner is None:
        return _record(event, "skipped", reason="the play has no owner")
    if not owner.is_active:
        return _record(event, "skipped", reason="the owner's login is switched off")
    if not owner.email:
        return _record(event, "skipped", reason="the owner has no e-mail address")
    subject, body = urgent_email(play)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    except Exception as error:
        logger.warning(
            "Urgent play %s: e-mail to user %s failed (%s)",
            play.pk, owner.username, type(error).__name__,
        )
        return _record(event, "failed", to=owner.username, error=type(error).__name__)
    return _record(event, "sent", to=owner.username)


# -- chat webhook --------------------------------------------------------------------------


def chat_is_configured() -> bool:
    return bool(settings.HEEDFUL_CHAT_WEBHOOK_URL)


@dataclass
class Delivery:
    delivered: bool
    attempts: int
    errors: list[str] = field(default_factory=list)


def _describe(error: Exception, url: str) -> str:
    """What went wrong, without the URL (it carries the webhook's secret)."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    text = f"{type(error).__name__}: {reason}"
    for secret in {url, urlsplit(url).path, urlsplit(url).query}:
        if len(secret) > 1:
            text = text.replace(secret, "[webhook]")
    return text[:200]


def _worth_retrying(error: Exception) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code >= 500 or error.code in (408, 429)
    return True  # refused, reset, timed out, name not found: the other end may come back


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    tries: int = CHAT_TRIES,
    timeout: float = CHAT_TIMEOUT_SECONDS,
    first_backoff: float = CHAT_FIRST_BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``payload`` as JSON, up to ``tries`` times, waiting ``first_backoff`` seconds
    and then twice as long after each failed try; a 4xx answer other than 408 and 429 is not
    retried. Never raises."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Delivery(delivered=False, attempts=0, errors=["not an http(s) URL"])
    body = json.dumps(payload).encode("utf-8")
    delivery = Delivery(delivered=False, attempts=0)
    wait = first_backoff
    for attempt in range(1, tries + 1):
        delivery.attempts = attempt
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "Heedful"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read(1024)
            delivery.delivered = True
            return delivery
        except Exception as error:
            delivery.errors.append(_describe(error, url))
            if not _worth_retrying(error):
                return delivery
        if attempt < tries:
            sleep(wait)
            wait *= 2
    return delivery


def deliver_chat(*, play_id: int) -> str:
    """Post an urgent play to the chat webhook, once. Returns ``delivered``, ``failed``
    (after the retries; recorded and logged), ``already`` or ``off`` (no webhook set)."""
    url = settings.HEEDFUL_CHAT_WEBHOOK_URL
    if not url:
        return "off"
    claimed = _claim(play_id, CHAT)
    if claimed is None:
        return "already"
    play, event = claimed
    delivery = post_json(url, chat_message(play))
    if delivery.delivered:
        return _record(event, "delivered", attempts=delivery.attempts)
    logger.warning(
        "Urgent play %s: chat webhook not delivered after %d tries (%s)",
        play.pk, delivery.attempts, "; ".join(delivery.errors),
    )
    return _record(event, "failed", attempts=delivery.attempts, errors=delivery.errors)


# -- daily digest --------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    day: date
    subject: str
    body: str
    plays: int


@dataclass
class DigestsSent:
    sent: int = 0
    failed: int = 0
    already_sent: int = 0


def digest_plays(*, user: User, as_of: date) -> list[Play]:
    """The open, non-urgent plays ``user`` owns on ``as_of`` (snoozed ones whose day has
    come count as open), in accounts they may see; by account, highest priority first."""
    from heedful.accounts.visibility import visible_accounts

    due = Q(status=PlayStatus.OPEN) | Q(
        status=PlayStatus.SNOOZED, snoozed_until__lte=as_of
    )
    plays = (
        Play.objects.filter(due, owner=user, urgent=False, account__in=visible_accounts(user))
        .select_related("account")
        .order_by("-priority", "created_at", "id")
    )
    return list(plays)


def digest_for(*, user: User, as_of: date) -> Digest | None:
    """The digest e-mail of one user, or None when they have no plays."""
    plays = digest_plays(user=user, as_of=as_of)
    if not plays:
        return None
    lines = [
        f"Hello {user.display_name},",
        "",
        f"{plays_phrase(len(plays))} for your accounts as of {words.format_day(as_of)}, most "
        "important "
        "first:",
    ]
    by_account: dict[int, list[Play]] = {}
    for play in plays:  # ordered by priority, so accounts come in order of their top play
        by_account.setdefault(play.account_id, []).append(play)
    for account_plays in by_account.values():
        account = account_plays[0].account
        lines += ["", f"{account.name} {account_url(account_plays[0])}"]
        for play in account_plays:
            lines += [
                f"  [{play.priority}] {play.title}",
                f"      {play.explanation}",
                f"      -> {play.suggested_action}",
            ]
    lines += ["", f"Your queue: {settings.HEEDFUL_BASE_URL}/", "-- Heedful"]
    subject = f"Heedful: {plays_phrase(len(plays))} for {words.format_day(as_of)}"
    return Digest(
        user=user, day=as_of, subject=subject, body="\n".join(lines) + "\n", plays=len(plays)
    )


def plays_phrase(count: int) -> str:
    return "1 play" if count == 1 else f"{words.format_number(count)} plays"


def digests(*, as_of: date, users: Iterable[User] | None = None) -> list[Digest]:
    """One digest per active user with an e-mail address and at least one play."""
    if users is None:
        owners = Play.objects.filter(
            urgent=False, status__in=(PlayStatus.OPEN, PlayStatus.SNOOZED)
        ).values("owner_id")
        users = User.objects.filter(is_active=True, pk__in=owners).exclude(email="")
    answer = []
    for user in sorted(users, key=lambda user: user.username):
        digest = digest_for(user=user, as_of=as_of)
        if digest is not None:
            answer.append(digest)
    return answer


DIGEST_CLAIM_STALE = timedelta(minutes=15)
"""A digest claimed this long ago and still not marked sent was left by a run that died."""


def send_digests(found: Sequence[Digest]) -> DigestsSent:
    """E-mail each digest once per user and day. Each is claimed before it is sent and marked
    sent after: a digest sent, or being sent by another run, is skipped; one whose run died
    while sending is sent again after ``DIGEST_CLAIM_STALE``. A failure is logged, does not
    stop the others, and leaves that user to the next run."""
    now = clock.now()
    outcome = DigestsSent()
    for digest in found:
        claim = _claim_digest(digest, now)
        if claim is None:
            outcome.already_sent += 1
            continue
        try:
            send_mail(digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [digest.user.email])
        except Exception as error:
            claim.delete()
            logger.warning(
                "Digest for user %s not sent (%s)", digest.user.username, type(error).__name__
            )
            outcome.failed += 1
            continue
        DigestSent.objects.filter(pk=claim.pk).update(sent_at=clock.now())
        outcome.sent += 1
    return outcome


def _claim_digest(digest: Digest, now: datetime) -> DigestSent | None:
    """The claim on this user's digest for its day, or None when it was sent or another run
    is sending it."""
    with transaction.atomic():
        claim, created = DigestSent.objects.get_or_create(
            user=digest.user, day=digest.day, defaults={"plays": digest.plays, "claimed_at": now}
        )
    if created:
        return claim
    if claim.sent_at is not None or claim.claimed_at > now - DIGEST_CLAIM_STALE:
        return None
    # Left by a run that died while sending: take it over, unless another run just did.
    taken = DigestSent.objects.filter(
        pk=claim.pk, sent_at__isnull=True, claimed_at=claim.claimed_at
    ).update(claimed_at=now, plays=digest.plays)
    return claim if taken else None
