"""When recordings are ready and a transcription is done: the rules the media sensors and triggers share."""

from __future__ import annotations

from typing import Any

import pytest

from videosdk_provider.models.post_transcriptions import transcription_progress, transcription_state
from videosdk_provider.models.recordings import (
    is_recording_ready,
    is_recording_running,
    recording_progress,
    recordings_state,
)

FILE = {"fileUrl": "https://storage.example.com/r.mp4", "filePath": "recordings/r.mp4", "size": 10}
COMPLETED: dict[str, Any] = {"id": "r1", "status": "completed", "file": FILE}
RUNNING: dict[str, Any] = {"id": "r2", "status": "recording"}
FAILED: dict[str, Any] = {"id": "r3", "status": "failed"}
TRANSCRIPT = {"txt": "https://storage.example.com/t.txt", "json": "https://storage.example.com/t.json"}
SUMMARY = {"txt": "https://storage.example.com/s.txt"}


@pytest.mark.parametrize(
    ("recording", "ready"),
    [
        (COMPLETED, True),
        (RUNNING, False),
        ({"id": "r", "status": "completed"}, False),
        ({"id": "r", "file": {"fileUrl": ""}}, False),
        ({"id": "r", "file": "https://storage.example.com/r.mp4"}, False),
    ],
)
def test_a_recording_is_ready_when_its_file_url_is_present(recording: dict[str, Any], ready: bool) -> None:
    assert is_recording_ready(recording) is ready  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recording", "progress"),
    [
        (COMPLETED, "done"),
        (RUNNING, "waiting"),
        (FAILED, "failed"),
        ({"id": "r", "status": "processing"}, "waiting"),
    ],
)
def test_one_recordings_progress(recording: dict[str, Any], progress: str) -> None:
    assert recording_progress(recording) == progress  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recording", "running"),
    [
        (RUNNING, True),
        ({**RUNNING, "end": "2026-01-01T10:00:00Z"}, False),
        (FAILED, False),
        (COMPLETED, False),
    ],
)
def test_a_recording_runs_while_it_waits_for_its_file_and_has_not_ended(
    recording: dict[str, Any], running: bool
) -> None:
    assert is_recording_running(recording) is running  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("transcription", "progress"),
    [
        ({"status": "completed", "transcriptionFilePaths": TRANSCRIPT}, "done"),
        ({"status": "completed", "transcriptionFilePaths": {}}, "waiting"),
        ({"status": "in-progress"}, "waiting"),
        ({"status": "failed"}, "failed"),
    ],
)
def test_one_transcriptions_progress_counts_it_done_only_with_its_files(
    transcription: dict[str, Any], progress: str
) -> None:
    assert transcription_progress(transcription) == progress  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recordings", "state"),
    [
        pytest.param([], "waiting", id="none-yet"),
        pytest.param([RUNNING], "waiting", id="still-recording"),
        pytest.param([COMPLETED, RUNNING], "waiting", id="one-still-recording"),
        pytest.param([COMPLETED], "ready", id="all-have-files"),
        pytest.param([COMPLETED, COMPLETED | {"id": "r4"}], "ready", id="several"),
        pytest.param([COMPLETED, FAILED], "failed", id="one-failed"),
        pytest.param([FAILED, RUNNING], "failed", id="failed-wins-over-waiting"),
    ],
)
def test_session_recordings_state(recordings: list[dict[str, Any]], state: str) -> None:
    assert recordings_state(recordings, "s1").state == state  # type: ignore[arg-type]


def test_failed_recordings_are_named_in_the_message() -> None:
    assert recordings_state([FAILED], "s1").message == "recording(s) r3 of session s1 failed"  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("transcriptions", "require_summary", "state"),
    [
        pytest.param([], False, "waiting", id="none-yet"),
        pytest.param([{"id": "t", "status": "in-progress"}], False, "waiting", id="in-progress"),
        pytest.param([{"id": "t", "status": "completed"}], False, "waiting", id="completed-without-files"),
        pytest.param(
            [{"id": "t", "status": "completed", "transcriptionFilePaths": TRANSCRIPT}],
            False,
            "done",
            id="done",
        ),
        pytest.param(
            [{"id": "t", "status": "completed", "transcriptionFilePaths": TRANSCRIPT}],
            True,
            "failed",
            id="summary-required-but-absent",
        ),
        pytest.param(
            [
                {
                    "id": "t",
                    "status": "completed",
                    "transcriptionFilePaths": TRANSCRIPT,
                    "summarizedFilePaths": SUMMARY,
                }
            ],
            True,
            "done",
            id="with-summary",
        ),
        pytest.param([{"id": "t", "status": "failed"}], False, "failed", id="failed"),
        pytest.param(
            [{"id": "new", "status": "in-progress"}, {"id": "old", "status": "failed"}],
            False,
            "waiting",
            id="newest-counts",
        ),
    ],
)
def test_session_transcription_state(
    transcriptions: list[dict[str, Any]], require_summary: bool, state: str
) -> None:
    found = transcription_state(transcriptions, "s1", require_summary=require_summary)  # type: ignore[arg-type]
    assert found.state == state
    assert found.transcription == (transcriptions[0] if transcriptions else None)
