"""
Creating many rooms in one task: ``VideoSDKHook.create_rooms`` and ``CreateRoomsOperator``.

Rooms come back in input order, no more requests run at once than asked, every item is checked
before the first request, each failure is reported with its item, and a retry creates nothing
twice. How fast all this is, ``benchmarks/run.py`` measures; these tests never time it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

import pytest
from airflow.sdk import DAG, task

from videosdk_provider._compat import AirflowFailException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKBatchError, VideoSDKUnsafeBatchError
from videosdk_provider.operators.rooms import CreateRoomsOperator

RUN_AFTER = datetime.datetime(2026, 11, 26, 6, 0, tzinfo=datetime.timezone.utc)
HookFactory = Callable[..., Any]
RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}


def exam_bodies(count: int) -> list[dict[str, Any]]:
    return [
        {"customRoomId": f"exam-hall-{number}", "autoCloseConfig": {"type": "session-ends", "duration": 60}}
        for number in range(count)
    ]


def room_ids_by_custom_id(emulator: VideoSDKEmulator) -> dict[str, str]:
    return {room["customRoomId"]: room["roomId"] for room in emulator.rooms if "customRoomId" in room}


# Order and concurrency


def test_rooms_come_back_in_input_order_when_answers_arrive_out_of_order(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.delay_next(0.3, path="/v2/rooms")  # the first request to arrive answers last
    bodies = exam_bodies(8)

    rooms = hook_factory(pool_size=4).create_rooms(bodies, max_concurrency=4)

    stored = room_ids_by_custom_id(videosdk_emulator)
    assert [room["customRoomId"] for room in rooms] == [body["customRoomId"] for body in bodies]
    assert [room["roomId"] for room in rooms] == [stored[body["customRoomId"]] for body in bodies]


@pytest.mark.parametrize("max_concurrency", [1, 4, 8])
def test_requests_in_flight_reach_but_never_exceed_max_concurrency(
    max_concurrency: int, hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.latency = 0.2  # every request stays in flight long enough to overlap

    hook_factory(pool_size=max_concurrency).create_rooms(
        exam_bodies(3 * max_concurrency), max_concurrency=max_concurrency
    )

    assert videosdk_emulator.max_in_flight == max_concurrency
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms")) == 3 * max_concurrency


def test_max_concurrency_defaults_to_the_pool_size(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.latency = 0.2

    hook_factory(pool_size=3).create_rooms(exam_bodies(9))

    assert videosdk_emulator.max_in_flight == 3


def test_the_operator_sizes_its_hooks_pool_for_max_concurrency(
    videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.latency = 0.2
    operator = CreateRoomsOperator(task_id="t", rooms=exam_bodies(24), max_concurrency=12, do_xcom_push=False)

    room_ids = operator.execute(NO_CONTEXT)

    assert operator.hook.pool_size == 12  # beyond the hook's default of 10
    assert len(room_ids) == 24
    assert videosdk_emulator.max_in_flight == 12


def test_max_concurrency_beyond_the_pool_is_refused_before_any_request(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        hook_factory(pool_size=4).create_rooms(exam_bodies(2), max_concurrency=5)
    [problem] = caught.value.problems
    assert problem == (
        "max_concurrency: expected an integer from 1 to 4 (the hook's pool_size: build the hook with "
        "pool_size=max_concurrency for more), got 5"
    )
    assert videosdk_emulator.requests == []


def test_concurrent_requests_reuse_pooled_connections(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    videosdk_emulator.latency = 0.05
    with caplog.at_level(logging.WARNING, logger="urllib3"):
        hook_factory(pool_size=16).create_rooms(exam_bodies(48), max_concurrency=16)
    assert [record for record in caplog.records if "pool is full" in record.getMessage()] == []


def test_one_token_signs_every_request_of_a_batch(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook_factory(pool_size=8).create_rooms(exam_bodies(16), max_concurrency=8)
    creates = videosdk_emulator.requests_to("POST", "/v2/rooms")
    assert len(creates) == 16
    assert len({request.headers["authorization"] for request in creates}) == 1


def test_an_empty_batch_sends_nothing(hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator) -> None:
    assert hook_factory().create_rooms([]) == []
    assert videosdk_emulator.requests == []


# Checks before any request


def test_every_item_is_checked_before_any_request(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    bodies = exam_bodies(4)
    bodies[1]["autoCloseConfig"] = {"type": "session-end"}
    bodies[3]["webhook"] = {"endPoint": "https://hooks.example.com/videosdk", "events": ["sesion-started"]}

    with pytest.raises(InvalidRequestError) as caught:
        hook_factory().create_rooms(bodies)

    paths = [problem.split(":", 1)[0] for problem in caught.value.problems]
    assert paths == ["rooms[1].autoCloseConfig.type", "rooms[3].webhook.events[0]"]
    assert videosdk_emulator.requests == []


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        pytest.param(
            {"rooms": [{}, {"autoStartConfig": {"recording": {"config": {"layout": {"gridSize": 9}}}}}]},
            "rooms[1].autoStartConfig.recording.config.layout.gridSize: expected an integer from 1 to 4",
            id="bad-field-in-one-item",
        ),
        pytest.param(
            {"rooms": [{"customRoomId": "hall-1"}, {"customRoomId": "hall-1"}]},
            "rooms[1].customRoomId: 'hall-1' repeats rooms[0]",
            id="repeated-custom-room-id",
        ),
        pytest.param(
            {"rooms": [["customRoomId", "hall-1"]]},
            "rooms[0]: expected an object of Create Room body fields",
            id="item-not-an-object",
        ),
        pytest.param(
            {"rooms": {"customRoomId": "hall-1"}},
            "rooms: expected a list of Create Room bodies",
            id="not-a-list",
        ),
        pytest.param(
            {"rooms": [{}], "max_concurrency": 0},
            "max_concurrency: expected an integer of at least 1, got 0",
            id="no-concurrency",
        ),
    ],
)
def test_literal_mistakes_fail_when_the_dag_is_parsed(arguments: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        CreateRoomsOperator(task_id="create_rooms", **arguments)
    assert any(found.startswith(problem) for found in caught.value.problems), caught.value.problems


def test_templated_and_upstream_rooms_are_left_for_execution_time() -> None:
    with DAG(dag_id="batch_placeholders", schedule=None):

        @task
        def bodies() -> list[dict[str, Any]]:
            return []

        CreateRoomsOperator(task_id="from_upstream", rooms=bodies())
        CreateRoomsOperator(task_id="from_jinja", rooms="{{ params.rooms }}")  # type: ignore[arg-type]
        CreateRoomsOperator(
            task_id="templated_items",
            rooms=[{"customRoomId": "{{ run_id }}", "autoCloseConfig": {"type": "{{ params.close }}"}}],
        )


# Failures, reported per item


def test_each_failed_item_is_reported_with_its_index_custom_room_id_status_and_message(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(409, times=2, path="/v2/rooms", message="Room limit reached")

    with pytest.raises(VideoSDKBatchError) as caught:
        hook_factory(pool_size=1).create_rooms(exam_bodies(5), max_concurrency=1)

    failures = [(f.index, f.custom_room_id, f.error.status, f.error.message) for f in caught.value.failures]
    assert failures == [
        (0, "exam-hall-0", 409, "Room limit reached"),
        (1, "exam-hall-1", 409, "Room limit reached"),
    ]
    assert (
        "2 of 5 items failed: item 0 (customRoomId 'exam-hall-0'): HTTP 409: Room limit reached; "
        "item 1 (customRoomId 'exam-hall-1'): HTTP 409: Room limit reached"
    ) in str(caught.value)


def test_the_other_items_still_run_and_their_rooms_are_kept(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(409, times=2, path="/v2/rooms")

    with pytest.raises(VideoSDKBatchError) as caught:
        hook_factory(pool_size=1).create_rooms(exam_bodies(5), max_concurrency=1)

    stored = room_ids_by_custom_id(videosdk_emulator)
    assert sorted(stored) == ["exam-hall-2", "exam-hall-3", "exam-hall-4"]
    kept = [None if room is None else room["roomId"] for room in caught.value.results]
    assert kept == [None, None, stored["exam-hall-2"], stored["exam-hall-3"], stored["exam-hall-4"]]


def test_rate_limited_items_are_retried_by_their_own_thread_and_the_batch_completes(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(429, times=4, retry_after="0", path="/v2/rooms")

    rooms = hook_factory(pool_size=4).create_rooms(exam_bodies(8), max_concurrency=4)

    assert [room["customRoomId"] for room in rooms] == [f"exam-hall-{number}" for number in range(8)]
    assert [request.status for request in videosdk_emulator.requests_to("POST", "/v2/rooms")].count(429) == 4
    assert len(videosdk_emulator.rooms) == 8


def test_a_failed_batch_with_items_lacking_custom_room_id_is_not_retried(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(409, path="/v2/rooms")
    bodies = [*exam_bodies(2), {"autoCloseConfig": {"type": "session-ends"}}]

    with pytest.raises(VideoSDKUnsafeBatchError) as caught:
        hook_factory(pool_size=1).create_rooms(bodies, max_concurrency=1)

    assert isinstance(caught.value, AirflowFailException)


# Retry safety


def test_running_a_batch_again_creates_nothing_new(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook = hook_factory(pool_size=4)
    first = hook.create_rooms(exam_bodies(6), max_concurrency=4)
    again = hook.create_rooms(exam_bodies(6), max_concurrency=4)

    assert [room["roomId"] for room in again] == [room["roomId"] for room in first]
    assert len(videosdk_emulator.rooms) == 6


def test_an_airflow_retry_after_a_partial_failure_creates_only_the_missing_rooms(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(409, times=2, path="/v2/rooms")  # the first try loses items 0 and 1

    result = run_dag("batch_rooms_retried")

    assert result.state == "success"
    stored = room_ids_by_custom_id(videosdk_emulator)
    custom_ids = [f"retried-{number}-{result.run_id}" for number in range(6)]
    assert sorted(stored) == sorted(custom_ids)
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms")) == 12  # two tries of six items
    assert result.xcom("create_rooms") == [stored[custom_id] for custom_id in custom_ids]


def test_a_failed_batch_without_custom_room_ids_keeps_its_rooms_in_xcom_and_is_not_retried(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(409, times=2, path="/v2/rooms")

    result = run_dag("batch_rooms_without_ids")

    assert result.task_states == {"create_rooms": "failed"}
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms")) == 4  # one try only
    pushed = result.xcom("create_rooms", key="rooms")
    assert pushed[:2] == [None, None]
    assert [room["roomId"] for room in pushed[2:]] == [room["roomId"] for room in videosdk_emulator.rooms]


# The example DAG


def test_example_creates_the_exam_halls_in_one_task_and_the_oral_exams_mapped(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("example_videosdk_batch_rooms", run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert result.state == "success"
    stored = room_ids_by_custom_id(videosdk_emulator)
    halls = [f"exam-hall-{hall:02d}-2026-11-26" for hall in range(1, 25)]
    orals = [f"oral-exam-{language}-2026-11-26" for language in ("french", "german", "spanish")]
    assert sorted(stored) == sorted(halls + orals)
    assert result.xcom("publish_timetable") == {
        "exam_halls": [stored[custom_id] for custom_id in halls],
        "oral_exams": [stored[custom_id] for custom_id in orals],
    }
    assert [room["customRoomId"] for room in result.xcom("create_exam_hall_rooms", key="rooms")] == halls
    assert videosdk_emulator.max_in_flight <= 8
