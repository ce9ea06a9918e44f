"""The realtime transcription operators: parse-time checks, one transcription per retry, safe stops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKServerError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.operators.realtime_transcriptions import (
    StartRealtimeTranscriptionOperator,
    StopRealtimeTranscriptionOperator,
)

RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}
START_PATH = "/ai/v1/realtime-transcriptions/start"


@pytest.fixture
def live_room(videosdk_connection: str, videosdk_emulator: VideoSDKEmulator) -> str:
    """Create a room with an ongoing session through the hook; return its roomId."""
    room_id = VideoSDKHook().create_room()["roomId"]
    videosdk_emulator.start_session(room_id)
    return room_id


def test_a_bad_webhook_url_fails_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match="webhookUrl: expected an http:// or https:// URL"):
        StartRealtimeTranscriptionOperator(task_id="t", room_id="abcd-efgh-ijkl", webhook_url="captions")


def test_stop_checks_its_room_id_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match="room_id: expected a non-empty string"):
        StopRealtimeTranscriptionOperator(task_id="t", room_id=" ")


def test_start_returns_the_running_transcription(live_room: str) -> None:
    transcription = StartRealtimeTranscriptionOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert (transcription["roomId"], transcription["status"]) == (live_room, "running")


def test_a_retry_after_a_server_error_finds_the_transcription_instead_of_starting_twice(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = StartRealtimeTranscriptionOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)
    videosdk_emulator.fail_next(500, path=START_PATH)

    again = StartRealtimeTranscriptionOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert again == first
    assert len(videosdk_emulator.requests_to("POST", START_PATH)) == 1


def test_a_start_that_meets_a_server_error_fails_without_repeating(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(500, path=START_PATH)

    with pytest.raises(VideoSDKServerError):
        StartRealtimeTranscriptionOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert len(videosdk_emulator.requests_to("POST", START_PATH)) == 1


def test_realtime_transcription_operators_in_a_dag_run(
    run_dag: RunDag, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("media_realtime_transcription", run_conf={"room_id": live_room})

    assert result.task_states == {"start_transcription": "success", "stop_transcription": "success"}
    (start,) = videosdk_emulator.requests_to("POST", START_PATH)
    assert start.body == {
        "roomId": live_room,
        "webhookUrl": f"https://hooks.example.com/captions/{live_room}",
    }
    assert result.xcom("start_transcription")["webhookUrl"] == start.body["webhookUrl"]
    assert result.xcom("stop_transcription")["stopped"] is True
