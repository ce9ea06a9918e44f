"""The example DAGs parse cleanly and run end to end against the emulator."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator

EXAMPLE_DAGS = Path(__file__).resolve().parent.parent / "example_dags"
RUN_AFTER = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.timezone.utc)
RunDag = Callable[..., Any]


def example_dag_ids(dag_bag: dict[str, Any]) -> list[str]:
    return sorted(dag_id for dag_id in dag_bag if dag_id.startswith("example_videosdk_"))


def test_every_example_file_defines_a_dag(dag_bag: dict[str, Any]) -> None:
    files = {path.stem for path in EXAMPLE_DAGS.glob("example_*.py")}
    assert files == set(example_dag_ids(dag_bag))


def test_every_example_is_documented_and_tagged(dag_bag: dict[str, Any]) -> None:
    for dag_id in example_dag_ids(dag_bag):
        dag = dag_bag[dag_id]
        assert dag.doc_md, dag_id
        assert {"example", "videosdk"} <= set(dag.tags), dag_id


def test_daily_class_creates_the_days_room_and_invites_with_its_id(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("example_videosdk_daily_class", run_after=RUN_AFTER, logical_date=RUN_AFTER)
    assert result.state == "success"
    [room] = videosdk_emulator.rooms
    assert room["customRoomId"] == "daily-class-2026-11-26"
    assert room["autoCloseConfig"] == {"type": "session-end-and-deactivate", "duration": 90}
    assert room["webhook"]["events"] == ["session-started", "session-ended", "recording-*"]
    invite = result.xcom("build_invite")
    assert f"https://meet.example.com/{room['roomId']}" in invite
    assert "Python 101" in invite


def test_daily_class_run_twice_on_one_day_keeps_one_room(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    first = run_dag("example_videosdk_daily_class", run_after=RUN_AFTER, logical_date=RUN_AFTER)
    later = RUN_AFTER + datetime.timedelta(hours=3)
    second = run_dag("example_videosdk_daily_class", run_after=later, logical_date=later)
    assert len(videosdk_emulator.rooms) == 1
    assert first.xcom("create_room") == second.xcom("create_room")


def test_mapped_sessions_create_one_room_per_session(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("example_videosdk_mapped_sessions", run_after=RUN_AFTER, logical_date=RUN_AFTER)
    assert result.state == "success"
    rooms_by_custom_id = {room["customRoomId"]: room for room in videosdk_emulator.rooms}
    schedule = result.xcom("publish_schedule")
    expected_office_hours = [
        f"office-hours-{subject}-2026-11-26" for subject in ("maths", "physics", "chemistry")
    ]
    expected_standups = [f"standup-{team}-2026-11-26" for team in ("web", "mobile", "data")]
    assert set(rooms_by_custom_id) == set(expected_office_hours + expected_standups)
    assert schedule["office_hours"] == [rooms_by_custom_id[c]["roomId"] for c in expected_office_hours]
    assert schedule["standups"] == [rooms_by_custom_id[c]["roomId"] for c in expected_standups]
    assert rooms_by_custom_id["office-hours-physics-2026-11-26"]["autoCloseConfig"]["duration"] == 45


def test_auto_start_sends_the_full_auto_start_config(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("example_videosdk_auto_start", run_after=RUN_AFTER, logical_date=RUN_AFTER)
    assert result.state == "success"
    [request] = videosdk_emulator.requests_to("POST", "/v2/rooms")
    config = request.body["autoStartConfig"]
    assert config["recording"]["transcription"]["summary"]["enabled"] is True
    assert config["recording"]["config"]["layout"] == {"type": "GRID", "priority": "SPEAKER", "gridSize": 4}
    assert config["recording"]["awsDirPath"] == "webinars/2026-11-26"
    assert config["hls"]["config"]["recording"] == {"enabled": True}
    assert result.xcom("create_webinar_room") == videosdk_emulator.rooms[0]["roomId"]


@pytest.mark.parametrize("path", sorted(EXAMPLE_DAGS.glob("example_*.py")), ids=lambda p: p.name)
def test_examples_use_no_logical_date_dependent_template(path: Path) -> None:
    source = path.read_text()
    for fragment in ("{{ ds }}", "logical_date", "execution_date", "next_ds", "prev_ds"):
        assert fragment not in source, fragment


def test_daily_class_runs_through_the_airflow_cli(
    airflow_db: Path, videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    days = {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}
    completed = subprocess.run(
        [sys.executable, "-m", "airflow", "dags", "test", "example_videosdk_daily_class"],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    days.add(datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    [room] = videosdk_emulator.rooms
    assert room["customRoomId"] in {f"daily-class-{day}" for day in days}
    assert videosdk_emulator.secret not in completed.stdout + completed.stderr
