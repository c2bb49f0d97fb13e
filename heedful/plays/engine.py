"""The attention engine: run the rules, then reconcile their findings with the stored plays.

``scan`` is safe to run twice: one active play per rule, account and subject (a partial
unique constraint backs it); a re-scan updates plays in place, closes those whose condition
is gone (within the accounts and rules scanned only), reopens snoozed plays whose date has
come, and never raises again a play a person closed for the same subject and period.

Notifications and background runs hook in from the caller: ``ScanResult.created_play_ids``
and ``urgent_play_ids`` say what is new, to hand to ``transaction.on_commit``.
"""

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from heedful.core.exceptions import InvalidInput
from heedful.plays.models import (
    ACTIVE_PLAY_STATUSES,
    CLOSED_BY_A_PERSON,
    ClosedReason,
    Play,
    PlayAction,
    PlayEvent,
    PlayStatus,
)
from heedful.plays.rules import ALL_RULES, RULES_BY_KEY, Finding, Rule
from heedful.plays.services import get_rule_settings

# Fields a re-scan may change on an active play.
FINDING_FIELDS = (
    "owner_id", "priority", "urgent", "title", "explanation", "facts", "suggested_action",
    "period",
)
UPDATE_FIELDS = [
    "owner", "priority", "urgent", "title", "explanation", "facts", "suggested_action", "period",
    "status", "snoozed_until", "updated_at", "closed_at", "closed_reason",
]
BATCH_SIZE = 500
ATTEMPTS = 3

PlayKey = tuple[str, int, str]


@dataclass
class ScanResult:
    as_of: date
    rules: list[str]
    findings: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    reopened: int = 0
    remembered: int = 0
    suppressed: int = 0
    seconds: float = 0.0
    created_play_ids: list[int] = field(default_factory=list)
    urgent_play_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.rules)} rules, {self.findings} findings: {self.created} new, "
            f"{self.updated} updated, {self.reopened} reopened, {self.closed} closed, "
            f"{self.remembered} held back as already handled, {self.suppressed} held back by "
            f"business news"
        )


def select_rules(keys: Iterable[str] | None) -> list[Rule]:
    if keys is None:
        return list(ALL_RULES)
    unknown = sorted(set(keys) - set(RULES_BY_KEY))
    if unknown:
        raise InvalidInput(
            f"Unknown rule {', '.join(unknown)}; known: {', '.join(sorted(RULES_BY_KEY))}.",
            {"rules": [f"{key} is not a rule" for key in unknown]},
        )
    wanted = set(keys)
    return [rule for rule in ALL_RULES if rule.key in wanted]


def scan(
    *, as_of: date, account_ids: Sequence[int] | None = None, rules: Iterable[str] | None = None
) -> ScanResult:
    """Evaluate the enabled rules (all, or ``rules``) over all accounts (or ``account_ids``)
    as of ``as_of`` and bring the stored plays in line, in one transaction."""
    started = time.perf_counter()
    selected = select_rules(rules)
    account_ids = None if account_ids is None else sorted(set(account_ids))
    settings = get_rule_settings()
    result = ScanResult(as_of=as_of, rules=[rule.key for rule in selected])

    findings: dict[PlayKey, Finding] = {}
    for rule in selected:
        enabled, thresholds = settings[rule.key]
        if not enabled:
            continue
        for finding in rule.evaluate(as_of=as_of, account_ids=account_ids, thresholds=thresholds):
            key = (rule.key, finding.account_id, finding.subject)
            kept = findings.get(key)
            if kept is None or finding.priority > kept.priority:
                findings[key] = finding
    result.suppressed = _hold_back_suppressed(findings, as_of, account_ids, settings)
    result.findings = len(findings)
    enabled_keys = {rule.key for rule in selected if settings[rule.key][0]}

    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                _reconcile(result, findings, enabled_keys, account_ids)
            break
        except IntegrityError:
            # Another scan created the same play between our read and our write; start over.
            if attempt == ATTEMPTS:
                raise
            result = ScanResult(
                as_of=as_of, rules=result.rules, findings=result.findings,
                suppressed=result.suppressed,
            )
    result.seconds = time.perf_counter() - started
    return result


def _hold_back_suppressed(
    findings: dict[PlayKey, Finding], as_of: date, account_ids: Sequence[int] | None,
    settings: dict[str, tuple[bool, dict[str, Any]]],
) -> int:
    """Drop findings another enabled rule holds back (no pitches after bad business news)."""
    dropped = 0
    for rule in ALL_RULES:
        enabled, thresholds = settings[rule.key]
        if not rule.suppresses or not enabled:
            continue
        if not any(key[0] in rule.suppresses for key in findings):
            continue
        held = rule.suppressed_account_ids(
            as_of=as_of, account_ids=account_ids, thresholds=thresholds
        )
        for key in [key for key in findings if key[0] in rule.suppresses and key[1] in held]:
            del findings[key]
            dropped += 1
    return dropped


def normalized_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts as they come back from the JSON column, so a re-scan compares like with like."""
    return json.loads(json.dumps(facts, cls=DjangoJSONEncoder))


def _reconcile(
    result: ScanResult, findings: dict[PlayKey, Finding], enabled_keys: set[str],
    account_ids: Sequence[int] | None,
) -> None:
    now = timezone.now()
    as_of = result.as_of
    active = Play.objects.select_for_update().filter(
        status__in=ACTIVE_PLAY_STATUSES, rule__in=result.rules
    )
    handled = Play.objects.filter(
        status__in=(PlayStatus.DONE, PlayStatus.DISMISSED),
        closed_reason__in=CLOSED_BY_A_PERSON,
        rule__in=result.rules,
    )
    if account_ids is not None:
        active = active.filter(account_id__in=account_ids)
        handled = handled.filter(account_id__in=account_ids)
    existing: dict[PlayKey, Play] = {(p.rule, p.account_id, p.subject): p for p in active}
    remembered = set(handled.values_list("rule", "account_id", "subject", "period"))

    new_plays: list[Play] = []
    changed_plays: list[Play] = []
    events: list[PlayEvent] = []
    for key, finding in findings.items():
        play = existing.pop(key, None)
        if play is None:
            if (*key, finding.period) in remembered:
                result.remembered += 1
                continue
            new_plays.append(_new_play(key, finding, now))
            continue
        changes = _apply_finding(play, finding)
        reopen = (
            play.status == PlayStatus.SNOOZED
            and play.snoozed_until is not None
            and play.snoozed_until <= as_of
        )
        if reopen:
            assert play.snoozed_until is not None  # reopen checked it
            events.append(PlayEvent(
                play=play, at=now, action=PlayAction.REOPENED,
                detail={"reason": "snooze ended", "snoozed_until": play.snoozed_until.isoformat()},
            ))
            play.status = PlayStatus.OPEN
            play.snoozed_until = None
            result.reopened += 1
            if play.urgent:
                result.urgent_play_ids.append(play.pk)
        if changes:
            events.append(PlayEvent(
                play=play, at=now, action=PlayAction.UPDATED, detail={"changed": changes}
            ))
            result.updated += 1
            if "urgent" in changes and play.urgent and play.status == PlayStatus.OPEN:
                result.urgent_play_ids.append(play.pk)
        if changes or reopen:
            play.updated_at = now
            changed_plays.append(play)
        else:
            result.unchanged += 1

    for play in existing.values():
        reason = (
            ClosedReason.CONDITION_CLEARED if play.rule in enabled_keys
            else ClosedReason.RULE_TURNED_OFF
        )
        play.status = PlayStatus.DONE
        play.closed_at = now
        play.closed_reason = reason
        play.snoozed_until = None
        play.updated_at = now
        changed_plays.append(play)
        events.append(PlayEvent(
            play=play, at=now, action=PlayAction.AUTO_CLOSED,
            detail={"reason": str(reason), "as_of": as_of.isoformat()},
        ))
        result.closed += 1

    if changed_plays:
        Play.objects.bulk_update(changed_plays, UPDATE_FIELDS, batch_size=BATCH_SIZE)
    if new_plays:
        Play.objects.bulk_create(new_plays, batch_size=BATCH_SIZE)
        for play in new_plays:
            events.append(PlayEvent(
                play=play, at=now, action=PlayAction.CREATED,
                detail={"as_of": as_of.isoformat(), "priority": play.priority},
            ))
        result.created = len(new_plays)
        result.created_play_ids = [play.pk for play in new_plays]
        result.urgent_play_ids.extend(play.pk for play in new_plays if play.urgent)
    if events:
        PlayEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)


def _new_play(key: PlayKey, finding: Finding, now: Any) -> Play:
    rule_key, account_id, subject = key
    return Play(
        rule=rule_key,
        account_id=account_id,
        subject=subject,
        period=finding.period,
        owner_id=finding.owner_id,
        priority=finding.priority,
        urgent=finding.urgent,
        title=finding.title[:300],
        explanation=finding.explanation,
        facts=normalized_facts(finding.facts),
        suggested_action=finding.suggested_action,
        status=PlayStatus.OPEN,
        created_at=now,
        updated_at=now,
    )


def _apply_finding(play: Play, finding: Finding) -> list[str]:
    """Copy what the finding says onto the play; the names of the fields that changed."""
    changed = []
    wanted = {
        "owner_id": finding.owner_id,
        "priority": finding.priority,
        "urgent": finding.urgent,
        "title": finding.title[:300],
        "explanation": finding.explanation,
        "facts": normalized_facts(finding.facts),
        "suggested_action": finding.suggested_action,
        "period": finding.period,
    }
    for name in FINDING_FIELDS:
        if getattr(play, name) != wanted[name]:
            setattr(play, name, wanted[name])
            changed.append(name.removesuffix("_id"))
    return changed
