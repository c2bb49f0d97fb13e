"""Background work of the attention engine: thin wrappers, each safe to run twice.

Queued with ``transaction.on_commit`` by ``heedful.plays.triggers``; the backend
(``HEEDFUL_TASKS_BACKEND``) decides whether they run at once in the same process or in a
``heedful db_worker``. Arguments are JSON (ids and ISO dates).
"""

from datetime import date
from typing import Any

from django_tasks import task

from heedful.lib import clock
from heedful.plays import notifications, triggers


@task()
def evaluate_accounts_task(
    account_ids: list[int] | None, as_of: str | None = None, rules: list[str] | None = None
) -> dict[str, Any]:
    """Run ``rules`` (``None``: every rule) for these accounts (``None``: all) as of ``as_of``
    (ISO date, default today) and notify the owners of newly urgent plays."""
    day = date.fromisoformat(as_of) if as_of else clock.today()
    return triggers.evaluate_accounts(account_ids=account_ids, as_of=day, rules=rules)


@task()
def deliver_chat_task(play_id: int) -> str:
    """Post one urgent play to the chat webhook (retried with backoff); at most once a play."""
    return notifications.deliver_chat(play_id=play_id)
