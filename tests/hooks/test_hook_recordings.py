"""VideoSDKHook's room recording calls against the emulator: start, stop, list, get, delete."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKConnectionError,
    VideoSDKNotFoundError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook


def test_start_recording_sends_the_checked_body_and_returns_the_confirmation(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    answer = hook.start_recording(
        joined_room["roomId"],
        config={"layout": {"type": "GRID", "gridSize": 4}, "quality": "high"},
        transcription={"enabled": True, "summary": {"enabled": True}},
        webhook_url="https://example.com/hook",
    )
    assert answer == "Recording started successfully"
    [sent] = videosdk_emulator.requests_to("POST", "/v2/recordings/start")
    assert sent.body == {
        "roomId": joined_room["roomId"],
        "config": {"layout": {"type": "GRID", "gridSize": 4}, "quality": "high"},
        "transcription": {"enabled": True, "summary": {"enabled": True}},
        "webhookUrl": "https://example.com/hook",
    }


def test_a_started_recording_is_listed_as_recording(hook: VideoSDKHook, joined_room: dict[str, Any]) -> None:
    hook.start_recording(joined_room["roomId"])
    [recording] = hook.iter_recordings(room_id=joined_room["roomId"])
    assert recording["status"] == "recording"
    assert recording["sessionId"] == joined_room["session"]["id"]


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"config": {"layout": {"gridSize": 25}}}, "config.layout.gridSize"),
        ({"config": {"orientation": "diagonal"}}, "config.orientation"),
        ({"transcription": {"enabled": "yes"}}, "transcription.enabled"),
        ({"webhook_url": "mailto:ops@example.com"}, "webhookUrl"),
        ({"pre_signed_url": "s3://bucket/key"}, "preSignedUrl"),
        ({"aws_dir_path": ""}, "awsDirPath"),
    ],
)
def test_bad_start_arguments_are_refused_before_any_request(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
    arguments: dict[str, Any],
    path: str,
) -> None:
    with pytest.raises(InvalidRequestError, match=path.replace(".", r"\.")):
        hook.start_recording(joined_room["roomId"], **arguments)
    assert videosdk_emulator.requests_to("POST", "/v2/recordings/start") == []


def test_start_without_a_live_session_raises_the_api_message(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    room = hook.create_room()
    with pytest.raises(VideoSDKValidationError, match="No ongoing session"):
        hook.start_recording(room["roomId"])


def test_start_that_may_have_started_is_not_repeated(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    videosdk_emulator.drop_after_processing(path="/v2/recordings/start")
    with pytest.raises(VideoSDKConnectionError, match="iter_recordings"):
        hook.start_recording(joined_room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/start")) == 1


def test_stop_recording_reports_stopped(hook: VideoSDKHook, joined_room: dict[str, Any]) -> None:
    hook.start_recording(joined_room["roomId"])
    assert hook.stop_recording(joined_room["roomId"]) == {
        "stopped": True,
        "message": "Recording stopped successfully",
    }
    [recording] = hook.iter_recordings(room_id=joined_room["roomId"])
    assert recording["status"] == "completed"


def test_stop_recording_sends_the_recording_id_to_end(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook.start_recording(joined_room["roomId"])
    recording_id = next(hook.iter_recordings(room_id=joined_room["roomId"]))["id"]
    assert hook.stop_recording(joined_room["roomId"], recording_id=recording_id)["stopped"] is True
    [sent] = videosdk_emulator.requests_to("POST", "/v2/recordings/end")
    assert sent.body == {"roomId": joined_room["roomId"], "id": recording_id}


def test_stopping_when_nothing_records_is_not_an_error(
    hook: VideoSDKHook, joined_room: dict[str, Any]
) -> None:
    result = hook.stop_recording(joined_room["roomId"])
    assert result["stopped"] is False
    assert "not started" in result["message"]


def test_stop_is_never_repeated_after_a_server_error(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook.start_recording(joined_room["roomId"])
    videosdk_emulator.fail_next(503, path="/v2/recordings/end")
    with pytest.raises(VideoSDKServerError, match="may or may not have stopped"):
        hook.stop_recording(joined_room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/end")) == 1


def test_stop_is_never_repeated_after_a_lost_answer(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook.start_recording(joined_room["roomId"])
    videosdk_emulator.drop_after_processing(path="/v2/recordings/end")
    with pytest.raises(VideoSDKConnectionError, match="iter_recordings"):
        hook.stop_recording(joined_room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/end")) == 1


def test_a_stopped_recording_file_downloads_without_the_token(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    videosdk_emulator.recording_file_size = 2048
    hook.start_recording(joined_room["roomId"])
    hook.stop_recording(joined_room["roomId"])
    file = next(hook.iter_recordings(room_id=joined_room["roomId"]))["file"]
    assert file["size"] == 2048
    assert len(requests.get(file["fileUrl"], timeout=10).content) == 2048


def test_iter_recordings_is_a_lazy_generator_over_pages(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    room_id = joined_room["roomId"]
    for _ in range(3):
        hook.start_recording(room_id)
        hook.stop_recording(room_id)
    listing = hook.iter_recordings(room_id=room_id, per_page=1)
    assert inspect.isgenerator(listing)
    next(listing)
    assert len(videosdk_emulator.requests_to("GET", "/v2/recordings")) == 1
    assert len(list(listing)) == 2
    assert len(videosdk_emulator.requests_to("GET", "/v2/recordings")) == 3


def test_iter_recordings_filters_by_session(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    room_id = joined_room["roomId"]
    hook.start_recording(room_id)
    videosdk_emulator.end_session(room_id)
    second = videosdk_emulator.join(room_id, "bob")
    hook.start_recording(room_id)
    listed = list(hook.iter_recordings(room_id=room_id, session_id=second["id"]))
    assert [recording["sessionId"] for recording in listed] == [second["id"]]


def test_iter_recordings_needs_a_room_id(hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator) -> None:
    with pytest.raises(InvalidRequestError, match="room_id"):
        next(hook.iter_recordings(room_id=""))
    assert videosdk_emulator.requests == []


def test_get_then_delete_a_recording(hook: VideoSDKHook, joined_room: dict[str, Any]) -> None:
    hook.start_recording(joined_room["roomId"])
    hook.stop_recording(joined_room["roomId"])
    recording_id = next(hook.iter_recordings(room_id=joined_room["roomId"]))["id"]
    assert hook.get_recording(recording_id)["id"] == recording_id
    assert hook.delete_recording(recording_id) == "Recording deleted successfully"
    with pytest.raises(VideoSDKNotFoundError):
        hook.get_recording(recording_id)
    assert list(hook.iter_recordings(room_id=joined_room["roomId"])) == []


def test_get_recording_quotes_the_id_into_one_path_segment(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(VideoSDKNotFoundError):
        hook.get_recording("a/../b")
    assert videosdk_emulator.requests[-1].path == "/v2/recordings/a%2F..%2Fb"
