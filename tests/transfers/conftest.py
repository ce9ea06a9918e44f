"""Fixtures for the transfer tests: a fast-retrying connection, an operator factory, moto's S3 server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import StoredFile, VideoSDKEmulator
from videosdk_provider.transfers.videosdk_to_object_storage import (
    SessionFile,
    VideoSDKToObjectStorageOperator,
)

MakeOperator = Callable[..., VideoSDKToObjectStorageOperator]
AsRecording = Callable[..., SessionFile]


@pytest.fixture
def session_id() -> str:
    """Return the id of the session whose files the tests copy."""
    return "session-1"


@pytest.fixture
def transfer_connection(videosdk_emulator: VideoSDKEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point ``videosdk_default`` at the emulator, with retries fast enough for tests."""
    connection = {
        "conn_type": "videosdk",
        "login": videosdk_emulator.api_key,
        "password": videosdk_emulator.secret,
        "host": videosdk_emulator.url,
        "extra": {"max_retries": 2, "retry_backoff": 0.01, "retry_backoff_max": 0.02},
    }
    monkeypatch.setenv("AIRFLOW_CONN_VIDEOSDK_DEFAULT", json.dumps(connection))
    return "videosdk_default"


@pytest.fixture
def make_operator(transfer_connection: str, session_id: str) -> MakeOperator:
    """Build the transfer operator for ``session_id`` on the emulator's connection."""

    def make(**kwargs: Any) -> VideoSDKToObjectStorageOperator:
        kwargs.setdefault("task_id", "archive")
        kwargs.setdefault("session_id", session_id)
        return VideoSDKToObjectStorageOperator(videosdk_conn_id=transfer_connection, **kwargs)

    return make


@pytest.fixture
def as_recording(session_id: str) -> AsRecording:
    """Describe an emulator file as a room recording of ``session_id``, as the listing would."""

    def describe(stored: StoredFile, recording_id: str = "rec-1") -> SessionFile:
        return SessionFile(
            "recording",
            f"room recording {recording_id}",
            stored.url,
            f"{session_id}/recordings/{recording_id}/{stored.name}",
        )

    return describe


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Run moto's standalone S3-compatible server on a free loopback port; yield its URL."""
    pytest.importorskip("moto.server", reason="moto[server] is a test dependency")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class S3Bucket:
    """A bucket on moto's server: its name, the ``aws`` connection to it and a boto3 client to inspect it."""

    name: str
    conn_id: str
    client: Any

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def pending_uploads(self) -> list[str]:
        listed = self.client.list_multipart_uploads(Bucket=self.name)
        return [upload["Key"] for upload in listed.get("Uploads", [])]


@pytest.fixture
def s3_bucket(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Bucket]:
    """Create an empty bucket on moto's server and an ``aws`` connection (``aws_moto``) pointing at it."""
    pytest.importorskip("s3fs", reason="apache-airflow-providers-amazon[s3fs] is a test dependency")
    import boto3

    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    connection = {
        "conn_type": "aws",
        "login": credentials["aws_access_key_id"],
        "password": credentials["aws_secret_access_key"],
        "extra": {"endpoint_url": moto_server, "region_name": "us-east-1"},
    }
    monkeypatch.setenv("AIRFLOW_CONN_AWS_MOTO", json.dumps(connection))
    client = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1", **credentials)
    requests.post(f"{moto_server}/moto-api/reset", timeout=10)
    client.create_bucket(Bucket="archive")
    yield S3Bucket("archive", "aws_moto", client)
    client.close()
