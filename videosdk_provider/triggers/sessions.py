"""Wait in the triggerer for a VideoSDK room's session to start or end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseTrigger, TriggerEvent

from videosdk_provider.exceptions import (
    VideoSDKConnectionError,
    VideoSDKRateLimitError,
    VideoSDKServerError,
)
from videosdk_provider.models import Session

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

#: What a session sensor or trigger can wait for.
SESSION_TARGETS = ("started", "ended")
#: Failures that may heal by themselves: polling goes on after them.
_TRANSIENT_ERRORS = (VideoSDKServerError, VideoSDKRateLimitError, VideoSDKConnectionError)


def _started_at(session: Session) -> float | None:
    """Return the session's ``start`` in epoch seconds, or None when it is missing or unreadable."""
    value = session.get("start")
    if not isinstance(value, str):
        return None
    try:
        started = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if started.tzinfo is None:
        started = started.replace(tzinfo=timezone.utc)
    return started.timestamp()


def _event(payload: dict[str, Any]) -> TriggerEvent:
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]


def _is_ongoing(session: Session) -> bool:
    status = session.get("status")
    if isinstance(status, str):
        return status == "ongoing"
    return not session.get("end")


def find_session(sessions: Sequence[Session], target: str, waiting_since: float) -> Session | None:
    """
    Return the session that meets ``target``, or None to keep waiting.

    ``"started"``: an ongoing session; else the latest session if it started at or after
    ``waiting_since`` (epoch seconds), so that a session that began and ended between two polls
    still counts, while sessions held before the wait (a reused room) do not.
    ``"ended"``: the latest session, once it is no longer ongoing (whenever it was held: the wait
    may begin late). "Latest" is by ``start``, whatever order the API lists sessions in.
    """
    if not sessions:
        return None

    def start_key(session: Session) -> float:
        started = _started_at(session)
        return started if started is not None else float("-inf")

    latest = max(sessions, key=start_key)
    if target == "ended":
        return None if _is_ongoing(latest) else latest
    ongoing = [session for session in sessions if _is_ongoing(session)]
    if ongoing:
        return max(ongoing, key=start_key)
    started = _started_at(latest)
    return latest if started is not None and started >= waiting_since else None


class VideoSDKSessionTrigger(BaseTrigger):
    """
    Poll a room's sessions until one meets the target (see :func:`find_session`).

    Fires one event, a plain JSON dict: ``{"status": "success", "session": {...}}``,
    ``{"status": "timeout", "message": ...}`` once ``timeout_at`` has passed, or
    ``{"status": "error", "message": ...}`` when the API refuses the call (an unknown room, bad
    credentials...). Failures that may heal (5xx, 429, no answer) are logged and polled again.
    HTTP, authentication and error mapping are the hook's (:meth:`VideoSDKHook.aget_sessions`).

    :param room_id: The room's VideoSDK roomId.
    :param target: ``"started"`` or ``"ended"``.
    :param waiting_since: When the wait began, in epoch seconds.
    :param poll_interval: Seconds between polls.
    :param timeout_at: Give up at this time (epoch seconds); None waits without limit.
    :param videosdk_conn_id: Connection of type ``videosdk``.
    """

    def __init__(
        self,
        *,
        room_id: str,
        target: str,
        waiting_since: float,
        poll_interval: float,
        timeout_at: float | None = None,
        videosdk_conn_id: str = "videosdk_default",
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.room_id = room_id
        self.target = target
        self.waiting_since = waiting_since
        self.poll_interval = poll_interval
        self.timeout_at = timeout_at
        self.videosdk_conn_id = videosdk_conn_id

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "videosdk_provider.triggers.sessions.VideoSDKSessionTrigger",
            {
                "room_id": self.room_id,
                "target": self.target,
                "waiting_since": self.waiting_since,
                "poll_interval": self.poll_interval,
                "timeout_at": self.timeout_at,
                "videosdk_conn_id": self.videosdk_conn_id,
            },
        )

    def _hook(self) -> VideoSDKHook:
        """Build the hook; its module is imported here, not with the sensor's, to keep DAG parsing cheap."""
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        return VideoSDKHook(self.videosdk_conn_id)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = await asyncio.to_thread(self._hook)  # the first import takes ~0.2 s: not on the event loop
        while True:
            try:
                sessions = await hook.aget_sessions(self.room_id)
            except _TRANSIENT_ERRORS as error:
                self.log.warning("Polling the sessions of VideoSDK room %s failed: %s", self.room_id, error)
            except AirflowException as error:
                yield _event({"status": "error", "message": str(error)})
                return
            else:
                session = find_session(sessions, self.target, self.waiting_since)
                if session is not None:
                    yield _event({"status": "success", "session": dict(session)})
                    return
            pause = self.poll_interval
            if self.timeout_at is not None:
                remaining = self.timeout_at - time.time()
                if remaining <= 0:
                    waited = time.time() - self.waiting_since
                    message = (
                        f"no session {self.target} in VideoSDK room {self.room_id} "
                        f"after waiting {waited:.0f} s"
                    )
                    yield _event({"status": "timeout", "message": message})
                    return
                pause = min(pause, remaining)
            await asyncio.sleep(pause)
