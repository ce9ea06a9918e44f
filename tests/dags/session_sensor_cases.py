"""DAGs that wait for a VideoSDK session with VideoSDKSessionSensor: poke, reschedule and deferrable mode."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.sensors.sessions import VideoSDKSessionSensor

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
PARAMS = {"room_id": Param("", type="string")}

for name, mode, deferrable in (
    ("poke", "poke", False),
    ("reschedule", "reschedule", False),
    ("deferred", "poke", True),
):
    with DAG(dag_id=f"session_sensor_{name}", schedule=None, start_date=START, params=PARAMS):
        started, ended = (
            VideoSDKSessionSensor(
                task_id=f"wait_{target}",
                room_id="{{ params.room_id }}",
                target=target,
                mode=mode,
                deferrable=deferrable,
                poke_interval=0.1,
                timeout=30,
            )
            for target in ("started", "ended")
        )
        started >> ended

with DAG(dag_id="session_sensor_deferred_timeout", schedule=None, start_date=START, params=PARAMS):
    for soft_fail in (False, True):
        VideoSDKSessionSensor(
            task_id="times_out_softly" if soft_fail else "times_out",
            room_id="{{ params.room_id }}",
            deferrable=True,
            poke_interval=0.1,
            timeout=0.5,
            soft_fail=soft_fail,
        )
