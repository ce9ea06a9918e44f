"""Wait in the triggerer until a session's room recordings are ready (their files are present)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.models.recordings import Recording, recordings_state
from videosdk_provider.triggers.base import VideoSDKWaitTrigger, WaitOutcome

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

_STATES = {"ready": "done", "failed": "failed", "waiting": "waiting"}


def recordings_outcome(recordings: Sequence[Recording], room_id: str, session_id: str) -> WaitOutcome:
    """Decide a poll of a session's recordings (see ``models.recordings.recordings_state``)."""
    state, message = recordings_state(recordings, session_id)
    value = {"roomId": room_id, "sessionId": session_id, "recordings": [dict(item) for item in recordings]}
    return WaitOutcome(_STATES[state], value if state == "ready" else None, message)


class VideoSDKRecordingsTrigger(VideoSDKWaitTrigger):
    """
    Poll a session's room recordings until all have their files, one fails, or time runs out.

    The success event's ``value`` is ``{"roomId", "sessionId", "recordings": [...]}``; see
    :class:`~videosdk_provider.triggers.base.VideoSDKWaitTrigger` for the other events.

    :param room_id: The room's VideoSDK roomId.
    :param session_id: The session whose recordings are awaited.
    """

    def __init__(
        self,
        *,
        room_id: str,
        session_id: str,
        poll_interval: float,
        timeout_at: float | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
    ) -> None:
        super().__init__(
            poll_interval=poll_interval, timeout_at=timeout_at, videosdk_conn_id=videosdk_conn_id
        )
        self.room_id = room_id
        self.session_id = session_id

    def _arguments(self) -> dict[str, Any]:
        return {"room_id": self.room_id, "session_id": self.session_id}

    async def _apoll(self, hook: VideoSDKHook) -> WaitOutcome:
        recordings = await hook.aget_recordings(room_id=self.room_id, session_id=self.session_id)
        return recordings_outcome(recordings, self.room_id, self.session_id)
