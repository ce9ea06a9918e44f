"""
Archive each recording when VideoSDK says it is ready.

The DAG has no time schedule: it runs when the asset of the ``recording-stopped`` event is
updated, that is once VideoSDK's webhook has reached the receiver in Airflow's API server
(``POST /videosdk/webhooks``; subscribe a room with ``webhook={"endPoint": ".../videosdk/webhooks",
"events": ["recording-stopped"]}``). Without a public API server, attach a polling watcher to the
asset instead (``videosdk_event_watcher``); the tasks stay the same.

The first task reads each triggering event's data (room, session, ``filePath``) and lists each
session once: several recordings that finish together may arrive in one run. The archive step
then copies each session's recordings to object storage, one mapped task per session, with a
``.sha256`` file next to each copy; files already archived intact are skipped, so a run triggered
by a session's second recording copies only that one.

The archive goes under ``$AIRFLOW_HOME/videosdk-archive/`` (``file://``), so the DAG runs offline
against the bundled emulator; point ``ARCHIVE`` at ``s3://``, ``gs://``, ... for real storage.
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path
from typing import Any

from airflow.sdk import DAG, task

from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator
from videosdk_provider.webhooks import videosdk_event_asset, videosdk_event_data

log = logging.getLogger(__name__)

# [START howto_webhook_archive_destination]
ARCHIVE = (Path(os.environ.get("AIRFLOW_HOME", "~/airflow")).expanduser() / "videosdk-archive").as_uri()
# ARCHIVE = "s3://aws_default@my-bucket/videosdk/"
# [END howto_webhook_archive_destination]

# [START howto_webhook_asset]
RECORDING_READY = videosdk_event_asset("recording-stopped")
# [END howto_webhook_asset]

# [START howto_webhook_watcher]
# Without a public API server, poll the rooms for the same event instead; the tasks stay the same:
# from videosdk_provider.triggers.events import videosdk_event_watcher
# RECORDING_READY = videosdk_event_asset(
#     "recording-stopped", watchers=[videosdk_event_watcher("recording-stopped", ["abcd-efgh-ijkl"])]
# )
# [END howto_webhook_watcher]

with DAG(
    dag_id="example_videosdk_archive_recordings",
    description="Archive each recording when VideoSDK says it is ready",
    schedule=[RECORDING_READY],
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
    tags=["example", "videosdk", "webhooks"],
    doc_md=__doc__,
) as dag:
    # [START howto_webhook_read_events]
    @task
    def ready_sessions(*, triggering_asset_events: Any = None) -> list[dict[str, Any]]:
        """List each session with a new recording once: the archive step's arguments."""
        sessions: dict[str, dict[str, Any]] = {}
        for event in triggering_asset_events[RECORDING_READY]:
            data = videosdk_event_data(event)
            room_id, session_id = data.get("meetingId") or data.get("roomId"), data.get("sessionId")
            if not session_id:
                log.warning("Recording of room %s has no sessionId: not archived", room_id)
                continue
            # The fileUrl is a signed storage URL: the storage path is logged instead.
            log.info(
                "Recording of room %s, session %s is ready: %s", room_id, session_id, data.get("filePath")
            )
            sessions.setdefault(session_id, {"session_id": session_id, "room_id": room_id})
        return list(sessions.values())

    # [END howto_webhook_read_events]

    # [START howto_webhook_archive]
    VideoSDKToObjectStorageOperator.partial(task_id="archive_session", destination=ARCHIVE).expand_kwargs(
        ready_sessions()
    )
    # [END howto_webhook_archive]
