"""
DAGs for the deployment tests (``tests/deployment/``), run by a real scheduler, executor and triggerer.

``deployment_session_wait`` creates a room and waits in the triggerer for its session to end.
``deployment_session_waits`` does the same for ``params.count`` rooms at once (one mapped sensor
each), to hold many deferred waits in one triggerer. ``deployment_room_batch`` creates a batch of
rooms with ``customRoomId``s, retried after a crash. ``deployment_same_rooms_twice`` creates the
same batch in two tasks at once, one per Celery worker queue.
"""

from __future__ import annotations

import datetime
from typing import Any

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.rooms import CreateRoomOperator, CreateRoomsOperator
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
RETRY_AT_ONCE = {"retries": 2, "retry_delay": datetime.timedelta(0)}
WAIT = {"target": "ended", "deferrable": True, "poke_interval": 2, "timeout": 1800}
BATCH_PARAMS = {"batch": Param("batch", type="string"), "count": Param(20, type="integer")}


@task
def batch_bodies(**context: Any) -> list[dict[str, Any]]:
    """Create Room bodies ``<batch>-<n>`` for the run's batch: the same ids in every run of a batch."""
    params = context["params"]
    return [{"customRoomId": f"{params['batch']}-{number:03d}"} for number in range(params["count"])]


with DAG(dag_id="deployment_session_wait", schedule=None, start_date=START, catchup=False):
    room = CreateRoomOperator(task_id="create_room", custom_room_id="wait-{{ run_id }}")
    wait = VideoSDKSessionSensor(task_id="wait_for_session_end", room_id=room.output, **WAIT)

    @task
    def report(session: dict[str, Any]) -> str:
        """Return the id of the session that ended."""
        return str(session["id"])

    report(wait.output)

with DAG(
    dag_id="deployment_session_waits", schedule=None, start_date=START, catchup=False, params=BATCH_PARAMS
):
    rooms = CreateRoomsOperator(task_id="create_rooms", rooms=batch_bodies(), max_concurrency=8)
    # Polled less often than a single wait: hundreds of these share one triggerer.
    VideoSDKSessionSensor.partial(task_id="wait_for_session_end", **{**WAIT, "poke_interval": 10}).expand(
        room_id=rooms.output
    )

with DAG(dag_id="deployment_room_batch", schedule=None, start_date=START, catchup=False, params=BATCH_PARAMS):
    CreateRoomsOperator(task_id="create_rooms", rooms=batch_bodies(), max_concurrency=1, **RETRY_AT_ONCE)

with DAG(
    dag_id="deployment_same_rooms_twice", schedule=None, start_date=START, catchup=False, params=BATCH_PARAMS
):
    bodies = batch_bodies()
    for worker in ("worker-1", "worker-2"):
        CreateRoomsOperator(
            task_id=f"create_rooms_on_{worker.replace('-', '_')}",
            rooms=bodies,
            max_concurrency=4,
            queue=worker,
        )
