"""Fixtures for the room lifecycle and session tests: a hook, a room, and emulator actions mid-run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook

WATCH_TIMEOUT = 60.0


class Watcher(threading.Thread):
    """Run ``action`` once ``condition`` holds (checked every 20 ms); ``fired`` tells whether it did."""

    def __init__(self, condition: Callable[[], bool], action: Callable[[], Any]) -> None:
        super().__init__(name="lifecycle-test-watcher", daemon=True)
        self.condition = condition
        self.action = action
        self.fired = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + WATCH_TIMEOUT
        while not self.stopped.is_set() and time.monotonic() < deadline:
            if self.condition():
                self.action()
                self.fired.set()
                return
            time.sleep(0.02)


Watch = Callable[[Callable[[], bool], Callable[[], Any]], Watcher]


@pytest.fixture
def watch() -> Iterator[Watch]:
    """Start :class:`Watcher` threads; they are all stopped when the test ends."""
    watchers: list[Watcher] = []

    def start(condition: Callable[[], bool], action: Callable[[], Any]) -> Watcher:
        watcher = Watcher(condition, action)
        watchers.append(watcher)
        watcher.start()
        return watcher

    yield start
    for watcher in watchers:
        watcher.stopped.set()
        watcher.join(5)


@pytest.fixture
def on_first_poll(
    videosdk_emulator: VideoSDKEmulator, watch: Watch
) -> Callable[[str, Callable[[], Any]], Watcher]:
    """
    Run an action as soon as anyone first asks the emulator for a room's sessions.

    Scheduling a session from there makes it start after a sensor began waiting, however long the
    DAG run took to get there.
    """

    def start(room_id: str, action: Callable[[], Any]) -> Watcher:
        def polled() -> bool:
            return any(
                request.path == "/v2/sessions" and request.query.get("roomId") == room_id
                for request in videosdk_emulator.requests
            )

        return watch(polled, action)

    return start


@pytest.fixture
def hook(hook_factory: Callable[..., VideoSDKHook]) -> VideoSDKHook:
    return hook_factory()


@pytest.fixture
def room(hook: VideoSDKHook) -> dict[str, Any]:
    """Create a fresh room with a customRoomId through the API."""
    return dict(hook.create_room(customRoomId="lifecycle-room"))
