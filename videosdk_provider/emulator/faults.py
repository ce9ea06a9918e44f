"""Fault injection: a thread-safe FIFO of faults, each consumed by the next matching API requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["fail", "delay", "drop"]


@dataclass
class Fault:
    """
    One queued fault.

    ``fail`` answers ``status`` without processing the request; ``delay`` sleeps ``seconds`` then
    processes normally; ``drop`` processes the request then closes the connection without answering.
    """

    kind: FaultKind
    times: int = 1
    status: int = 500
    message: str | None = None
    retry_after: str | None = None
    seconds: float = 0.0
    path: str | None = None
    method: str | None = None
    remaining: int = field(init=False)

    def __post_init__(self) -> None:
        if self.times < 1:
            raise ValueError("times must be at least 1")
        if self.kind == "fail" and not 200 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code from 200 to 599")
        if self.seconds < 0:
            raise ValueError("seconds must not be negative")
        if self.method is not None:
            self.method = self.method.upper()
        self.remaining = self.times

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request with ``method`` and ``path`` (no query)."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or path.startswith(self.path)


class FaultQueue:
    """Faults in arrival order; each request consumes one use of the first fault that matches it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """Consume and return the first fault matching the request, or ``None``."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self._faults[index]
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
