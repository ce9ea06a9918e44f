"""
Exam day: one room per exam hall in a single batch task, and one per oral exam by task mapping.

``CreateRoomsOperator`` takes a list of Create Room bodies (the API's camelCase keys) and creates
them in one task, ``max_concurrency`` requests at a time: one task instance, one log and one XCom
list, however many rooms. Every body carries a ``customRoomId`` built from the day, so a retry of
the task, or a second run on the same day, creates nothing new.

The oral exams use dynamic task mapping instead: ``CreateRoomOperator.partial().expand_kwargs()``
makes one task instance per room, each with its own retries, log and room link. That suits a
handful of rooms worth watching one by one; for hundreds, one batch task is far faster and
lighter on the scheduler.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline.
"""

from __future__ import annotations

import datetime
from typing import Any

from airflow.sdk import DAG, task

from videosdk_provider.operators.rooms import CreateRoomOperator, CreateRoomsOperator

with DAG(
    dag_id="example_videosdk_batch_rooms",
    description="Create every exam room of the day: a batch task for the halls, mapped tasks for oral exams",
    schedule="0 6 * * 1-5",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_rooms]
    @task
    def exam_halls(**context: Any) -> list[dict[str, Any]]:
        """List today's exam-hall rooms as Create Room bodies (in real life: read the timetable)."""
        day = context["dag_run"].run_after.strftime("%Y-%m-%d")
        return [
            {
                "customRoomId": f"exam-hall-{hall:02d}-{day}",
                "autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 180},
                "webhook": {
                    "endPoint": "https://hooks.example.com/videosdk",
                    "events": ["session-*", "recording-*"],
                },
            }
            for hall in range(1, 25)
        ]

    hall_rooms = CreateRoomsOperator(task_id="create_exam_hall_rooms", rooms=exam_halls(), max_concurrency=8)
    # [END howto_operator_videosdk_create_rooms]

    # [START howto_operator_videosdk_create_room_mapped]
    @task
    def oral_exams(**context: Any) -> list[dict[str, Any]]:
        """List today's oral exams as ``CreateRoomOperator`` arguments: one mapped task each."""
        day = context["dag_run"].run_after.strftime("%Y-%m-%d")
        return [
            {
                "custom_room_id": f"oral-exam-{language}-{day}",
                "auto_close_config": {"type": "session-end-and-deactivate", "duration": 30},
            }
            for language in ("french", "german", "spanish")
        ]

    oral_rooms = CreateRoomOperator.partial(task_id="create_oral_exam_room").expand_kwargs(oral_exams())
    # [END howto_operator_videosdk_create_room_mapped]

    @task
    def publish_timetable(halls: list[str], orals: list[str]) -> dict[str, list[str]]:
        """Collect the day's rooms, in timetable order, for the exam office."""
        return {"exam_halls": list(halls), "oral_exams": list(orals)}

    publish_timetable(hall_rooms.output, oral_rooms.output)
