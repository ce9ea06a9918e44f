"""Wait until a VideoSDK session's room recordings are ready to download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.sensors.base import VideoSDKWaitSensor
from videosdk_provider.triggers.base import WaitOutcome
from videosdk_provider.triggers.recordings import VideoSDKRecordingsTrigger, recordings_outcome


class VideoSDKRecordingsSensor(VideoSDKWaitSensor):
    """
    Wait until every room recording of a session has its file; return them (a plain dict).

    The XCom value is ``{"roomId", "sessionId", "recordings": [...]}``, each recording with its
    ``file`` (``fileUrl``, ``filePath``, ``size``). A session without any recording yet keeps the
    sensor waiting (one may still start, or auto-start); a recording whose status is ``failed``
    fails the task at once. Poke and deferrable modes, timeouts and transient errors work as in
    :class:`~videosdk_provider.sensors.base.VideoSDKWaitSensor`.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param session_id: The session whose recordings to wait for, for example from
        ``VideoSDKSessionSensor``'s output. (templated)
    :param deferrable: Wait in the triggerer instead of a worker slot.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("room_id", "session_id", "videosdk_conn_id")

    def __init__(self, *, room_id: str, session_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.session_id = session_id
        self._check(at_parse_time=True)

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("room_id", self.room_id)
        check.identifier("session_id", self.session_id)
        check.raise_problems()

    def _poll(self) -> WaitOutcome:
        recordings = list(self.hook.iter_recordings(room_id=self.room_id, session_id=self.session_id))
        return recordings_outcome(recordings, self.room_id, self.session_id)

    def _trigger(self, timeout_at: float) -> VideoSDKRecordingsTrigger:
        return VideoSDKRecordingsTrigger(
            room_id=self.room_id,
            session_id=self.session_id,
            poll_interval=self.poke_interval,
            timeout_at=timeout_at,
            videosdk_conn_id=self.videosdk_conn_id,
        )
