"""
Closing time at the support desk: end the day's call, confirm it ended, and report on the room.

1. ``list_recent_rooms`` lists the account's newest rooms for the audit log (without the account
   owner's details).
2. ``validate_room`` checks that the desk's room (by its customRoomId) exists and is active, and
   resolves it to the roomId. When the room is gone the task is skipped, and so is the rest of the
   run: there is nothing to close.
3. ``end_session`` ends the call still running in the room, if any; with none it succeeds with
   nothing to do, so a retry is safe.
4. ``confirm_session_ended`` waits in poke mode (a short wait, so holding a worker slot is fine)
   until the room's latest session has ended.
5. ``get_room`` fetches the room for the day's report.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.operators.rooms import GetRoomOperator, ListRoomsOperator, ValidateRoomOperator
from videosdk_provider.operators.sessions import EndSessionOperator
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor

with DAG(
    dag_id="example_videosdk_support_desk",
    description="Close the support desk's VideoSDK room for the day: end its call and report on it",
    schedule="0 18 * * 1-5",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={"desk_room": Param("support-desk", type="string")},
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_list_rooms]
    list_recent_rooms = ListRoomsOperator(task_id="list_recent_rooms", max_rooms=50)
    # [END howto_operator_videosdk_list_rooms]

    # [START howto_operator_videosdk_validate_room]
    validate_room = ValidateRoomOperator(
        task_id="validate_room",
        room_id="{{ params.desk_room }}",
        soft_fail=True,
    )
    # [END howto_operator_videosdk_validate_room]

    # [START howto_operator_videosdk_end_session]
    end_session = EndSessionOperator(task_id="end_session", room_id=validate_room.output)
    # [END howto_operator_videosdk_end_session]

    # [START howto_sensor_videosdk_session_poke]
    confirm_session_ended = VideoSDKSessionSensor(
        task_id="confirm_session_ended",
        room_id=validate_room.output,
        target="ended",
        mode="poke",
        deferrable=False,
        poke_interval=5,
        timeout=300,
    )
    # [END howto_sensor_videosdk_session_poke]

    # [START howto_operator_videosdk_get_room]
    get_room = GetRoomOperator(task_id="get_room", room_id=validate_room.output)
    # [END howto_operator_videosdk_get_room]

    list_recent_rooms >> validate_room >> end_session >> confirm_session_ended >> get_room
