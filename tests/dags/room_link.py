"""
One run, three rooms, for the "VideoSDK room" extra link (``tests/links/``).

The connections are set by the test: ``videosdk_meeting`` has a ``meeting_url_template`` extra,
``videosdk_default`` has none, and ``videosdk_meeting_bad_secret`` has the template but a wrong
secret, so its task fails without a room.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG

from videosdk_provider.operators.rooms import CreateRoomOperator

with DAG(
    dag_id="videosdk_room_link",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
):
    CreateRoomOperator(task_id="with_template", videosdk_conn_id="videosdk_meeting")
    CreateRoomOperator(task_id="without_template")
    CreateRoomOperator(task_id="failed_create", videosdk_conn_id="videosdk_meeting_bad_secret")
