"""The support-desk example closes the desk's room for the day, or skips when the room is gone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from videosdk_provider.emulator import VideoSDKEmulator

DAG_ID = "example_videosdk_support_desk"
RUN_AFTER = datetime.datetime(2026, 11, 26, 18, 0, tzinfo=datetime.timezone.utc)
RunDag = Callable[..., Any]


def test_support_desk_ends_the_running_call_and_reports_the_room(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, hook_factory: Callable[..., Any]
) -> None:
    room = hook_factory().create_room(customRoomId="support-desk")
    videosdk_emulator.start_session("support-desk")

    result = run_dag(DAG_ID, run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert result.state == "success"
    assert result.xcom("validate_room") == room["roomId"]
    ended = result.xcom("end_session")
    assert ended["end"] is not None
    assert result.xcom("confirm_session_ended")["id"] == ended["id"]
    assert result.xcom("get_room")["roomId"] == room["roomId"]
    assert [listed["roomId"] for listed in result.xcom("list_recent_rooms")] == [room["roomId"]]


def test_support_desk_with_no_call_running_succeeds_without_ending_anything(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, hook_factory: Callable[..., Any]
) -> None:
    hook_factory().create_room(customRoomId="support-desk")
    videosdk_emulator.start_session("support-desk")
    videosdk_emulator.end_session("support-desk")

    result = run_dag(DAG_ID, run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert result.state == "success"
    assert result.xcom("end_session") is None
    assert videosdk_emulator.requests_to("POST", "/v2/sessions/end") == []


def test_support_desk_skips_the_run_when_the_room_is_gone(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag(DAG_ID, run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert result.task_states == {
        "list_recent_rooms": "success",
        "validate_room": "skipped",
        "end_session": "skipped",
        "confirm_session_ended": "skipped",
        "get_room": "skipped",
    }
