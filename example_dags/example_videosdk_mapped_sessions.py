"""
One room per session, from an upstream list: dynamic task mapping over ``CreateRoomOperator``.

An upstream task returns the day's office-hours sessions; ``expand_kwargs`` creates one room per
session (each with its own ``customRoomId`` and auto-close time), and ``expand`` creates one room
per stand-up team from a plain list of ids. The mapped roomIds arrive downstream as one list.

Mapping gives one task instance per room: its own retries, logs and XCom. For hundreds of rooms
in one task, see ``CreateRoomsOperator`` instead.
"""

from __future__ import annotations

import datetime
from typing import Any

from airflow.sdk import DAG, task

from videosdk_provider.operators.rooms import CreateRoomOperator

with DAG(
    dag_id="example_videosdk_mapped_sessions",
    description="Create one VideoSDK room per scheduled session with dynamic task mapping",
    schedule="0 7 * * *",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    # Safe because each room's customRoomId comes from the run's date: a retry gets the same room back.
    default_args={"retries": 2, "retry_delay": datetime.timedelta(minutes=2)},
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_room_expand_kwargs]
    @task
    def todays_office_hours(**context: Any) -> list[dict[str, Any]]:
        """Return the sessions to host today (in real life: read from a calendar or database)."""
        day = context["dag_run"].run_after.strftime("%Y-%m-%d")
        sessions = [("maths", 30), ("physics", 45), ("chemistry", 60)]
        return [
            {
                "custom_room_id": f"office-hours-{subject}-{day}",
                "auto_close_config": {"type": "session-ends", "duration": minutes},
            }
            for subject, minutes in sessions
        ]

    office_hours_rooms = CreateRoomOperator.partial(
        task_id="create_office_hours_room",
        webhook={"endPoint": "https://hooks.example.com/videosdk", "events": ["session-*"]},
    ).expand_kwargs(todays_office_hours())
    # [END howto_operator_videosdk_create_room_expand_kwargs]

    # [START howto_operator_videosdk_create_room_expand]
    standup_rooms = CreateRoomOperator.partial(
        task_id="create_standup_room",
        auto_close_config={"type": "session-end-and-deactivate", "duration": 15},
    ).expand(
        custom_room_id=[
            f"standup-{team}-{{{{ dag_run.run_after | ds }}}}" for team in ("web", "mobile", "data")
        ]
    )
    # [END howto_operator_videosdk_create_room_expand]

    @task
    def publish_schedule(office_hours: list[str], standups: list[str]) -> dict[str, list[str]]:
        """Collect every room created today into one schedule."""
        return {"office_hours": list(office_hours), "standups": list(standups)}

    publish_schedule(office_hours_rooms.output, standup_rooms.output)
