"""
Post-call transcriptions as the VideoSDK API returns them, and when a wait for one is over.

The post-transcription sensor and its trigger both decide with :func:`transcription_state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypedDict

from videosdk_provider.models.progress import Progress


class PostTranscription(TypedDict, total=False):
    """
    The transcription (and summary) of a recorded session, made after the recording stopped.

    ``status`` is ``"in-progress"``, ``"completed"`` or ``"failed"``. ``transcriptionFilePaths``
    maps formats (``txt``, ``json``) and ``summarizedFilePaths`` (``txt``) to download URLs; both
    are empty until the transcription is completed.
    """

    id: str
    roomId: str
    sessionId: str
    recordingId: str
    status: str
    start: str
    end: str | None
    transcriptionFilePaths: dict[str, str]
    summarizedFilePaths: dict[str, str]


class TranscriptionState(NamedTuple):
    """``"waiting"``, ``"done"`` or ``"failed"``, the transcription it is about (if any), and why."""

    state: str
    transcription: PostTranscription | None
    message: str


def transcription_progress(transcription: PostTranscription) -> Progress:
    """Where one transcription stands: done once ``completed`` with its files, failed, or waiting."""
    status = transcription.get("status")
    if status == "failed":
        return "failed"
    if status == "completed" and transcription.get("transcriptionFilePaths"):
        return "done"
    return "waiting"


def transcription_state(
    transcriptions: Sequence[PostTranscription], session_id: str, *, require_summary: bool = False
) -> TranscriptionState:
    """
    Decide whether a session's post-call transcription is done, has failed, or the wait goes on.

    The newest transcription of the session counts. Done: ``completed`` with transcript files (and,
    with ``require_summary``, a summary file: a completed transcription without one fails, as the
    summary was not asked for when recording). Failed: ``failed``. Otherwise (none yet,
    ``in-progress``) the wait goes on.
    """
    if not transcriptions:
        return TranscriptionState("waiting", None, f"no post-call transcription of session {session_id} yet")
    newest = transcriptions[0]
    label = f"post-call transcription {newest.get('id')} of session {session_id}"
    progress = transcription_progress(newest)
    if progress == "failed":
        return TranscriptionState("failed", newest, f"{label} failed")
    if progress == "waiting":
        return TranscriptionState("waiting", newest, f"{label} is {newest.get('status')}")
    if require_summary and not newest.get("summarizedFilePaths"):
        message = (
            f"{label} completed without a summary: start the recording with "
            "transcription.summary.enabled set to true"
        )
        return TranscriptionState("failed", newest, message)
    return TranscriptionState("done", newest, f"{label} completed")
