"""
Archive each recording when VideoSDK says it is ready.

The DAG has no time schedule: it runs when the asset of the ``recording-stopped`` event is
updated, that is once VideoSDK's webhook has reached the receiver in Airflow's API server
(``POST /videosdk/webhooks``; subscribe a room with ``webhook={"endPoint": ".../videosdk/webhooks",
"events": ["recording-stopped"]}``). Without a public API server, attach a polling watcher to the
asset instead (``videosdk_event_watcher``); the task stays the same.

The task reads each triggering event's data (room, session, ``filePath``, ``fileUrl``) and records
which file to archive. Several recordings that finish together may arrive in one run: each is
handled once.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from airflow.sdk import DAG, task

from videosdk_provider.webhooks import videosdk_event_asset, videosdk_event_data

log = logging.getLogger(__name__)

RECORDING_READY = videosdk_event_asset("recording-stopped")

with DAG(
    dag_id="example_videosdk_archive_recordings",
    description="Archive each recording when VideoSDK says it is ready",
    schedule=[RECORDING_READY],
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    tags=["example", "videosdk", "webhooks"],
    doc_md=__doc__,
) as dag:

    @task
    def archive_recordings(*, triggering_asset_events: Any = None) -> list[dict[str, Any]]:
        """List each ready recording's room, session and file path (the storage URL is not logged)."""
        archived = []
        for event in triggering_asset_events[RECORDING_READY]:
            data = videosdk_event_data(event)
            recording = {
                "roomId": data.get("meetingId") or data.get("roomId"),
                "sessionId": data.get("sessionId"),
                "filePath": data.get("filePath"),
            }
            log.info(
                "Recording of room %s, session %s is ready: %s",
                recording["roomId"],
                recording["sessionId"],
                recording["filePath"],
            )
            archived.append(recording)
        return archived

    archive_recordings()
