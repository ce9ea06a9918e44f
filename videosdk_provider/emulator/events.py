"""The emulator's event bus: state changes (session started, participant joined...) as webhook events."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One published event: its webhook ``type`` and ``data``, the room, and a per-call webhook URL."""

    type: str
    data: dict[str, Any]
    room_id: str
    webhook_url: str | None = None


Subscriber = Callable[[Event], None]


class EventBus:
    """
    Hand every published event to each subscriber, synchronously and in publish order.

    The emulator publishes while it holds its state lock, so subscribers see events in the order the
    state changed; they must be quick (queue slow work such as HTTP delivery on their own thread) and
    must not mutate ``data``. A subscriber that raises is logged and skipped: it never fails the API
    request or the other subscribers. Subscriptions survive :meth:`VideoSDKEmulator.reset`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: tuple[Subscriber, ...] = ()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every later event; returns a function that unsubscribes it."""
        with self._lock:
            self._subscribers = (*self._subscribers, callback)

        def unsubscribe() -> None:
            with self._lock:
                remaining = list(self._subscribers)
                if callback in remaining:
                    remaining.remove(callback)
                self._subscribers = tuple(remaining)

        return unsubscribe

    def publish(
        self, event_type: str, data: dict[str, Any], *, room_id: str, webhook_url: str | None = None
    ) -> None:
        """Deliver one event to the current subscribers (nothing to do, and nothing built, when none)."""
        subscribers = self._subscribers
        if not subscribers:
            return
        event = Event(event_type, data, room_id, webhook_url)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:
                log.exception("Emulator event subscriber %r failed on %s", callback, event_type)
