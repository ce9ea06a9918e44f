"""Participant and track recordings and their merges as the VideoSDK API returns them."""

from __future__ import annotations

from typing import TypedDict


class ParticipantRecordingFile(TypedDict, total=False):
    """One file of a participant recording; ``type`` is the track (``video``, ``audio``...)."""

    fileUrl: str
    filePath: str
    size: int
    type: str


class ParticipantRecording(TypedDict, total=False):
    """
    A recording of one participant in one session; a track recording adds its ``kind``.

    ``status`` is ``"recording"`` while it runs and ``"completed"`` once ``files`` are there.
    """

    id: str
    roomId: str
    sessionId: str
    participantId: str
    fileFormat: str
    kind: str
    status: str
    start: str
    end: str | None
    files: list[ParticipantRecordingFile]


class MergeFile(TypedDict, total=False):
    """The merged recording's file."""

    fileUrl: str
    filePath: str
    size: int


class MergedRecording(TypedDict, total=False):
    """A merge of a session's participant recordings; ``file`` is there once ``status`` is ``completed``."""

    id: str
    roomId: str
    sessionId: str
    status: str
    start: str
    end: str | None
    file: MergeFile
