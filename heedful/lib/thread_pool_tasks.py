"""A django-tasks backend that runs each task on a small pool of threads in the process that
queued it: for work nobody should wait for (posting to a chat webhook that may hang for
seconds) on the embedded default, which has no worker process.

django-tasks offers the immediate backend (runs the task in the caller, which then waits),
the dummy one (never runs it) and, in django-tasks-db, a database queue that needs a worker;
the thread-pool backends published for Django 6 need Python 3.12. This one is the immediate
backend's own execution handed to ``concurrent.futures.ThreadPoolExecutor``: the same Tasks
API, results filled in when the task has run, nothing kept across a restart.

OPTIONS: ``MAX_WORKERS`` (default 1: tasks run one after another, holding one database
connection at a time) and ``EXIT_WAIT_SECONDS`` (default 30): a process that ends (a command
after its import or scan) waits that long for queued tasks, then drops those not started.
"""

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from typing import Any, TypeVar

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ThreadPoolBackend(ImmediateBackend):
    supports_async_task = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.max_workers = int(self.options.get("MAX_WORKERS", 1))
        self.exit_wait_seconds = float(self.options.get("EXIT_WAIT_SECONDS", 30.0))
        self._executor: ThreadPoolExecutor | None = None
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[override]
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
            started_at=None, last_attempted_at=None, finished_at=None, args=args,
            kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[],
        )
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix=f"tasks-{self.alias}"
                )
                # Runs before the executor's own exit hook, which would otherwise wait for
                # every queued task however long a dead webhook makes each one take.
                threading._register_atexit(self._wait_at_exit)  # type: ignore[attr-defined]
            future = self._executor.submit(self._run, result)
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return result

    def _run(self, result: TaskResult) -> None:
        try:
            self._execute_task(result)
            if result.status == TaskResultStatus.FAILED:
                traceback = result.errors[-1].traceback if result.errors else "(no traceback)"
                logger.error("Background task %s failed\n%s", result.task.name, traceback)
        finally:
            connections.close_all()  # this thread's own connections, not held while idle

    def _forget(self, future: "Future[None]") -> None:
        with self._lock:
            self._pending.discard(future)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every task queued so far has run (or ``timeout`` seconds pass); whether
        they all have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            wait_for_futures(pending, timeout=left)

    def _wait_at_exit(self) -> None:
        if self.wait(self.exit_wait_seconds):
            return
        with self._lock:
            pending = list(self._pending)
        # Outside the lock: a cancelled future calls ``_forget``, which takes it.
        dropped = sum(1 for future in pending if future.cancel())
        if dropped:
            logger.error("Exiting with %d background task(s) not run", dropped)
