"""Who hears that plays were created, changed or closed (outbound webhooks, in
``heedful.webhooks``), told by the engine after each scan and by the services after a person
acts on a play.

Apps above plays register a listener in their ``AppConfig.ready`` (``call_on_changes``), so
that plays never imports them and the call stays explicit (ADR 0010, as the record layer's
write hooks). A listener is called inside the transaction of the change when there is one
(a person's action) and outside any after a scan (each rule committed in turn): it should
queue its work with ``transaction.on_commit``, which runs at once outside a transaction.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlayChanges:
    """The plays created, changed (updated by a rule, snoozed, reopened) and closed (done,
    dismissed, closed by the engine) by one scan or one action, by id."""

    created: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.closed)


Listener = Callable[[PlayChanges], None]
_listeners: list[Listener] = []


def call_on_changes(listener: Listener) -> None:
    """Have ``listener`` told of every change of plays (once, however often registered)."""
    if listener not in _listeners:
        _listeners.append(listener)


def tell(
    *, created: Iterable[int] = (), changed: Iterable[int] = (), closed: Iterable[int] = ()
) -> None:
    """Tell every listener; a listener that fails is logged and never undoes the change."""
    changes = PlayChanges(created=list(created), changed=list(changed), closed=list(closed))
    if not changes:
        return
    for listener in _listeners:
        try:
            listener(changes)
        except Exception:
            logger.exception("A listener of play changes failed")
