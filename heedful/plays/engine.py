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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from heedful.core.exceptions import InvalidInput
from heedful.plays import changes as play_changes
from heedful.plays.models import (
    ACTIVE_PLAY_STATUSES,
    CLOSED_BY_A_PERSON,
    ClosedReason,
    Play,
    PlayAction,
    PlayEvent,
    PlayStatus,
)
from heedful.plays.rules import ALL_RULES, PITCHING_RULES, RULES_BY_KEY, Finding, Rule
from heedful.plays.rules.base import part_keys
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
    changed_play_ids: list[int] = field(default_factory=list)
    closed_play_ids: list[int] = field(default_factory=list)

    def add(self, other: "ScanResult") -> None:
        """Count in what ``other`` (one rule's reconciling) did; new plays are counted by
        ``_count_created`` once every rule is done."""
        for name in ("updated", "unchanged", "closed", "reopened", "remembered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.urgent_play_ids.extend(other.urgent_play_ids)
        self.changed_play_ids.extend(other.changed_play_ids)
        self.closed_play_ids.extend(other.closed_play_ids)

    def summary(self) -> str:
        return (
            f"{len(self.rules)} rules, {self.findings} findings: {self.created} new, "
            f"{self.updated} updated, {self.reopened} reopened, {self.closed} closed, "
            f"{self.remembered} held back as already handled, {self.suppressed} held back "
            "(after bad news, pitches while the customer is hurting or past one per owner)"
        )


def select_rules(keys: Iterable[str] | None) -> list[Rule]:
    """The rules to run, in the order they run: ``ALL_RULES``'s, pitching rules last (whether
    the customer is hurting is known once every other rule is done). A rule that tells its
    findings about the same record as another (``same_record_as``) runs with it, before it,
    so that one of them says both."""
    if keys is None:
        wanted = set(RULES_BY_KEY)
    else:
        unknown = sorted(set(keys) - set(RULES_BY_KEY))
        if unknown:
            raise InvalidInput(
                f"Unknown rule {', '.join(unknown)}; known: {', '.join(sorted(RULES_BY_KEY))}.",
                {"rules": [f"{key} is not a rule" for key in unknown]},
            )
        wanted = set(keys)
        for rule in ALL_RULES:
            if rule.key in wanted or wanted & set(rule.same_record_as):
                wanted.add(rule.key)
                wanted.update(rule.same_record_as)
    return sorted((rule for rule in ALL_RULES if rule.key in wanted), key=_run_order)


def _run_order(rule: Rule) -> tuple[bool, int, bool]:
    """Pitches last; a rule whose findings another tells right after that one."""
    hosts = [index for index, host in enumerate(ALL_RULES) if rule.key in host.same_record_as]
    if hosts:
        return rule.is_pitch, min(hosts), True
    return rule.is_pitch, ALL_RULES.index(rule), False


Progress = Callable[[str, int], None]
"""Told after each rule: its key and how many findings it had."""


def scan(
    *, as_of: date, account_ids: Sequence[int] | None = None, rules: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Evaluate the enabled rules (all, or ``rules``) over all accounts (or ``account_ids``)
    as of ``as_of`` and bring the stored plays in line; ``progress`` is told as each rule is
    done.

    Rule by rule: a rule's findings are evaluated outside any transaction (reading only), then
    its plays are brought in line in a short transaction of their own. A full scan of a large
    book takes a minute; held in one transaction it locked out every other writer on SQLite
    (which gave up after 20 s) and every evaluation after a write on PostgreSQL. A scan that
    stops half way leaves each rule either done or untouched, and the next scan finishes the
    job. Memory holds one rule's findings (as compact rows) and its active plays, never all."""
    started = time.perf_counter()
    selected = select_rules(rules)
    account_ids = None if account_ids is None else sorted(set(account_ids))
    settings = get_rule_settings()
    result = ScanResult(as_of=as_of, rules=[rule.key for rule in selected])
    now = timezone.now()
    first_new_id = _last_play_id()
    context = _Context(
        result=result, account_ids=account_ids, settings=settings,
        remembered=_handled_by_people(selected, account_ids),
        scanned_rules={rule.key for rule in selected},
    )
    for rule in selected:
        # Before any rule: what a rule derives for itself (today's health score) is in place
        # when the rules read it.
        rule.prepare(as_of=as_of, account_ids=account_ids, thresholds=settings[rule.key][1])
    for rule in selected:
        enabled, thresholds = settings[rule.key]
        findings = _findings(rule, context)
        result.findings += len(findings)
        if progress is not None:
            progress(rule.key, len(findings))
        for attempt in range(1, ATTEMPTS + 1):
            reconciled = ScanResult(as_of=as_of, rules=[rule.key])
            try:
                with transaction.atomic():
                    active = _active_plays(rule.key, account_ids).values_list(*ACTIVE_COLUMNS)
                    new_rows = _reconcile_rule(
                        reconciled, rule.key, enabled, findings,
                        context.remembered.get(rule.key, set()),
                        active.iterator(chunk_size=5000), now,
                    )
                    _insert_plays(new_rows, now)
                break
            except IntegrityError:
                # Another scan created the same play between our read and our write: again.
                if attempt == ATTEMPTS:
                    raise
        result.add(reconciled)
        del findings
    if context.hurting and not any(rule.is_pitch for rule in selected):
        _close_pitches(context.hurting, result, now)
    _count_created(result, first_new_id, now)
    play_changes.tell(
        created=result.created_play_ids, changed=result.changed_play_ids,
        closed=result.closed_play_ids,
    )
    result.seconds = time.perf_counter() - started
    return result


def _close_pitches(account_ids: set[int], result: ScanResult, now: Any) -> None:
    """Close the open pitches on accounts a scan without the pitching rules found hurting (a
    run after a new severity-1 ticket): held back at once, without evaluating the pitches. They
    come back, if still due, at a scan with the pitching rules once the account is well."""
    pitches = Play.objects.filter(
        status__in=ACTIVE_PLAY_STATUSES, rule__in=PITCHING_RULES,
        account_id__in=sorted(account_ids),
    )
    if not pitches.exists():  # the common case: no transaction for nothing
        return
    with transaction.atomic():
        plays = list(pitches.select_for_update())
        events = []
        for play in plays:
            play.status = PlayStatus.DONE
            play.closed_at = now
            play.closed_reason = ClosedReason.CONDITION_CLEARED
            play.snoozed_until = None
            play.updated_at = now
            events.append(PlayEvent(
                play_id=play.pk, at=now, action=PlayAction.AUTO_CLOSED,
                detail={"reason": "held back while the customer is hurting",
                        "as_of": result.as_of.isoformat()},
            ))
        result.closed += len(plays)
        result.closed_play_ids.extend(play.pk for play in plays)
        _write_changes(plays, events)


def _handled_by_people(
    selected: list[Rule], account_ids: Sequence[int] | None
) -> dict[str, set[tuple[int, str, str]]]:
    """(account, subject, period) of the plays a person closed, by rule: not raised again.
    A play that named several parts (``one_play_per_account``) counts for each part."""
    handled = Play.objects.filter(
        status__in=(PlayStatus.DONE, PlayStatus.DISMISSED),
        closed_reason__in=CLOSED_BY_A_PERSON,
        rule__in=[rule.key for rule in selected],
    )
    if account_ids is not None:
        handled = handled.filter(account_id__in=account_ids)
    by_parts = {rule.key for rule in selected if rule.one_play_per_account}
    remembered: dict[str, set[tuple[int, str, str]]] = {}
    for rule_key, account_id, subject, period in handled.values_list(
        "rule", "account_id", "subject", "period"
    ):
        keys = remembered.setdefault(rule_key, set())
        keys.add((account_id, subject, period))
        if rule_key in by_parts:
            keys.update((account_id, part, part_period)
                        for part, part_period in part_keys(subject, period))
    # One play tells a record for a group of rules (``same_record_as``): closing it holds for
    # every rule of the group.
    for rule in selected:
        group = [rule.key, *rule.same_record_as]
        if len(group) > 1:
            shared = set().union(*(remembered.get(key, set()) for key in group))
            for key in group:
                remembered[key] = shared
    return remembered


@dataclass
class _Context:
    """What one scan's rules share: what people closed, which accounts hold back pitches,
    and the findings of a rule another rule already told (``same_record_as``)."""

    result: ScanResult
    account_ids: Sequence[int] | None
    settings: dict[str, tuple[bool, dict[str, Any]]]
    remembered: dict[str, set[tuple[int, str, str]]]
    scanned_rules: set[str]
    held_by: dict[str, set[int]] = field(default_factory=dict)
    hurting: set[int] = field(default_factory=set)
    told: dict[str, dict[tuple[int, str], Finding]] = field(default_factory=dict)


HOLD_WORDS = (
    " While it lasts, Heedful holds back pitching plays (product whitespace, roadmap "
    "briefings) for this account."
)


def _findings(rule: Rule, context: _Context) -> dict[tuple[int, str], "FindingRow"]:
    """One rule's findings by (account, subject) as rows to write."""
    return {key: _row(finding) for key, finding in _rule_findings(rule, context).items()}


def _rule_findings(rule: Rule, context: _Context) -> dict[tuple[int, str], Finding]:
    """One rule's findings by (account, subject): the highest priority kept; parts made one
    play per account; findings about the same record as a ``same_record_as`` rule's told
    together; less those held back: by a suppressing rule (bad news), and pitches while the
    customer is hurting (both counted in ``result.suppressed``)."""
    if rule.key in context.told:
        return context.told.pop(rule.key)
    enabled, thresholds = context.settings[rule.key]
    findings: dict[tuple[int, str], Finding] = {}
    if not enabled:
        return findings
    result = context.result
    evaluated = rule.evaluate(
        as_of=result.as_of, account_ids=context.account_ids, thresholds=thresholds
    )
    if rule.one_play_per_account:
        evaluated = _combined(rule, evaluated, context, thresholds)
    for finding in evaluated:
        key = (finding.account_id, finding.subject)
        kept = findings.get(key)
        if kept is None or finding.priority > kept.priority:
            findings[key] = finding
    # One play per record for the group: the first rule of it (this one, then the others in
    # their order) that found something about the record tells what the later ones found.
    told_by_others: dict[str, dict[tuple[int, str], Finding]] = {}
    for other_key in rule.same_record_as:
        other = RULES_BY_KEY[other_key]
        others = _rule_findings(other, context)
        for key in list(others):
            if key in findings:
                findings[key] = rule.merge(findings[key], others.pop(key))
                continue
            for earlier_key, earlier in told_by_others.items():
                if key in earlier:
                    earlier[key] = RULES_BY_KEY[earlier_key].merge(earlier[key], others.pop(key))
                    break
        told_by_others[other_key] = others
        context.told[other_key] = others
    for finding in findings.values():
        if rule.holds_pitches(finding):
            context.hurting.add(finding.account_id)
            if "held_back_rules" not in finding.facts:  # a merged finding may say it already
                finding.explanation += HOLD_WORDS
                finding.facts["held_back_rules"] = list(PITCHING_RULES)
    held = _held_accounts(rule, context)
    if held:
        for key in [key for key in findings if key[0] in held]:
            del findings[key]
            result.suppressed += 1
    if "plays_per_owner" in thresholds:
        _keep_best_per_owner(rule, findings, int(thresholds["plays_per_owner"]), context)
    return findings


def _combined(
    rule: Rule, evaluated: Iterable[Finding], context: _Context, thresholds: dict[str, Any]
) -> list[Finding]:
    """The parts a rule found made one finding per account, less the parts a person already
    closed a play for."""
    remembered = context.remembered.get(rule.key, set())
    parts: dict[int, list[Finding]] = {}
    for part in evaluated:
        if (part.account_id, part.subject, part.period) in remembered:
            context.result.remembered += 1
            continue
        parts.setdefault(part.account_id, []).append(part)
    return [
        rule.combine(sorted(found, key=lambda part: (-part.priority, part.subject)), thresholds)
        for found in parts.values()
    ]


def _held_accounts(rule: Rule, context: _Context) -> set[int]:
    """The accounts whose findings of ``rule`` are held back: by a suppressing rule (bad
    news) and, for a pitch, while the customer is hurting."""
    held: set[int] = set()
    for suppressor in ALL_RULES:
        if rule.key not in suppressor.suppresses:
            continue
        on, limits = context.settings[suppressor.key]
        if not on:
            continue
        if suppressor.key not in context.held_by:
            context.held_by[suppressor.key] = suppressor.suppressed_account_ids(
                as_of=context.result.as_of, account_ids=context.account_ids, thresholds=limits
            )
        held |= context.held_by[suppressor.key]
    if rule.is_pitch:
        held |= context.hurting | _hurting_by_other_rules(context)
        for other in ALL_RULES:
            if context.settings[other.key][0]:
                held |= other.hurting_account_ids(
                    as_of=context.result.as_of, account_ids=context.account_ids
                )
    return held


def _hurting_by_other_rules(context: _Context) -> set[int]:
    """Accounts with an active play that holds back pitches (urgent, or saying so) of a rule
    this scan did not run: the findings of the rules it ran are in ``context.hurting``."""
    holding = Play.objects.filter(status__in=ACTIVE_PLAY_STATUSES).exclude(
        rule__in=context.scanned_rules
    ).filter(Q(urgent=True) | Q(facts__has_key="held_back_rules"))
    if context.account_ids is not None:
        holding = holding.filter(account_id__in=context.account_ids)
    return set(holding.order_by().values_list("account_id", flat=True).distinct())


def _keep_best_per_owner(
    rule: Rule, findings: dict[tuple[int, str], Finding], most: int, context: _Context
) -> None:
    """Keep ``most`` findings of each owner (less the active plays of the rule they already
    hold outside the scope of a partial scan): a queue of pitches is noise. First the accounts
    with nothing else open (a pitch lands best where nothing needs fixing first), then by the
    rule's ``rank_for_owner``."""
    taken: dict[int | None, int] = {}
    # Read through the (account, status) index for the scan's scope: a list of every account
    # with a finding made SQLite's statement slower than the read.
    others = Play.objects.filter(status__in=ACTIVE_PLAY_STATUSES).exclude(rule=rule.key)
    if context.account_ids is not None:
        others = others.filter(account_id__in=context.account_ids)
    busy = set(others.order_by().values_list("account_id", flat=True).distinct())
    if context.account_ids is not None:
        outside = Play.objects.filter(status__in=ACTIVE_PLAY_STATUSES, rule=rule.key).exclude(
            account_id__in=context.account_ids
        ).filter(owner_id__in={finding.owner_id for finding in findings.values()})
        taken = dict(outside.order_by().values("owner_id").annotate(n=Count("id"))
                     .values_list("owner_id", "n"))
    ranked = sorted(findings.items(), key=lambda item: (
        item[0][0] in busy, rule.rank_for_owner(item[1]), item[0][0], item[0][1]
    ))
    handled = context.remembered.get(rule.key, set())
    for key, finding in ranked:
        if (*key, finding.period) in handled:
            continue  # a person closed it: not raised again, and it takes no place
        count = taken.get(finding.owner_id, 0)
        if count >= most:
            del findings[key]
            context.result.suppressed += 1
        else:
            taken[finding.owner_id] = count + 1


def normalized_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts as they come back from the JSON column, so a re-scan compares like with like."""
    return json.loads(json.dumps(facts, cls=DjangoJSONEncoder))


# One finding as the columns it writes: owner_id, priority, urgent, title, explanation,
# facts (JSON text), suggested_action, period; the order of FINDING_FIELDS.
FindingRow = tuple[int | None, int, bool, str, str, str, str, str]

ACTIVE_COLUMNS = (
    "id", "account_id", "subject", *FINDING_FIELDS, "status", "snoozed_until", "closed_at",
    "closed_reason",
)


FIRST_STATUS = ACTIVE_COLUMNS.index("status")
FACTS = FINDING_FIELDS.index("facts")


def _same(values: tuple[Any, ...], row: FindingRow) -> bool:
    """Whether a stored play (``ACTIVE_COLUMNS``) already says what the finding says."""
    stored = values[3:FIRST_STATUS]
    return (
        stored[:FACTS] == row[:FACTS] and stored[FACTS + 1:] == row[FACTS + 1:]
        and stored[FACTS] == json.loads(str(row[FACTS]))
    )


def _row(finding: Finding) -> FindingRow:
    return (
        finding.owner_id, finding.priority, finding.urgent, finding.title[:300],
        finding.explanation, _facts_json(finding.facts), finding.suggested_action,
        finding.period,
    )


def _facts_json(facts: dict[str, Any]) -> str:
    """Rules write facts as JSON's own types (amounts as strings, ISO dates), which the C
    encoder handles; Django's encoder, for anything else, is four times slower."""
    try:
        return json.dumps(facts)
    except TypeError:
        return json.dumps(facts, cls=DjangoJSONEncoder)


def _reconcile_rule(
    result: ScanResult, rule_key: str, enabled: bool, findings: dict[tuple[int, str], FindingRow],
    remembered: set[tuple[int, str, str]], active: Iterable[tuple[Any, ...]], now: Any,
) -> list[tuple[Any, ...]]:
    """Bring the stored plays of one rule (``active``: rows of ``ACTIVE_COLUMNS``, within the
    scope of the scan) in line with its findings; the rows of the plays to create."""
    as_of = result.as_of
    changed_plays: list[Play] = []
    events: list[PlayEvent] = []
    # Written after the read: SQLite does not isolate a statement from writes to its table.
    for values in active:
        row = findings.pop((values[1], values[2]), None)
        if row is not None and values[FIRST_STATUS] == PlayStatus.OPEN and _same(values, row):
            result.unchanged += 1  # the common case of a re-scan: no model, nothing written
            continue
        play = Play(rule=rule_key, **dict(zip(ACTIVE_COLUMNS, values, strict=True)))
        if row is None:
            reason = (
                ClosedReason.CONDITION_CLEARED if enabled else ClosedReason.RULE_TURNED_OFF
            )
            play.status = PlayStatus.DONE
            play.closed_at = now
            play.closed_reason = reason
            play.snoozed_until = None
            play.updated_at = now
            changed_plays.append(play)
            events.append(PlayEvent(
                play_id=play.pk, at=now, action=PlayAction.AUTO_CLOSED,
                detail={"reason": str(reason), "as_of": as_of.isoformat()},
            ))
            result.closed += 1
            result.closed_play_ids.append(play.pk)
            continue
        changes = _apply_row(play, row)
        reopen = (
            play.status == PlayStatus.SNOOZED
            and play.snoozed_until is not None
            and play.snoozed_until <= as_of
        )
        if reopen:
            assert play.snoozed_until is not None  # reopen checked it
            events.append(PlayEvent(
                play_id=play.pk, at=now, action=PlayAction.REOPENED,
                detail={"reason": "snooze ended", "snoozed_until": play.snoozed_until.isoformat()},
            ))
            play.status = PlayStatus.OPEN
            play.snoozed_until = None
            result.reopened += 1
            if play.urgent:
                result.urgent_play_ids.append(play.pk)
        if changes:
            events.append(PlayEvent(
                play_id=play.pk, at=now, action=PlayAction.UPDATED, detail={"changed": changes}
            ))
            result.updated += 1
            if "urgent" in changes and play.urgent and play.status == PlayStatus.OPEN:
                result.urgent_play_ids.append(play.pk)
        if changes or reopen:
            play.updated_at = now
            changed_plays.append(play)
            result.changed_play_ids.append(play.pk)
        else:
            result.unchanged += 1

    _write_changes(changed_plays, events)
    new_rows = []
    for (account_id, subject), row in findings.items():
        if (account_id, subject, row[7]) in remembered:
            result.remembered += 1
            continue
        new_rows.append((rule_key, account_id, subject, *row))
    return new_rows


def _active_plays(rule_key: str, account_ids: Sequence[int] | None) -> Any:
    active = Play.objects.select_for_update().filter(
        status__in=ACTIVE_PLAY_STATUSES, rule=rule_key
    )
    if account_ids is not None:
        active = active.filter(account_id__in=account_ids)
    return active.order_by()


def _write_changes(changed_plays: list[Play], events: list[PlayEvent]) -> None:
    if changed_plays:
        Play.objects.bulk_update(changed_plays, UPDATE_FIELDS, batch_size=BATCH_SIZE)
    if events:
        PlayEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    changed_plays.clear()
    events.clear()


# New plays are written as plain rows: these columns, then the constants of a new open play.
INSERT_COLUMNS = ("rule", "account_id", "subject", *FINDING_FIELDS)
NEW_PLAY_COLUMNS = (
    *INSERT_COLUMNS, "status", "snoozed_until", "outcome", "dismiss_reason", "created_at",
    "updated_at", "closed_at", "closed_reason",
)
INSERT_CHUNK = 5000


def _insert_plays(rows: list[tuple[Any, ...]], now: Any) -> None:
    """INSERT the new plays without building models: ``executemany`` on SQLite, ``COPY`` on
    PostgreSQL. ``_count_created`` reads their ids afterwards."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = {field.attname: field.column for field in Play._meta.concrete_fields}
    listed = ", ".join(quote(str(columns[name])) for name in NEW_PLAY_COLUMNS)
    table = quote(Play._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text format written here: psycopg's write_row adapts value by value.
            stamp = now.isoformat()
            tail = f"\t{PlayStatus.OPEN.value}\t\\N\t\t\t{stamp}\t{stamp}\t\\N\t\n"
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for index in range(0, len(rows), INSERT_CHUNK):
                    copy.write("".join(
                        "\t".join(_copy_text(value) for value in row) + tail
                        for row in rows[index:index + INSERT_CHUNK]
                    ))
        else:
            moment = connection.ops.adapt_datetimefield_value(now)
            values = (PlayStatus.OPEN.value, None, "", "", moment, moment, None, "")
            marks = ", ".join("%s" for _ in NEW_PLAY_COLUMNS)
            sql = f"INSERT INTO {table} ({listed}) VALUES ({marks})"
            for index in range(0, len(rows), INSERT_CHUNK):
                cursor.executemany(
                    sql, [row + values for row in rows[index:index + INSERT_CHUNK]]
                )


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        # translate() looks up every character: only text that needs it goes through it.
        if "\\" in value or not value.isprintable():
            return value.translate(COPY_ESCAPES)
        return value
    return str(value)


def _last_play_id() -> int:
    return Play.objects.aggregate(last=Max("id"))["last"] or 0


def _count_created(result: ScanResult, first_new_id: int, now: Any) -> None:
    """The ids of the plays this scan inserted (above ``first_new_id``, created at ``now``).

    Their creation is recorded by the play itself (``created_at``, by the engine: no user),
    not by a ``created`` event: on PostgreSQL writing and checking half a million such events
    took longer than every rule of a full scan together."""
    new = Play.objects.filter(id__gt=first_new_id, created_at=now)
    ids = list(new.order_by("id").values_list("id", "urgent"))
    result.created = len(ids)
    result.created_play_ids = [play_id for play_id, _ in ids]
    result.urgent_play_ids.extend(play_id for play_id, urgent in ids if urgent)


def _apply_row(play: Play, row: FindingRow) -> list[str]:
    """Copy what the finding says onto the play; the names of the fields that changed."""
    changed = []
    for name, value in zip(FINDING_FIELDS, row, strict=True):
        if name == "facts":
            assert isinstance(value, str)  # the row holds facts as JSON text
            value = json.loads(value)  # noqa: PLW2901 - compared as the JSON column gives it
        if getattr(play, name) != value:
            setattr(play, name, value)
            changed.append(name.removesuffix("_id"))
    return changed
