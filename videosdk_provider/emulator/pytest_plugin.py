"""
Pytest fixtures for the emulator.

Enable them with ``pytest_plugins = ["videosdk_provider.emulator.pytest_plugin"]`` in a root conftest.

``videosdk_emulator_server`` is one emulator per test session; ``videosdk_emulator`` is that server,
reset before each test; ``videosdk_connection`` points ``AIRFLOW_CONN_VIDEOSDK_DEFAULT`` at it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from videosdk_provider.emulator.server import VideoSDKEmulator

CONN_ID = "videosdk_default"
CONN_ENV_VAR = "AIRFLOW_CONN_VIDEOSDK_DEFAULT"


@pytest.fixture(scope="session")
def videosdk_emulator_server() -> Iterator[VideoSDKEmulator]:
    """One started emulator (default API key and secret) for the whole test session."""
    with VideoSDKEmulator() as emulator:
        yield emulator


@pytest.fixture
def videosdk_emulator(videosdk_emulator_server: VideoSDKEmulator) -> VideoSDKEmulator:
    """Return the session's emulator, reset (no rooms, requests, faults; zero latency) for this test."""
    videosdk_emulator_server.reset()
    return videosdk_emulator_server


@pytest.fixture
def videosdk_connection(videosdk_emulator: VideoSDKEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """Set ``AIRFLOW_CONN_VIDEOSDK_DEFAULT`` to a connection for the emulator; returns its conn id."""
    connection = {
        "conn_type": "videosdk",
        "login": videosdk_emulator.api_key,
        "password": videosdk_emulator.secret,
        "host": videosdk_emulator.url,
    }
    monkeypatch.setenv(CONN_ENV_VAR, json.dumps(connection))
    return CONN_ID
