"""When records change, the rules for the touched accounts run right after the commit.

Writers call ``accounts_changed`` explicitly, inside their transaction (the API's write path
in ``heedful.core.records``, the CSV import commands). It registers, with
``transaction.on_commit``, the queueing of ``evaluate_accounts_task``: with the immediate
backend that task runs at once in the same process, after the commit; with the database
backend a ``heedful db_worker`` runs it. Either way a failure there is logged and never
undoes, or fails, the write that triggered it.
"""

import atexit
import csv
import logging
import queue as queue_module
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction

from heedful.lib import clock

logger = logging.getLogger(__name__)

FULL_SCAN_ABOVE_ACCOUNTS = 5000
"""Past this many touched accounts one full scan is cheaper than a long list of ids."""


def accounts_changed(
    *, account_ids: Iterable[int | None] | None, as_of: date | None = None,
    kinds: Iterable[str] | None = None,
) -> None:
    """Evaluate the rules for ``account_ids`` (``None``: every account) as of ``as_of``
    (default: today) once the current transaction commits; at once outside a transaction.
    An empty list does nothing. ``kinds``: the kinds of record that changed (model names,
    e.g. "ticket"), to run only the rules that read them (``rules_affected_by``); ``None``
    when not known: every rule."""
    from heedful.plays.rules import rules_affected_by

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


AT_EXIT_WAIT_SECONDS = 30.0
"""How long a command that ends waits for the chat messages still queued."""

_chat_queue: "queue_module.Queue[int] | None" = None
_chat_lock = threading.Lock()


def queue_chat(play_id: int) -> None:
    """Queue the chat message about one urgent play. A worker (database backend) posts it on
    its own; with the immediate backend it would post, and retry for up to 7.5 s, inside the
    request that made the play, so one thread per process posts the messages instead, one
    after another (a burst of urgent plays takes one connection, not one each)."""
    if settings.TASKS_BACKEND != "immediate" or not settings.HEEDFUL_CHAT_IN_BACKGROUND:
        _queue_chat_task(play_id)
        return
    global _chat_queue
    with _chat_lock:
        if _chat_queue is None:
            _chat_queue = queue_module.Queue()
            threading.Thread(
                target=_post_chat_messages, args=(_chat_queue,), name="heedful-chat", daemon=True
            ).start()
            atexit.register(_wait_at_exit)
    _chat_queue.put(play_id)


def _queue_chat_task(play_id: int) -> None:
    from heedful.plays.tasks import deliver_chat_task

    queue(deliver_chat_task, play_id, what=f"chat for play {play_id}")


def _post_chat_messages(waiting: "queue_module.Queue[int]") -> None:
    while True:
        play_id = waiting.get()
        try:
            _queue_chat_task(play_id)
        finally:
            connections.close_all()  # this thread's own connection, not held while idle
            waiting.task_done()


def wait_for_background_work(timeout: float | None = None) -> bool:
    """Wait until the queued chat messages are posted (or ``timeout`` passes); whether they
    all were."""
    waiting = _chat_queue
    if waiting is None:
        return True
    deadline = None if timeout is None else time.monotonic() + timeout
    with waiting.all_tasks_done:
        while waiting.unfinished_tasks:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            waiting.all_tasks_done.wait(left)
    return True


def _wait_at_exit() -> None:
    # A command (an import, a scan) ends right after its commit: give its urgent plays'
    # messages the time to go out before the process, and this daemon thread, stop.
    if not wait_for_background_work(AT_EXIT_WAIT_SECONDS):
        waiting = _chat_queue.unfinished_tasks if _chat_queue is not None else 0
        logger.error("Exiting with %d chat message(s) not posted yet", waiting)


def evaluate_accounts(
    *, account_ids: Sequence[int] | None, as_of: date, rules: Sequence[str] | None = None
) -> dict[str, Any]:
    """Scan ``account_ids`` (``None``: all) as of ``as_of`` with ``rules`` (``None``: every
    rule), then notify the owners of the
    plays that are newly urgent: e-mail now, the chat webhook as its own task. Safe to run
    twice: the scan is idempotent and each play is notified at most once per channel."""
    from heedful.plays import notifications
    from heedful.plays.engine import scan

    result = scan(as_of=as_of, account_ids=account_ids, rules=rules)
    for play_id in result.urgent_play_ids:
        try:
            notifications.email_owner(play_id=play_id)
        except Exception:
            logger.exception("Urgent play %s: the e-mail notification failed", play_id)
        if notifications.chat_is_configured():
            transaction.on_commit(partial(queue_chat, play_id), robust=True)
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
    reference(s), or, one step away, its parent's account (a dispute's invoice)."""
    from heedful.accounts.models import Account

    if isinstance(record, Account):
        return {record.pk} if record.pk else set()
    relations = [
        field for field in record._meta.concrete_fields
        if field.many_to_one and getattr(record, field.attname) is not None
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


def csv_import_committed(*, files: Sequence[tuple[str, str | Path]]) -> None:
    """After a CSV import committed: evaluate the accounts its files (``(kind, path)``, the
    kinds that changed something) name, or all of them when that cannot be told, with the
    rules that read what the files hold."""
    try:
        account_ids = account_ids_in_csv_files(files)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        logger.warning("Cannot tell the accounts an import touched (%s); scanning all", error)
        account_ids = None
    accounts_changed(account_ids=account_ids, kinds=record_kinds_of_csv(kind for kind, _ in files))


# What a CSV file of a kind writes besides its own model (products create their families).
CSV_ALSO_WRITES = {"products": ("productfamily",)}


def record_kinds_of_csv(csv_kinds: Iterable[str]) -> set[str] | None:
    """The record kinds (model names) CSV files of these kinds write; ``None`` if unknown."""
    from heedful.integrations.csv_import import SPECS

    kinds: set[str] = set()
    for csv_kind in csv_kinds:
        spec = SPECS.get(csv_kind)
        if spec is None:
            return None
        kinds.add(record_kind(spec.model))
        kinds.update(CSV_ALSO_WRITES.get(csv_kind, ()))
    return kinds


def account_ids_in_csv_files(files: Sequence[tuple[str, str | Path]]) -> set[int] | None:
    """The accounts the rows of these CSV files (``(kind, path)``, as imported) name;
    ``None`` when a kind can change plays of any account (users, products, releases)."""
    from heedful.accounts.models import Account
    from heedful.billing.models import Invoice

    external_ids: set[str] = set()
    invoice_numbers: set[str] = set()
    for kind, path in files:
        column = {"accounts": "external_id", "disputes": "invoice_number"}.get(
            kind, "account_external_id"
        )
        names = invoice_numbers if kind == "disputes" else external_ids
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if column not in (reader.fieldnames or []):
                return None
            names.update((row.get(column) or "").strip() for row in reader)
    external_ids.discard("")
    invoice_numbers.discard("")
    if len(external_ids) + len(invoice_numbers) > FULL_SCAN_ABOVE_ACCOUNTS:
        return None
    ids = set(Account.objects.filter(external_id__in=external_ids).values_list("id", flat=True))
    if invoice_numbers:
        ids.update(
            Invoice.objects.filter(invoice_number__in=invoice_numbers)
            .values_list("account_id", flat=True)
        )
    return ids
