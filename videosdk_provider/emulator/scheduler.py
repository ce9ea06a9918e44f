"""A single background timer thread for scripted session timelines and auto-close deadlines."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Scheduler:
    """
    Run callbacks after a delay on one daemon thread, started lazily.

    :meth:`clear` cancels everything pending; :meth:`close` also stops and joins the thread.
    A callback that raises is ignored (the timeline keeps running).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._thread: threading.Thread | None = None
        self._generation = 0

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + max(delay, 0.0), next(self._counter), callback))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, args=(self._generation,), name="videosdk-emulator-timer", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self._heap.clear()
            self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._heap.clear()
            self._generation += 1
            thread = self._thread
            self._thread = None
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self, generation: int) -> None:
        while True:
            with self._cond:
                while self._generation == generation:
                    if self._heap and self._heap[0][0] <= time.monotonic():
                        break
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(timeout)
                if self._generation != generation:
                    return
                _, _, callback = heapq.heappop(self._heap)
            with contextlib.suppress(Exception):  # a failing step must not kill the timer thread
                callback()
