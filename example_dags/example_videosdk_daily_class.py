"""
A daily class: every weekday morning, create the class's VideoSDK room and send the invite.

The room's ``customRoomId`` comes from the run's date, so the task is idempotent: a retry, or a
second run on the same day, gets the same room back instead of creating another one. The room
closes itself 90 minutes into the session and is then deactivated (one class per room), and the
webhook reports the session and recording events. The invite task reads the roomId from XCom.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline.
"""

from __future__ import annotations

import datetime
from typing import Any

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.rooms import CreateRoomOperator

with DAG(
    dag_id="example_videosdk_daily_class",
    description="Create a VideoSDK room for each weekday class and build its invite",
    schedule="0 9 * * 1-5",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    # Safe because each room's customRoomId comes from the run's date: a retry gets the same room back.
    default_args={"retries": 2, "retry_delay": datetime.timedelta(minutes=2)},
    max_active_runs=1,
    params={
        "class_name": Param("Python 101", type="string"),
        "webhook_url": Param("https://hooks.example.com/videosdk", type="string"),
        "join_url_template": Param("https://meet.example.com/{room_id}", type="string"),
    },
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_room]
    create_room = CreateRoomOperator(
        task_id="create_room",
        custom_room_id="daily-class-{{ dag_run.run_after | ds }}",
        webhook={
            "endPoint": "{{ params.webhook_url }}",
            "events": ["session-started", "session-ended", "recording-*"],
        },
        auto_close_config={"type": "session-end-and-deactivate", "duration": 90},
    )
    # [END howto_operator_videosdk_create_room]

    # [START howto_operator_videosdk_create_room_xcom]
    @task
    def build_invite(room_id: str, **context: Any) -> str:
        """Write the invitation that goes out to the class, with its join link."""
        params = context["params"]
        link = params["join_url_template"].format(room_id=room_id)
        return f"Today's {params['class_name']} class starts at 09:00 UTC. Join here: {link}"

    build_invite(create_room.output)
    # [END howto_operator_videosdk_create_room_xcom]
