"""Plays: what a person does with one (done, snooze, dismiss, reopen), the queries pages and
commands need, and the admin-editable thresholds of the rules.

Permission is the caller's job: pass only plays of accounts the user may see
(``heedful.core.visibility.visible_accounts``); ``get_all(user=...)`` does that for lists.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.plays.models import (
    ACTIVE_PLAY_STATUSES,
    ClosedReason,
    Play,
    PlayAction,
    PlayEvent,
    PlayStatus,
    RuleSetting,
)

# -- rule settings -------------------------------------------------------------------------


def get_rule_settings() -> dict[str, tuple[bool, dict[str, Any]]]:
    """Each rule's ``(enabled, thresholds)``: the admin's values over the code's defaults.
    Rules without a row get one holding the defaults, so the admin page lists every rule."""
    from heedful.plays.rules import ALL_RULES

    stored = {setting.rule: setting for setting in RuleSetting.objects.all()}
    missing = [rule for rule in ALL_RULES if rule.key not in stored]
    if missing:
        RuleSetting.objects.bulk_create(
            [RuleSetting(rule=rule.key, thresholds=dict(rule.defaults)) for rule in missing],
            ignore_conflicts=True,
        )
    answer = {}
    for rule in ALL_RULES:
        setting = stored.get(rule.key)
        if setting is None:
            answer[rule.key] = (True, dict(rule.defaults))
        else:
            answer[rule.key] = (setting.enabled, rule.thresholds(setting.thresholds))
    return answer


def update_rule_setting(
    *, rule: str, enabled: bool | None = None, thresholds: dict[str, Any] | None = None,
) -> RuleSetting:
    """Change one rule's switch or thresholds (merged onto what is stored); validated."""
    from heedful.plays.rules import RULES_BY_KEY

    if rule not in RULES_BY_KEY:
        raise InvalidInput(f"{rule!r} is not a rule key.", {"rule": ["unknown rule"]})
    with transaction.atomic():
        setting, _ = RuleSetting.objects.select_for_update().get_or_create(
            rule=rule, defaults={"thresholds": dict(RULES_BY_KEY[rule].defaults)}
        )
        if enabled is not None:
            setting.enabled = enabled
        if thresholds:
            setting.thresholds = {**setting.thresholds, **thresholds}
        try:
            setting.full_clean()
        except ValidationError as error:
            raise InvalidInput("Invalid rule setting.", error.message_dict) from None
        setting.save()
    return setting


# -- queries -------------------------------------------------------------------------------


def get_all(
    *, user: User | None = None, statuses: Iterable[str] = (PlayStatus.OPEN,),
    account_ids: Sequence[int] | None = None, rules: Iterable[str] | None = None,
) -> QuerySet[Play]:
    """Plays by priority, highest first; only accounts ``user`` may see when given."""
    plays = Play.objects.filter(status__in=list(statuses)).select_related("account", "owner")
    if user is not None:
        from heedful.core.visibility import visible_accounts

        plays = plays.filter(account__in=visible_accounts(user))
    if account_ids is not None:
        plays = plays.filter(account_id__in=list(account_ids))
    if rules is not None:
        plays = plays.filter(rule__in=list(rules))
    return plays.order_by("-priority", "-urgent", "created_at", "id")


def as_contract(play: Play) -> dict[str, Any]:
    """A play as CONTRACTS.md describes it for ``heedful scan --json`` and the API."""
    return {
        "rule": play.rule,
        "account_external_id": play.account.external_id,
        "account_name": play.account.name,
        "owner": play.owner.username if play.owner else None,
        "priority": play.priority,
        "urgent": play.urgent,
        "title": play.title,
        "explanation": play.explanation,
        "facts": play.facts,
        "suggested_action": play.suggested_action,
        "status": play.status,
        "created_at": play.created_at.isoformat(),
    }


# -- what a person does with a play --------------------------------------------------------


def _locked(play: Play) -> Play:
    return Play.objects.select_for_update().get(pk=play.pk)


def _require_active(play: Play, verb: str) -> None:
    if play.status not in ACTIVE_PLAY_STATUSES:
        raise InvalidInput(
            f"This play is already {play.status}; only an open or snoozed play can be {verb}.",
            {"status": [f"is {play.status}"]},
        )


def _required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Say {label}.", {field: ["This field is required."]})
    return text


def mark_done(*, play: Play, user: User | None, outcome: str) -> Play:
    """Close the play as handled, with what happened. It does not come back for the same
    subject and period."""
    text = _required_text(outcome, "outcome", "what happened")
    with transaction.atomic():
        locked = _locked(play)
        _require_active(locked, "marked done")
        now = timezone.now()
        previous = locked.status
        locked.status = PlayStatus.DONE
        locked.outcome = text
        locked.snoozed_until = None
        locked.closed_at = now
        locked.closed_reason = ClosedReason.MARKED_DONE
        locked.updated_at = now
        locked.save(update_fields=[
            "status", "outcome", "snoozed_until", "closed_at", "closed_reason", "updated_at",
        ])
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.DONE,
            detail={"outcome": text, "previous_status": previous},
        )
    play.refresh_from_db()
    return play


def snooze(*, play: Play, user: User | None, until: date, today: date | None = None) -> Play:
    """Hide the play until ``until``; the scan on or after that date opens it again (if its
    condition still holds)."""
    today = today or timezone.localdate()
    if until <= today:
        raise InvalidInput(
            f"Snooze until a later day than {today.isoformat()}.", {"until": ["must be later"]}
        )
    with transaction.atomic():
        locked = _locked(play)
        _require_active(locked, "snoozed")
        now = timezone.now()
        locked.status = PlayStatus.SNOOZED
        locked.snoozed_until = until
        locked.updated_at = now
        locked.save(update_fields=["status", "snoozed_until", "updated_at"])
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.SNOOZED,
            detail={"until": until.isoformat()},
        )
    play.refresh_from_db()
    return play


def dismiss(*, play: Play, user: User | None, reason: str) -> Play:
    """Close the play as not worth doing, with why. It does not come back for the same
    subject and period."""
    text = _required_text(reason, "reason", "why it is dismissed")
    with transaction.atomic():
        locked = _locked(play)
        _require_active(locked, "dismissed")
        now = timezone.now()
        previous = locked.status
        locked.status = PlayStatus.DISMISSED
        locked.dismiss_reason = text
        locked.snoozed_until = None
        locked.closed_at = now
        locked.closed_reason = ClosedReason.DISMISSED
        locked.updated_at = now
        locked.save(update_fields=[
            "status", "dismiss_reason", "snoozed_until", "closed_at", "closed_reason",
            "updated_at",
        ])
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.DISMISSED,
            detail={"reason": text, "previous_status": previous},
        )
    play.refresh_from_db()
    return play


def reopen(*, play: Play, user: User | None) -> Play:
    """Open a snoozed, done or dismissed play again (a wrong click, or news)."""
    with transaction.atomic():
        locked = _locked(play)
        if locked.status == PlayStatus.OPEN:
            raise InvalidInput("This play is already open.", {"status": ["is open"]})
        now = timezone.now()
        previous = locked.status
        locked.status = PlayStatus.OPEN
        locked.snoozed_until = None
        locked.closed_at = None
        locked.closed_reason = ""
        locked.updated_at = now
        try:
            with transaction.atomic():
                locked.save(update_fields=[
                    "status", "snoozed_until", "closed_at", "closed_reason", "updated_at",
                ])
        except IntegrityError:
            raise InvalidInput(
                "A newer play for the same subject is already open.", {"status": ["duplicate"]}
            ) from None
        PlayEvent.objects.create(
            play=locked, at=now, user=user, action=PlayAction.REOPENED,
            detail={"previous_status": previous},
        )
    play.refresh_from_db()
    return play
