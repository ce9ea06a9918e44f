"""Fixtures for the polling watcher's tests: rooms, recordings, and running a trigger until it has fired."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from watcher_kit import LIST_PATHS, Collect, first_poll_pages

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.triggers.events import VideoSDKEventTrigger


@pytest.fixture
def collect(videosdk_emulator: VideoSDKEmulator, hook: VideoSDKHook) -> Collect:
    """
    Run a trigger; once it has polled every room once, run ``after_first_poll``; return its first payloads.

    ``collect(trigger, count, after_first_poll, timeout=20.0)``: the first poll reads each room's
    whole listing, counted in requests from when ``collect`` is called.
    """

    def run_trigger(
        trigger: VideoSDKEventTrigger,
        count: int,
        after_first_poll: Callable[[], Any],
        timeout: float = 20.0,
    ) -> list[dict[str, Any]]:
        path = LIST_PATHS[trigger.event_type]
        pages = first_poll_pages(hook, trigger.event_type, trigger.room_ids)
        first_poll = len(videosdk_emulator.requests_to("GET", path)) + pages

        def act() -> None:
            deadline = time.monotonic() + timeout
            while (
                len(videosdk_emulator.requests_to("GET", path)) < first_poll and time.monotonic() < deadline
            ):
                time.sleep(0.01)
            after_first_poll()

        async def run() -> list[dict[str, Any]]:
            events: list[dict[str, Any]] = []
            generator = trigger.run()
            async for event in generator:
                events.append(event.payload)
                if len(events) == count:
                    break
            await generator.aclose()
            return events

        actor = threading.Thread(target=act, daemon=True)
        actor.start()
        try:
            return asyncio.run(asyncio.wait_for(run(), timeout))
        finally:
            actor.join(timeout)

    return run_trigger


@pytest.fixture
def make_room(hook: VideoSDKHook) -> Callable[..., str]:
    """Create a room through the API with the body given; return its roomId."""

    def create(**body: Any) -> str:
        room_id: str = hook.create_room(**body)["roomId"]
        return room_id

    return create


@pytest.fixture
def record(hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator) -> Callable[..., None]:
    """
    Hold a session of a room with a recording, stopped (its file ready) when the session ends.

    ``record(room_id, transcribe=True)`` asks for a post-call transcription of the recording; with
    ``stop=False`` the session and its recording go on.
    """

    def hold(room_id: str, *, transcribe: bool = False, stop: bool = True) -> None:
        videosdk_emulator.start_session(room_id)
        hook.start_recording(room_id, transcription={"enabled": True} if transcribe else None)
        if stop:
            videosdk_emulator.end_session(room_id)

    return hold
