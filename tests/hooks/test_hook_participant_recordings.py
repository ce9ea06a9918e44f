"""VideoSDKHook's participant, track and merged recording calls against the emulator."""

from __future__ import annotations

from collections.abc import Callable
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

WaitUntil = Callable[[Callable[[], bool]], bool]

TRACK_STOP = "/v2/recordings/participant/track/stop"


def test_participant_recording_starts_and_stops(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    room_id = joined_room["roomId"]
    assert hook.start_participant_recording(room_id, "ada") == "Recording started successfully"
    [sent] = videosdk_emulator.requests_to("POST", "/v2/recordings/participant/start")
    assert sent.body == {"roomId": room_id, "participantId": "ada", "fileFormat": "webm"}
    assert hook.stop_participant_recording(room_id, "ada")["stopped"] is True
    [recording] = hook.iter_participant_recordings(room_id=room_id, participant_id="ada")
    assert recording["status"] == "completed"
    assert requests.get(recording["files"][0]["fileUrl"], timeout=10).status_code == 200


def test_participant_stop_with_nothing_running_is_not_an_error(
    hook: VideoSDKHook, joined_room: dict[str, Any]
) -> None:
    result = hook.stop_participant_recording(joined_room["roomId"], "ada")
    assert result["stopped"] is False
    assert "not started" in result["message"]


def test_recording_someone_not_in_the_session_raises_the_api_message(
    hook: VideoSDKHook, joined_room: dict[str, Any]
) -> None:
    with pytest.raises(VideoSDKValidationError, match="zed"):
        hook.start_participant_recording(joined_room["roomId"], "zed")


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"file_format": "mp4"}, "fileFormat"),
        ({"webhook_url": "not a url"}, "webhookUrl"),
        ({"bucket_dir_path": ""}, "bucketDirPath"),
        ({"participant_id": ""}, "participantId"),
    ],
)
def test_bad_participant_arguments_are_refused_before_any_request(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
    arguments: dict[str, Any],
    path: str,
) -> None:
    arguments = {"participant_id": "ada"} | arguments
    with pytest.raises(InvalidRequestError, match=path):
        hook.start_participant_recording(joined_room["roomId"], **arguments)
    assert videosdk_emulator.requests_to("POST", "/v2/recordings/participant/start") == []


def test_track_recording_of_one_kind(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    room_id = joined_room["roomId"]
    hook.start_track_recording(room_id, "ada", "screen_video")
    assert hook.stop_track_recording(room_id, "ada", "screen_video")["stopped"] is True
    [sent] = videosdk_emulator.requests_to("POST", TRACK_STOP)
    assert sent.body == {"roomId": room_id, "participantId": "ada", "kind": "screen_video"}
    [track] = hook.iter_track_recordings(session_id=joined_room["session"]["id"])
    assert (track["kind"], track["status"]) == ("screen_video", "completed")
    assert hook.get_track_recording(track["id"])["id"] == track["id"]


def test_unknown_track_kind_is_refused_with_the_allowed_kinds(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    with pytest.raises(InvalidRequestError, match="'screen_audio', 'screen_video'") as caught:
        hook.stop_track_recording(joined_room["roomId"], "ada", "screen")
    assert caught.value.problems[0].startswith("kind:")
    assert videosdk_emulator.requests_to("POST", TRACK_STOP) == []


def test_track_stop_with_nothing_running_is_not_an_error(
    hook: VideoSDKHook, joined_room: dict[str, Any]
) -> None:
    assert hook.stop_track_recording(joined_room["roomId"], "ada", "audio")["stopped"] is False


def test_track_stop_is_never_repeated_after_a_server_error(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook.start_track_recording(joined_room["roomId"], "ada", "audio")
    videosdk_emulator.fail_next(502, path=TRACK_STOP)
    with pytest.raises(VideoSDKServerError, match="iter_track_recordings"):
        hook.stop_track_recording(joined_room["roomId"], "ada", "audio")
    assert len(videosdk_emulator.requests_to("POST", TRACK_STOP)) == 1


def test_participant_stop_is_never_repeated_after_a_lost_answer(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook.start_participant_recording(joined_room["roomId"], "ada")
    videosdk_emulator.drop_after_processing(path="/v2/recordings/participant/stop")
    with pytest.raises(VideoSDKConnectionError, match="may or may not have stopped"):
        hook.stop_participant_recording(joined_room["roomId"], "ada")
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/participant/stop")) == 1


def test_get_and_delete_participant_recording(hook: VideoSDKHook, joined_room: dict[str, Any]) -> None:
    hook.start_participant_recording(joined_room["roomId"], "ada")
    hook.stop_participant_recording(joined_room["roomId"], "ada")
    recording_id = next(hook.iter_participant_recordings(room_id=joined_room["roomId"]))["id"]
    assert hook.get_participant_recording(recording_id)["participantId"] == "ada"
    assert hook.delete_participant_recording(recording_id) == "Recording deleted successfully"
    with pytest.raises(VideoSDKNotFoundError):
        hook.get_participant_recording(recording_id)


def test_delete_track_recording(hook: VideoSDKHook, joined_room: dict[str, Any]) -> None:
    hook.start_track_recording(joined_room["roomId"], "ada", "audio")
    hook.stop_track_recording(joined_room["roomId"], "ada", "audio")
    track_id = next(hook.iter_track_recordings(room_id=joined_room["roomId"]))["id"]
    hook.delete_track_recording(track_id)
    assert list(hook.iter_track_recordings(room_id=joined_room["roomId"])) == []


def test_merge_of_two_recorded_participants_completes(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
    wait_until: WaitUntil,
) -> None:
    room_id = joined_room["roomId"]
    videosdk_emulator.join(room_id, "bob")
    hook.start_participant_recording(room_id, "ada")
    hook.start_participant_recording(room_id, "bob")
    session_id = videosdk_emulator.end_session(room_id)["id"]
    merge = hook.merge_participant_recordings(
        session_id,
        [{"participantId": "ada"}],
        [{"participantId": "bob"}],
        webhook_url="https://example.com/m",
    )
    assert merge["status"] == "processing"
    assert wait_until(lambda: hook.get_merged_recording(merge["id"])["status"] == "completed")
    [listed] = hook.iter_merged_recordings(session_id=session_id, status="completed")
    assert listed["file"]["fileUrl"]


@pytest.mark.parametrize(
    ("channel1", "channel2", "path"),
    [
        ([], None, "channel1"),
        ([{"participantId": ""}], None, r"channel1\[0\]\.participantId"),
        ([{"id": "ada"}], None, r"channel1\[0\]\.id"),
        ([{"participantId": "ada"}], "bob", "channel2"),
    ],
)
def test_bad_merge_channels_are_refused_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, channel1: Any, channel2: Any, path: str
) -> None:
    with pytest.raises(InvalidRequestError, match=path):
        hook.merge_participant_recordings("session-1", channel1, channel2)
    assert videosdk_emulator.requests == []


def test_merge_of_an_unrecorded_participant_raises_the_api_message(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    session_id = videosdk_emulator.end_session(joined_room["roomId"])["id"]
    with pytest.raises(VideoSDKValidationError, match="ada"):
        hook.merge_participant_recordings(session_id, [{"participantId": "ada"}])
