"""When records change, the rules for the touched accounts run right after the commit.

Writers call ``accounts_changed`` explicitly, inside their transaction: the API's write path
in ``heedful.accounts.records`` through ``record_written``, which this app registers with the
record layer (accounts imports no app above it), and the CSV import commands
(``heedful.integrations.after_import``). It registers, with
``transaction.on_commit``, the queueing of ``evaluate_accounts_task``: with the immediate
backend that task runs at once in the same process, after the commit; with the database
backend a ``heedful db_worker`` runs it. Either way a failure there is logged and never
undoes, or fails, the write that triggered it.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.db import models, transaction

from heedful.lib import clock

logger = logging.getLogger(__name__)

FULL_SCAN_ABOVE_ACCOUNTS = 5000
"""Past this many touched accounts one full scan is cheaper than a long list of ids."""


@dataclass
class _Gathered:
    """What the writes inside ``gathered()`` changed, by day: the accounts (None: every
    account) and the kinds of record (None: not known, every rule)."""

    account_ids: dict[date | None, set[int] | None] = dataclass_field(default_factory=dict)
    kinds: dict[date | None, set[str] | None] = dataclass_field(default_factory=dict)


_gathering: ContextVar[_Gathered | None] = ContextVar("plays_gathering", default=None)


@contextmanager
def gathered() -> Iterator[None]:
    """Inside, ``accounts_changed`` notes what changed instead of queueing an evaluation per
    call; on the way out one evaluation of everything noted is queued (after the commit, as
    each would have been). For a batch of writes (webhook events applied together): one scan
    of the accounts they touched instead of one scan per write. Nested, the outer one
    gathers everything."""
    if _gathering.get() is not None:
        yield
        return
    notes = _Gathered()
    token = _gathering.set(notes)
    try:
        yield
    finally:
        _gathering.reset(token)
    for as_of, account_ids in notes.account_ids.items():
        kinds = notes.kinds[as_of]
        accounts_changed(account_ids=account_ids, as_of=as_of, kinds=kinds)


def _note(notes: _Gathered, account_ids: Iterable[int | None] | None, as_of: date | None,
          kinds: Iterable[str] | None) -> None:
    if as_of not in notes.account_ids:
        notes.account_ids[as_of], notes.kinds[as_of] = set(), set()
    known_ids, known_kinds = notes.account_ids[as_of], notes.kinds[as_of]
    if account_ids is None or known_ids is None:
        notes.account_ids[as_of] = None
    else:
        known_ids.update(int(account_id) for account_id in account_ids if account_id is not None)
    if kinds is None or known_kinds is None:
        notes.kinds[as_of] = None
    else:
        known_kinds.update(kinds)


def accounts_changed(
    *, account_ids: Iterable[int | None] | None, as_of: date | None = None,
    kinds: Iterable[str] | None = None,
) -> None:
    """Evaluate the rules for ``account_ids`` (``None``: every account) as of ``as_of``
    (default: today) once the current transaction commits; at once outside a transaction.
    An empty list does nothing. ``kinds``: the kinds of record that changed (model names,
    e.g. "ticket"), to run only the rules that read them (``rules_affected_by``); ``None``
    when not known: every rule. Inside ``gathered()``, noted for one evaluation at its end."""
    from heedful.plays.rules import rules_affected_by

    notes = _gathering.get()
    if notes is not None:
        _note(notes, account_ids, as_of, kinds)
        return
    if account_ids is None:
        ids = None
    else:
        ids = sorted({int(account_id) for account_id in account_ids if account_id is not None})
        if not ids:
            return
        if len(ids) > FULL_SCAN_ABOVE_ACCOUNTS:
            ids = None
    day = (as_of or clock.today()).isoformat()
    rules = rules_affected_by(None if kinds is None else list(kinds))
    queued = partial(_queue_evaluation, ids, day) if rules is None else partial(
        _queue_evaluation, ids, day, rules
    )
    transaction.on_commit(queued, robust=True)


def record_written(record: models.Model, accounts_before: set[int] | None) -> None:
    """Called by ``heedful.accounts.records`` for each record written through a form (registered
    in ``PlaysConfig.ready``, with ``account_ids_of`` telling the accounts before an update):
    the rules that read its kind run for the accounts it belongs to, and belonged to before,
    after the commit."""
    accounts_changed(
        account_ids=(accounts_before or set()) | account_ids_of(record),
        kinds=[record_kind(record)],
    )


def record_kind(record: models.Model | type[models.Model]) -> str:
    """The kind of a record, as rules name what they read (``Rule.reads``): its model name."""
    return record._meta.model_name or ""


def _queue_evaluation(
    account_ids: list[int] | None, as_of: str, rules: list[str] | None = None
) -> None:
    from heedful.plays.tasks import evaluate_accounts_task

    what = "all accounts" if account_ids is None else f"{len(account_ids)} account(s)"
    which = "every rule" if rules is None else ", ".join(rules)
    queue(evaluate_accounts_task, account_ids, as_of, rules,
          what=f"evaluating {what} as of {as_of} with {which}")


def queue(task: Any, *args: Any, what: str) -> None:
    """Queue ``task`` with ``args``; log, never raise, when queueing or (with the immediate
    backend, which runs the task here and keeps its error) running it fails."""
    from django_tasks import TaskResultStatus

    try:
        result = task.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s", what)
        return
    if result.status == TaskResultStatus.FAILED:
        traceback = result.errors[-1].traceback if result.errors else "(no traceback)"
        logger.error("Background work failed: %s\n%s", what, traceback)


BACKGROUND_TASKS = "background"
"""The tasks backend for work nobody waits for, beside the immediate backend (settings.py)."""


def chat_backend() -> str:
    """Where chat messages are posted from. With the immediate backend a message would be
    posted, and retried for up to 7.5 s, inside the request that raised the play, so it goes
    to the thread-pool backend instead (one message after another: a burst of urgent plays
    takes one connection, not one each); workers (database backend) post it on their own."""
    in_background = settings.TASKS_BACKEND == "immediate" and settings.HEEDFUL_CHAT_IN_BACKGROUND
    return BACKGROUND_TASKS if in_background else "default"


def queue_chat(play_id: int) -> None:
    """Queue the chat message about one urgent play (see ``chat_backend``)."""
    from heedful.plays.tasks import deliver_chat_task

    queue(
        deliver_chat_task.using(backend=chat_backend()), play_id,
        what=f"chat for play {play_id}",
    )


def wait_for_background_work(timeout: float | None = None) -> bool:
    """Wait until the chat messages queued in this process are posted (or ``timeout``
    passes); whether they all were. True at once with workers, which post them elsewhere."""
    from django_tasks import task_backends

    if BACKGROUND_TASKS not in settings.TASKS:
        return True
    backend = task_backends[BACKGROUND_TASKS]
    wait = getattr(backend, "wait", None)
    return True if wait is None else bool(wait(timeout))


def notify_urgent(*, play_ids: Iterable[int]) -> None:
    """Tell the owners of these urgent plays: e-mail now, the chat webhook (when set) as its
    own task once the current transaction commits. Each play is notified at most once per
    channel (``notifications``), so the trigger and ``heedful scan`` may both pass a play."""
    from heedful.plays import notifications

    for play_id in play_ids:
        try:
            notifications.email_owner(play_id=play_id)
        except Exception:
            logger.exception("Urgent play %s: the e-mail notification failed", play_id)
        if notifications.chat_is_configured():
            transaction.on_commit(partial(queue_chat, play_id), robust=True)


def evaluate_accounts(
    *, account_ids: Sequence[int] | None, as_of: date, rules: Sequence[str] | None = None
) -> dict[str, Any]:
    """Scan ``account_ids`` (``None``: all) as of ``as_of`` with ``rules`` (``None``: every
    rule), then notify the owners of the
    plays that are newly urgent: e-mail now, the chat webhook as its own task. Safe to run
    twice: the scan is idempotent and each play is notified at most once per channel."""
    from heedful.plays.engine import scan

    result = scan(as_of=as_of, account_ids=account_ids, rules=rules)
    notify_urgent(play_ids=result.urgent_play_ids)
    return {
        "as_of": as_of.isoformat(),
        "accounts": None if account_ids is None else len(account_ids),
        "rules": None if rules is None else list(rules),
        "summary": result.summary(),
        "urgent_play_ids": list(result.urgent_play_ids),
    }


# -- what a change touched -----------------------------------------------------------------


def account_ids_of(record: models.Model) -> set[int]:
    """The customer accounts a record belongs to: itself for an account, its account
    reference(s), or, one step away, its parent's account (a dispute's invoice, a meeting's
    transcript: a one-to-one link is a reference too)."""
    from heedful.accounts.models import Account

    if isinstance(record, Account):
        return {record.pk} if record.pk else set()
    relations = [
        field for field in record._meta.concrete_fields
        if (field.many_to_one or field.one_to_one) and getattr(record, field.attname) is not None
    ]
    direct = {
        getattr(record, field.attname) for field in relations if field.related_model is Account
    }
    if direct:
        return direct
    found: set[int] = set()
    for field in relations:
        parent = field.related_model
        if not isinstance(parent, type) or not issubclass(parent, models.Model):
            continue
        to_account = [
            parent_field.attname for parent_field in parent._meta.concrete_fields
            if parent_field.many_to_one and parent_field.related_model is Account
        ]
        for attname in to_account:
            found.update(
                account_id for account_id in parent._default_manager.filter(
                    pk=getattr(record, field.attname)
                ).values_list(attname, flat=True)
                if account_id is not None
            )
    return found
