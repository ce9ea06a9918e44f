"""
One run, three rooms, for the "VideoSDK room" extra link (``tests/links/``).

The connections are set by the test: ``videosdk_meeting`` has a ``meeting_url_template`` extra,
``videosdk_default`` has none, and ``videosdk_meeting_bad_secret`` has the template but a wrong
secret, so its task fails without a room. The first room is then validated (the task returns its
roomId) and fetched (the task returns the whole room), both through ``videosdk_meeting``.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG

from videosdk_provider.operators.rooms import CreateRoomOperator, GetRoomOperator, ValidateRoomOperator

with DAG(
    dag_id="videosdk_room_link",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
):
    created = CreateRoomOperator(
        task_id="with_template", custom_room_id="linked-{{ run_id }}", videosdk_conn_id="videosdk_meeting"
    )
    CreateRoomOperator(task_id="without_template")
    CreateRoomOperator(task_id="failed_create", videosdk_conn_id="videosdk_meeting_bad_secret")
    (
        ValidateRoomOperator(
            task_id="validated", room_id="linked-{{ run_id }}", videosdk_conn_id="videosdk_meeting"
        )
        << created
    )
    (
        GetRoomOperator(task_id="fetched", room_id="linked-{{ run_id }}", videosdk_conn_id="videosdk_meeting")
        << created
    )
