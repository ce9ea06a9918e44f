"""Fixtures for the transfer tests: a fast-retrying VideoSDK connection and a transfer operator factory."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

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
