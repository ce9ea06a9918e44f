"""A post-call transcription wait that times out, without ``soft_fail``: the task must fail, not skip."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.sensors.post_transcriptions import VideoSDKPostTranscriptionSensor

with DAG(
    dag_id="post_transcription_timeout",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    params={"session_id": Param("", type="string")},
):
    for deferrable in (False, True):
        VideoSDKPostTranscriptionSensor(
            task_id=f"wait_transcription_{'deferred' if deferrable else 'poke'}",
            session_id="{{ params.session_id }}",
            deferrable=deferrable,
            poke_interval=0.1,
            timeout=1.5,
        )
