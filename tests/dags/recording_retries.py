"""A recording start under Airflow's own task retries: a retry after a lost answer must not start twice."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.operators.recordings import StartRecordingOperator

with DAG(
    dag_id="recording_start_retried",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    params={"room_id": Param("", type="string")},
):
    StartRecordingOperator(
        task_id="start",
        room_id="{{ params.room_id }}",
        retries=1,
        retry_delay=datetime.timedelta(0),
    )
