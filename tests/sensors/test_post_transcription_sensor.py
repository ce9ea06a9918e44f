"""VideoSDKPostTranscriptionSensor in real DAG runs and its trigger, against the emulator."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider._compat import AirflowSkipException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.sensors.post_transcriptions import VideoSDKPostTranscriptionSensor
from videosdk_provider.triggers.post_transcriptions import VideoSDKPostTranscriptionTrigger

RunDag = Callable[..., Any]


def first_event(trigger: VideoSDKPostTranscriptionTrigger) -> Any:
    async def run() -> Any:
        return await anext(trigger.run())

    return asyncio.run(run()).payload


def trigger_for(session_id: str, **overrides: Any) -> VideoSDKPostTranscriptionTrigger:
    kwargs: dict[str, Any] = {"session_id": session_id, "poll_interval": 0.05, "timeout_at": time.time() + 10}
    return VideoSDKPostTranscriptionTrigger(**(kwargs | overrides))


@pytest.fixture
def record(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> Callable[[dict[str, Any]], str]:
    """Record the live room's session with this ``transcription`` and end it; return the session id."""

    def run(transcription: dict[str, Any]) -> str:
        hook_factory().start_recording(joined_room["roomId"], transcription=transcription)
        return str(videosdk_emulator.end_session(joined_room["roomId"])["id"])

    return run


# Real DAG runs


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_the_wait_returns_the_transcript_and_the_summary_with_its_prompt(
    run_dag: RunDag, joined_room: dict[str, Any], mode: str
) -> None:
    conf = {
        "room_id": joined_room["roomId"],
        "session_id": joined_room["session"]["id"],
        "prompt": "Who spoke?",
    }
    result = run_dag(f"recording_lifecycle_{mode}", run_conf=conf)
    assert result.task_states["wait_transcription"] == "success"
    done = result.xcom("wait_transcription")
    assert done["status"] == "completed"
    assert "Ada: Hello" in requests.get(done["transcriptionFilePaths"]["txt"], timeout=10).text
    assert "Prompt: Who spoke?" in requests.get(done["summarizedFilePaths"]["txt"], timeout=10).text


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_a_failed_transcription_fails_the_wait(
    run_dag: RunDag, hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, mode: str
) -> None:
    hook = hook_factory()
    room_id = hook.create_room()["roomId"]
    videosdk_emulator.join(room_id, "ada")
    videosdk_emulator.fail_next_transcription()
    hook.start_recording(room_id, transcription={"enabled": True})
    session_id = videosdk_emulator.end_session(room_id)["id"]
    conf = {
        "room_id": room_id,
        "failed_recording_session": session_id,
        "failed_transcription_session": session_id,
    }
    result = run_dag(f"media_sensor_failures_{mode}", run_conf=conf)
    assert result.task_states == {"wait_recordings": "success", "wait_transcription": "failed"}


def test_a_wait_that_times_out_fails_the_task_rather_than_skipping_it(
    run_dag: RunDag, record: Callable[[dict[str, Any]], str], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.transcription_delay = 60
    session_id = record({"enabled": True})

    result = run_dag("post_transcription_timeout", run_conf={"session_id": session_id})

    assert result.task_states == {
        "wait_transcription_poke": "failed",
        "wait_transcription_deferred": "failed",
    }
    polls = videosdk_emulator.requests_to("GET", "/ai/v1/post-transcriptions")
    assert len(polls) > 2  # each mode polled the transcription in progress until the timeout
    assert all(poll.status == 200 for poll in polls)


# The sensor on its own


def test_session_and_require_summary_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        VideoSDKPostTranscriptionSensor(task_id="t", session_id="", require_summary="yes")  # type: ignore[arg-type]
    assert [problem.split(":")[0] for problem in caught.value.problems] == ["session_id", "require_summary"]


def test_a_completed_transcription_without_summary_fails_when_one_is_required(
    record: Callable[[dict[str, Any]], str], hook_factory: Callable[..., Any], videosdk_connection: str
) -> None:
    session_id = record({"enabled": True})
    hook = hook_factory()
    deadline = time.monotonic() + 5
    while next(hook.iter_post_transcriptions(session_id=session_id))["status"] != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    sensor = VideoSDKPostTranscriptionSensor(
        task_id="t", session_id=session_id, require_summary=True, soft_fail=True
    )
    with pytest.raises(AirflowSkipException, match="without a summary: start the recording with"):
        sensor.poke({})  # type: ignore[arg-type]


# The trigger on its own


def test_trigger_serializes_to_plain_json_that_rebuilds_it() -> None:
    trigger = trigger_for("s-1", require_summary=True)
    classpath, kwargs = trigger.serialize()
    assert classpath == "videosdk_provider.triggers.post_transcriptions.VideoSDKPostTranscriptionTrigger"
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert VideoSDKPostTranscriptionTrigger(**kwargs).serialize() == (classpath, kwargs)


def test_trigger_fires_with_the_completed_transcription(
    record: Callable[[dict[str, Any]], str], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.transcription_delay = 0.5
    session_id = record({"enabled": True, "summary": {"enabled": True}})
    event = first_event(trigger_for(session_id, require_summary=True))
    assert event["status"] == "success"
    assert event["value"]["status"] == "completed"
    assert set(event["value"]["summarizedFilePaths"]) == {"txt"}
    assert len(videosdk_emulator.requests_to("GET", "/ai/v1/post-transcriptions")) > 1


def test_trigger_reports_a_failed_transcription(
    record: Callable[[dict[str, Any]], str], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next_transcription()
    session_id = record({"enabled": True})
    event = first_event(trigger_for(session_id))
    assert event["status"] == "failed"
    assert event["message"].endswith(f"of session {session_id} failed")


def test_trigger_times_out_while_the_transcription_is_in_progress(
    record: Callable[[dict[str, Any]], str], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.transcription_delay = 60
    session_id = record({"enabled": True})
    event = first_event(trigger_for(session_id, timeout_at=time.time() + 0.2))
    assert event["status"] == "timeout"
    assert "is in-progress after waiting" in event["message"]
