"""
A class from start to finish: its room, the join links, the session, a report, and retiring the room.

1. ``create_room`` creates the class's room. Its ``customRoomId`` comes from the class name and the
   run's date, so a retry (or a second run that day) gets the same room back. The room closes a
   session after two hours at the latest.
2. ``send_join_links`` signs one join token per person, valid for this room and this person only
   (role ``rtc``: it can join, not call the REST API); the host may also moderate. Each invitation
   is written to the outbox directory that your mailer sends from. Tokens never reach XCom, and
   the logs mask them.
3. ``wait_for_class_to_end`` waits in the triggerer (deferred: no worker slot is held) until the
   room's session has ended, and passes the session on.
4. ``summarise_class`` fetches who attended and for how long, and how long the class ran, into
   XCom for your reports.
5. ``deactivate_room`` retires the room, so that no session can start in it again.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline; the test suite
does, with a simulated class that the attendees join.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.rooms import CreateRoomOperator, DeactivateRoomOperator
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor


def seconds_between(start: str, end: str) -> float:
    """Return the seconds from one API timestamp (ISO-8601, ``Z`` for UTC) to another."""
    parse = datetime.datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


with DAG(
    dag_id="example_videosdk_class_lifecycle",
    description="Run a VideoSDK class: room, join links, wait for the session, report, retire the room",
    schedule="0 14 * * 3",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={
        "class_name": Param("design-review", type="string", pattern="^[a-z0-9-]+$"),
        "host": Param("turing", type="string"),
        "attendees": Param(["ada", "grace", "linus"], type="array", items={"type": "string"}),
        "join_url": Param("https://meet.example.com/join", type="string"),
        "invite_outbox": Param("/tmp/videosdk-class-invites", type="string"),
    },
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_room_lifecycle]
    create_room = CreateRoomOperator(
        task_id="create_room",
        custom_room_id="{{ params.class_name }}-{{ dag_run.run_after | ds }}",
        auto_close_config={"type": "session-ends", "duration": 120},
    )
    # [END howto_operator_videosdk_create_room_lifecycle]

    # [START howto_hook_videosdk_participant_token]
    @task
    def send_join_links(room_id: str, **context: Any) -> list[str]:
        """Sign everyone's join link and write their invitation to the outbox; return who was invited."""
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        params = context["params"]
        hook = VideoSDKHook()
        outbox = Path(params["invite_outbox"]) / room_id
        outbox.mkdir(parents=True, exist_ok=True)
        people = {params["host"]: ["allow_join", "allow_mod"]}
        people.update({attendee: ["allow_join"] for attendee in params["attendees"]})
        for person, permissions in people.items():
            token = hook.participant_token(
                room_id=room_id, participant_id=person, permissions=permissions, ttl=4 * 3600
            )
            query = urlencode({"roomId": room_id, "participantId": person, "token": token})
            invitation = f"Hi {person}, join the {params['class_name']} class: {params['join_url']}?{query}\n"
            (outbox / f"{person}.txt").write_text(invitation)
        return list(people)

    # [END howto_hook_videosdk_participant_token]

    # [START howto_sensor_videosdk_session_deferrable]
    wait_for_class_to_end = VideoSDKSessionSensor(
        task_id="wait_for_class_to_end",
        room_id=create_room.output,
        target="ended",
        deferrable=True,
        poke_interval=60,
        timeout=6 * 3600,
    )
    # [END howto_sensor_videosdk_session_deferrable]

    # [START howto_hook_videosdk_iter_participants]
    @task
    def summarise_class(session: dict[str, Any]) -> dict[str, Any]:
        """Report how long the class ran and who attended for how long."""
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        attendance = [
            {
                "participantId": participant["participantId"],
                "name": participant.get("name"),
                "secondsPresent": sum(
                    seconds_between(stay["start"], stay["end"])
                    for stay in participant.get("timelog", [])
                    if stay.get("start") and stay.get("end")
                ),
            }
            for participant in VideoSDKHook().iter_participants(session["id"])
        ]
        return {
            "sessionId": session["id"],
            "start": session["start"],
            "end": session["end"],
            "durationSeconds": seconds_between(session["start"], session["end"]),
            "participants": attendance,
        }

    # [END howto_hook_videosdk_iter_participants]

    # [START howto_operator_videosdk_deactivate_room]
    deactivate_room = DeactivateRoomOperator(task_id="deactivate_room", room_id=create_room.output)
    # [END howto_operator_videosdk_deactivate_room]

    send_join_links(create_room.output) >> wait_for_class_to_end
    summarise_class(wait_for_class_to_end.output) >> deactivate_room
