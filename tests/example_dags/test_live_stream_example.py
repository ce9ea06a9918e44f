"""The live stream example runs end to end against the emulator, with a simulated host."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook

DAG_ID = "example_videosdk_live_stream"
#: A run whose broadcast slot (60 minutes from here) is over by the time the stops' turn comes.
RUN_AFTER = datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.timezone.utc)
CUSTOM_ROOM_ID = "product-webinar-2026-11-26"
STREAM_KEY = "youtube-stream-key-4b7e1d90c2"
STARTS = ("/v2/hls/start", "/v2/livestreams/start", "/ai/v1/realtime-transcriptions/start")
STOPS = ("stop_hls", "stop_livestream", "stop_captions")


@pytest.fixture
def webinar(
    dag_bag: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    watch: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """Add the stream key's connection; make a host open the session once the sensor waits (the watcher)."""
    youtube_live = {"conn_type": "generic", "password": STREAM_KEY}
    monkeypatch.setenv("AIRFLOW_CONN_YOUTUBE_LIVE", json.dumps(youtube_live))
    monkeypatch.setattr(dag_bag[DAG_ID].get_task("wait_for_host"), "poke_interval", 0.1)
    return watch(
        # The host joins once the sensor has looked and found no session, so the wait always defers.
        lambda: any(request.path == "/v2/sessions" for request in videosdk_emulator.requests),
        lambda: videosdk_emulator.join(videosdk_emulator.rooms[0]["roomId"], "host", "Host"),
    )


def test_live_stream_starts_hls_livestream_and_captions_then_stops_them(
    run_dag: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, webinar: Any
) -> None:
    result = run_dag(DAG_ID, run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert webinar.fired.is_set()
    assert result.state == "success", result.task_states
    [room] = videosdk_emulator.rooms
    room_id = room["roomId"]
    assert room["customRoomId"] == CUSTOM_ROOM_ID
    # Each started once, in the session the host opened; the real key reached the API only.
    assert [len(videosdk_emulator.requests_to("POST", path)) for path in STARTS] == [1, 1, 1]
    [livestream_start] = videosdk_emulator.requests_to("POST", "/v2/livestreams/start")
    assert livestream_start.body["outputs"][0]["streamKey"] == STREAM_KEY
    hls = result.xcom("start_hls")
    assert hls["playbackHlsUrl"] in result.xcom("announce_player")
    # The key is in no XCom and no rendered field.
    assert result.xcom("start_livestream")["outputs"][0]["streamKey"] == "***"
    stored = json.dumps([result.xcom(task_id) for task_id in result.task_states], default=str)
    rendered = result.rendered_fields("start_livestream")
    assert rendered["outputs"][0]["streamKey"] == "***"
    stored += json.dumps(rendered, default=str)
    assert STREAM_KEY not in stored
    # Each stop stopped what this run started, and the session stays open for the Q&A.
    assert [result.xcom(task_id)["stopped"] for task_id in STOPS] == [True, True, True]
    [hls_stop] = videosdk_emulator.requests_to("POST", "/v2/hls/end")
    assert hls_stop.body == {"roomId": room_id, "id": hls["id"]}
    [livestream_stop] = videosdk_emulator.requests_to("POST", "/v2/livestreams/end")
    assert livestream_stop.body == {"roomId": room_id, "id": result.xcom("start_livestream")["id"]}
    hook = VideoSDKHook()
    assert hook.get_active_hls(room_id) is None
    assert hook.latest_sessions(room_id).ongoing is not None


def test_stops_after_the_host_ended_the_session_succeed_with_nothing_to_stop(
    run_dag: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    webinar: Any,
    watch: Callable[..., Any],
) -> None:
    # The broadcast slot ends a few seconds into the run; the host ends the session before that,
    # once everything has started, which stops HLS, the livestream and the captions.
    run_after = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=60, seconds=-5)

    def everything_started() -> bool:
        paths = [(request.method, request.path) for request in videosdk_emulator.requests]
        if not all(("POST", path) in paths for path in STARTS):
            return False
        # The livestream's start answers a text: the task reads the livestream back for its id.
        livestream_start = paths.index(("POST", "/v2/livestreams/start"))
        return ("GET", "/v2/livestreams") in paths[livestream_start:]

    host_ends_it = watch(
        everything_started, lambda: videosdk_emulator.end_session(videosdk_emulator.rooms[0]["roomId"])
    )

    result = run_dag(DAG_ID, run_after=run_after, logical_date=run_after)

    assert host_ends_it.fired.is_set()
    assert result.state == "success", result.task_states
    assert [result.xcom(task_id)["stopped"] for task_id in STOPS] == [False, False, False]
