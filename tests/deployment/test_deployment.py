"""
The provider on a real deployment, on the LocalExecutor and on the CeleryExecutor (two workers).

Each test drives Airflow through its REST API only: many runs at once, deferred session waits held
by the real triggerer, concurrent creation of the same rooms, and crashes (a worker SIGKILLed in
the middle of a batch, the scheduler SIGKILLed and the triggerer restarted during a wait). Every
run must still finish, and the emulator must hold each ``customRoomId`` exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.deployment.conftest import Deployment, SessionDriver

pytestmark = pytest.mark.deployment

EXAMPLE_DAGS = (
    "example_videosdk_auto_start",
    "example_videosdk_batch_rooms",
    "example_videosdk_class_lifecycle",
    "example_videosdk_daily_class",
    "example_videosdk_mapped_sessions",
)
RUN_TIMEOUT = 900


def wait_until(condition: Callable[[], Any], timeout: float = 300, what: str = "condition") -> Any:
    """Poll ``condition`` every half second until it returns a true value; return that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def states(runs: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {key: run["state"] for key, run in runs.items()}


def rooms_with_prefix(deployment: Deployment, prefix: str) -> Counter[str]:
    """How many rooms the emulator holds for each ``customRoomId`` starting with ``prefix``."""
    return Counter(
        room["customRoomId"]
        for room in deployment.rooms()
        if str(room.get("customRoomId", "")).startswith(prefix)
    )


def deferred_wait(deployment: Deployment, driver: SessionDriver, run_id: str) -> str:
    """Wait until the run's session wait is deferred and held by a triggerer; return its room."""
    key = ("deployment_session_wait", run_id, -1)
    wait_until(lambda: driver() or key in driver.held, what=f"the session wait of {run_id} to defer")
    return driver.held[key]


def test_twenty_example_runs_at_once_all_succeed_and_waits_defer(
    deployment: Deployment, session_driver: Callable[..., SessionDriver]
) -> None:
    driver = session_driver("create_room", "wait_for_class_to_end")
    runs = [
        (dag_id, deployment.trigger(dag_id, {"class_name": f"class-{number}"} if "class" in dag_id else {}))
        for number in range(4)
        for dag_id in EXAMPLE_DAGS
    ]

    finished = deployment.wait_for_runs(runs, RUN_TIMEOUT, while_waiting=driver)

    assert set(states(finished).values()) == {"success"}, states(finished)
    lifecycle_runs = {run_id for dag_id, run_id in runs if dag_id == "example_videosdk_class_lifecycle"}
    assert {run_id for _, run_id, _ in driver.held} == lifecycle_runs
    for run_id in lifecycle_runs:
        summary = deployment.xcom("example_videosdk_class_lifecycle", run_id, "summarise_class")
        assert summary["sessionId"]
    assert deployment.sql("SELECT count(*) FROM trigger") == [(0,)]


def test_deferred_waits_free_their_worker_slots(
    deployment: Deployment, session_driver: Callable[..., SessionDriver]
) -> None:
    count = 3 * int(deployment.settings["PARALLELISM"])
    driver = session_driver("create_rooms", "wait_for_session_end", end_sessions=False)
    run_id = deployment.trigger(
        "deployment_session_waits", {"batch": f"slots-{uuid.uuid4().hex[:8]}", "count": count}
    )

    wait_until(lambda: driver() or len(driver.held) == count, what=f"{count} deferred waits")

    assert deployment.sql(
        "SELECT count(*) FROM task_instance WHERE run_id = %s AND state IN ('running', 'queued')", run_id
    ) == [(0,)]
    driver.end_held()
    finished = deployment.wait_for_runs([("deployment_session_waits", run_id)], RUN_TIMEOUT)
    assert states(finished) == {("deployment_session_waits", run_id): "success"}


def test_two_workers_creating_the_same_rooms_at_once_create_each_room_once(deployment: Deployment) -> None:
    batch = f"same-rooms-{uuid.uuid4().hex[:8]}"
    deployment.emulator("POST", "latency", seconds=0.05)
    try:
        run_id = deployment.trigger("deployment_same_rooms_twice", {"batch": batch, "count": 40})
        finished = deployment.wait_for_runs([("deployment_same_rooms_twice", run_id)], RUN_TIMEOUT)
    finally:
        deployment.emulator("POST", "latency", seconds=0)

    assert states(finished) == {("deployment_same_rooms_twice", run_id): "success"}
    tasks = {ti["task_id"]: ti for ti in deployment.task_instances("deployment_same_rooms_twice", run_id)}
    first, second = tasks["create_rooms_on_worker_1"], tasks["create_rooms_on_worker_2"]
    assert first["start_date"] < second["end_date"]
    assert second["start_date"] < first["end_date"]
    assert (first["queue"], second["queue"]) == ("worker-1", "worker-2")
    assert deployment.xcom("deployment_same_rooms_twice", run_id, first["task_id"]) == deployment.xcom(
        "deployment_same_rooms_twice", run_id, second["task_id"]
    )
    assert rooms_with_prefix(deployment, batch) == Counter({f"{batch}-{n:03d}": 1 for n in range(40)})


def test_a_worker_killed_mid_batch_retries_without_creating_a_room_twice(deployment: Deployment) -> None:
    batch = f"killed-{uuid.uuid4().hex[:8]}"
    deployment.emulator("POST", "latency", seconds=0.3)
    try:
        run_id = deployment.trigger("deployment_room_batch", {"batch": batch, "count": 30})
        wait_until(lambda: len(rooms_with_prefix(deployment, batch)) >= 5, what="the batch to be under way")
        (ti,) = [
            t
            for t in deployment.task_instances("deployment_room_batch", run_id)
            if t["task_id"] == "create_rooms"
        ]
        assert ti["state"] == "running"
        deployment.crash_task_worker(ti)
        finished = deployment.wait_for_runs([("deployment_room_batch", run_id)], RUN_TIMEOUT)
    finally:
        deployment.emulator("POST", "latency", seconds=0)
        deployment.restore()

    assert states(finished) == {("deployment_room_batch", run_id): "success"}
    (ti,) = [
        t
        for t in deployment.task_instances("deployment_room_batch", run_id)
        if t["task_id"] == "create_rooms"
    ]
    assert ti["try_number"] >= 2
    assert rooms_with_prefix(deployment, batch) == Counter({f"{batch}-{n:03d}": 1 for n in range(30)})
    assert len(deployment.xcom("deployment_room_batch", run_id, "create_rooms")) == 30


def test_the_scheduler_killed_and_restarted_during_a_session_wait(
    deployment: Deployment, session_driver: Callable[..., SessionDriver]
) -> None:
    driver = session_driver("create_room", "wait_for_session_end", end_sessions=False)
    run_id = deployment.trigger("deployment_session_wait")
    deferred_wait(deployment, driver, run_id)

    deployment.kill("scheduler")
    driver.end_held()
    deployment.start("scheduler")

    finished = deployment.wait_for_runs([("deployment_session_wait", run_id)], RUN_TIMEOUT)
    assert states(finished) == {("deployment_session_wait", run_id): "success"}
    assert deployment.xcom("deployment_session_wait", run_id, "report")
    assert rooms_with_prefix(deployment, f"wait-{run_id}") == Counter({f"wait-{run_id}": 1})


def test_the_triggerer_restarted_while_a_wait_is_deferred_resumes_it(
    deployment: Deployment, session_driver: Callable[..., SessionDriver]
) -> None:
    driver = session_driver("create_room", "wait_for_session_end", end_sessions=False)
    run_id = deployment.trigger("deployment_session_wait")

    def holder() -> int | None:
        rows = deployment.sql(
            "SELECT t.triggerer_id FROM task_instance ti JOIN trigger t ON t.id = ti.trigger_id"
            " WHERE ti.run_id = %s AND ti.task_id = 'wait_for_session_end'",
            run_id,
        )
        return rows[0][0] if rows else None

    deferred_wait(deployment, driver, run_id)
    first_triggerer = holder()

    deployment.kill("triggerer")
    deployment.start("triggerer")
    wait_until(
        lambda: holder() not in (None, first_triggerer), what="the new triggerer to take the wait over"
    )
    driver.end_held()

    finished = deployment.wait_for_runs([("deployment_session_wait", run_id)], RUN_TIMEOUT)
    assert states(finished) == {("deployment_session_wait", run_id): "success"}
    assert deployment.xcom("deployment_session_wait", run_id, "report")
    assert rooms_with_prefix(deployment, f"wait-{run_id}") == Counter({f"wait-{run_id}": 1})
