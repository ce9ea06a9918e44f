"""The transfer operator end to end: a session's media listed through the hook, copied, run in a DAG."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKFileNotFoundError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator

MakeOperator = Callable[..., VideoSDKToObjectStorageOperator]


@pytest.fixture
def hook(transfer_connection: str) -> VideoSDKHook:
    return VideoSDKHook(transfer_connection)


@pytest.fixture
def recorded_session(hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator) -> dict[str, Any]:
    """Finish a session in a new room with a room recording and Ada's participant and audio recordings."""
    videosdk_emulator.recording_file_size = 3 * (1 << 20) + 11
    room_id = hook.create_room()["roomId"]
    videosdk_emulator.join(room_id, "ada", "Ada")
    hook.start_recording(room_id, transcription={"enabled": True, "summary": {"enabled": True}})
    hook.start_participant_recording(room_id, "ada")
    hook.start_track_recording(room_id, "ada", "audio")
    hook.stop_participant_recording(room_id, "ada")
    hook.stop_track_recording(room_id, "ada", "audio")
    return videosdk_emulator.end_session(room_id)


def relative(uris: list[str], folder: Path) -> list[str]:
    prefix = f"file://{folder}/"
    assert all(uri.startswith(prefix) for uri in uris)
    return [uri[len(prefix) :] for uri in uris]


def test_copies_the_room_recordings_of_a_session_by_default(
    hook: VideoSDKHook,
    make_operator: MakeOperator,
    recorded_session: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
) -> None:
    session_id = recorded_session["id"]
    uris = make_operator(session_id=session_id, destination=f"file://{tmp_path}/").execute({})
    [recording] = hook.iter_recordings(room_id=recorded_session["roomId"], session_id=session_id)
    name = recording["file"]["filePath"].rsplit("/", 1)[1]
    assert relative(uris, tmp_path) == [f"{session_id}/recordings/{recording['id']}/{name}"]
    [stored] = [item for item in videosdk_emulator.files.files if item.url == recording["file"]["fileUrl"]]
    copy = tmp_path / session_id / "recordings" / recording["id"] / name
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256()


def test_include_adds_participant_and_track_recordings_and_transcriptions(
    hook: VideoSDKHook,
    make_operator: MakeOperator,
    recorded_session: dict[str, Any],
    tmp_path: Path,
) -> None:
    session_id = recorded_session["id"]
    deadline = time.monotonic() + 10
    while next(hook.iter_post_transcriptions(session_id=session_id))["status"] != "completed":
        assert time.monotonic() < deadline, "the emulator's transcription did not complete"
        time.sleep(0.05)
    operator = make_operator(
        session_id=session_id,
        destination=f"file://{tmp_path}/",
        include=["recordings", "participant_recordings", "track_recordings", "transcriptions"],
    )
    copied = relative(operator.execute({}), tmp_path)
    folders = [path.split("/")[1] for path in copied]
    assert folders == [
        "recordings",
        "participant-recordings",
        "track-recordings",
        "transcriptions",
        "transcriptions",
        "transcriptions",
    ]
    assert [path.rsplit("/", 1)[1] for path in copied[3:]] == [
        "transcript.json",
        "transcript.txt",
        "summary.txt",
    ]
    assert copied[2].split("/")[2:4] == ["ada", "audio"]
    assert "Ada" in (tmp_path / copied[4]).read_text()


def test_the_room_is_read_from_the_session_unless_given(
    make_operator: MakeOperator,
    recorded_session: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
) -> None:
    session_id = recorded_session["id"]
    make_operator(session_id=session_id, destination=f"file://{tmp_path}/a/").execute({})
    assert len(videosdk_emulator.requests_to("GET", f"/v2/sessions/{session_id}")) == 1
    given = make_operator(
        session_id=session_id, room_id=recorded_session["roomId"], destination=f"file://{tmp_path}/b/"
    )
    before = len(videosdk_emulator.requests_to("GET", f"/v2/sessions/{session_id}"))
    given.execute({})
    assert len(videosdk_emulator.requests_to("GET", f"/v2/sessions/{session_id}")) == before


def test_a_recording_still_running_is_logged_and_left_out(
    hook: VideoSDKHook,
    make_operator: MakeOperator,
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    room_id = hook.create_room()["roomId"]
    session = videosdk_emulator.join(room_id, "ada", "Ada")
    hook.start_recording(room_id)
    capfd.readouterr()
    uris = make_operator(session_id=session["id"], destination=f"file://{tmp_path}/").execute({})
    assert uris == []
    assert "has no file yet (status recording): not copied" in capfd.readouterr().out


def test_a_recording_deleted_after_listing_fails_naming_it(
    hook: VideoSDKHook,
    make_operator: MakeOperator,
    recorded_session: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
) -> None:
    [recording] = hook.iter_recordings(room_id=recorded_session["roomId"], session_id=recorded_session["id"])
    for stored in videosdk_emulator.files.files:
        videosdk_emulator.files.remove(stored.file_id)
    with pytest.raises(VideoSDKFileNotFoundError, match=f"^room recording {recording['id']}: not found"):
        make_operator(session_id=recorded_session["id"], destination=f"file://{tmp_path}/").execute({})


def test_a_dag_run_archives_the_session_and_returns_plain_uris(
    run_dag: Callable[..., Any],
    recorded_session: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
) -> None:
    conf = {"session_id": recorded_session["id"], "destination": f"file://{tmp_path}/archive/"}
    result = run_dag("transfer_archive_session", run_conf=conf)
    assert result.state == "success", result.task_states
    [uri] = result.xcom("archive")
    assert uri.startswith(f"file://{tmp_path}/archive/{recorded_session['id']}/recordings/")
    assert Path(uri.removeprefix("file://")).is_file()
    files = [request for request in videosdk_emulator.requests if request.path.startswith("/files/")]
    assert files
    assert all("authorization" not in request.headers for request in files)


def test_openlineage_sees_where_each_archived_file_came_from(
    airflow_db: Path,
    hook: VideoSDKHook,
    transfer_connection: str,
    recorded_session: dict[str, Any],
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
) -> None:
    events = tmp_path / "openlineage.jsonl"
    environment = dict(os.environ)
    environment["AIRFLOW__OPENLINEAGE__TRANSPORT"] = json.dumps(
        {"type": "file", "log_file_path": str(events), "append": True}
    )
    conf = {"session_id": recorded_session["id"], "destination": f"file://{tmp_path}/archive/"}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "airflow",
            "dags",
            "test",
            "transfer_archive_session",
            "-B",
            "videosdk_test_dags",
        ]
        + ["-c", json.dumps(conf)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    [complete] = [
        event
        for event in map(json.loads, events.read_text().splitlines())
        if event["eventType"] == "COMPLETE" and event["job"]["name"].endswith(".archive")
    ]
    [recording] = hook.iter_recordings(room_id=recorded_session["roomId"], session_id=recorded_session["id"])
    assert [(item["namespace"], item["name"]) for item in complete["inputs"]] == [
        (videosdk_emulator.url, urlsplit(recording["file"]["fileUrl"]).path)
    ]
    [output] = complete["outputs"]
    assert output["namespace"] == "file"
    assert output["name"].startswith(f"{str(tmp_path)[1:]}/archive/{recorded_session['id']}/recordings/")
