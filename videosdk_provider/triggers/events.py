"""
Poll the VideoSDK API for events, for deployments whose API server VideoSDK cannot reach.

:class:`VideoSDKEventTrigger` is an event trigger for an ``AssetWatcher``: attached to the asset of
:func:`~videosdk_provider.webhooks.videosdk_event_asset`, it updates that asset once per new item
with the same ``data`` a webhook would carry, so a DAG moves between webhooks and polling by
changing only its asset's watcher. Each pollable event type is one entry of :data:`SOURCES`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airflow.sdk import AssetWatcher
from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseEventTrigger, TriggerEvent

from videosdk_provider.exceptions import TRANSIENT_ERRORS

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

DEFAULT_POLL_INTERVAL = 60.0

#: One new item: a key unique within its event type, and the event ``data``.
Item = tuple[str, dict[str, Any]]


async def _ended_sessions(hook: VideoSDKHook, room_id: str) -> list[Item]:
    """List the ended sessions of a room as ``session-ended`` data."""
    sessions = await hook.aget_sessions(room_id, status="ended")
    return [
        (
            str(session["id"]),
            {
                "meetingId": room_id,
                "roomId": room_id,
                "sessionId": session["id"],
                "start": session.get("start"),
                "end": session.get("end"),
            },
        )
        for session in sessions
        if session.get("id")
    ]


@dataclass(frozen=True)
class Source:
    """How to poll one event type: list a room's items that have happened, keyed and shaped as data."""

    items: Callable[[VideoSDKHook, str], Awaitable[list[Item]]]
    description: str


#: The event types a watcher can poll, and how.
SOURCES: dict[str, Source] = {
    "session-ended": Source(_ended_sessions, "sessions that ended"),
}


def _event(payload: dict[str, Any]) -> TriggerEvent:
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]


class VideoSDKEventTrigger(BaseEventTrigger):
    """
    Poll the rooms given for new items of one event type; fire one event per new item, forever.

    Items already there at the first poll are the starting point, not events: the trigger reports
    what happens while it runs (as a webhook would). Failures that may heal (5xx, 429, no answer)
    and refusals (an unknown room) are logged and polled again.

    :param event_type: A key of :data:`SOURCES`, such as ``"session-ended"``.
    :param room_ids: The rooms to poll (VideoSDK roomIds).
    :param poll_interval: Seconds between polls.
    :param videosdk_conn_id: Connection of type ``videosdk``.
    """

    def __init__(
        self,
        *,
        event_type: str,
        room_ids: Sequence[str],
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        videosdk_conn_id: str = "videosdk_default",
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if event_type not in SOURCES:
            raise ValueError(
                f"event_type: {event_type!r} cannot be polled; pollable: {', '.join(sorted(SOURCES))}"
            )
        self.event_type = event_type
        self.room_ids = list(room_ids)
        self.poll_interval = poll_interval
        self.videosdk_conn_id = videosdk_conn_id

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "videosdk_provider.triggers.events.VideoSDKEventTrigger",
            {
                "event_type": self.event_type,
                "room_ids": self.room_ids,
                "poll_interval": self.poll_interval,
                "videosdk_conn_id": self.videosdk_conn_id,
            },
        )

    def _hook(self) -> VideoSDKHook:
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        return VideoSDKHook(self.videosdk_conn_id)

    async def _poll(self, hook: VideoSDKHook) -> list[Item] | None:
        """Every room's items, or None when a room could not be read this time."""
        source = SOURCES[self.event_type]
        found: list[Item] = []
        for room_id in self.room_ids:
            try:
                found.extend(await source.items(hook, room_id))
            except (*TRANSIENT_ERRORS, AirflowException) as error:
                self.log.warning(
                    "Polling %s of VideoSDK room %s failed: %s", source.description, room_id, error
                )
                return None
        return found

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = await asyncio.to_thread(self._hook)
        seen: set[str] | None = None
        while True:
            items = await self._poll(hook)
            if items is not None:
                if seen is None:
                    seen = {key for key, _ in items}
                for key, data in items:
                    if key not in seen:
                        seen.add(key)
                        yield _event(data)
            await asyncio.sleep(self.poll_interval)


def videosdk_event_watcher(
    event_type: str,
    room_ids: Sequence[str],
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    videosdk_conn_id: str = "videosdk_default",
) -> AssetWatcher:
    """
    Return an asset watcher that polls ``room_ids`` for ``event_type``.

    ``videosdk_event_asset("session-ended", watchers=[videosdk_event_watcher("session-ended",
    ["abcd-efgh-ijkl"])])`` runs the DAG once per session that ends in that room, no webhook needed.
    """
    trigger = VideoSDKEventTrigger(
        event_type=event_type,
        room_ids=room_ids,
        poll_interval=poll_interval,
        videosdk_conn_id=videosdk_conn_id,
    )
    return AssetWatcher(name=f"videosdk-{event_type}-poll", trigger=trigger)
