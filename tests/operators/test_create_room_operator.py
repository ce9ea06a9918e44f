"""CreateRoomOperator: parse-time checks, templating, the body it sends and what it leaves in XCom."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.operators.rooms import CreateRoomOperator

RUN_AFTER = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.timezone.utc)
RunDag = Callable[..., Any]


def test_template_fields_are_the_four_body_fields_extra_body_and_the_conn_id() -> None:
    assert set(CreateRoomOperator.template_fields) == {
        "custom_room_id",
        "webhook",
        "auto_close_config",
        "auto_start_config",
        "extra_body",
        "videosdk_conn_id",
    }
    assert set(CreateRoomOperator.template_fields_renderers.values()) == {"json"}


def test_arguments_are_stored_unchanged() -> None:
    webhook = {"endPoint": "https://hooks.example.com", "events": ["session-*"]}
    operator = CreateRoomOperator(task_id="t", custom_room_id="r", webhook=webhook)
    assert operator.webhook is webhook
    assert operator.custom_room_id == "r"
    assert operator.auto_close_config is None


def test_literal_mistakes_fail_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match=r"autoStartConfig\.recording\.config\.layout\.gridSize"):
        CreateRoomOperator(
            task_id="t", auto_start_config={"recording": {"config": {"layout": {"gridSize": 9}}}}
        )


def test_templated_values_are_left_for_execution_time() -> None:
    CreateRoomOperator(
        task_id="t",
        webhook="{{ params.webhook }}",  # type: ignore[arg-type]
        auto_close_config={"type": "{{ params.type }}", "duration": "{{ params.minutes }}"},
    )


def test_extra_body_may_not_override_an_argument_at_parse_time() -> None:
    with pytest.raises(
        InvalidRequestError, match=r"extra_body\.customRoomId: set it through the 'custom_room_id'"
    ):
        CreateRoomOperator(task_id="t", extra_body={"customRoomId": "x"})


def test_rendered_values_reach_the_body(run_dag: RunDag, videosdk_emulator: VideoSDKEmulator) -> None:
    result = run_dag("create_room_templated", run_after=RUN_AFTER, logical_date=None)
    assert result.state == "success"
    [request] = videosdk_emulator.requests_to("POST", "/v2/rooms")
    assert request.body == {
        "customRoomId": "class-2026-11-26",
        "webhook": {
            "endPoint": "https://hooks.example.com/videosdk",
            "events": ["session-started", "recording-*"],
        },
        "autoCloseConfig": {"type": "session-ends", "duration": 45},
        "geoFence": "eu001",
    }


def test_room_id_is_the_return_value_and_the_room_is_pushed_under_room(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("create_room_templated", run_after=RUN_AFTER, logical_date=None)
    [room] = videosdk_emulator.rooms
    assert result.xcom("create_room") == room["roomId"]
    assert result.xcom("create_room", key="room") == room


def test_rendered_template_fields_are_recorded(run_dag: RunDag) -> None:
    result = run_dag(
        "create_room_templated", run_after=RUN_AFTER, logical_date=None, run_conf={"prefix": "office-hours"}
    )
    rendered = result.rendered_fields("create_room")
    assert rendered["custom_room_id"] == "office-hours-2026-11-26"
    assert rendered["webhook"]["endPoint"] == "https://hooks.example.com/videosdk"


def test_a_rendered_mistake_fails_the_task_before_any_request(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag(
        "create_room_templated", run_conf={"close_type": "sometimes", "event": "meeting-started"}
    )
    assert result.task_states["create_room"] == "failed"
    assert videosdk_emulator.requests == []
    assert videosdk_emulator.rooms == []


def test_a_bare_operator_sends_an_empty_body(run_dag: RunDag, videosdk_emulator: VideoSDKEmulator) -> None:
    result = run_dag("create_room_bare")
    assert result.state == "success"
    [request] = videosdk_emulator.requests_to("POST", "/v2/rooms")
    assert request.raw_body == b"{}"


def test_native_rendering_turns_a_templated_duration_into_an_integer(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("create_room_native", run_conf={"minutes": 25})
    assert result.state == "success"
    [request] = videosdk_emulator.requests_to("POST", "/v2/rooms")
    assert request.body == {"autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 25}}


def test_the_connection_id_is_templated(run_dag: RunDag, videosdk_emulator: VideoSDKEmulator) -> None:
    result = run_dag("create_room_templated", run_conf={"conn_id": "videosdk_missing"})
    assert result.task_states["create_room"] == "failed"
    assert videosdk_emulator.requests == []
