"""VideoSDKSessionSensor in real DAG runs (poke and deferrable) and its trigger against the emulator."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from airflow.sdk.exceptions import AirflowException

from videosdk_provider._compat import AirflowFailException, AirflowSensorTimeout, AirflowSkipException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKNotFoundError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor
from videosdk_provider.triggers.sessions import VideoSDKSessionTrigger

try:
    from airflow.sdk.exceptions import TaskDeferred
except ImportError:  # Airflow 3.1
    from airflow.exceptions import TaskDeferred  # type: ignore[no-redef,attr-defined,unused-ignore]

RunDag = Callable[..., Any]
OnFirstPoll = Callable[[str, Callable[[], Any]], Any]


def trigger_for(room_id: str, **overrides: Any) -> VideoSDKSessionTrigger:
    kwargs: dict[str, Any] = {
        "room_id": room_id,
        "target": "started",
        "waiting_since": time.time(),
        "poll_interval": 0.05,
        "timeout_at": time.time() + 10,
    }
    return VideoSDKSessionTrigger(**(kwargs | overrides))


def first_event(trigger: VideoSDKSessionTrigger) -> Any:
    async def run() -> Any:
        return await anext(trigger.run())

    return asyncio.run(run()).payload


# Real DAG runs


def test_poke_mode_waits_for_a_session_to_start_then_end(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]
    watcher = on_first_poll(
        room_id,
        lambda: videosdk_emulator.schedule_session(room_id, start_in=0.3, duration=0.6, participants=["ada"]),
    )
    result = run_dag("session_sensor_poke", run_conf={"room_id": room_id})
    assert watcher.fired.is_set()
    assert result.task_states == {"wait_started": "success", "wait_ended": "success"}
    started, ended = result.xcom("wait_started"), result.xcom("wait_ended")
    assert ended["status"] == "ended"
    assert started["id"] == ended["id"]
    assert [person["participantId"] for person in ended["participants"]] == ["ada"]


def test_deferrable_mode_defers_and_resumes_with_the_session(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]
    watcher = on_first_poll(
        room_id, lambda: videosdk_emulator.schedule_session(room_id, start_in=0.3, duration=0.6)
    )
    result = run_dag("session_sensor_deferred", run_conf={"room_id": room["customRoomId"]})
    assert watcher.fired.is_set()
    assert result.task_states == {"wait_started": "success", "wait_ended": "success"}
    started, ended = result.xcom("wait_started"), result.xcom("wait_ended")
    assert started["id"] == ended["id"]
    assert ended["status"] == "ended"
    polls = videosdk_emulator.requests_to("GET", "/v2/sessions")
    assert {r.query["roomId"] for r in polls} == {room_id}
    assert any(r.headers.get("user-agent", "").startswith("python-httpx") for r in polls)


def test_deferrable_timeout_fails_the_task_or_skips_it_with_soft_fail(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    result = run_dag("session_sensor_deferred_timeout", run_conf={"room_id": room["roomId"]})
    assert result.task_states == {"times_out": "failed", "times_out_softly": "skipped"}
    polls = videosdk_emulator.requests_to("GET", "/v2/sessions")
    assert any(r.headers.get("user-agent", "").startswith("python-httpx") for r in polls)


# The sensor's checks and its resumption


def test_room_and_target_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        VideoSDKSessionSensor(task_id="t", room_id="", target="begun")
    assert caught.value.problems[0].startswith("room_id: expected a non-empty string")
    assert "target: 'begun' is not allowed; allowed values: 'started', 'ended'" in caught.value.problems[1]


def test_templated_room_and_target_are_left_for_execution_time() -> None:
    VideoSDKSessionSensor(task_id="t", room_id="{{ params.room }}", target="{{ params.target }}")


def test_deferrable_is_off_under_the_default_configuration() -> None:
    assert VideoSDKSessionSensor(task_id="t", room_id="r").deferrable is False


def test_unknown_room_fails_before_waiting(videosdk_connection: str) -> None:
    sensor = VideoSDKSessionSensor(task_id="t", room_id="no-such-room", deferrable=True)
    with pytest.raises(VideoSDKNotFoundError, match=r"GET /v2/rooms/no-such-room failed \(HTTP 404\)"):
        sensor.execute({})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("soft_fail", "error"), [(False, AirflowFailException), (True, AirflowSkipException)]
)
def test_waiting_for_a_start_in_a_deactivated_room_ends_at_once(
    hook: VideoSDKHook, room: dict[str, Any], soft_fail: bool, error: type[Exception]
) -> None:
    hook.deactivate_room(room["roomId"])
    sensor = VideoSDKSessionSensor(task_id="t", room_id=room["roomId"], soft_fail=soft_fail)
    with pytest.raises(error, match="is deactivated: no session can start in it"):
        sensor.execute({})  # type: ignore[arg-type]


def test_deferrable_sensor_returns_at_once_when_the_session_already_ended(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.start_session(room["roomId"])
    ended = videosdk_emulator.end_session(room["roomId"])
    sensor = VideoSDKSessionSensor(task_id="t", room_id=room["roomId"], target="ended", deferrable=True)
    assert sensor.execute({}) == ended  # type: ignore[arg-type]


def test_deferrable_sensor_defers_to_the_trigger_with_the_resolved_room(room: dict[str, Any]) -> None:
    sensor = VideoSDKSessionSensor(
        task_id="t", room_id=room["customRoomId"], deferrable=True, poke_interval=5, timeout=600
    )
    before = time.time()
    with pytest.raises(TaskDeferred) as caught:
        sensor.execute({})  # type: ignore[arg-type]
    deferred = caught.value
    assert deferred.method_name == "execute_complete"
    classpath, kwargs = deferred.trigger.serialize()
    assert classpath == "videosdk_provider.triggers.sessions.VideoSDKSessionTrigger"
    assert kwargs["room_id"] == room["roomId"]
    assert (kwargs["target"], kwargs["poll_interval"]) == ("started", 5.0)
    assert before <= kwargs["waiting_since"] <= time.time()
    assert kwargs["timeout_at"] == kwargs["waiting_since"] + 600


def test_resuming_with_a_session_returns_it() -> None:
    sensor = VideoSDKSessionSensor(task_id="t", room_id="r")
    found = {"id": "s1", "status": "ended"}
    assert sensor.execute_complete({}, {"status": "success", "session": found}) == found  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "error", "message"),
    [
        pytest.param(
            {"status": "timeout", "message": "no session ended in VideoSDK room r after waiting 9 s"},
            AirflowSensorTimeout,
            "Sensor has timed out: no session ended in VideoSDK room r after waiting 9 s",
            id="timeout",
        ),
        pytest.param(
            {"status": "error", "message": "VideoSDK API GET /v2/sessions failed (HTTP 401): bad"},
            AirflowException,
            r"room r failed: VideoSDK API GET /v2/sessions failed \(HTTP 401\): bad",
            id="api-error",
        ),
        pytest.param(None, AirflowException, "Unexpected event", id="no-event"),
        pytest.param({"status": "party"}, AirflowException, "Unexpected event", id="unknown-status"),
    ],
)
def test_resuming_with_a_failure_raises_its_message(
    event: dict[str, Any] | None, error: type[Exception], message: str
) -> None:
    sensor = VideoSDKSessionSensor(task_id="t", room_id="r")
    with pytest.raises(error, match=message):
        sensor.execute_complete({}, event)  # type: ignore[arg-type]


# The trigger on its own


def test_trigger_serializes_to_plain_json_that_rebuilds_it() -> None:
    trigger = trigger_for("abcd-efgh-ijkl", target="ended", videosdk_conn_id="videosdk_other")
    classpath, kwargs = trigger.serialize()
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert VideoSDKSessionTrigger(**kwargs).serialize() == (classpath, kwargs)


def test_trigger_fires_with_the_ongoing_session(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], videosdk_connection: str
) -> None:
    ongoing = videosdk_emulator.join(room["roomId"], "ada", "Ada")
    event = first_event(trigger_for(room["roomId"]))
    assert event == {"status": "success", "session": ongoing}
    assert json.loads(json.dumps(event)) == event


def test_trigger_times_out_with_a_clear_message(room: dict[str, Any], videosdk_connection: str) -> None:
    event = first_event(trigger_for(room["roomId"], target="ended", timeout_at=time.time() + 0.2))
    assert event["status"] == "timeout"
    assert event["message"].startswith(f"no session ended in VideoSDK room {room['roomId']} after waiting")


def test_trigger_ends_with_the_api_error_that_will_not_heal(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], videosdk_connection: str
) -> None:
    videosdk_emulator.fail_next(404, message="Room not found", path="/v2/sessions")
    event = first_event(trigger_for(room["roomId"]))
    assert event["status"] == "error"
    assert "GET /v2/sessions failed (HTTP 404): Room not found" in event["message"]


def test_trigger_keeps_polling_through_server_errors(
    videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], set_connection: Callable[..., str]
) -> None:
    set_connection(
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        host=videosdk_emulator.url,
        extra={"max_retries": 0},  # the hook gives up at once: the trigger's own polling carries on
    )
    videosdk_emulator.start_session(room["roomId"])
    videosdk_emulator.fail_next(503, times=2, path="/v2/sessions")
    event = first_event(trigger_for(room["roomId"]))
    assert event["status"] == "success"
    assert [r.status for r in videosdk_emulator.requests_to("GET", "/v2/sessions")] == [503, 503, 200]


def test_trigger_reports_a_missing_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_VIDEOSDK_DEFAULT", raising=False)
    event = first_event(trigger_for("abcd-efgh-ijkl", videosdk_conn_id="videosdk_missing"))
    assert event["status"] == "error"
    assert "videosdk_missing" in event["message"]


# A transient failure while waiting costs one poke, not the task


@pytest.fixture
def no_hook_retries(
    videosdk_emulator: VideoSDKEmulator, videosdk_connection: str, set_connection: Callable[..., str]
) -> str:
    """Point the connection at the emulator with the hook's own retries off: failures reach the sensor."""
    return set_connection(
        videosdk_connection,
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        host=videosdk_emulator.url,
        extra={"max_retries": 0},
    )


def _failed_polls(emulator: VideoSDKEmulator) -> list[int]:
    return [
        request.status for request in emulator.requests_to("GET", "/v2/sessions") if request.status >= 500
    ]


@pytest.mark.usefixtures("no_hook_retries")
def test_poke_mode_polls_again_after_server_errors_between_pokes(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]

    def fail_then_hold_a_session() -> None:
        videosdk_emulator.fail_next(503, times=2, path="/v2/sessions")
        videosdk_emulator.schedule_session(room_id, start_in=0.5, duration=0.6)

    watcher = on_first_poll(room_id, fail_then_hold_a_session)
    result = run_dag("session_sensor_poke", run_conf={"room_id": room_id})
    assert watcher.fired.is_set()
    assert _failed_polls(videosdk_emulator) == [503, 503]
    assert result.task_states == {"wait_started": "success", "wait_ended": "success"}


@pytest.mark.usefixtures("no_hook_retries")
def test_reschedule_mode_polls_again_after_a_lost_answer_and_a_server_error_between_pokes(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]

    def fail_then_hold_a_session() -> None:
        videosdk_emulator.drop_after_processing(path="/v2/sessions")
        videosdk_emulator.fail_next(502, path="/v2/sessions")
        videosdk_emulator.schedule_session(room_id, start_in=0.5, duration=0.6)

    watcher = on_first_poll(room_id, fail_then_hold_a_session)
    result = run_dag("session_sensor_reschedule", run_conf={"room_id": room_id})
    assert watcher.fired.is_set()
    assert _failed_polls(videosdk_emulator) == [502]
    assert result.task_states == {"wait_started": "success", "wait_ended": "success"}


@pytest.mark.usefixtures("no_hook_retries")
def test_a_deferrable_sensors_first_poke_survives_a_rate_limit(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]
    videosdk_emulator.fail_next(429, path="/v2/sessions")
    watcher = on_first_poll(
        room_id, lambda: videosdk_emulator.schedule_session(room_id, start_in=0.3, duration=0.6)
    )
    result = run_dag("session_sensor_deferred", run_conf={"room_id": room_id})
    assert watcher.fired.is_set()
    assert next(r.status for r in videosdk_emulator.requests_to("GET", "/v2/sessions")) == 429
    assert result.task_states == {"wait_started": "success", "wait_ended": "success"}


def test_each_poll_asks_for_one_session_at_a_time_however_many_the_room_has_held(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], on_first_poll: OnFirstPoll
) -> None:
    room_id = room["roomId"]
    for _ in range(25):
        videosdk_emulator.start_session(room_id)
        videosdk_emulator.end_session(room_id)
    videosdk_emulator.start_session(room_id)
    on_first_poll(room_id, lambda: videosdk_emulator.schedule_session(room_id, start_in=0.3, duration=0.3))
    run_dag("session_sensor_poke", run_conf={"room_id": room_id})
    polls = videosdk_emulator.requests_to("GET", "/v2/sessions")
    assert polls
    assert {request.query["perPage"] for request in polls} == {"1"}
    assert {request.query.get("status") for request in polls} <= {"ongoing", "ended"}
