"""The thread-pool tasks backend that posts chat messages beside the immediate backend: the
caller never waits, tasks run in turn, and a process that ends does not wait forever."""

import threading
import time

from django_tasks import TaskResultStatus, task

from heedful.lib.thread_pool_tasks import ThreadPoolBackend

RELEASE = threading.Event()
RAN: list[int] = []


@task()
def held_task(number: int) -> int:
    RELEASE.wait(10)
    RAN.append(number)
    return number


def test_enqueue_returns_at_once_and_tasks_run_in_turn() -> None:
    # given a backend of one worker, and tasks that wait for a signal
    backend = ThreadPoolBackend("test-pool", {})
    RELEASE.clear()
    RAN.clear()
    # when three are queued
    started = time.monotonic()
    results = [backend.enqueue(held_task, [number], {}) for number in range(3)]
    # then the caller did not wait, and nothing ran yet
    assert time.monotonic() - started < 1
    assert not backend.wait(0.1)
    # when released
    RELEASE.set()
    # then all ran, in the order queued, and their results say so
    assert backend.wait(10)
    assert RAN == [0, 1, 2]
    assert [result.status for result in results] == [TaskResultStatus.SUCCESSFUL] * 3
    assert results[2].return_value == 2


def test_a_process_that_ends_waits_a_while_then_drops_what_has_not_started() -> None:
    # given a task that hangs and two queued behind it
    backend = ThreadPoolBackend("test-exit", {"OPTIONS": {"EXIT_WAIT_SECONDS": 0.2}})
    RELEASE.clear()
    RAN.clear()
    results = [backend.enqueue(held_task, [number], {}) for number in range(3)]
    # when the process ends
    started = time.monotonic()
    backend._wait_at_exit()
    # then it waited about the grace period, and the two not started are dropped
    assert time.monotonic() - started < 2
    RELEASE.set()
    assert backend.wait(10)
    assert RAN == [0]
    assert results[0].status == TaskResultStatus.SUCCESSFUL
    assert [result.status for result in results[1:]] == [TaskResultStatus.READY] * 2
