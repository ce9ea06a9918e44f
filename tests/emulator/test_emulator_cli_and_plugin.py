"""The command line entry point and the pytest plugin's fixtures."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

import videosdk_provider.emulator
from videosdk_provider.emulator import DEFAULT_API_KEY, DEFAULT_SECRET, VideoSDKEmulator
from videosdk_provider.emulator.__main__ import build_parser

REPO_ROOT = Path(videosdk_provider.emulator.__file__).resolve().parents[2]
LINE = re.compile(r"^VideoSDK emulator listening on (http://127\.0\.0\.1:(\d+))$")


@pytest.fixture
def cli_process() -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "videosdk_provider.emulator", "--port", "0", "--api-key", "cli-key"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_cli_serves_and_exits_cleanly_on_sigterm(
    cli_process: subprocess.Popen[str], make_token: Callable[..., str]
) -> None:
    assert cli_process.stdout is not None
    line = cli_process.stdout.readline().rstrip("\n")
    found = LINE.match(line)
    assert found, line
    url = found.group(1)
    assert int(found.group(2)) > 0
    token = make_token(apikey="cli-key")
    response = requests.post(
        f"{url}/v2/rooms", json={"customRoomId": "cli"}, headers={"Authorization": token}, timeout=10
    )
    assert response.status_code == 200
    assert response.json()["links"]["get_room"].startswith(url)
    cli_process.send_signal(signal.SIGTERM)
    assert cli_process.wait(timeout=10) == 0
    assert cli_process.stdout.read() == ""


def test_cli_exits_cleanly_on_sigint(cli_process: subprocess.Popen[str]) -> None:
    assert cli_process.stdout is not None
    assert LINE.match(cli_process.stdout.readline().rstrip("\n"))
    cli_process.send_signal(signal.SIGINT)
    assert cli_process.wait(timeout=10) == 0


def test_cli_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.api_key, args.secret, args.latency) == (
        "127.0.0.1",
        8085,
        DEFAULT_API_KEY,
        DEFAULT_SECRET,
        0.0,
    )


def test_cli_options() -> None:
    args = build_parser().parse_args(
        ["--host", "0.0.0.0", "--port", "9000", "--api-key", "K", "--secret", "S", "--latency", "0.5"]
    )
    assert (args.host, args.port, args.api_key, args.secret, args.latency) == ("0.0.0.0", 9000, "K", "S", 0.5)


# --- pytest plugin fixtures -------------------------------------------------------------------


def test_default_credentials() -> None:
    assert DEFAULT_API_KEY == "emulator-api-key"
    assert DEFAULT_SECRET == "emulator-secret-for-local-tests-only-0123456789"


def test_server_fixture_is_a_running_default_emulator(videosdk_emulator_server: VideoSDKEmulator) -> None:
    assert videosdk_emulator_server.running
    assert (videosdk_emulator_server.api_key, videosdk_emulator_server.secret) == (
        DEFAULT_API_KEY,
        DEFAULT_SECRET,
    )


def test_emulator_fixture_is_the_server_reset(
    videosdk_emulator_server: VideoSDKEmulator, videosdk_emulator: VideoSDKEmulator
) -> None:
    assert videosdk_emulator is videosdk_emulator_server
    assert videosdk_emulator.requests == []
    assert videosdk_emulator.rooms == []


def test_connection_fixture_sets_airflow_conn_env(
    videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    assert videosdk_connection == "videosdk_default"
    assert json.loads(os.environ["AIRFLOW_CONN_VIDEOSDK_DEFAULT"]) == {
        "conn_type": "videosdk",
        "login": DEFAULT_API_KEY,
        "password": DEFAULT_SECRET,
        "host": videosdk_emulator.url,
    }
