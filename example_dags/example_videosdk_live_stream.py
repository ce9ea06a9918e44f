"""
A webinar broadcast live: HLS for your website's player, an RTMP livestream to YouTube, live captions.

1. ``create_room`` creates the webinar's room; its ``customRoomId`` comes from the run's date, so a
   retry gets the same room back.
2. ``wait_for_host`` waits in the triggerer (deferred: no worker slot is held) until the host opens
   the session: HLS, livestreams and realtime transcriptions need an ongoing session.
3. ``start_hls``, ``start_livestream`` and ``start_captions`` start the broadcast. Each first reads
   what already runs in the room and starts only when nothing does, so a task retry after a lost
   answer never starts a second one. ``start_hls`` returns the stream's playback URLs and shows an
   "HLS playback" link; ``start_livestream`` takes the YouTube stream key from the ``youtube_live``
   connection's password by template, so the key is never in the DAG file, is masked in logs and
   rendered fields, and shows as ``***`` in XCom.
4. ``announce_player`` builds the announcement for the website from the playback URL in XCom.
5. ``wait_for_broadcast_end`` waits, deferred, until the broadcast's slot is over
   (``broadcast_minutes`` after the run's time).
6. ``stop_hls``, ``stop_livestream`` and ``stop_captions`` end the broadcast and leave the session
   open for the Q&A. A stop that finds nothing running (the host ended the session early, which
   stops everything) succeeds with ``stopped: False``, so a retry of a stop is safe too.

Point the ``videosdk_default`` connection at the bundled emulator to run it offline, and add a
``youtube_live`` connection whose password is the stream key; the test suite does both, with a
simulated host who opens the session.
"""

from __future__ import annotations

import datetime
from typing import Any

from airflow.providers.standard.sensors.date_time import DateTimeSensorAsync
from airflow.sdk import DAG, Param, task

from videosdk_provider.operators.hls import StartHlsOperator, StopHlsOperator
from videosdk_provider.operators.livestreams import StartLivestreamOperator, StopLivestreamOperator
from videosdk_provider.operators.realtime_transcriptions import (
    StartRealtimeTranscriptionOperator,
    StopRealtimeTranscriptionOperator,
)
from videosdk_provider.operators.rooms import CreateRoomOperator
from videosdk_provider.sensors.sessions import VideoSDKSessionSensor

with DAG(
    dag_id="example_videosdk_live_stream",
    description="Broadcast a VideoSDK webinar: HLS, an RTMP livestream and live captions, then stop them",
    schedule="0 17 * * 4",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={
        "webinar": Param("product-webinar", type="string", pattern="^[a-z0-9-]+$"),
        "broadcast_minutes": Param(60, type="integer", minimum=1),
        "player_page": Param("https://www.example.com/live", type="string"),
    },
    tags=["example", "videosdk", "media"],
    doc_md=__doc__,
) as dag:
    create_room = CreateRoomOperator(
        task_id="create_room",
        custom_room_id="{{ params.webinar }}-{{ dag_run.run_after | ds }}",
        auto_close_config={"type": "session-ends", "duration": 180},
    )

    # [START howto_sensor_videosdk_session_started]
    wait_for_host = VideoSDKSessionSensor(
        task_id="wait_for_host",
        room_id=create_room.output,
        target="started",
        deferrable=True,
        poke_interval=30,
        timeout=2 * 3600,
    )
    # [END howto_sensor_videosdk_session_started]

    # [START howto_operator_videosdk_start_hls]
    start_hls = StartHlsOperator(
        task_id="start_hls",
        room_id=create_room.output,
        config={"layout": {"type": "SPOTLIGHT"}, "theme": "DARK", "orientation": "landscape"},
    )
    # [END howto_operator_videosdk_start_hls]

    # [START howto_operator_videosdk_start_livestream]
    start_livestream = StartLivestreamOperator(
        task_id="start_livestream",
        room_id=create_room.output,
        outputs=[
            # The stream key is a secret: it comes from a connection, rendered when the task runs.
            {"url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": "{{ conn.youtube_live.password }}"},
        ],
        config={"layout": {"type": "SPOTLIGHT"}, "theme": "DARK"},
    )
    # [END howto_operator_videosdk_start_livestream]

    # [START howto_operator_videosdk_start_realtime_transcription]
    start_captions = StartRealtimeTranscriptionOperator(task_id="start_captions", room_id=create_room.output)
    # [END howto_operator_videosdk_start_realtime_transcription]

    # [START howto_operator_videosdk_hls_playback_url]
    @task
    def announce_player(hls: dict[str, Any], **context: Any) -> str:
        """Build the website's announcement with the stream's playback URL."""
        page = context["params"]["player_page"]
        return f"We are live! Watch at {page}?src={hls['playbackHlsUrl']}"

    # [END howto_operator_videosdk_hls_playback_url]

    wait_for_broadcast_end = DateTimeSensorAsync(
        task_id="wait_for_broadcast_end",
        target_time="{{ dag_run.run_after + macros.timedelta(minutes=params.broadcast_minutes) }}",
    )

    # [START howto_operator_videosdk_stop_streams]
    stop_hls = StopHlsOperator(
        task_id="stop_hls",
        room_id=create_room.output,
        hls_id="{{ ti.xcom_pull(task_ids='start_hls')['id'] }}",
    )
    stop_livestream = StopLivestreamOperator(
        task_id="stop_livestream",
        room_id=create_room.output,
        livestream_id="{{ ti.xcom_pull(task_ids='start_livestream')['id'] }}",
    )
    stop_captions = StopRealtimeTranscriptionOperator(task_id="stop_captions", room_id=create_room.output)
    # [END howto_operator_videosdk_stop_streams]

    starts = [start_hls, start_livestream, start_captions]
    wait_for_host >> starts
    announce_player(start_hls.output) >> wait_for_broadcast_end
    starts >> wait_for_broadcast_end >> [stop_hls, stop_livestream, stop_captions]
