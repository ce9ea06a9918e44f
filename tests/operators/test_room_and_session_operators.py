"""Room and session operators: parse-time checks, what they send, and what they return."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider._compat import AirflowFailException, AirflowSkipException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKNotFoundError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.operators.rooms import (
    DeactivateRoomOperator,
    GetRoomOperator,
    ListRoomsOperator,
    ValidateRoomOperator,
)
from videosdk_provider.operators.sessions import EndSessionOperator

RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}


@pytest.mark.parametrize(
    ("operator", "fields"),
    [
        (ValidateRoomOperator, {"room_id", "videosdk_conn_id"}),
        (GetRoomOperator, {"room_id", "videosdk_conn_id"}),
        (ListRoomsOperator, {"videosdk_conn_id"}),
        (DeactivateRoomOperator, {"room_id", "videosdk_conn_id"}),
        (EndSessionOperator, {"room_id", "session_id", "videosdk_conn_id"}),
    ],
)
def test_template_fields(operator: type[Any], fields: set[str]) -> None:
    assert set(operator.template_fields) == fields


@pytest.mark.parametrize(
    "operator", [ValidateRoomOperator, GetRoomOperator, DeactivateRoomOperator, EndSessionOperator]
)
def test_an_empty_room_id_fails_when_the_dag_is_parsed(operator: type[Any]) -> None:
    with pytest.raises(InvalidRequestError, match="room_id: expected a non-empty string, got ''"):
        operator(task_id="t", room_id="")


@pytest.mark.parametrize(
    "operator", [ValidateRoomOperator, GetRoomOperator, DeactivateRoomOperator, EndSessionOperator]
)
def test_a_templated_room_id_is_left_for_execution_time(operator: type[Any]) -> None:
    assert operator(task_id="t", room_id="{{ ti.xcom_pull('create') }}").room_id.startswith("{{")


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [({"max_rooms": 0}, "max_rooms: expected an integer of at least 1"), ({"per_page": "9"}, "per_page:")],
)
def test_list_rooms_bounds_are_checked_when_the_dag_is_parsed(
    arguments: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidRequestError, match=problem):
        ListRoomsOperator(task_id="t", **arguments)


# Validate, get, list


def test_validate_room_returns_the_room_id_of_a_custom_room_id(room: dict[str, Any]) -> None:
    operator = ValidateRoomOperator(task_id="t", room_id=room["customRoomId"], do_xcom_push=False)
    assert operator.execute(NO_CONTEXT) == room["roomId"]


@pytest.mark.parametrize(
    ("soft_fail", "error"), [(False, AirflowFailException), (True, AirflowSkipException)]
)
def test_an_invalid_room_fails_validation_or_skips_it_with_soft_fail(
    videosdk_connection: str, soft_fail: bool, error: type[Exception]
) -> None:
    operator = ValidateRoomOperator(task_id="t", room_id="no-such-room", soft_fail=soft_fail)
    with pytest.raises(error, match="VideoSDK room 'no-such-room' is not valid"):
        operator.execute(NO_CONTEXT)


def test_get_room_returns_the_room_as_plain_json(room: dict[str, Any]) -> None:
    fetched = GetRoomOperator(task_id="t", room_id=room["roomId"]).execute(NO_CONTEXT)
    assert fetched == room
    assert json.loads(json.dumps(fetched)) == fetched


def test_list_rooms_stops_requesting_pages_at_max_rooms(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    created = [hook.create_room(customRoomId=f"room-{index}")["roomId"] for index in range(5)]
    listed = ListRoomsOperator(task_id="t", max_rooms=3, per_page=2).execute(NO_CONTEXT)
    assert [room["roomId"] for room in listed] == created[::-1][:3]
    assert [r.query["page"] for r in videosdk_emulator.requests_to("GET", "/v2/rooms")] == ["1", "2"]
    assert json.loads(json.dumps(listed)) == listed


def test_list_rooms_leaves_out_the_account_details_of_each_rooms_owner(
    hook: VideoSDKHook, room: dict[str, Any]
) -> None:
    [as_the_api_lists_it] = hook.iter_rooms()
    assert as_the_api_lists_it["user"]["email"]  # the API names the owner; the hook keeps it
    listed = ListRoomsOperator(task_id="t").execute(NO_CONTEXT)
    assert listed == [{key: value for key, value in as_the_api_lists_it.items() if key != "user"}]
    assert "@" not in json.dumps(listed)


def test_list_rooms_asks_for_no_more_than_max_rooms_per_page(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook.create_room()
    ListRoomsOperator(task_id="t", max_rooms=1).execute(NO_CONTEXT)
    [request] = videosdk_emulator.requests_to("GET", "/v2/rooms")
    assert request.query["perPage"] == "1"


# Deactivate


def test_deactivate_room_returns_the_deactivated_room(room: dict[str, Any]) -> None:
    deactivated = DeactivateRoomOperator(task_id="t", room_id=room["roomId"]).execute(NO_CONTEXT)
    assert (deactivated["roomId"], deactivated["disabled"]) == (room["roomId"], True)


def test_deactivate_room_refuses_a_custom_room_id_before_deactivating(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    operator = DeactivateRoomOperator(task_id="t", room_id=room["customRoomId"])
    with pytest.raises(
        InvalidRequestError, match=f"deactivation takes the roomId only, so pass {room['roomId']!r}"
    ):
        operator.execute(NO_CONTEXT)
    assert not videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")


# End a session


def test_end_session_ends_the_ongoing_session_by_custom_room_id(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    ongoing = videosdk_emulator.start_session(room["roomId"])
    ended = EndSessionOperator(task_id="t", room_id=room["customRoomId"]).execute(NO_CONTEXT)
    assert ended is not None
    assert (ended["id"], ended["status"]) == (ongoing["id"], "ended")
    [request] = videosdk_emulator.requests_to("POST", "/v2/sessions/end")
    assert request.body == {"roomId": room["roomId"], "sessionId": ongoing["id"]}


def test_end_session_without_an_ongoing_session_succeeds_without_ending_anything(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    assert EndSessionOperator(task_id="t", room_id=room["roomId"]).execute(NO_CONTEXT) is None
    assert not videosdk_emulator.requests_to("POST", "/v2/sessions/end")


def test_end_session_leaves_another_session_than_the_one_named(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.start_session(room["roomId"])
    operator = EndSessionOperator(task_id="t", room_id=room["roomId"], session_id="an-earlier-session")
    assert operator.execute(NO_CONTEXT) is None
    assert not videosdk_emulator.requests_to("POST", "/v2/sessions/end")


def test_end_session_can_fail_when_there_is_no_session(room: dict[str, Any]) -> None:
    operator = EndSessionOperator(task_id="t", room_id=room["roomId"], fail_if_no_session=True)
    with pytest.raises(AirflowFailException, match=f"VideoSDK room {room['roomId']} has no ongoing session"):
        operator.execute(NO_CONTEXT)


def test_end_session_of_an_unknown_room_fails(videosdk_connection: str) -> None:
    with pytest.raises(VideoSDKNotFoundError):
        EndSessionOperator(task_id="t", room_id="no-such-room").execute(NO_CONTEXT)


# In a DAG run: rendered ids from XCom, XCom values, skipped downstream tasks


def test_room_operators_in_a_dag_run(run_dag: RunDag, videosdk_emulator: VideoSDKEmulator) -> None:
    result = run_dag("room_lifecycle_operators")
    assert result.task_states == {
        "create_room": "success",
        "validate_room": "success",
        "get_room": "success",
        "list_rooms": "success",
        "end_session": "success",
        "deactivate_room": "success",
        "validate_deactivated_room": "skipped",
        "after_validation": "skipped",
    }
    [room] = videosdk_emulator.rooms
    assert result.xcom("validate_room") == room["roomId"]
    assert result.xcom("validate_room", key="room")["roomId"] == room["roomId"]
    assert result.xcom("get_room")["customRoomId"] == room["customRoomId"]
    assert [listed["roomId"] for listed in result.xcom("list_rooms")] == [room["roomId"]]
    assert result.xcom("end_session") is None
    assert result.xcom("deactivate_room")["disabled"] is True
    assert result.rendered_fields("deactivate_room")["room_id"] == room["roomId"]
