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
    """
    Thread-safe log: :meth:`arrive` numbers a request on arrival, :meth:`add` stores it when done.

    Between the two the request is in flight; :attr:`max_in_flight` is the most requests that were
    in flight at one moment, so that tests can see how many calls a client made at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._entries: list[tuple[int, RecordedRequest]] = []
        self._in_flight = 0
        self._max_in_flight = 0

    @property
    def max_in_flight(self) -> int:
        with self._lock:
            return self._max_in_flight

    def arrive(self) -> int:
        """Return the arrival number of a new request, now in flight."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            return next(self._counter)

    def add(self, arrival: int, record: RecordedRequest) -> None:
        """Store a request that is no longer in flight: answered, or dropped."""
        with self._lock:
            self._in_flight -= 1
            self._entries.append((arrival, record))

    def snapshot(self) -> list[RecordedRequest]:
        """Completed requests, in arrival order."""
        with self._lock:
            entries = sorted(self._entries, key=lambda entry: entry[0])
        return [record for _, record in entries]

    def clear(self) -> None:
        """Forget the stored requests; the high-water mark restarts from the requests still in flight."""
        with self._lock:
            self._entries.clear()
            self._max_in_flight = self._in_flight
