"""
Room recordings as the VideoSDK API returns them, and when a session's recordings are ready.

The recordings sensor (on a worker) and its trigger (in the triggerer) both decide with
:func:`recordings_state`, so the two modes cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypedDict

from videosdk_provider.models.progress import Progress

#: A recording whose status is this will never get a file.
FAILED = "failed"


class RecordingFileMeta(TypedDict, total=False):
    """What the API tells about a recording's file (``resolution`` like ``1280x720``, ``duration`` s)."""

    resolution: str
    duration: float


class RecordingFile(TypedDict, total=False):
    """A recording's file: ``fileUrl`` downloads it (a storage URL: no API token)."""

    fileUrl: str
    filePath: str
    size: int
    meta: RecordingFileMeta


class Recording(TypedDict, total=False):
    """
    A room recording of one session.

    ``status`` is ``"recording"`` while it runs, ``"completed"`` once the file exists, or
    ``"failed"`` (a plain string, in case the API adds more); ``file`` is absent until it is ready.
    """

    id: str
    roomId: str
    sessionId: str
    status: str
    start: str
    end: str | None
    file: RecordingFile
    transcription: dict[str, object]


class RecordingsState(NamedTuple):
    """Where a session's recordings stand: ``"waiting"``, ``"ready"`` or ``"failed"``, and why."""

    state: str
    message: str


def is_recording_ready(recording: Recording) -> bool:
    """Tell whether a recording can be downloaded: its file (with a URL) is present."""
    file = recording.get("file")
    return isinstance(file, dict) and bool(file.get("fileUrl"))


def recording_progress(recording: Recording) -> Progress:
    """Where one recording stands: done once its file is there, failed by its status, else waiting."""
    if is_recording_ready(recording):
        return "done"
    return "failed" if recording.get("status") == FAILED else "waiting"


def is_recording_running(recording: Recording) -> bool:
    """Whether a listed recording still records: waiting for its file and not ended yet."""
    return recording.get("end") is None and recording_progress(recording) == "waiting"


def recordings_state(recordings: Sequence[Recording], session_id: str) -> RecordingsState:
    """
    Decide whether a session's recordings are all ready, one has failed, or the wait goes on.

    Ready: the session has at least one recording and every one has its file. Failed: any of them
    has the status ``failed``. A session without recordings yet keeps waiting (a recording may be
    started, or auto-started, later).
    """
    failed = [item.get("id") for item in recordings if recording_progress(item) == "failed"]
    if failed:
        return RecordingsState(
            "failed", f"recording(s) {', '.join(map(str, failed))} of session {session_id} failed"
        )
    if not recordings:
        return RecordingsState("waiting", f"no recording of session {session_id} yet")
    pending = [str(item.get("id")) for item in recordings if recording_progress(item) != "done"]
    if pending:
        return RecordingsState(
            "waiting", f"recording(s) {', '.join(pending)} of session {session_id} not ready yet"
        )
    return RecordingsState("ready", f"{len(recordings)} recording(s) of session {session_id} ready")
