"""The hook's realtime transcription endpoints against the emulator."""

from __future__ import annotations

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKConnectionError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

WEBHOOK_URL = "https://hooks.example.com/captions"


def test_start_realtime_transcription_returns_the_running_transcription(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    transcription = hook.start_realtime_transcription(live_room, webhook_url=WEBHOOK_URL)

    (request,) = videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/start")
    assert request.body == {"roomId": live_room, "webhookUrl": WEBHOOK_URL}
    assert transcription["status"] == "running"
    assert transcription["webhookUrl"] == WEBHOOK_URL
    assert transcription["roomId"] == live_room


def test_start_realtime_transcription_refuses_a_bad_webhook_url_before_any_request(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match="webhookUrl: expected an http:// or https:// URL"):
        hook.start_realtime_transcription(live_room, webhook_url="hooks.example.com/captions")

    assert videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/start") == []


def test_start_realtime_transcription_without_an_ongoing_session_fails(
    hook: VideoSDKHook, room_id: str
) -> None:
    with pytest.raises(VideoSDKValidationError, match="No ongoing session"):
        hook.start_realtime_transcription(room_id)


def test_start_realtime_transcription_after_a_server_error_is_not_repeated(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(500, path="/ai/v1/realtime-transcriptions/start")

    with pytest.raises(VideoSDKServerError, match=r"get_active_realtime_transcription\(room_id\)"):
        hook.start_realtime_transcription(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/start")) == 1


def test_stop_realtime_transcription_stops_it(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    transcription = hook.start_realtime_transcription(live_room)

    result = hook.stop_realtime_transcription(live_room)

    assert result["stopped"] is True
    (request,) = videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/end")
    assert request.body == {"roomId": live_room}
    assert hook.get_realtime_transcription(transcription["id"])["status"] == "stopped"
    assert hook.get_active_realtime_transcription(live_room) is None


def test_stop_realtime_transcription_when_none_runs_reports_nothing_stopped(
    hook: VideoSDKHook, live_room: str
) -> None:
    result = hook.stop_realtime_transcription(live_room)

    assert result["stopped"] is False
    assert "not started" in result["message"]


def test_stop_realtime_transcription_is_never_repeated_after_a_server_error(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_realtime_transcription(live_room)
    videosdk_emulator.fail_next(503, path="/ai/v1/realtime-transcriptions/end")

    with pytest.raises(
        VideoSDKServerError,
        match=r"may or may not have stopped.*get_active_realtime_transcription\(room_id\)",
    ):
        hook.stop_realtime_transcription(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/end")) == 1


def test_stop_realtime_transcription_is_never_repeated_after_a_lost_answer(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_realtime_transcription(live_room)
    videosdk_emulator.drop_after_processing(path="/ai/v1/realtime-transcriptions/end")

    with pytest.raises(VideoSDKConnectionError, match="may or may not have stopped"):
        hook.stop_realtime_transcription(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/ai/v1/realtime-transcriptions/end")) == 1
    assert hook.get_active_realtime_transcription(live_room) is None  # the lost stop took effect


def test_get_active_realtime_transcription_finds_the_running_one(hook: VideoSDKHook, live_room: str) -> None:
    started = hook.start_realtime_transcription(live_room)

    assert hook.get_active_realtime_transcription(live_room) == started


def test_iter_realtime_transcriptions_lists_every_room_or_one_room(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    other_room = hook.create_room()["roomId"]
    videosdk_emulator.start_session(other_room)
    mine = hook.start_realtime_transcription(live_room)
    theirs = hook.start_realtime_transcription(other_room)

    everything = [item["id"] for item in hook.iter_realtime_transcriptions(per_page=1)]
    only_mine = [item["id"] for item in hook.iter_realtime_transcriptions(room_id=live_room)]

    assert everything == [theirs["id"], mine["id"]]
    assert only_mine == [mine["id"]]


def test_iter_realtime_transcriptions_filters_by_session(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = hook.start_realtime_transcription(live_room)
    videosdk_emulator.end_session(live_room)
    videosdk_emulator.start_session(live_room)
    hook.start_realtime_transcription(live_room)

    listed = list(hook.iter_realtime_transcriptions(session_id=first["sessionId"]))

    assert [item["id"] for item in listed] == [first["id"]]
    assert listed[0]["status"] == "stopped"
