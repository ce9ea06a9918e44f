"""
Stream key audit: a livestream's stream key never shows where users or operators look.

Livestream DAGs of ``tests/dags/`` take the key from a Variable and run to success, to a server
error and as mapped tasks. Then the task logs (stdout and stderr of ``dag.test()``, and any file
under ``AIRFLOW_HOME/logs``), every XCom row and rendered template field of the run and the
metadata database files are searched for the key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook

STREAM_KEY = "audit-stream-key-2f8d6b4a0c9e7531"


def stored_for_run(dag_id: str, run_id: str) -> dict[str, str]:
    """Return every XCom row and rendered template field of one DAG run, as text."""
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        xcoms = session.query(XComModel).filter_by(dag_id=dag_id, run_id=run_id).all()
        rendered = session.query(RenderedTaskInstanceFields).filter_by(dag_id=dag_id, run_id=run_id).all()
        return {
            "XCom": "\n".join(f"{row.task_id} {row.key} {row.value!r}" for row in xcoms),
            "rendered template fields": "\n".join(
                f"{row.task_id} {row.rendered_fields!r}" for row in rendered
            ),
        }


def files_under(folder: Path, pattern: str) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.glob(pattern) if path.is_file()}


@pytest.fixture
def stream_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AIRFLOW_VAR_VIDEOSDK_TEST_STREAM_KEY", STREAM_KEY)
    return STREAM_KEY


def live_rooms(emulator: VideoSDKEmulator, count: int) -> list[str]:
    hook = VideoSDKHook()
    rooms = [hook.create_room()["roomId"] for _ in range(count)]
    for room_id in rooms:
        emulator.start_session(room_id)
    return rooms


@pytest.mark.parametrize(
    ("dag_id", "rooms", "fault", "states"),
    [
        pytest.param(
            "media_livestream",
            1,
            None,
            {"start_livestream": "success", "stop_livestream": "success"},
            id="start and stop",
        ),
        pytest.param(
            "media_livestream",
            1,
            lambda emulator: emulator.fail_next(500, path="/v2/livestreams/start"),
            {"start_livestream": "failed", "stop_livestream": "upstream_failed"},
            id="start meets a server error",
        ),
        pytest.param(
            "media_livestream_mapped",
            2,
            None,
            {"rooms": "success", "start_livestreams[0]": "success", "start_livestreams[1]": "success"},
            id="mapped starts",
        ),
    ],
)
def test_a_livestream_run_shows_the_stream_key_nowhere(
    dag_id: str,
    rooms: int,
    fault: Callable[[VideoSDKEmulator], object] | None,
    states: dict[str, str],
    stream_key: str,
    run_dag: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    airflow_db: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    room_ids = live_rooms(videosdk_emulator, rooms)
    if fault is not None:
        fault(videosdk_emulator)
    conf: dict[str, Any] = {"room_id": room_ids[0]} if rooms == 1 else {"room_ids": room_ids}

    result = run_dag(dag_id, run_conf=conf)

    assert result.task_states == states
    starts = videosdk_emulator.requests_to("POST", "/v2/livestreams/start")
    assert [request.body["outputs"][0]["streamKey"] for request in starts] == [stream_key] * rooms
    captured = capfd.readouterr()
    assert "livestream" in captured.out + captured.err  # the task logs were captured
    stored = stored_for_run(result.dag_id, result.run_id)
    assert "outputs" in stored["rendered template fields"]
    surfaces: dict[str, str | bytes] = {
        "task logs on stdout": captured.out,
        "task logs on stderr": captured.err,
        **stored,
        **files_under(airflow_db / "logs", "**/*"),
        **files_under(airflow_db, "airflow.db*"),
    }
    leaks = [
        name
        for name, text in surfaces.items()
        if (stream_key.encode() if isinstance(text, bytes) else stream_key) in text
    ]
    assert leaks == []
