"""
After class: keep what happened. Record the class, transcribe and summarise it, archive the files.

1. ``create_room`` creates the class's room with ``autoStartConfig``: VideoSDK records each session
   from its start, and once the recording stops it transcribes it and writes an AI summary. The
   ``customRoomId`` comes from the class name and the run's date, so a retry gets the same room.
2. ``wait_for_class_to_end`` waits in the triggerer (no worker slot held) until the session ends.
3. ``wait_for_recording`` and ``wait_for_transcript`` wait, deferred too, until the session's
   recording file is ready and its transcript and summary are completed. A failed recording or
   transcription fails them at once.
4. ``archive`` copies the recording, the transcript and the summary into object storage: a folder
   under ``AIRFLOW_HOME`` by default, or S3 through an ``aws`` connection. Each file is streamed,
   checked and recorded with its SHA-256; a retry copies only what is missing.
5. ``read_summary`` reads the archived summary back and pushes its text to XCom, for your report
   or your mailer.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline; the test suite
does, with a simulated class that ends a second after it starts.
"""

from __future__ import annotations

import datetime
import os

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.rooms import CreateRoomOperator
from videosdk_provider.sensors.post_transcriptions import VideoSDKPostTranscriptionSensor
from videosdk_provider.sensors.recordings import VideoSDKRecordingsSensor
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor
from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator

# [START howto_transfer_videosdk_destination]
# Any Airflow object storage URI: a folder under AIRFLOW_HOME, or a bucket through a connection.
AIRFLOW_HOME = os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow"))
ARCHIVE = f"file://{AIRFLOW_HOME}/videosdk-archive/"
# ARCHIVE = "s3://aws_default@my-class-archive/videosdk/"
# [END howto_transfer_videosdk_destination]

SUMMARY_PROMPT = "Write the summary in sections: Topics, Questions asked, Action items"

with DAG(
    dag_id="example_videosdk_after_class",
    description="Record a VideoSDK class, wait for its recording, transcript and summary, archive them",
    schedule="0 14 * * 2",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={
        "class_name": Param("statistics", type="string", pattern="^[a-z0-9-]+$"),
        "archive": Param(ARCHIVE, type="string"),
    },
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_room_recorded]
    create_room = CreateRoomOperator(
        task_id="create_room",
        custom_room_id="{{ params.class_name }}-{{ dag_run.run_after | ds }}",
        auto_close_config={"type": "session-ends", "duration": 120},
        auto_start_config={
            "recording": {
                "config": {"layout": {"type": "SPOTLIGHT", "priority": "SPEAKER", "gridSize": 2}},
                "transcription": {"enabled": True, "summary": {"enabled": True, "prompt": SUMMARY_PROMPT}},
            }
        },
    )
    # [END howto_operator_videosdk_create_room_recorded]

    # [START howto_sensor_videosdk_recording_and_transcript]
    wait_for_class_to_end = VideoSDKSessionSensor(
        task_id="wait_for_class_to_end",
        room_id=create_room.output,
        target="ended",
        deferrable=True,
        poke_interval=60,
        timeout=6 * 3600,
    )
    # The ended session's id, from the session sensor's XCom.
    session_id = "{{ ti.xcom_pull(task_ids='wait_for_class_to_end')['id'] }}"
    wait_for_recording = VideoSDKRecordingsSensor(
        task_id="wait_for_recording",
        room_id=create_room.output,
        session_id=session_id,
        deferrable=True,
        poke_interval=30,
        timeout=2 * 3600,
    )
    wait_for_transcript = VideoSDKPostTranscriptionSensor(
        task_id="wait_for_transcript",
        session_id=session_id,
        require_summary=True,
        deferrable=True,
        poke_interval=30,
        timeout=2 * 3600,
    )
    # [END howto_sensor_videosdk_recording_and_transcript]

    # [START howto_transfer_videosdk_to_object_storage]
    archive = VideoSDKToObjectStorageOperator(
        task_id="archive",
        session_id=session_id,
        room_id=create_room.output,
        destination="{{ params.archive }}",
        include=["recordings", "transcriptions"],
        retries=3,
        retry_delay=datetime.timedelta(minutes=1),
    )
    # [END howto_transfer_videosdk_to_object_storage]

    # [START howto_transfer_videosdk_read_archived_summary]
    @task
    def read_summary(archived: list[str]) -> str:
        """Return the text of the class summary, read back from the archive."""
        from airflow.sdk import ObjectStoragePath

        [summary] = [uri for uri in archived if uri.endswith("/summary.txt")]
        return ObjectStoragePath(summary).read_text()

    read_summary(archive.output)
    # [END howto_transfer_videosdk_read_archived_summary]

    wait_for_class_to_end >> [wait_for_recording, wait_for_transcript] >> archive
