"""The polling watcher: new items become events with the webhook's data shape; old ones do not."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from airflow.sdk import AssetWatcher
from watcher_kit import Collect, trigger_for

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.triggers.events import VideoSDKEventTrigger, videosdk_event_watcher
from videosdk_provider.webhooks import videosdk_event_asset

SESSIONS = "/v2/sessions"


def test_a_session_that_ends_fires_one_event_with_the_webhooks_data(
    collect: Collect, videosdk_emulator: VideoSDKEmulator, make_room: Callable[..., str], webhook_sink: Any
) -> None:
    room_id = make_room(webhook={"endPoint": webhook_sink.url, "events": ["session-ended"]})

    def hold_a_session() -> None:
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for("session-ended", room_id), 1, hold_a_session)
    assert videosdk_emulator.webhooks.wait_idle()
    [(webhook_body, _)] = webhook_sink.received
    assert payload == json.loads(webhook_body)["data"]


def test_sessions_ended_before_the_watcher_started_are_not_events(
    collect: Collect, videosdk_emulator: VideoSDKEmulator, make_room: Callable[..., str]
) -> None:
    room_id = make_room()
    videosdk_emulator.start_session(room_id)
    old = videosdk_emulator.end_session(room_id)

    def hold_another() -> None:
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for("session-ended", room_id), 1, hold_another)
    assert payload["sessionId"] != old["id"]


def test_each_new_session_of_each_room_fires_once(
    collect: Collect, videosdk_emulator: VideoSDKEmulator, make_room: Callable[..., str]
) -> None:
    first, second = make_room(), make_room()

    def hold_sessions() -> None:
        for room_id in (first, second, first):
            videosdk_emulator.start_session(room_id)
            videosdk_emulator.end_session(room_id)

    payloads = collect(trigger_for("session-ended", first, second), 3, hold_sessions)
    assert sorted(p["roomId"] for p in payloads) == sorted([first, second, first])
    assert len({p["sessionId"] for p in payloads}) == 3


def test_polling_carries_on_through_server_errors(
    collect: Collect,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    no_retries_connection: str,
) -> None:
    conn_id = no_retries_connection
    room_id = make_room()

    def fail_then_end() -> None:
        videosdk_emulator.fail_next(503, times=2, path=SESSIONS)
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    [payload] = collect(trigger_for("session-ended", room_id, conn_id=conn_id), 1, fail_then_end)
    assert payload["roomId"] == room_id
    assert [r.status for r in videosdk_emulator.requests_to("GET", SESSIONS)].count(503) == 2


def test_the_trigger_serializes_to_plain_json_that_rebuilds_it() -> None:
    classpath, kwargs = trigger_for("session-ended", "r-1", "r-2").serialize()
    assert classpath == "videosdk_provider.triggers.events.VideoSDKEventTrigger"
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert VideoSDKEventTrigger(**kwargs).serialize() == (classpath, kwargs)


def test_an_event_type_that_cannot_be_polled_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match="'hls-playable' cannot be polled; pollable: recording-stopped, session-ended, transcription-",
    ):
        VideoSDKEventTrigger(event_type="hls-playable", room_ids=["r"])


def test_the_watcher_attaches_to_the_events_asset() -> None:
    watcher = videosdk_event_watcher("session-ended", ["r-1"], poll_interval=30)
    asset = videosdk_event_asset("session-ended", watchers=[watcher])
    assert isinstance(watcher, AssetWatcher)
    assert asset.watchers == [watcher]
    assert watcher.trigger.serialize()[1]["room_ids"] == ["r-1"]


def test_a_connection_defined_after_the_watcher_started_is_used_from_then_on(
    collect: Collect,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    set_connection: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    room_id = make_room()
    define_later = threading.Timer(
        0.5,
        set_connection,
        ["videosdk_later"],
        {
            "login": videosdk_emulator.api_key,
            "password": videosdk_emulator.secret,
            "host": videosdk_emulator.url,
        },
    )

    def hold_a_session() -> None:
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)

    define_later.start()
    try:
        [payload] = collect(
            trigger_for("session-ended", room_id, conn_id="videosdk_later"), 1, hold_a_session
        )
    finally:
        define_later.join()
    assert payload["roomId"] == room_id
    assert "VideoSDK connection 'videosdk_later' cannot be used" in capsys.readouterr().out
