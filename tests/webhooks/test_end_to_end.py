"""
Webhooks end to end through real Airflow processes, not ``dag.test()``.

``airflow api-server`` (with the plugin, two workers), ``airflow scheduler`` and
``airflow dag-processor`` run on loopback with SQLite; the emulator delivers signed webhooks to the
API server.

A DAG run creates a room that subscribes the receiver; the emulator holds a session and, per
recording, publishes ``recording-stopped`` on its event bus (as its recording resource will); the
example DAG scheduled on that event's asset must run once per recording with the recording's data.
Then a tampered body, a wrong signature, a replayed delivery and an oversized body: 401, 401, one
event, 413, and no extra run. Slow (the processes take a minute to start): marked ``e2e``, run with
``pytest -m e2e``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from webhook_kit import new_key_pair

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.webhooks import SIGNATURE_HEADER

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DAG_FILES = (
    REPO / "example_dags" / "example_videosdk_archive_recordings.py",
    REPO / "tests" / "dags" / "webhook_room.py",
)
ARCHIVE_DAG = "example_videosdk_archive_recordings"
ROOM_DAG = "videosdk_webhook_room"
MAX_BODY = 65536
START_TIMEOUT = 240.0
RUN_TIMEOUT = 120.0
RECORDINGS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], what: str, timeout: float = RUN_TIMEOUT) -> Any:
    """Poll ``condition`` every half second until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


@dataclass
class Deployment:
    """The running Airflow processes, their REST API and the emulator they talk to."""

    url: str
    home: Path
    emulator: VideoSDKEmulator
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    token: str = ""

    @property
    def receiver_url(self) -> str:
        return f"{self.url}/videosdk/webhooks"

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = requests.request(
            method,
            f"{self.url}/api/v2{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            **kwargs,
        )
        answer.raise_for_status()
        return answer.json()

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = self.api("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100})[
            "dag_runs"
        ]
        return sorted(runs, key=lambda run: run["run_after"])

    def finished_runs(self, dag_id: str) -> list[dict[str, Any]]:
        runs = self.runs(dag_id)
        return runs if all(run["state"] in ("success", "failed") for run in runs) else []

    def xcom(self, dag_id: str, run_id: str, task_id: str) -> Any:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value"
        return self.api("GET", path)["value"]

    def asset_events(self, uri: str) -> list[dict[str, Any]]:
        [asset] = self.api("GET", "/assets", params={"uri_pattern": uri})["assets"]
        events: list[dict[str, Any]] = self.api("GET", "/assets/events", params={"asset_id": asset["id"]})[
            "asset_events"
        ]
        return events

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {name}\n{(self.home / f'{name}.log').read_text(errors='replace')[-2000:]}"
            for name in self.processes
        )


def _env(home: Path, port: int, emulator: VideoSDKEmulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
    dags = home / "dags"
    dags.mkdir()
    for dag_file in DAG_FILES:
        shutil.copy(dag_file, dags / dag_file.name)
    connection = {
        "conn_type": "videosdk",
        "login": emulator.api_key,
        "password": emulator.secret,
        "host": emulator.url,
    }
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "2",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
            "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",  # the test machine may be busy
            "AIRFLOW__VIDEOSDK__WEBHOOK_MAX_BODY_BYTES": str(MAX_BODY),
            "AIRFLOW_CONN_VIDEOSDK_DEFAULT": json.dumps(connection),
        }
    )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started, with the children it spawned (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    home = Path(tempfile.mkdtemp(prefix="videosdk-webhooks-e2e-"))
    port = _free_port()
    airflow = [sys.executable, "-m", "airflow"]
    with VideoSDKEmulator(webhook_retries=2, webhook_retry_delay=0.5) as emulator:
        env = _env(home, port, emulator)
        subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
        deployment = Deployment(url=f"http://127.0.0.1:{port}", home=home, emulator=emulator)
        commands = {
            "api-server": ["api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            "dag-processor": ["dag-processor"],
            "scheduler": ["scheduler", "--skip-serve-logs"],  # its log server would bind every address
        }
        try:
            for name, command in commands.items():
                with (home / f"{name}.log").open("wb") as log:
                    deployment.processes[name] = subprocess.Popen(
                        [*airflow, *command],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )

            def api_up() -> bool:
                for name, process in deployment.processes.items():
                    if process.poll() is not None:
                        pytest.fail(f"airflow {name} exited:\n{deployment.log_tail()}")
                try:
                    return requests.get(f"{deployment.url}/api/v2/version", timeout=5).ok
                except requests.ConnectionError:
                    return False

            wait_for(api_up, "the API server", START_TIMEOUT)
            token = requests.get(f"{deployment.url}/auth/token", timeout=30)
            token.raise_for_status()
            deployment.token = token.json()["access_token"]

            def dags_parsed() -> bool:
                dags = deployment.api("GET", "/dags")["dags"]
                return {ARCHIVE_DAG, ROOM_DAG} <= {dag["dag_id"] for dag in dags}

            wait_for(dags_parsed, "the DAGs to be parsed", START_TIMEOUT)
            yield deployment
        finally:
            for process in deployment.processes.values():
                _stop(process)
            shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def room_id(deployment: Deployment) -> str:
    """Create the subscribed room through a DAG run (triggered over the REST API)."""
    run = deployment.api(
        "POST",
        f"/dags/{ROOM_DAG}/dagRuns",
        json={"logical_date": None, "conf": {"receiver_url": deployment.receiver_url}},
    )
    wait_for(lambda: deployment.finished_runs(ROOM_DAG), "the room DAG run")
    [finished] = deployment.runs(ROOM_DAG)
    assert finished["state"] == "success", deployment.log_tail()
    room: str = deployment.xcom(ROOM_DAG, run["dag_run_id"], "create_room")
    return room


def _record(deployment: Deployment, room_id: str, session_id: str, number: int) -> dict[str, Any]:
    """Publish one recording's ``recording-stopped`` (the emulator's recording resource will do this)."""
    data = {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": session_id,
        "filePath": f"recordings/{room_id}/recording-{number}.mp4",
        "fileUrl": f"{deployment.emulator.url}/files/recording-{number}.mp4",
    }
    deployment.emulator.events.publish("recording-stopped", data, room_id=room_id)
    return data


def test_each_recording_runs_the_archive_dag_once_with_its_data(deployment: Deployment, room_id: str) -> None:
    emulator = deployment.emulator
    session = emulator.start_session(room_id)
    emulator.join(room_id, "p-1", "Ada")
    published = []
    for number in range(1, RECORDINGS + 1):
        published.append(_record(deployment, room_id, session["id"], number))
        wait_for(lambda n=number: len(deployment.finished_runs(ARCHIVE_DAG)) == n, f"archive run {number}")
    emulator.leave(room_id, "p-1")
    emulator.end_session(room_id)
    assert emulator.webhooks.wait_idle(30)

    runs = deployment.runs(ARCHIVE_DAG)
    assert [run["state"] for run in runs] == ["success"] * RECORDINGS
    archived = [
        item for run in runs for item in deployment.xcom(ARCHIVE_DAG, run["dag_run_id"], "archive_recordings")
    ]
    assert archived == [
        {"roomId": room_id, "sessionId": data["sessionId"], "filePath": data["filePath"]}
        for data in published
    ]
    deliveries = emulator.webhooks.deliveries
    assert all(delivery.delivered and delivery.status in (200, 202) for delivery in deliveries)
    by_type = sorted(delivery.event_type for delivery in deliveries)
    assert by_type == ["recording-stopped"] * RECORDINGS + ["session-ended", "session-started"]
    events = deployment.asset_events("videosdk://events/recording-stopped")
    assert [event["extra"] for event in events] == published
    print(
        f"\nwebhooks e2e: {len(deliveries)} signed deliveries ({RECORDINGS} recording-stopped, 2 session "
        f"events accepted unwatched), {len(events)} asset events, {len(runs)} archive runs, all success"
    )


def test_tampered_wrong_replayed_and_oversized_deliveries_start_no_run(
    deployment: Deployment, room_id: str
) -> None:
    emulator = deployment.emulator
    test_runs_before = len(deployment.runs(ARCHIVE_DAG))
    events_before = len(deployment.asset_events("videosdk://events/recording-stopped"))
    [original, *_] = [d for d in emulator.webhooks.deliveries if d.event_type == "recording-stopped"]

    tampered = emulator.webhooks.send_tampered(original)
    replayed = emulator.webhooks.replay(original)
    assert emulator.webhooks.wait_idle(30)
    body = original.body.replace(b"recording-1", b"recording-9")
    wrong = requests.post(
        deployment.receiver_url, data=body, headers={SIGNATURE_HEADER: new_key_pair().sign(body)}, timeout=30
    )
    oversized_body = json.dumps({"webhookType": "recording-stopped", "data": {"x": "y" * MAX_BODY}}).encode()
    oversized = requests.post(
        deployment.receiver_url,
        data=oversized_body,
        headers={SIGNATURE_HEADER: emulator.webhooks.signer.sign(oversized_body)},
        timeout=30,
    )
    statuses = [tampered.attempts[0].status, wrong.status_code, replayed.status, oversized.status_code]
    assert statuses == [401, 401, 200, 413]
    assert len(tampered.attempts) == 1 + emulator.webhooks.retries  # a 401 is a failure: VideoSDK retries it
    time.sleep(10)  # long enough for the scheduler to have queued a run, had any event been recorded
    assert len(deployment.asset_events("videosdk://events/recording-stopped")) == events_before
    assert len(deployment.runs(ARCHIVE_DAG)) == test_runs_before
    print(
        f"\nwebhooks e2e: tampered {statuses[0]}, wrong signature {statuses[1]}, replay {statuses[2]} "
        f"(duplicate), oversized {statuses[3]}; asset events {events_before} -> {events_before}, "
        f"runs {test_runs_before} -> {test_runs_before}"
    )


def test_one_body_sent_at_once_to_every_worker_records_one_event_and_one_run(
    deployment: Deployment, room_id: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    runs_before = len(deployment.runs(ARCHIVE_DAG))
    events_before = len(deployment.asset_events("videosdk://events/recording-stopped"))
    data = {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": "s-burst",
        "filePath": "recordings/burst.mp4",
    }
    body = json.dumps({"webhookType": "recording-stopped", "data": data}).encode()
    headers = {SIGNATURE_HEADER: deployment.emulator.webhooks.signer.sign(body), "Connection": "close"}

    def deliver(_: int) -> tuple[int, str]:
        answer = requests.post(deployment.receiver_url, data=body, headers=headers, timeout=60)
        return answer.status_code, answer.json().get("status", "") if answer.content else ""

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(deliver, range(8)))
    recorded = [answer for answer in answers if answer == (200, "recorded")]
    assert len(recorded) == 1, answers
    assert all(answer in ((200, "recorded"), (200, "duplicate")) for answer in answers), answers
    wait_for(lambda: len(deployment.finished_runs(ARCHIVE_DAG)) == runs_before + 1, "the burst's archive run")
    time.sleep(10)  # and no second run after it
    assert len(deployment.runs(ARCHIVE_DAG)) == runs_before + 1
    assert len(deployment.asset_events("videosdk://events/recording-stopped")) == events_before + 1
    print(
        f"\nwebhooks e2e: 8 concurrent copies of one body over 2 API server workers: "
        f"{len(recorded)} recorded, {len(answers) - len(recorded)} duplicates, 1 asset event, 1 run"
    )
