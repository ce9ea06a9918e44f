"""
A room that subscribes Airflow's own webhook receiver (``tests/webhooks/test_end_to_end.py``).

The run's ``receiver_url`` param is the API server's ``/videosdk/webhooks``; the room subscribes
every session event and ``recording-stopped`` there. The task returns the roomId.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.operators.rooms import CreateRoomOperator

with DAG(
    dag_id="videosdk_webhook_room",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    params={"receiver_url": Param("http://127.0.0.1:8080/videosdk/webhooks", type="string")},
):
    CreateRoomOperator(
        task_id="create_room",
        custom_room_id="webhooks-{{ run_id }}",
        webhook={"endPoint": "{{ params.receiver_url }}", "events": ["session-*", "recording-stopped"]},
    )
