"""DAGs that exercise CreateRoomOperator's templating, body building and XCom in real runs."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.operators.rooms import CreateRoomOperator

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

with DAG(
    dag_id="create_room_templated",
    schedule=None,
    start_date=START,
    params={
        "prefix": Param("class", type="string"),
        "webhook_url": Param("https://hooks.example.com/videosdk", type="string"),
        "event": Param("session-started", type="string"),
        "close_type": Param("session-ends", type="string"),
        "region": Param("eu001", type="string"),
        "conn_id": Param("videosdk_default", type="string"),
    },
):
    CreateRoomOperator(
        task_id="create_room",
        custom_room_id="{{ params.prefix }}-{{ dag_run.run_after | ds }}",
        webhook={"endPoint": "{{ params.webhook_url }}", "events": ["{{ params.event }}", "recording-*"]},
        auto_close_config={"type": "{{ params.close_type }}", "duration": 45},
        extra_body={"geoFence": "{{ params.region }}"},
        videosdk_conn_id="{{ params.conn_id }}",
    )

with DAG(dag_id="create_room_bare", schedule=None, start_date=START):
    CreateRoomOperator(task_id="create_room")

with DAG(
    dag_id="create_room_native",
    schedule=None,
    start_date=START,
    render_template_as_native_obj=True,
    params={"minutes": Param(25, type="integer")},
):
    CreateRoomOperator(
        task_id="create_room",
        auto_close_config={"type": "session-end-and-deactivate", "duration": "{{ params.minutes }}"},
    )
