"""
The archive example run by real webhooks: emulator recordings, the receiver, asset events, a DAG run.

The emulator records three real recordings (two in one session, one in the next) in a room that
subscribes the receiver; the receiver app (as the API server builds it, on a loopback port)
records each signed ``recording-stopped`` delivery as an asset event in the test database. The
scheduler would start the DAG on those events; ``dag.test()`` cannot be given them, so the run it
creates is made to consume them as the scheduler's asset-triggered runs do (``tests/webhooks/
test_end_to_end.py`` runs the whole thing with a real scheduler). Every recording must be archived
with a ``.sha256`` that matches the bytes the emulator serves.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.webhooks import videosdk_event_asset

REPO = Path(__file__).resolve().parents[2]
DAG_ID = "example_videosdk_archive_recordings"
ASSET_NAME, ASSET_URI = "videosdk/recording-stopped", "videosdk://events/recording-stopped"
RunDag = Callable[..., Any]


@pytest.fixture
def receiver_url(videosdk_connection: str) -> Iterator[str]:
    """Serve the receiver as the API server builds it (key fetched from the emulator) on 127.0.0.1."""
    import uvicorn

    from videosdk_provider.webhooks.receiver import create_app_from_config

    server = uvicorn.Server(
        uvicorn.Config(create_app_from_config(), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the receiver stopped"
        assert time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/webhooks"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def parsed(airflow_db: Path) -> None:
    """Parse the DAG files into the database as the DAG processor does: the DAG's asset becomes active."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "dags", "reserialize", "--bundle-name", "videosdk_examples"],
        check=True,
        capture_output=True,
        timeout=300,
    )


def asset_event_ids() -> list[int]:
    """Return the ids of the ``recording-stopped`` asset's events, oldest first."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        return list(
            session.scalars(
                select(AssetEvent.id)
                .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
                .where(AssetModel.uri == ASSET_URI)
                .order_by(AssetEvent.id)
            )
        )


@contextmanager
def next_run_consumes(dag_id: str, event_ids: list[int]) -> Iterator[None]:
    """Make the next run of ``dag_id`` created consume these asset events, as an asset-triggered run does."""
    from airflow.models.asset import association_table
    from airflow.models.dagrun import DagRun
    from sqlalchemy import event

    def consume(mapper: Any, connection: Any, run: DagRun) -> None:
        if run.dag_id == dag_id:
            rows = [{"dag_run_id": run.id, "event_id": event_id} for event_id in event_ids]
            connection.execute(association_table.insert(), rows)

    event.listen(DagRun, "after_insert", consume)
    try:
        yield
    finally:
        event.remove(DagRun, "after_insert", consume)


def record(hook: VideoSDKHook, emulator: VideoSDKEmulator, room_id: str, recordings: int) -> str:
    """Hold one session in the room with ``recordings`` recordings started and stopped; return its id."""
    session = emulator.join(room_id, "ada", "Ada")
    for _ in range(recordings):
        hook.start_recording(room_id)
        hook.stop_recording(room_id)
    emulator.end_session(room_id)
    return str(session["id"])


def test_each_recording_a_webhook_reports_is_archived_with_its_checksum(
    run_dag: RunDag,
    videosdk_emulator: VideoSDKEmulator,
    receiver_url: str,
    parsed: None,
) -> None:
    hook = VideoSDKHook()
    videosdk_emulator.recording_file_size = 200_000
    room_id = hook.create_room(webhook={"endPoint": receiver_url, "events": ["recording-stopped"]})["roomId"]
    before = asset_event_ids()
    sessions = [record(hook, videosdk_emulator, room_id, 2), record(hook, videosdk_emulator, room_id, 1)]
    assert videosdk_emulator.webhooks.wait_idle(30)
    deliveries = videosdk_emulator.webhooks.deliveries
    assert [(d.event_type, d.delivered, d.status) for d in deliveries] == [
        ("recording-stopped", True, 200)
    ] * 3
    new_events = asset_event_ids()[len(before) :]
    assert len(new_events) == 3

    with next_run_consumes(DAG_ID, new_events):
        result = run_dag(DAG_ID)

    assert result.state == "success", result.task_states
    assert result.xcom("ready_sessions") == [{"session_id": s, "room_id": room_id} for s in sessions]
    assert result.task_states == {
        "ready_sessions": "success",
        "archive_session[0]": "success",
        "archive_session[1]": "success",
    }
    archive = Path(os.environ["AIRFLOW_HOME"]) / "videosdk-archive"
    recordings = [r for s in sessions for r in hook.iter_recordings(room_id=room_id, session_id=s)]
    assert len(recordings) == 3
    for recording in recordings:
        name = recording["file"]["filePath"].rsplit("/", 1)[1]
        copy = archive / recording["sessionId"] / "recordings" / recording["id"] / name
        served = requests.get(recording["file"]["fileUrl"], timeout=30).content
        digest = hashlib.sha256(copy.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(served).hexdigest()
        assert copy.with_name(f"{name}.sha256").read_text() == f"{digest}  {name}\n"


def test_a_run_without_events_archives_nothing(run_dag: RunDag) -> None:
    result = run_dag(DAG_ID)
    assert result.state == "success"
    assert result.xcom("ready_sessions") == []
    assert result.task_states == {"ready_sessions": "success", "archive_session": "skipped"}


def test_the_commented_watcher_alternative_polls_the_same_asset() -> None:
    source = (REPO / "example_dags" / f"{DAG_ID}.py").read_text()
    block = source.split("# [START howto_webhook_watcher]\n")[1].split("# [END howto_webhook_watcher]")[0]
    code = "\n".join(line.removeprefix("# ") for line in block.splitlines()[1:])
    namespace: dict[str, Any] = {"videosdk_event_asset": videosdk_event_asset}
    exec(code, namespace)
    asset = namespace["RECORDING_READY"]
    assert (asset.name, asset.uri) == (ASSET_NAME, ASSET_URI)
    [watcher] = asset.watchers
    assert (watcher.trigger.event_type, watcher.trigger.room_ids) == ("recording-stopped", ["abcd-efgh-ijkl"])
