"""VideoSDKRecordingsSensor in real DAG runs (poke and deferrable) and its trigger against the emulator."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider._compat import AirflowFailException, AirflowSensorTimeout
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.sensors.recordings import VideoSDKRecordingsSensor
from videosdk_provider.triggers.recordings import VideoSDKRecordingsTrigger

RunDag = Callable[..., Any]


def first_event(trigger: VideoSDKRecordingsTrigger) -> Any:
    async def run() -> Any:
        return await anext(trigger.run())

    return asyncio.run(run()).payload


def trigger_for(room_id: str, session_id: str, **overrides: Any) -> VideoSDKRecordingsTrigger:
    kwargs: dict[str, Any] = {
        "room_id": room_id,
        "session_id": session_id,
        "poll_interval": 0.05,
        "timeout_at": time.time() + 10,
    }
    return VideoSDKRecordingsTrigger(**(kwargs | overrides))


@pytest.fixture
def failed_sessions(hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator) -> dict[str, str]:
    """Hold two recorded sessions in one room: one whose recording failed, one whose transcription failed."""
    hook = hook_factory()
    room_id = hook.create_room()["roomId"]
    videosdk_emulator.join(room_id, "ada")
    videosdk_emulator.fail_next_recording()
    hook.start_recording(room_id)
    failed_recording = videosdk_emulator.end_session(room_id)["id"]
    videosdk_emulator.join(room_id, "ada")
    videosdk_emulator.fail_next_transcription()
    hook.start_recording(room_id, transcription={"enabled": True})
    failed_transcription = videosdk_emulator.end_session(room_id)["id"]
    return {
        "room_id": room_id,
        "failed_recording_session": failed_recording,
        "failed_transcription_session": failed_transcription,
    }


# Real DAG runs


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_recording_is_started_stopped_and_its_file_awaited(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any], mode: str
) -> None:
    conf = {"room_id": joined_room["roomId"], "session_id": joined_room["session"]["id"]}
    result = run_dag(f"recording_lifecycle_{mode}", run_conf=conf)
    assert result.task_states == dict.fromkeys(
        ("start", "stop", "stop_again", "wait_recordings", "wait_transcription"), "success"
    )
    waited = result.xcom("wait_recordings")
    assert (waited["roomId"], waited["sessionId"]) == (conf["room_id"], conf["session_id"])
    [recording] = waited["recordings"]
    assert recording["status"] == "completed"
    download = requests.get(recording["file"]["fileUrl"], timeout=10)
    assert len(download.content) == recording["file"]["size"] == videosdk_emulator.recording_file_size


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_a_failed_recording_fails_the_wait_at_once(
    run_dag: RunDag, failed_sessions: dict[str, str], mode: str
) -> None:
    started = time.monotonic()
    result = run_dag(f"media_sensor_failures_{mode}", run_conf=failed_sessions)
    assert result.task_states["wait_recordings"] == "failed"
    assert time.monotonic() - started < 25  # far below the sensors' 30 s timeout


def test_sensors_time_out_or_skip_with_soft_fail(run_dag: RunDag, joined_room: dict[str, Any]) -> None:
    conf = {"room_id": joined_room["roomId"], "session_id": joined_room["session"]["id"]}
    result = run_dag("media_sensor_timeouts", run_conf=conf)
    assert result.task_states == {
        "wait_recordings_poke": "failed",
        "wait_recordings_deferred": "failed",
        "wait_transcription_poke": "skipped",
        "wait_transcription_deferred": "skipped",
    }


# The sensor on its own


def test_room_and_session_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match="room_id: expected a non-empty string") as caught:
        VideoSDKRecordingsSensor(task_id="t", room_id="", session_id=" ")
    assert len(caught.value.problems) == 2


def test_templated_ids_are_left_for_execution_time() -> None:
    sensor = VideoSDKRecordingsSensor(task_id="t", room_id="{{ params.r }}", session_id="{{ params.s }}")
    assert sensor.room_id == "{{ params.r }}"


def test_resuming_with_a_failure_fails_without_retries() -> None:
    sensor = VideoSDKRecordingsSensor(task_id="t", room_id="r", session_id="s")
    with pytest.raises(AirflowFailException, match="recording x failed"):
        sensor.execute_complete({}, {"status": "failed", "message": "recording x failed"})  # type: ignore[arg-type]


def test_resuming_with_a_timeout_raises_sensor_timeout() -> None:
    sensor = VideoSDKRecordingsSensor(task_id="t", room_id="r", session_id="s")
    with pytest.raises(AirflowSensorTimeout, match="no recording"):
        sensor.execute_complete({}, {"status": "timeout", "message": "no recording"})  # type: ignore[arg-type]


# The trigger on its own


def test_trigger_serializes_to_plain_json_that_rebuilds_it() -> None:
    trigger = trigger_for("abcd-efgh-ijkl", "s-1", videosdk_conn_id="videosdk_other")
    classpath, kwargs = trigger.serialize()
    assert classpath == "videosdk_provider.triggers.recordings.VideoSDKRecordingsTrigger"
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert VideoSDKRecordingsTrigger(**kwargs).serialize() == (classpath, kwargs)


def test_trigger_fires_once_the_recording_has_its_file(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook = hook_factory()
    hook.start_recording(joined_room["roomId"])
    trigger = trigger_for(joined_room["roomId"], joined_room["session"]["id"])

    async def run() -> Any:
        waiting = asyncio.ensure_future(anext(trigger.run()))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await asyncio.to_thread(videosdk_emulator.end_session, joined_room["roomId"])
        return (await waiting).payload

    event = asyncio.run(run())
    assert event["status"] == "success"
    assert event["value"]["recordings"][0]["file"]["fileUrl"]
    assert json.loads(json.dumps(event)) == event


def test_trigger_times_out_naming_what_it_waited_for(joined_room: dict[str, Any]) -> None:
    session_id = joined_room["session"]["id"]
    event = first_event(trigger_for(joined_room["roomId"], session_id, timeout_at=time.time() + 0.2))
    assert event["status"] == "timeout"
    assert event["message"].startswith(f"no recording of session {session_id} yet after waiting")


def test_trigger_keeps_polling_through_server_errors(
    videosdk_emulator: VideoSDKEmulator,
    hook_factory: Callable[..., Any],
    joined_room: dict[str, Any],
    set_connection: Callable[..., str],
) -> None:
    hook = hook_factory()
    hook.start_recording(joined_room["roomId"])
    hook.stop_recording(joined_room["roomId"])
    set_connection(
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        host=videosdk_emulator.url,
        extra={"max_retries": 0},  # the hook gives up at once: the trigger's own polling carries on
    )
    videosdk_emulator.fail_next(503, times=2, path="/v2/recordings")
    event = first_event(trigger_for(joined_room["roomId"], joined_room["session"]["id"]))
    assert event["status"] == "success"
    assert [r.status for r in videosdk_emulator.requests_to("GET", "/v2/recordings")] == [503, 503, 200]


def test_trigger_ends_with_the_api_error_that_will_not_heal(
    videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    videosdk_emulator.fail_next(401, message="Invalid token", path="/v2/recordings")
    event = first_event(trigger_for(joined_room["roomId"], joined_room["session"]["id"]))
    assert event["status"] == "error"
    assert "Invalid token" in event["message"]


def test_trigger_reports_a_missing_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_VIDEOSDK_DEFAULT", raising=False)
    event = first_event(trigger_for("abcd-efgh-ijkl", "s", videosdk_conn_id="videosdk_missing"))
    assert event["status"] == "error"
    assert "videosdk_missing" in event["message"]
