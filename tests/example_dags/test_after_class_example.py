"""The after-class example runs end to end against the emulator: a recorded class, archived, summarised."""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator

DAG_ID = "example_videosdk_after_class"
RUN_AFTER = datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.timezone.utc)
CUSTOM_ROOM_ID = "statistics-2026-11-24"
SENSORS = ("wait_for_class_to_end", "wait_for_recording", "wait_for_transcript")


def test_after_class_archives_the_recording_transcript_and_summary_and_pushes_the_summary(
    run_dag: Callable[..., Any],
    hook_factory: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    watch: Callable[..., Any],
    dag_bag: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for task_id in SENSORS:
        monkeypatch.setattr(dag_bag[DAG_ID].get_task(task_id), "poke_interval", 0.1)
    videosdk_emulator.recording_file_size = 4096
    videosdk_emulator.transcription_delay = 0.3
    simulated_class = watch(
        # The class starts once the session sensor has looked and found none.
        lambda: any(request.path == "/v2/sessions" for request in videosdk_emulator.requests),
        lambda: videosdk_emulator.schedule_session(
            CUSTOM_ROOM_ID, start_in=0.2, duration=1.0, participants=["ada", "grace"]
        ),
    )

    result = run_dag(DAG_ID, run_after=RUN_AFTER, logical_date=RUN_AFTER)

    assert simulated_class.fired.is_set()
    assert result.state == "success", result.task_states
    session = result.xcom("wait_for_class_to_end")
    hook = hook_factory()
    [recording] = hook.iter_recordings(room_id=session["roomId"], session_id=session["id"])
    [transcription] = hook.iter_post_transcriptions(session_id=session["id"])

    # Archived under AIRFLOW_HOME (the default destination), each file next to its checksum.
    archive = Path(os.environ["AIRFLOW_HOME"]) / "videosdk-archive" / session["id"]
    folder = f"transcriptions/{transcription['id']}"
    expected = [
        f"recordings/{recording['id']}/{PurePosixPath(recording['file']['filePath']).name}",
        f"{folder}/transcript.json",
        f"{folder}/transcript.txt",
        f"{folder}/summary.txt",
    ]
    assert result.xcom("archive") == [f"file://{archive}/{relative}" for relative in expected]
    for relative in expected:
        copy = archive / relative
        checksum = copy.with_name(copy.name + ".sha256").read_text()
        assert checksum == f"{hashlib.sha256(copy.read_bytes()).hexdigest()}  {copy.name}\n"
    assert (archive / expected[0]).stat().st_size == recording["file"]["size"] == 4096

    # The summary's text reached XCom, as the emulator wrote it.
    summary = requests.get(transcription["summarizedFilePaths"]["txt"], timeout=10).text
    assert "Prompt: Write the summary in sections" in summary
    assert result.xcom("read_summary") == summary
