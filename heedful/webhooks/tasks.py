"""Background work of webhooks: thin wrappers, each safe to run twice (arguments are ids)."""

from django_tasks import task

from heedful.webhooks import outbound, services


@task()
def apply_event_task(event_id: int) -> str:
    """Apply one received event (only while it is ``received``), and the others waiting with
    it (``services.apply_batch``)."""
    return services.apply_batch(event_id=event_id)


@task()
def publish_play_changes_task(created: list[int], changed: list[int], closed: list[int]) -> int:
    """Store and queue the messages about these plays for every subscription."""
    return len(outbound.publish(created=created, changed=changed, closed=closed))


@task()
def deliver_message_task(message_id: int) -> str:
    """Deliver one message (only while it is pending), with retries."""
    return outbound.deliver(message_id=message_id)
