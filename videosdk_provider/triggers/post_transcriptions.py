"""Wait in the triggerer until a session's post-call transcription (and summary) is completed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.models.post_transcriptions import PostTranscription, transcription_state
from videosdk_provider.triggers.base import VideoSDKWaitTrigger, WaitOutcome

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook


def transcription_outcome(
    transcriptions: Sequence[PostTranscription], session_id: str, *, require_summary: bool
) -> WaitOutcome:
    """Decide a poll of a session's transcriptions (``models.post_transcriptions.transcription_state``)."""
    state, transcription, message = transcription_state(
        transcriptions, session_id, require_summary=require_summary
    )
    value = dict(transcription) if state == "done" and transcription is not None else None
    return WaitOutcome(state, value, message)


class VideoSDKPostTranscriptionTrigger(VideoSDKWaitTrigger):
    """
    Poll a session's post-call transcriptions until the newest is completed, fails, or time runs out.

    The success event's ``value`` is the transcription; see
    :class:`~videosdk_provider.triggers.base.VideoSDKWaitTrigger` for the other events.

    :param session_id: The recorded session.
    :param require_summary: Also require the summary file (else a completed transcription without
        one fails the wait).
    """

    def __init__(
        self,
        *,
        session_id: str,
        require_summary: bool = False,
        poll_interval: float,
        timeout_at: float | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
    ) -> None:
        super().__init__(
            poll_interval=poll_interval, timeout_at=timeout_at, videosdk_conn_id=videosdk_conn_id
        )
        self.session_id = session_id
        self.require_summary = require_summary

    def _arguments(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "require_summary": self.require_summary}

    async def _apoll(self, hook: VideoSDKHook) -> WaitOutcome:
        transcriptions = await hook.aget_post_transcriptions(session_id=self.session_id)
        return transcription_outcome(transcriptions, self.session_id, require_summary=self.require_summary)
