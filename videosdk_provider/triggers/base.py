"""
What the triggers that wait for a session's media share: poll until done, failed or timed out.

Each subclass polls one listing (:meth:`VideoSDKWaitTrigger._apoll`) and decides with a pure
function that its sensor uses too, so the poke and deferrable modes cannot disagree.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, NamedTuple

from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseTrigger, TriggerEvent

from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.exceptions import TRANSIENT_ERRORS

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook


class WaitOutcome(NamedTuple):
    """One poll's verdict: ``state`` is ``"waiting"``, ``"done"`` or ``"failed"``; ``value`` goes to XCom."""

    state: str
    value: dict[str, Any] | None
    message: str


class VideoSDKWaitTrigger(BaseTrigger):
    """
    Poll until :meth:`_apoll` says done or failed, or ``timeout_at`` passes; fire one JSON event.

    Events: ``{"status": "success", "value": {...}}``, ``{"status": "failed", "message"}`` (what
    was waited for failed: it will not heal), ``{"status": "timeout", "message"}`` and
    ``{"status": "error", "message"}`` (the API refused a call). Failures that may heal (5xx, 429,
    no answer) are logged and polled again. Every poll of one run reuses one HTTP client.

    :param poll_interval: Seconds between polls.
    :param timeout_at: Give up at this time (epoch seconds); None waits without limit.
    :param videosdk_conn_id: Connection of type ``videosdk``.
    """

    def __init__(
        self,
        *,
        poll_interval: float,
        timeout_at: float | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.poll_interval = poll_interval
        self.timeout_at = timeout_at
        self.videosdk_conn_id = videosdk_conn_id

    def _arguments(self) -> dict[str, Any]:
        """Return the subclass's own constructor arguments (JSON values)."""
        raise NotImplementedError

    async def _apoll(self, hook: VideoSDKHook) -> WaitOutcome:
        """Poll once and decide."""
        raise NotImplementedError

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                **self._arguments(),
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
        yield TriggerEvent(payload)  # type: ignore[no-untyped-call]

    async def _outcome(self, hook: VideoSDKHook) -> dict[str, Any]:
        """Poll until the wait is over; return the event's payload."""
        started = time.time()
        last = "nothing polled yet"
        while True:
            try:
                outcome = await self._apoll(hook)
            except TRANSIENT_ERRORS as error:
                self.log.warning("Polling VideoSDK failed; polling again: %s", error)
            except AirflowException as error:
                return {"status": "error", "message": str(error)}
            else:
                if outcome.state == "done":
                    return {"status": "success", "value": outcome.value}
                if outcome.state == "failed":
                    return {"status": "failed", "message": outcome.message}
                last = outcome.message
            pause = self.poll_interval
            if self.timeout_at is not None:
                remaining = self.timeout_at - time.time()
                if remaining <= 0:
                    waited = time.time() - started
                    return {"status": "timeout", "message": f"{last} after waiting {waited:.0f} s"}
                pause = min(pause, remaining)
            await asyncio.sleep(pause)
