"""DAGs that record a VideoSDK session and wait for its files and transcription, poke and deferrable."""

from __future__ import annotations

import datetime
from typing import Any

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.recordings import StartRecordingOperator, StopRecordingOperator
from videosdk_provider.sensors.post_transcriptions import VideoSDKPostTranscriptionSensor
from videosdk_provider.sensors.recordings import VideoSDKRecordingsSensor

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
ROOM = "{{ params.room_id }}"
SESSION = "{{ params.session_id }}"

for deferrable in (False, True):
    with DAG(
        dag_id=f"recording_lifecycle_{'deferred' if deferrable else 'poke'}",
        schedule=None,
        start_date=START,
        params={
            "room_id": Param("", type="string"),
            "session_id": Param("", type="string"),
            "prompt": Param("List the action items", type="string"),
        },
    ):
        start = StartRecordingOperator(
            task_id="start",
            room_id=ROOM,
            config={"layout": {"type": "GRID", "gridSize": 2}, "quality": "high"},
            transcription={"enabled": True, "summary": {"enabled": True, "prompt": "{{ params.prompt }}"}},
        )
        stop = StopRecordingOperator(task_id="stop", room_id=ROOM)
        stop_again = StopRecordingOperator(task_id="stop_again", room_id=ROOM)
        recordings = VideoSDKRecordingsSensor(
            task_id="wait_recordings",
            room_id=ROOM,
            session_id=SESSION,
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=30,
        )
        transcription = VideoSDKPostTranscriptionSensor(
            task_id="wait_transcription",
            session_id=SESSION,
            require_summary=True,
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=30,
        )
        start >> stop >> stop_again >> [recordings, transcription]

    with DAG(
        dag_id=f"media_sensor_failures_{'deferred' if deferrable else 'poke'}",
        schedule=None,
        start_date=START,
        params={
            "room_id": Param("", type="string"),
            "failed_recording_session": Param("", type="string"),
            "failed_transcription_session": Param("", type="string"),
        },
    ):
        VideoSDKRecordingsSensor(
            task_id="wait_recordings",
            room_id=ROOM,
            session_id="{{ params.failed_recording_session }}",
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=30,
        )
        VideoSDKPostTranscriptionSensor(
            task_id="wait_transcription",
            session_id="{{ params.failed_transcription_session }}",
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=30,
        )

with DAG(
    dag_id="media_sensor_timeouts",
    schedule=None,
    start_date=START,
    params={"room_id": Param("", type="string"), "session_id": Param("", type="string")},
):
    for deferrable in (False, True):
        mode = "deferred" if deferrable else "poke"
        VideoSDKRecordingsSensor(
            task_id=f"wait_recordings_{mode}",
            room_id=ROOM,
            session_id=SESSION,
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=0.5,
        )
        VideoSDKPostTranscriptionSensor(
            task_id=f"wait_transcription_{mode}",
            session_id=SESSION,
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=0.5,
            soft_fail=True,
        )

with DAG(
    dag_id="recording_stop_strict",
    schedule=None,
    start_date=START,
    params={"room_id": Param("", type="string")},
):
    StopRecordingOperator(task_id="stop", room_id=ROOM, fail_if_not_recording=True)

with DAG(
    dag_id="recording_stop_mapped",
    schedule=None,
    start_date=START,
    params={"room_ids": Param([], type="array")},
):

    @task
    def rooms(params: dict[str, Any] | None = None) -> list[str]:
        return list((params or {})["room_ids"])

    StopRecordingOperator.partial(task_id="stop_each").expand(room_id=rooms())

with DAG(
    dag_id="recording_pre_signed",
    schedule=None,
    start_date=START,
    params={"room_id": Param("", type="string")},
):
    # The upload URL comes from a Variable (``AIRFLOW_VAR_VIDEOSDK_TEST_UPLOAD_URL`` in tests).
    StartRecordingOperator(
        task_id="start", room_id=ROOM, pre_signed_url="{{ var.value.videosdk_test_upload_url }}"
    )
