"""
A webinar room that records and streams itself: the full ``autoStartConfig``.

As soon as the session starts, VideoSDK records it in a grid layout, transcribes it and writes an
AI summary with the sections below, and streams it over HLS (also recorded). The room closes
three hours in.
"""

from __future__ import annotations

import datetime

from airflow.sdk import DAG

from videosdk_provider.operators.rooms import CreateRoomOperator

SUMMARY_PROMPT = (
    "Write summary in sections like Title, Agenda, Speakers, Action Items, Outlines, Notes and Summary"
)
LAYOUT = {"type": "GRID", "priority": "SPEAKER", "gridSize": 4}
TRANSCRIPTION = {"enabled": True, "summary": {"enabled": True, "prompt": SUMMARY_PROMPT}}

with DAG(
    dag_id="example_videosdk_auto_start",
    description="Create a webinar room that records, transcribes and streams itself",
    schedule="0 16 * * 4",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    # Safe because each room's customRoomId comes from the run's date: a retry gets the same room back.
    default_args={"retries": 2, "retry_delay": datetime.timedelta(minutes=2)},
    tags=["example", "videosdk"],
    doc_md=__doc__,
) as dag:
    # [START howto_operator_videosdk_create_room_auto_start]
    CreateRoomOperator(
        task_id="create_webinar_room",
        custom_room_id="webinar-{{ dag_run.run_after | ds }}",
        auto_close_config={"type": "session-ends", "duration": 180},
        auto_start_config={
            "recording": {
                "transcription": TRANSCRIPTION,
                "config": {
                    "layout": LAYOUT,
                    "theme": "DARK",
                    "mode": "video-and-audio",
                    "quality": "high",
                    "orientation": "landscape",
                },
                "awsDirPath": "webinars/{{ dag_run.run_after | ds }}",
            },
            "hls": {
                "transcription": TRANSCRIPTION,
                "config": {
                    "layout": LAYOUT,
                    "theme": "LIGHT",
                    "mode": "video-and-audio",
                    "quality": "med",
                    "orientation": "landscape",
                    "recording": {"enabled": True},
                },
            },
        },
    )
    # [END howto_operator_videosdk_create_room_auto_start]
