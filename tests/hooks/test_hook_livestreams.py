"""The hook's livestream endpoints against the emulator, and how they keep stream keys secret."""

from __future__ import annotations

from typing import Any

import pytest
from airflow.sdk.log import redact

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKConnectionError, VideoSDKValidationError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.models.livestreams import without_stream_keys

STREAM_KEY = "live-key-5b1f0c9e7d3a"
OUTPUTS = [
    {"url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": STREAM_KEY},
    {"url": "rtmps://live-api-s.facebook.com:443/rtmp", "streamKey": "fb-key-8e2a4c6b0d1f"},
]


def test_start_livestream_sends_the_outputs_and_returns_the_apis_answer(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    answer = hook.start_livestream(
        live_room, OUTPUTS, config={"layout": {"type": "SPOTLIGHT"}, "theme": "LIGHT"}, template_url=None
    )

    assert answer == "Livestream started successfully"
    (request,) = videosdk_emulator.requests_to("POST", "/v2/livestreams/start")
    assert request.body == {
        "roomId": live_room,
        "outputs": OUTPUTS,
        "config": {"layout": {"type": "SPOTLIGHT"}, "theme": "LIGHT"},
    }


def test_start_livestream_masks_every_stream_key_in_logs(hook: VideoSDKHook, live_room: str) -> None:
    hook.start_livestream(live_room, OUTPUTS)

    shown = redact(f"keys {STREAM_KEY} and fb-key-8e2a4c6b0d1f")

    assert STREAM_KEY not in shown
    assert "fb-key-8e2a4c6b0d1f" not in shown


def test_get_active_livestream_finds_the_running_one(hook: VideoSDKHook, live_room: str) -> None:
    hook.start_livestream(live_room, OUTPUTS)

    active = hook.get_active_livestream(live_room)

    assert active is not None
    assert active["status"] == "started"
    assert active["outputs"] == OUTPUTS


def test_get_active_livestream_is_none_once_the_session_ended(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_livestream(live_room, OUTPUTS)

    videosdk_emulator.end_session(live_room)

    assert hook.get_active_livestream(live_room) is None
    (stopped,) = hook.iter_livestreams(room_id=live_room)
    assert stopped["status"] == "stopped"


@pytest.mark.parametrize(
    ("outputs", "problem"),
    [
        ([], "outputs: expected a non-empty list of {'url', 'streamKey'} objects, got an empty list"),
        ({"url": "rtmp://x/y", "streamKey": STREAM_KEY}, "outputs: expected a non-empty list"),
        ([f"rtmp://x/live/{STREAM_KEY}"], "outputs[0]: expected an object with keys 'url', 'streamKey'"),
        ([{"url": "rtmp://x/live"}], "outputs[0].streamKey: is required"),
        (
            [{"url": "https://x/live", "streamKey": STREAM_KEY}],
            "outputs[0].url: expected an rtmp:// or rtmps://",
        ),
        ([{"url": "rtmp://x/live", "streamKey": " "}], "outputs[0].streamKey: expected a non-empty string"),
        ([{"url": "rtmp://x/live", "streamKey": STREAM_KEY, "key": 1}], "outputs[0].key: unknown key"),
    ],
)
def test_bad_outputs_are_refused_before_any_request_without_showing_a_stream_key(
    hook: VideoSDKHook,
    live_room: str,
    videosdk_emulator: VideoSDKEmulator,
    outputs: Any,
    problem: str,
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        hook.start_livestream(live_room, outputs)

    assert problem in str(caught.value)
    assert STREAM_KEY not in str(caught.value)
    assert STREAM_KEY not in repr(caught.value)
    assert videosdk_emulator.requests_to("POST", "/v2/livestreams/start") == []


def test_a_livestream_config_takes_only_layout_and_theme(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match=r"config\.quality: unknown key"):
        hook.start_livestream(live_room, OUTPUTS, config={"quality": "high"})

    assert videosdk_emulator.requests_to("POST", "/v2/livestreams/start") == []


def test_start_livestream_without_an_ongoing_session_fails(hook: VideoSDKHook, room_id: str) -> None:
    with pytest.raises(VideoSDKValidationError, match="No ongoing session"):
        hook.start_livestream(room_id, OUTPUTS)


def test_start_livestream_whose_answer_is_lost_is_not_repeated(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.drop_after_processing(path="/v2/livestreams/start")

    with pytest.raises(VideoSDKConnectionError, match=r"get_active_livestream\(room_id\)") as caught:
        hook.start_livestream(live_room, OUTPUTS)

    assert STREAM_KEY not in str(caught.value)
    assert len(videosdk_emulator.requests_to("POST", "/v2/livestreams/start")) == 1
    assert hook.get_active_livestream(live_room) is not None


def test_stop_livestream_stops_the_running_one(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_livestream(live_room, OUTPUTS)
    livestream = hook.get_active_livestream(live_room)
    assert livestream is not None

    result = hook.stop_livestream(live_room, livestream_id=livestream["id"])

    assert result == {"stopped": True, "message": "Livestream stopped successfully"}
    (request,) = videosdk_emulator.requests_to("POST", "/v2/livestreams/end")
    assert request.body == {"roomId": live_room, "id": livestream["id"]}
    assert hook.get_active_livestream(live_room) is None


def test_stop_livestream_when_none_runs_reports_nothing_stopped(hook: VideoSDKHook, live_room: str) -> None:
    result = hook.stop_livestream(live_room)

    assert result["stopped"] is False
    assert "not started" in result["message"]


def test_stop_livestream_after_a_lost_answer_is_not_repeated(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_livestream(live_room, OUTPUTS)
    videosdk_emulator.drop_after_processing(path="/v2/livestreams/end")

    with pytest.raises(VideoSDKConnectionError, match="may or may not have stopped"):
        hook.stop_livestream(live_room)

    assert len(videosdk_emulator.requests_to("POST", "/v2/livestreams/end")) == 1


def test_iter_livestreams_filters_by_session_and_get_livestream_fetches_one(
    hook: VideoSDKHook, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.start_livestream(live_room, OUTPUTS)
    videosdk_emulator.end_session(live_room)
    session_id = videosdk_emulator.start_session(live_room)["id"]
    hook.start_livestream(live_room, OUTPUTS[:1])

    (current,) = hook.iter_livestreams(room_id=live_room, session_id=session_id)

    assert current["sessionId"] == session_id
    assert hook.get_livestream(current["id"]) == current
    assert len(list(hook.iter_livestreams(room_id=live_room, per_page=1))) == 2


def test_without_stream_keys_hides_every_key_and_keeps_the_rest(hook: VideoSDKHook, live_room: str) -> None:
    hook.start_livestream(live_room, OUTPUTS)
    livestream = hook.get_active_livestream(live_room)
    assert livestream is not None

    shown = without_stream_keys(livestream)

    assert shown["outputs"] == [{"url": output["url"], "streamKey": "***"} for output in OUTPUTS]
    assert {key: value for key, value in shown.items() if key != "outputs"} == {
        key: value for key, value in livestream.items() if key != "outputs"
    }
    assert livestream["outputs"] == OUTPUTS
