"""
Room creation under Airflow's own task retries, for the reliability suite (``tests/reliability/``).

``reliability_idempotent_create`` derives its ``customRoomId`` from the run, so a task retry after
a lost answer gets the same room back. ``reliability_create_without_custom_room_id`` has none, so
a lost answer must fail its task without a retry: a retry could create a second room.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG

from videosdk_provider.operators.rooms import CreateRoomOperator

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
ONE_IMMEDIATE_RETRY = {"retries": 1, "retry_delay": datetime.timedelta(0)}

with DAG(dag_id="reliability_idempotent_create", schedule=None, start_date=START, catchup=False):
    CreateRoomOperator(
        task_id="create_room",
        custom_room_id="reliability-{{ run_id }}",
        webhook={"endPoint": "https://hooks.example.com/videosdk", "events": ["session-*"]},
        **ONE_IMMEDIATE_RETRY,
    )

with DAG(dag_id="reliability_create_without_custom_room_id", schedule=None, start_date=START, catchup=False):
    CreateRoomOperator(task_id="create_room", **ONE_IMMEDIATE_RETRY)
