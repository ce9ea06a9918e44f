"""Wait in the triggerer for a VideoSDK room's session to start or end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseTrigger, TriggerEvent

from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.exceptions import TRANSIENT_ERRORS
from videosdk_provider.models.sessions import find_session

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook


def _event(payload: dict[str, Any]) -> TriggerEvent:
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]


class VideoSDKSessionTrigger(BaseTrigger):
    """
    Poll a room's sessions until one meets the target (see ``models.sessions.find_session``).

    Fires one event, a plain JSON dict: ``{"status": "success", "session": {...}}``,
    ``{"status": "timeout", "message": ...}`` once ``timeout_at`` has passed, or
    ``{"status": "error", "message": ...}`` when the API refuses the call (an unknown room, bad
    credentials...). Failures that may heal (5xx, 429, no answer) are logged and polled again.
    HTTP, authentication and error mapping are the hook's (``VideoSDKHook.alatest_sessions``); every
    poll of one run reuses one HTTP client.

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
        videosdk_conn_id: str = DEFAULT_CONN_ID,
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
        try:
            async with hook.async_client():
                payload = await self._outcome(hook)
        except AirflowException as error:  # the connection is missing or incomplete
            payload = {"status": "error", "message": str(error)}
        yield _event(payload)

    async def _outcome(self, hook: VideoSDKHook) -> dict[str, Any]:
        """Poll until the wait is over; return the event's payload."""
        while True:
            try:
                latest = await hook.alatest_sessions(self.room_id)
            except TRANSIENT_ERRORS as error:
                self.log.warning("Polling the sessions of VideoSDK room %s failed: %s", self.room_id, error)
            except AirflowException as error:
                return {"status": "error", "message": str(error)}
            else:
                session = find_session(latest, self.target, self.waiting_since)
                if session is not None:
                    return {"status": "success", "session": dict(session)}
            pause = self.poll_interval
            if self.timeout_at is not None:
                remaining = self.timeout_at - time.time()
                if remaining <= 0:
                    waited = time.time() - self.waiting_since
                    message = (
                        f"no session {self.target} in VideoSDK room {self.room_id} "
                        f"after waiting {waited:.0f} s"
                    )
                    return {"status": "timeout", "message": message}
                pause = min(pause, remaining)
            await asyncio.sleep(pause)
