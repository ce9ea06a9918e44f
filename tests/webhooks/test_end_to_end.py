"""
Webhooks end to end through real Airflow processes, not ``dag.test()``.

``airflow api-server`` (with the plugin, two workers), ``airflow scheduler`` and
``airflow dag-processor`` run on loopback with SQLite; the emulator delivers signed webhooks to the
API server.

A DAG run creates a room that subscribes the receiver; the emulator holds a session in it and
records it three times, started and stopped through the hook: each stop makes the emulator's
recording resource send a signed ``recording-stopped`` with a real file it serves. The archive
example scheduled on that event's asset must run once per recording, and each recording must be
archived under ``$AIRFLOW_HOME/videosdk-archive`` with a SHA-256 matching the served bytes. Then a
tampered body, a wrong signature, a replayed delivery and an oversized body: 401, 401, one event,
413, and no extra run; and one body sent at once to both API server workers: one event, one run.

When the module is done it prints its figures (deliveries sent, events recorded, DAG runs, bad
deliveries refused, time taken). Slow (the processes take a minute to start): marked ``e2e``,
deselected from the normal run; ``scripts/webhook-e2e.sh`` runs it.
"""

from __future__ import annotations

import hashlib
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
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from webhook_kit import new_key_pair

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.models.recordings import Recording
from videosdk_provider.utils.urls import without_signed_urls
from videosdk_provider.webhooks import SIGNATURE_HEADER

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DAG_FILES = (
    REPO / "example_dags" / "example_videosdk_archive_recordings.py",
    REPO / "tests" / "dags" / "webhook_room.py",
)
ARCHIVE_DAG = "example_videosdk_archive_recordings"
ROOM_DAG = "videosdk_webhook_room"
ASSET_URI = "videosdk://events/recording-stopped"
MAX_BODY = 65536
START_TIMEOUT = 240.0
RUN_TIMEOUT = 120.0
RECORDINGS = 3
#: Bytes of each recording file the emulator serves: several chunks of a streamed download.
RECORDING_BYTES = 3 * (1 << 20) + 7
#: Copies of one body sent at once, spread over the API server's two workers.
BURST = 8


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
    hook: VideoSDKHook
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    token: str = ""
    started: float = field(default_factory=time.monotonic)
    #: Seconds from the start until the API server answered and the DAGs were parsed.
    ready_after: float = 0.0
    #: The statuses answered to the deliveries the tests sent themselves (not through the emulator).
    direct: list[int] = field(default_factory=list)

    @property
    def receiver_url(self) -> str:
        return f"{self.url}/videosdk/webhooks"

    def deliver(self, body: bytes, signature: str, **kwargs: Any) -> requests.Response:
        """POST a delivery to the receiver as VideoSDK does (counted in the figures)."""
        headers = {SIGNATURE_HEADER: signature, **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 30)
        answer = requests.post(self.receiver_url, data=body, headers=headers, **kwargs)
        self.direct.append(answer.status_code)
        return answer

    def figures(self) -> str:
        """Summarise what the run did: deliveries, events, runs, refusals, time."""
        emulated = self.emulator.webhooks.deliveries
        statuses = Counter(
            [a.status or 0 for d in emulated for a in d.attempts] + self.direct
        )  # 0: no answer
        refused = {status: count for status, count in sorted(statuses.items()) if status in (401, 413, 429)}
        runs = Counter(run["state"] for run in self.runs(ARCHIVE_DAG))
        archived = sum(1 for _ in (self.home / "videosdk-archive").rglob("*.mp4"))
        return (
            f"webhooks e2e figures: {sum(statuses.values())} POSTs to the receiver "
            f"({sum(len(d.attempts) for d in emulated)} by the emulator for {len(emulated)} deliveries, "
            f"retries included; {len(self.direct)} by the tests), answered {dict(sorted(statuses.items()))}; "
            f"{len(self.asset_events(ASSET_URI))} asset events recorded; archive DAG runs {dict(runs)}; "
            f"{archived} recordings archived with checksums; {sum(refused.values())} refusals of bad "
            f"deliveries {refused}; ready after {self.ready_after:.0f} s, "
            f"{time.monotonic() - self.started:.0f} s in all"
        )

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
    started = time.monotonic()
    with (
        VideoSDKEmulator(webhook_retries=2, webhook_retry_delay=0.5) as emulator,
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        emulator.recording_file_size = RECORDING_BYTES
        env = _env(home, port, emulator)
        monkeypatch.setenv("AIRFLOW_CONN_VIDEOSDK_DEFAULT", env["AIRFLOW_CONN_VIDEOSDK_DEFAULT"])
        subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
        deployment = Deployment(
            url=f"http://127.0.0.1:{port}", home=home, emulator=emulator, hook=VideoSDKHook(), started=started
        )
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
            deployment.ready_after = time.monotonic() - started
            yield deployment
            print(f"\n{deployment.figures()}")
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


def _archived(deployment: Deployment, recording: Recording) -> Path:
    """Where the archive DAG copies a recording: ``$AIRFLOW_HOME/videosdk-archive/<session>/...``."""
    name = recording["file"]["filePath"].rsplit("/", 1)[1]
    return (
        deployment.home / "videosdk-archive" / recording["sessionId"] / "recordings" / recording["id"] / name
    )


def test_each_real_recording_runs_the_archive_dag_once_and_archives_its_file(
    deployment: Deployment, room_id: str
) -> None:
    emulator, hook = deployment.emulator, deployment.hook
    session = emulator.join(room_id, "p-1", "Ada")
    for number in range(1, RECORDINGS + 1):
        hook.start_recording(room_id)
        hook.stop_recording(room_id)  # the emulator's recording resource sends recording-stopped
        wait_for(lambda n=number: len(deployment.finished_runs(ARCHIVE_DAG)) == n, f"archive run {number}")
    emulator.leave(room_id, "p-1")
    emulator.end_session(room_id)
    assert emulator.webhooks.wait_idle(30)

    deliveries = emulator.webhooks.deliveries
    assert all(delivery.delivered and delivery.status in (200, 202) for delivery in deliveries)
    by_type = sorted(delivery.event_type for delivery in deliveries)
    assert by_type == ["recording-stopped"] * RECORDINGS + ["session-ended", "session-started"]
    sent = [json.loads(d.body)["data"] for d in deliveries if d.event_type == "recording-stopped"]
    events = deployment.asset_events(ASSET_URI)
    assert [event["extra"] for event in events] == [without_signed_urls(data) for data in sent]
    assert all("signature=" in data["fileUrl"] for data in sent)
    assert not any("signature=" in event["extra"]["fileUrl"] for event in events)

    runs = deployment.runs(ARCHIVE_DAG)
    assert [run["state"] for run in runs] == ["success"] * RECORDINGS
    for run in runs:
        assert deployment.xcom(ARCHIVE_DAG, run["dag_run_id"], "ready_sessions") == [
            {"session_id": session["id"], "room_id": room_id}
        ]
    recordings = list(hook.iter_recordings(room_id=room_id, session_id=session["id"]))
    assert sorted(r["id"] for r in recordings) == sorted(data["recordingId"] for data in sent)
    for recording in recordings:
        copy = _archived(deployment, recording)
        served = requests.get(recording["file"]["fileUrl"], timeout=60).content
        assert len(served) == RECORDING_BYTES
        digest = hashlib.sha256(copy.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(served).hexdigest()
        assert copy.with_name(copy.name + ".sha256").read_text() == f"{digest}  {copy.name}\n"


def test_tampered_wrong_replayed_and_oversized_deliveries_start_no_run(
    deployment: Deployment, room_id: str
) -> None:
    emulator = deployment.emulator
    runs_before = len(deployment.runs(ARCHIVE_DAG))
    events_before = len(deployment.asset_events(ASSET_URI))
    [original, *_] = [d for d in emulator.webhooks.deliveries if d.event_type == "recording-stopped"]

    tampered = emulator.webhooks.send_tampered(original)
    replayed = emulator.webhooks.replay(original)
    assert emulator.webhooks.wait_idle(30)
    envelope = json.loads(original.body)
    forged = json.dumps({**envelope, "data": {**envelope["data"], "sessionId": "forged"}}).encode()
    wrong = deployment.deliver(forged, new_key_pair().sign(forged))
    oversized_body = json.dumps({"webhookType": "recording-stopped", "data": {"x": "y" * MAX_BODY}}).encode()
    oversized = deployment.deliver(oversized_body, emulator.webhooks.signer.sign(oversized_body))
    statuses = [tampered.attempts[0].status, wrong.status_code, replayed.status, oversized.status_code]
    assert statuses == [401, 401, 200, 413]
    assert len(replayed.attempts) == 1  # answered 200 at once: a duplicate, not an error
    assert len(tampered.attempts) == 1 + emulator.webhooks.retries  # a 401 is a failure: VideoSDK retries it
    time.sleep(10)  # long enough for the scheduler to have queued a run, had any event been recorded
    assert len(deployment.asset_events(ASSET_URI)) == events_before
    assert len(deployment.runs(ARCHIVE_DAG)) == runs_before


def test_one_body_sent_at_once_to_every_worker_records_one_event_and_one_run(
    deployment: Deployment, room_id: str
) -> None:
    runs_before = len(deployment.runs(ARCHIVE_DAG))
    events_before = len(deployment.asset_events(ASSET_URI))
    data = {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": "s-burst",
        "filePath": "recordings/burst.mp4",
    }
    body = json.dumps({"webhookType": "recording-stopped", "data": data}).encode()
    signature = deployment.emulator.webhooks.signer.sign(body)

    def deliver(_: int) -> tuple[int, str]:
        answer = deployment.deliver(body, signature, timeout=60, headers={"Connection": "close"})
        return answer.status_code, answer.json().get("status", "") if answer.content else ""

    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(deliver, range(BURST)))
    recorded = [answer for answer in answers if answer == (200, "recorded")]
    assert len(recorded) == 1, answers
    assert all(answer in ((200, "recorded"), (200, "duplicate")) for answer in answers), answers
    wait_for(lambda: len(deployment.finished_runs(ARCHIVE_DAG)) == runs_before + 1, "the burst's archive run")
    time.sleep(10)  # and no second run after it
    runs = deployment.runs(ARCHIVE_DAG)
    assert len(runs) == runs_before + 1
    assert runs[-1]["state"] == "success"  # a session without recordings: nothing to copy
    assert len(deployment.asset_events(ASSET_URI)) == events_before + 1
