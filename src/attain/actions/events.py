"""Events: what an action did, told to subscribers once its transaction has committed.

Automation and alerts subscribe by action name or pattern (`"plan.*"`, `"*"`). A subscriber's
failure is logged and never undoes or blocks the action that emitted it.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from attain.audit.actor import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One audited change: the action's name, who did it, to what, and the audit entry's number."""

    action: str
    actor: Actor
    entity: str
    entity_id: str
    after: Any
    seq: int


Subscriber = Callable[[Event], None]
_subscribers: list[tuple[str, Subscriber]] = []
_lock = threading.Lock()


def subscribe(pattern: str, subscriber: Subscriber) -> Callable[[], None]:
    """Call `subscriber` with every committed event whose action matches `pattern`; returns a
    function that unsubscribes."""
    entry = (pattern, subscriber)
    with _lock:
        _subscribers.append(entry)

    def unsubscribe() -> None:
        with _lock:
            if entry in _subscribers:
                _subscribers.remove(entry)

    return unsubscribe


def publish(events: Iterable[Event]) -> None:
    """Tell every matching subscriber, in the order the events were recorded."""
    with _lock:
        subscribers = list(_subscribers)
    for event in events:
        for pattern, subscriber in subscribers:
            if fnmatch.fnmatchcase(event.action, pattern):
                try:
                    subscriber(event)
                except Exception:
                    log.exception("a subscriber to %s failed", event.action)
