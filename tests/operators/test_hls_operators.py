"""The HLS operators: parse-time checks, one stream however often the task runs, stops safe to retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider._compat import AirflowFailException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKConnectionError, VideoSDKValidationError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.operators.hls import StartHlsOperator, StopHlsOperator

RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}


@pytest.fixture
def live_room(videosdk_connection: str, videosdk_emulator: VideoSDKEmulator) -> str:
    """Create a room with an ongoing session through the hook; return its roomId."""
    room_id = VideoSDKHook().create_room()["roomId"]
    videosdk_emulator.start_session(room_id)
    return room_id


def test_start_hls_template_fields() -> None:
    assert set(StartHlsOperator.template_fields) == {
        "room_id",
        "config",
        "template_url",
        "transcription",
        "summary",
        "videosdk_conn_id",
    }


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"room_id": ""}, "roomId: expected a non-empty string"),
        (
            {"config": {"layout": {"gridSize": 26}}},
            r"config\.layout\.gridSize: expected an integer from 1 to 25",
        ),
        ({"template_url": "layouts.example.com"}, "templateUrl: expected an http:// or https:// URL"),
        ({"summary": {"enabled": "yes"}}, r"summary\.enabled: expected true or false"),
        (
            {"transcription": {"enabeld": True}},
            r"transcription\.enabeld: unknown key.*did you mean 'enabled'",
        ),
    ],
)
def test_start_hls_literals_are_checked_when_the_dag_is_parsed(
    arguments: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidRequestError, match=problem):
        StartHlsOperator(task_id="t", **{"room_id": "abcd-efgh-ijkl", **arguments})


def test_start_hls_leaves_templated_and_upstream_values_for_execution_time() -> None:
    operator = StartHlsOperator(
        task_id="t",
        room_id="{{ ti.xcom_pull('create') }}",
        config={"layout": {"gridSize": "{{ params.grid }}"}},
    )

    assert operator.room_id.startswith("{{")


def test_a_rendered_bad_value_fails_before_any_request(
    videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    operator = StartHlsOperator(
        task_id="t", room_id="abcd-efgh-ijkl", config={"layout": {"gridSize": "{{ 9 }}"}}
    )
    operator.config = {"layout": {"gridSize": "9"}}  # what Jinja renders without native rendering

    with pytest.raises(InvalidRequestError, match="render_template_as_native_obj"):
        operator.execute(NO_CONTEXT)

    assert videosdk_emulator.requests == []


def test_start_hls_returns_the_stream_with_its_playback_urls(live_room: str) -> None:
    hls = StartHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert hls["roomId"] == live_room
    assert hls["playbackHlsUrl"].endswith("index.m3u8")
    assert hls["livestreamUrl"].endswith("live.m3u8")


def test_start_hls_returns_the_running_stream_without_starting_another(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = StartHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    again = StartHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert again == first
    assert len(videosdk_emulator.requests_to("POST", "/v2/hls/start")) == 1


def test_a_retry_after_a_lost_start_answer_finds_the_stream_instead_of_starting_twice(
    live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    operator = StartHlsOperator(task_id="t", room_id=live_room)
    videosdk_emulator.drop_after_processing(path="/v2/hls/start")
    with pytest.raises(VideoSDKConnectionError):
        operator.execute(NO_CONTEXT)

    retried = StartHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)

    assert retried["status"] == "playable"
    assert len(videosdk_emulator.requests_to("POST", "/v2/hls/start")) == 1


def test_start_hls_without_an_ongoing_session_fails(
    videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    room_id = VideoSDKHook().create_room()["roomId"]

    with pytest.raises(VideoSDKValidationError, match="No ongoing session"):
        StartHlsOperator(task_id="t", room_id=room_id).execute(NO_CONTEXT)


def test_stop_hls_returns_what_was_stopped(live_room: str) -> None:
    StartHlsOperator(task_id="start", room_id=live_room).execute(NO_CONTEXT)

    assert StopHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT) == {
        "stopped": True,
        "message": "HLS stopped successfully",
    }


def test_stop_hls_with_nothing_running_succeeds_or_fails_when_asked(live_room: str) -> None:
    assert StopHlsOperator(task_id="t", room_id=live_room).execute(NO_CONTEXT)["stopped"] is False

    with pytest.raises(AirflowFailException, match=f"No HLS to stop in VideoSDK room {live_room}"):
        StopHlsOperator(task_id="t", room_id=live_room, fail_if_not_running=True).execute(NO_CONTEXT)


def test_stop_hls_checks_its_ids_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match="hls_id: expected a non-empty string"):
        StopHlsOperator(task_id="t", room_id="abcd-efgh-ijkl", hls_id="")


def test_hls_operators_in_a_dag_run(
    run_dag: RunDag, live_room: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("media_hls", run_conf={"room_id": live_room})

    assert result.task_states == {"start_hls": "success", "stop_hls": "success"}
    hls = result.xcom("start_hls")
    (start,) = videosdk_emulator.requests_to("POST", "/v2/hls/start")
    assert start.body == {
        "roomId": live_room,
        "config": {"layout": {"type": "GRID", "gridSize": 9}, "orientation": "landscape"},
        "summary": {"enabled": True, "prompt": result.run_id},
    }
    (stop,) = videosdk_emulator.requests_to("POST", "/v2/hls/end")
    assert stop.body == {"roomId": live_room, "id": hls["id"]}
    assert result.xcom("stop_hls") == {"stopped": True, "message": "HLS stopped successfully"}


def test_the_hls_playback_link_opens_the_returned_playback_url(run_dag: RunDag, live_room: str) -> None:
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    result = run_dag("media_hls_start", run_conf={"room_id": live_room})

    with create_session() as session:  # resolve the link as the API server does
        dag = SerializedDagModel.get_dag(result.dag_id, session=session)
        assert dag is not None
        task = dag.get_task("start_hls")
        ti = session.query(TaskInstance).filter_by(dag_id=result.dag_id, run_id=result.run_id).one()
        links = {name: task.get_extra_links(ti, name) for name in task.extra_links}
    assert links == {"HLS playback": result.xcom("start_hls")["playbackHlsUrl"]}


def test_stops_with_nothing_running_succeed_in_a_dag_run_unless_told_to_fail(
    run_dag: RunDag, live_room: str
) -> None:
    result = run_dag("media_stop_nothing", run_conf={"room_id": live_room})

    assert result.task_states == {
        "stop_hls": "success",
        "stop_livestream": "success",
        "stop_transcription": "success",
        "stop_hls_or_fail": "failed",
    }
    assert result.xcom("stop_livestream")["stopped"] is False
