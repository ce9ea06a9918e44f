"""A DAG that takes a room through its lifecycle with the room and session operators."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, chain, task

from videosdk_provider.operators.rooms import (
    CreateRoomOperator,
    DeactivateRoomOperator,
    GetRoomOperator,
    ListRoomsOperator,
    ValidateRoomOperator,
)
from videosdk_provider.operators.sessions import EndSessionOperator

with DAG(
    dag_id="room_lifecycle_operators",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
):
    create_room = CreateRoomOperator(task_id="create_room", custom_room_id="operators-room")

    @task
    def after_validation() -> None:
        """Stand for the work that needs a valid room."""

    chain(
        create_room,
        ValidateRoomOperator(task_id="validate_room", room_id="operators-room"),
        GetRoomOperator(task_id="get_room", room_id=create_room.output),
        ListRoomsOperator(task_id="list_rooms", max_rooms=5),
        EndSessionOperator(task_id="end_session", room_id=create_room.output),
        DeactivateRoomOperator(
            task_id="deactivate_room", room_id="{{ ti.xcom_pull(task_ids='create_room') }}"
        ),
        ValidateRoomOperator(task_id="validate_deactivated_room", room_id=create_room.output, soft_fail=True),
        after_validation(),
    )
