"""The log of API requests the emulator answered (or dropped), in arrival order."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    """
    One API request as received, with the status it was answered with.

    ``path`` excludes the query string; ``headers`` has lower-cased names; ``body`` is the parsed
    JSON body (or None); ``status`` is 0 when the connection was dropped without an answer;
    ``token_claims`` holds the decoded claims when the token verified, else None.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_body: bytes
    status: int
    token_claims: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable form (``raw_body`` decoded as UTF-8, invalid bytes replaced)."""
        return {
            "method": self.method,
            "path": self.path,
            "query": dict(self.query),
            "headers": dict(self.headers),
            "body": self.body,
            "raw_body": self.raw_body.decode("utf-8", errors="replace"),
            "status": self.status,
            "token_claims": self.token_claims,
        }


class RequestLog:
    """Thread-safe log: :meth:`arrive` numbers a request on arrival, :meth:`add` stores it when done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._entries: list[tuple[int, RecordedRequest]] = []

    def arrive(self) -> int:
        """Return the arrival number of a new request."""
        with self._lock:
            return next(self._counter)

    def add(self, arrival: int, record: RecordedRequest) -> None:
        with self._lock:
            self._entries.append((arrival, record))

    def snapshot(self) -> list[RecordedRequest]:
        """Completed requests, in arrival order."""
        with self._lock:
            entries = sorted(self._entries, key=lambda entry: entry[0])
        return [record for _, record in entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
