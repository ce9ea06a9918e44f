"""
DAGs for the batch-create suite (``tests/performance/``): CreateRoomsOperator under task retries.

``batch_rooms_retried`` gives every item a ``customRoomId`` from the run, so an Airflow retry
after a partial failure creates only the rooms that are missing. ``batch_rooms_without_ids`` has
none, so a partial failure must fail the task without a retry (it would create every room again),
leaving the rooms it did create in XCom.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG

from videosdk_provider.operators.rooms import CreateRoomsOperator

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
ONE_IMMEDIATE_RETRY = {"retries": 1, "retry_delay": datetime.timedelta(0)}
CLOSE_AFTER_THE_SESSION = {"type": "session-ends", "duration": 30}

with DAG(dag_id="batch_rooms_retried", schedule=None, start_date=START, catchup=False):
    CreateRoomsOperator(
        task_id="create_rooms",
        rooms=[
            {"customRoomId": f"retried-{number}-{{{{ run_id }}}}", "autoCloseConfig": CLOSE_AFTER_THE_SESSION}
            for number in range(6)
        ],
        max_concurrency=1,
        **ONE_IMMEDIATE_RETRY,
    )

with DAG(dag_id="batch_rooms_without_ids", schedule=None, start_date=START, catchup=False):
    CreateRoomsOperator(
        task_id="create_rooms",
        rooms=[{"autoCloseConfig": CLOSE_AFTER_THE_SESSION} for _ in range(4)],
        max_concurrency=1,
        **ONE_IMMEDIATE_RETRY,
    )
