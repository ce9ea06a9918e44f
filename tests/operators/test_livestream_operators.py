"""The livestream operators: parse-time checks that never show a key, one livestream per retry, safe stops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKConnectionError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.operators.livestreams import StartLivestreamOperator, StopLivestreamOperator

RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}
STREAM_KEY = "operator-stream-key-7c3e9a1f"
OUTPUTS = [{"url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": STREAM_KEY}]


@pytest.fixture
def live_room(videosdk_connection: str, videosdk_emulator: VideoSDKEmulator) -> str:
    """Create a room with an ongoing session through the hook; return its roomId."""
    room_id = VideoSDKHook().create_room()["roomId"]
    videosdk_emulator.start_session(room_id)
    return room_id


@pytest.mark.parametrize(
    ("outputs", "problem"),
    [
        ([], "outputs: expected a non-empty list"),
        (
            [{"url": "http://a.example.com/live", "streamKey": STREAM_KEY}],
            r"outputs\[0\]\.url: expected an rtmp",
        ),
        (
            [{"url": "rtmp://a.example.com/live", "streamkey": STREAM_KEY}],
            r"outputs\[0\]\.streamkey: unknown key",
        ),
    ],
)
def test_bad_outputs_fail_when_the_dag_is_parsed_without_showing_the_key(outputs: Any, problem: str) -> None:
    with pytest.raises(InvalidRequestError, match=problem) as caught:
        StartLivestreamOperator(task_id="t", room_id="abcd-efgh-ijkl", outputs=outputs)

    assert STREAM_KEY not in str(caught.value)


def test_a_templated_stream_key_is_left_for_execution_time() -> None:
    operator = StartLivestreamOperator(
        task_id="t",
        room_id="abcd-efgh-ijkl",
        outputs=[{"url": "rtmp://a.example.com/live", "streamKey": "{{ var.value.key }}"}],
    )

    assert operator.outputs[0]["streamKey"] == "{{ var.value.key }}"


def test_start_livestream_returns_the_livestream_with_its_keys_hidden(live_room: str) -> None:
    livestream = StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)

    assert livestream["roomId"] == live_room
    assert livestream["status"] == "started"
    assert livestream["outputs"] == [{"url": OUTPUTS[0]["url"], "streamKey": "***"}]
    assert STREAM_KEY not in repr(livestream)


def test_a_retry_after_a_lost_start_answer_finds_the_livestream_instead_of_starting_twice(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.drop_after_processing(path="/v2/livestreams/start")
    with pytest.raises(VideoSDKConnectionError):
        StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)

    retried = StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)

    assert retried["status"] == "started"
    assert len(videosdk_emulator.requests_to("POST", "/v2/livestreams/start")) == 1


def test_a_livestream_of_an_earlier_session_does_not_count_as_running(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)
    videosdk_emulator.end_session(live_room)
    videosdk_emulator.start_session(live_room)

    second = StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)

    assert second["id"] != first["id"]
    assert len(videosdk_emulator.requests_to("POST", "/v2/livestreams/start")) == 2


def test_stop_livestream_stops_it_and_a_second_stop_finds_nothing(live_room: str) -> None:
    started = StartLivestreamOperator(task_id="t", room_id=live_room, outputs=OUTPUTS).execute(NO_CONTEXT)
    stop = StopLivestreamOperator(task_id="t", room_id=live_room, livestream_id=started["id"])

    assert stop.execute(NO_CONTEXT)["stopped"] is True
    assert stop.execute(NO_CONTEXT)["stopped"] is False


def test_livestream_operators_in_a_dag_run(
    run_dag: RunDag, live_room: str, videosdk_emulator: VideoSDKEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW_VAR_VIDEOSDK_TEST_STREAM_KEY", STREAM_KEY)

    result = run_dag("media_livestream", run_conf={"room_id": live_room})

    assert result.task_states == {"start_livestream": "success", "stop_livestream": "success"}
    (start,) = videosdk_emulator.requests_to("POST", "/v2/livestreams/start")
    assert start.body["outputs"] == OUTPUTS
    (stop,) = videosdk_emulator.requests_to("POST", "/v2/livestreams/end")
    assert stop.body == {"roomId": live_room, "id": result.xcom("start_livestream")["id"]}
