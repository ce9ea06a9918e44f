"""Copying to ``s3://`` for real, over HTTP to moto's S3-compatible server, through an ``aws`` connection."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

import pytest
from airflow.sdk import ObjectStoragePath

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKTransferError
from videosdk_provider.transfers.videosdk_to_object_storage import (
    UPLOAD_BLOCK_SIZE,
    SessionFile,
    VideoSDKToObjectStorageOperator,
)

MIB = 1 << 20
MakeOperator = Callable[..., VideoSDKToObjectStorageOperator]
AsRecording = Callable[..., SessionFile]


@pytest.fixture
def destination(s3_bucket: Any) -> ObjectStoragePath:
    return ObjectStoragePath(f"s3://{s3_bucket.name}/sessions/", conn_id=s3_bucket.conn_id)


def test_copies_to_s3_and_returns_the_object_uris(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    as_recording: AsRecording,
    s3_bucket: Any,
    destination: ObjectStoragePath,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=UPLOAD_BLOCK_SIZE + MIB)
    uris = make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    key = f"sessions/{session_id}/recordings/rec-1/room.mp4"
    assert uris == [f"s3://{s3_bucket.conn_id}@{s3_bucket.name}/{key}"]
    assert s3_bucket.keys() == [key, f"{key}.sha256"]
    body = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == stored.sha256()
    checksum = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key=f"{key}.sha256")["Body"].read()
    assert checksum == f"{stored.sha256()}  room.mp4\n".encode()


def test_a_rerun_skips_objects_already_copied(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    as_recording: AsRecording,
    s3_bucket: Any,
    destination: ObjectStoragePath,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=MIB)
    operator = make_operator(destination=str(destination))
    operator.copy_files([as_recording(stored)], destination)
    key = f"sessions/{session_id}/recordings/rec-1/room.mp4"
    first = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=key)["ETag"]
    operator.copy_files([as_recording(stored)], destination)
    assert [item.skipped for item in operator._copied] == [True]
    assert s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=key)["ETag"] == first


def test_a_multipart_upload_cut_midway_leaves_no_object(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    as_recording: AsRecording,
    s3_bucket: Any,
    destination: ObjectStoragePath,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=3 * UPLOAD_BLOCK_SIZE)
    videosdk_emulator.cut_download_after(2 * UPLOAD_BLOCK_SIZE + 10)  # two parts are uploaded by then
    videosdk_emulator.cut_download_after(10, times=2)
    with caplog.at_level(logging.DEBUG, logger="s3fs"), pytest.raises(VideoSDKTransferError):
        make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    assert "Upload chunk" in caplog.text  # the multipart upload had parts before the cut
    assert s3_bucket.keys() == []
    assert s3_bucket.pending_uploads() == []


def test_a_missing_bucket_is_named_in_the_error(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    as_recording: AsRecording,
    s3_bucket: Any,
) -> None:
    destination = ObjectStoragePath("s3://no-such-bucket/sessions/", conn_id=s3_bucket.conn_id)
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    with pytest.raises(VideoSDKTransferError, match="cannot write s3://aws_moto@no-such-bucket/sessions/"):
        make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
