"""A DAG that archives a finished VideoSDK session's recordings with VideoSDKToObjectStorageOperator."""

from __future__ import annotations

import datetime

from airflow.sdk import DAG, Param

from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator

with DAG(
    dag_id="transfer_archive_session",
    schedule=None,
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    params={"session_id": Param("", type="string"), "destination": Param("", type="string")},
):
    VideoSDKToObjectStorageOperator(
        task_id="archive",
        session_id="{{ params.session_id }}",
        destination="{{ params.destination }}",
    )
