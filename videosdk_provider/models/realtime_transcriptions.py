"""Realtime transcriptions (live captions of a session) as the VideoSDK API returns them."""

from __future__ import annotations

from typing import TypedDict

#: The status of a realtime transcription that is still running.
RUNNING = "running"


class RealtimeTranscription(TypedDict, total=False):
    """A realtime transcription of a room's session; ``status`` is ``running`` or ``stopped``."""

    id: str
    roomId: str
    sessionId: str
    status: str
    start: str
    end: str | None
    webhookUrl: str | None
