"""
State shared by every emulated resource, the resource base class and the registry that builds them.

Each resource (``resources/<name>.py``) keeps its own records but locks :attr:`Core.lock`, one
re-entrant lock for the whole emulator, so an operation spanning resources (deactivating a room
ends its session) is atomic; every read returns a copy.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TypeVar, cast

from videosdk_provider.emulator.events import EventBus
from videosdk_provider.emulator.scheduler import Scheduler

if TYPE_CHECKING:
    from videosdk_provider.emulator.api import Route


class NotFoundError(KeyError):
    """A room, session or participant that does not exist (the API answers 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RoomDisabledError(ValueError):
    """An operation that needs an active room was asked of a deactivated one."""


def now_iso() -> str:
    """Return the current UTC time as ISO-8601 with milliseconds and ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_object_id(taken: Collection[str]) -> str:
    """Return a fresh 24-hex-digit id (like a MongoDB ObjectId) that is not in ``taken``."""
    value = secrets.token_hex(12)
    while value in taken:
        value = secrets.token_hex(12)
    return value


class Core:
    """
    The lock, clock settings, timer and event bus every resource uses.

    ``minute_seconds`` scales API minutes (``autoCloseConfig.duration``); ``base_url`` prefixes the
    links the API returns; ``scheduler`` runs deadlines and scripted timelines; ``events`` carries
    the webhook-style events resources publish.
    """

    def __init__(
        self, scheduler: Scheduler, events: EventBus, *, minute_seconds: float = 60.0, base_url: str = ""
    ) -> None:
        self.lock = threading.RLock()
        self.scheduler = scheduler
        self.events = events
        self.minute_seconds = minute_seconds
        self.base_url = base_url
        self._seq = itertools.count()

    def next_seq(self) -> int:
        """Return a number increasing with every record created, to order listings by creation."""
        return next(self._seq)


class Resource:
    """
    One emulated API resource: its state and its endpoint handlers.

    Subclasses take ``(core, resources)``, fetch the resources they build on with
    ``resources.get(Other)``, and implement :meth:`routes` and :meth:`reset`.
    """

    def __init__(self, core: Core, resources: Resources) -> None:
        self.core = core

    def routes(self) -> Iterable[Route]:
        """Return the endpoints this resource answers."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget every record (called with the lock held)."""
        raise NotImplementedError


R = TypeVar("R", bound=Resource)


class Resources:
    """Builds the resource classes in the given order (dependencies first) and finds them by class."""

    def __init__(self, core: Core, kinds: Iterable[Callable[[Core, Resources], Resource]]) -> None:
        self.core = core
        self._built: dict[type[Resource], Resource] = {}
        for kind in kinds:
            resource = kind(core, self)
            self._built[type(resource)] = resource

    def get(self, kind: type[R]) -> R:
        """Return the built resource of this class (registered earlier than its users)."""
        if kind not in self._built:
            raise LookupError(f"{kind.__name__} is not registered before its use")
        return cast("R", self._built[kind])

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._built.values())

    def routes(self) -> list[Route]:
        """Every resource's endpoints."""
        return [route for resource in self for route in resource.routes()]

    def reset(self) -> None:
        """Forget every resource's records, atomically."""
        with self.core.lock:
            for resource in self:
                resource.reset()
