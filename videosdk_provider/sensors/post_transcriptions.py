"""Wait until a VideoSDK session's post-call transcription (and summary) is completed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.sensors.base import VideoSDKWaitSensor
from videosdk_provider.triggers.base import WaitOutcome
from videosdk_provider.triggers.post_transcriptions import (
    VideoSDKPostTranscriptionTrigger,
    transcription_outcome,
)


class VideoSDKPostTranscriptionSensor(VideoSDKWaitSensor):
    """
    Wait until a session's post-call transcription is completed; return it (a plain dict).

    The XCom value is the transcription, with ``transcriptionFilePaths`` (``txt``, ``json``) and
    ``summarizedFilePaths`` (``txt``) download URLs. A transcription whose status is ``failed``
    fails the task at once; so does a completed one without a summary when ``require_summary``
    is set. Poke and deferrable modes, timeouts and transient errors work as in
    :class:`~videosdk_provider.sensors.base.VideoSDKWaitSensor`.

    :param session_id: The recorded session (with ``transcription.enabled``). (templated)
    :param require_summary: Also wait for the summary (``transcription.summary.enabled``).
    :param deferrable: Wait in the triggerer instead of a worker slot.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("session_id", "videosdk_conn_id")

    def __init__(self, *, session_id: str, require_summary: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session_id = session_id
        self.require_summary = require_summary
        self._check(at_parse_time=True)

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("session_id", self.session_id)
        check.boolean("require_summary", self.require_summary)
        check.raise_problems()

    def _poll(self) -> WaitOutcome:
        transcriptions = list(self.hook.iter_post_transcriptions(session_id=self.session_id))
        return transcription_outcome(transcriptions, self.session_id, require_summary=self.require_summary)

    def _trigger(self, timeout_at: float) -> VideoSDKPostTranscriptionTrigger:
        return VideoSDKPostTranscriptionTrigger(
            session_id=self.session_id,
            require_summary=self.require_summary,
            poll_interval=self.poke_interval,
            timeout_at=timeout_at,
            videosdk_conn_id=self.videosdk_conn_id,
        )
