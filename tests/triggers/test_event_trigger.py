"""The polling watcher: new items become events with the webhook's data shape; old ones do not."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from airflow.sdk import AssetWatcher

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.triggers.events import VideoSDKEventTrigger, videosdk_event_watcher
from videosdk_provider.webhooks import videosdk_event_asset

SESSIONS = "/v2/sessions"


def trigger_for(*room_ids: str, conn_id: str = "videosdk_default") -> VideoSDKEventTrigger:
    return VideoSDKEventTrigger(
        event_type="session-ended", room_ids=room_ids, poll_interval=0.05, videosdk_conn_id=conn_id
    )


def collect(
    trigger: VideoSDKEventTrigger,
    emulator: VideoSDKEmulator,
    count: int,
    after_first_poll: Callable[[], Any],
    timeout: float = 20.0,
) -> list[dict[str, Any]]:
    """Run the trigger; once it has polled, run ``after_first_poll``; return the first ``count`` payloads."""

    def act() -> None:
        deadline = time.monotonic() + timeout
        first_poll = len(trigger.room_ids)  # one request per room
        while len(emulator.requests_to("GET", SESSIONS)) < first_poll and time.monotonic() < deadline:
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


@pytest.fixture
def room(videosdk_connection: str, videosdk_emulator: VideoSDKEmulator) -> Callable[..., str]:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    def create(**body: Any) -> str:
        room_id: str = VideoSDKHook(videosdk_connection).create_room(**body)["roomId"]
        return room_id

    return create


def test_a_session_that_ends_fires_one_event_with_the_webhooks_data(
    videosdk_emulator: VideoSDKEmulator, room: Callable[..., str], webhook_sink: Any
) -> None:
    room_id = room(webhook={"endPoint": webhook_sink.url, "events": ["session-ended"]})

    def hold_a_session() -> None:
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for(room_id), videosdk_emulator, 1, hold_a_session)
    assert videosdk_emulator.webhooks.wait_idle()
    [(webhook_body, _)] = webhook_sink.received
    assert payload == json.loads(webhook_body)["data"]


def test_sessions_ended_before_the_watcher_started_are_not_events(
    videosdk_emulator: VideoSDKEmulator, room: Callable[..., str]
) -> None:
    room_id = room()
    videosdk_emulator.start_session(room_id)
    old = videosdk_emulator.end_session(room_id)

    def hold_another() -> None:
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for(room_id), videosdk_emulator, 1, hold_another)
    assert payload["sessionId"] != old["id"]


def test_each_new_session_of_each_room_fires_once(
    videosdk_emulator: VideoSDKEmulator, room: Callable[..., str]
) -> None:
    first, second = room(), room()

    def hold_sessions() -> None:
        for room_id in (first, second, first):
            videosdk_emulator.start_session(room_id)
            videosdk_emulator.end_session(room_id)

    payloads = collect(trigger_for(first, second), videosdk_emulator, 3, hold_sessions)
    assert sorted(p["roomId"] for p in payloads) == sorted([first, second, first])
    assert len({p["sessionId"] for p in payloads}) == 3


def test_polling_carries_on_through_server_errors(
    videosdk_emulator: VideoSDKEmulator, room: Callable[..., str], set_connection: Callable[..., str]
) -> None:
    conn_id = set_connection(
        "videosdk_no_retries",
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        host=videosdk_emulator.url,
        extra={"max_retries": 0},
    )
    room_id = room()

    def fail_then_end() -> None:
        videosdk_emulator.fail_next(503, times=2, path=SESSIONS)
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for(room_id, conn_id=conn_id), videosdk_emulator, 1, fail_then_end)
    assert payload["roomId"] == room_id
    assert [r.status for r in videosdk_emulator.requests_to("GET", SESSIONS)].count(503) == 2


def test_the_trigger_serializes_to_plain_json_that_rebuilds_it() -> None:
    classpath, kwargs = trigger_for("r-1", "r-2").serialize()
    assert classpath == "videosdk_provider.triggers.events.VideoSDKEventTrigger"
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert VideoSDKEventTrigger(**kwargs).serialize() == (classpath, kwargs)


def test_an_event_type_that_cannot_be_polled_is_refused() -> None:
    with pytest.raises(ValueError, match="'hls-playable' cannot be polled; pollable: session-ended"):
        VideoSDKEventTrigger(event_type="hls-playable", room_ids=["r"])


def test_the_watcher_attaches_to_the_events_asset() -> None:
    watcher = videosdk_event_watcher("session-ended", ["r-1"], poll_interval=30)
    asset = videosdk_event_asset("session-ended", watchers=[watcher])
    assert isinstance(watcher, AssetWatcher)
    assert asset.watchers == [watcher]
    assert watcher.trigger.serialize()[1]["room_ids"] == ["r-1"]
