"""DAGs that start and stop HLS, livestreams and realtime transcriptions in a room given as a param."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.hls import StartHlsOperator, StopHlsOperator
from videosdk_provider.operators.livestreams import StartLivestreamOperator, StopLivestreamOperator
from videosdk_provider.operators.realtime_transcriptions import (
    StartRealtimeTranscriptionOperator,
    StopRealtimeTranscriptionOperator,
)

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
PARAMS = {"room_id": Param("", type="string")}
#: The stream key comes from a Variable (``AIRFLOW_VAR_VIDEOSDK_TEST_STREAM_KEY`` in tests).
OUTPUTS = [
    {"url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": "{{ var.value.videosdk_test_stream_key }}"},
]

with DAG(dag_id="media_hls", schedule=None, start_date=START, params=PARAMS):
    start_hls = StartHlsOperator(
        task_id="start_hls",
        room_id="{{ params.room_id }}",
        config={"layout": {"type": "GRID", "gridSize": 9}, "orientation": "landscape"},
        summary={"enabled": True, "prompt": "{{ dag_run.run_id }}"},
    )
    stop_hls = StopHlsOperator(
        task_id="stop_hls",
        room_id="{{ params.room_id }}",
        hls_id="{{ ti.xcom_pull(task_ids='start_hls')['id'] }}",
    )
    start_hls >> stop_hls

with DAG(dag_id="media_hls_start", schedule=None, start_date=START, params=PARAMS):
    StartHlsOperator(task_id="start_hls", room_id="{{ params.room_id }}")

with DAG(dag_id="media_stop_nothing", schedule=None, start_date=START, params=PARAMS):
    StopHlsOperator(task_id="stop_hls", room_id="{{ params.room_id }}")
    StopLivestreamOperator(task_id="stop_livestream", room_id="{{ params.room_id }}")
    StopRealtimeTranscriptionOperator(task_id="stop_transcription", room_id="{{ params.room_id }}")
    StopHlsOperator(task_id="stop_hls_or_fail", room_id="{{ params.room_id }}", fail_if_not_running=True)

with DAG(dag_id="media_livestream", schedule=None, start_date=START, params=PARAMS):
    start_livestream = StartLivestreamOperator(
        task_id="start_livestream",
        room_id="{{ params.room_id }}",
        outputs=OUTPUTS,
        config={"layout": {"type": "SPOTLIGHT"}, "theme": "DARK"},
    )
    stop_livestream = StopLivestreamOperator(
        task_id="stop_livestream",
        room_id="{{ params.room_id }}",
        livestream_id="{{ ti.xcom_pull(task_ids='start_livestream')['id'] }}",
    )
    start_livestream >> stop_livestream

with DAG(
    dag_id="media_livestream_mapped",
    schedule=None,
    start_date=START,
    params={"room_ids": Param([], type="array")},
):

    @task
    def rooms(**context: object) -> list[str]:
        """Hand the rooms of the run's conf to the mapped task."""
        params = context["params"]
        assert isinstance(params, dict)
        return list(params["room_ids"])

    StartLivestreamOperator.partial(task_id="start_livestreams", outputs=OUTPUTS).expand(room_id=rooms())

with DAG(dag_id="media_realtime_transcription", schedule=None, start_date=START, params=PARAMS):
    start_transcription = StartRealtimeTranscriptionOperator(
        task_id="start_transcription",
        room_id="{{ params.room_id }}",
        webhook_url="https://hooks.example.com/captions/{{ params.room_id }}",
    )
    stop_transcription = StopRealtimeTranscriptionOperator(
        task_id="stop_transcription", room_id="{{ params.room_id }}"
    )
    start_transcription >> stop_transcription
