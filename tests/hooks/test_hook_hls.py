"""The hook's HLS endpoints against the emulator: start, stop, the active stream, lists, fetch, delete."""

from __future__ import annotations

from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKConnectionError,
    VideoSDKNotFoundError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

CONFIG: dict[str, Any] = {
    "layout": {"type": "GRID", "priority": "SPEAKER", "gridSize": 25},
    "theme": "DARK",
    "orientation": "portrait",
    "recording": {"enabled": True},
}


def test_start_hls_sends_the_checked_body_and_returns_the_stream(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hls = hook.start_hls(
        live_room,
        config=CONFIG,
        template_url="https://layouts.example.com/hls",
        transcription={"enabled": True, "summary": {"enabled": True, "prompt": "action items"}},
        summary={"enabled": True},
    )

    (request,) = videosdk_emulator.requests_to("POST", "/v2/hls/start")
    assert request.body == {
        "roomId": live_room,
        "config": CONFIG,
        "templateUrl": "https://layouts.example.com/hls",
        "transcription": {"enabled": True, "summary": {"enabled": True, "prompt": "action items"}},
        "summary": {"enabled": True},
    }
    assert hls["roomId"] == live_room
    assert hls["playbackHlsUrl"].endswith("/index.m3u8")
    assert hls["livestreamUrl"].endswith("/live.m3u8")
    assert hls["status"] == "playable"


def test_start_hls_refuses_a_grid_larger_than_25_before_any_request(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(
        InvalidRequestError, match=r"config\.layout\.gridSize: expected an integer from 1 to 25"
    ):
        hook.start_hls(live_room, config={"layout": {"gridSize": 26}})

    assert videosdk_emulator.requests_to("POST", "/v2/hls/start") == []


def test_start_hls_refuses_an_unknown_config_key_naming_the_closest_one(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match=r"config\.theem: unknown key.*did you mean 'theme'"):
        hook.start_hls(live_room, config={"theem": "DARK"})

    assert videosdk_emulator.requests_to("POST", "/v2/hls/start") == []


def test_start_hls_without_an_ongoing_session_fails_with_the_apis_message(
    hook: VideoSDKHook, room_id: str
) -> None:
    with pytest.raises(VideoSDKValidationError, match="No ongoing session") as caught:
        hook.start_hls(room_id)

    assert caught.value.status == 400


def test_start_hls_whose_answer_is_lost_is_not_repeated_and_says_how_to_check(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.drop_after_processing(path="/v2/hls/start")

    with pytest.raises(VideoSDKConnectionError, match=r"get_active_hls\(room_id\)"):
        hook.start_hls(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/v2/hls/start")) == 1
    active = hook.get_active_hls(live_room)
    assert active is not None
    assert active["status"] == "playable"


def test_get_active_hls_is_none_when_no_stream_runs(hook: VideoSDKHook, live_room: str) -> None:
    assert hook.get_active_hls(live_room) is None


def test_get_active_hls_returns_the_running_stream(hook: VideoSDKHook, live_room: str) -> None:
    started = hook.start_hls(live_room)

    assert hook.get_active_hls(live_room) == started


def test_get_active_hls_still_retries_a_server_error(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    started = hook.start_hls(live_room)
    videosdk_emulator.fail_next(503, path=f"/v2/hls/{live_room}/active")

    assert hook.get_active_hls(live_room) == started
    assert len(videosdk_emulator.requests_to("GET", f"/v2/hls/{live_room}/active")) == 2


def test_stop_hls_stops_the_running_stream(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_hls(live_room)

    result = hook.stop_hls(live_room)

    assert result == {"stopped": True, "message": "HLS stopped successfully"}
    (request,) = videosdk_emulator.requests_to("POST", "/v2/hls/end")
    assert request.body == {"roomId": live_room}
    assert hook.get_active_hls(live_room) is None


def test_stop_hls_names_the_stream_to_stop_when_given(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hls = hook.start_hls(live_room)

    assert hook.stop_hls(live_room, hls_id=hls["id"])["stopped"] is True
    (request,) = videosdk_emulator.requests_to("POST", "/v2/hls/end")
    assert request.body == {"roomId": live_room, "id": hls["id"]}


def test_stopping_when_nothing_runs_reports_nothing_stopped_without_raising(
    hook: VideoSDKHook, live_room: str
) -> None:
    result = hook.stop_hls(live_room)

    assert result["stopped"] is False
    assert "not started" in result["message"]


def test_stopping_another_stream_than_the_running_one_stops_nothing(
    hook: VideoSDKHook, live_room: str
) -> None:
    hook.start_hls(live_room)

    assert hook.stop_hls(live_room, hls_id="another-stream")["stopped"] is False
    assert hook.get_active_hls(live_room) is not None


def test_stop_hls_after_a_server_error_is_not_repeated_and_says_how_to_check(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_hls(live_room)
    videosdk_emulator.fail_next(503, path="/v2/hls/end")

    with pytest.raises(VideoSDKServerError, match=r"may or may not have stopped.*get_active_hls\(room_id\)"):
        hook.stop_hls(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/v2/hls/end")) == 1


def test_stop_hls_of_an_unknown_room_raises_not_found(hook: VideoSDKHook) -> None:
    with pytest.raises(VideoSDKNotFoundError):
        hook.stop_hls("no-such-room")


def test_stop_hls_refuses_an_empty_room_id_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match="room_id: expected a non-empty string"):
        hook.stop_hls("")

    assert videosdk_emulator.requests == []


def test_stop_hls_refuses_an_empty_hls_id_naming_the_argument(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match="hls_id: expected a non-empty string"):
        hook.stop_hls("abcd-efgh-ijkl", hls_id="")

    assert videosdk_emulator.requests == []


def test_iter_hls_lists_the_rooms_streams_newest_first_through_every_page(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    ids = []
    for _ in range(3):
        ids.append(hook.start_hls(live_room)["id"])
        hook.stop_hls(live_room)

    listed = [hls["id"] for hls in hook.iter_hls(room_id=live_room, per_page=1)]

    assert listed == ids[::-1]
    assert len(videosdk_emulator.requests_to("GET", "/v2/hls")) == 3


def test_iter_hls_filters_by_session(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = hook.start_hls(live_room)
    videosdk_emulator.end_session(live_room)
    videosdk_emulator.start_session(live_room)
    second = hook.start_hls(live_room)

    listed = list(hook.iter_hls(room_id=live_room, session_id=second["sessionId"]))

    assert [hls["id"] for hls in listed] == [second["id"]]
    assert first["sessionId"] != second["sessionId"]


def test_iter_hls_needs_a_room_id(hook: VideoSDKHook) -> None:
    with pytest.raises(InvalidRequestError, match="room_id"):
        list(hook.iter_hls(room_id=""))


def test_get_hls_fetches_a_stopped_stream_with_its_end(hook: VideoSDKHook, live_room: str) -> None:
    hls = hook.start_hls(live_room)
    hook.stop_hls(live_room)

    fetched = hook.get_hls(hls["id"])

    assert fetched["status"] == "stopped"
    assert fetched["end"] is not None


def test_delete_hls_removes_the_record_from_reads_and_lists(hook: VideoSDKHook, live_room: str) -> None:
    hls = hook.start_hls(live_room)
    hook.stop_hls(live_room)

    assert "deleted" in hook.delete_hls(hls["id"])

    with pytest.raises(VideoSDKNotFoundError):
        hook.get_hls(hls["id"])
    assert list(hook.iter_hls(room_id=live_room)) == []


def test_delete_hls_refuses_a_running_stream(hook: VideoSDKHook, live_room: str) -> None:
    hls = hook.start_hls(live_room)

    with pytest.raises(VideoSDKValidationError, match="stop it"):
        hook.delete_hls(hls["id"])
