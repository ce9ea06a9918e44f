"""
The emulator for the batch-create suite: the bundled one, also counting requests served at once.

It replaces the plugin's ``videosdk_emulator_server`` for the tests in this folder, so every
fixture built on it (``videosdk_emulator``, ``videosdk_connection``, ``hook_factory``, ``run_dag``)
talks to it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.api import ApiRequest, ApiResponse


class CountingEmulator(VideoSDKEmulator):
    """The bundled emulator, also keeping the most requests it was answering at the same moment."""

    def __init__(self) -> None:
        super().__init__()
        self._in_flight_lock = threading.Lock()
        self._in_flight = 0
        self.peak_in_flight = 0

    def _answer(self, request: ApiRequest) -> ApiResponse | None:
        with self._in_flight_lock:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        try:
            return super()._answer(request)
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1

    def reset(self) -> None:
        super().reset()
        with self._in_flight_lock:
            self.peak_in_flight = self._in_flight


@pytest.fixture(scope="session")
def videosdk_emulator_server() -> Iterator[CountingEmulator]:
    """One counting emulator for this folder's tests (reset before each by ``videosdk_emulator``)."""
    with CountingEmulator() as emulator:
        yield emulator
