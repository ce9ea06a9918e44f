"""
Poll the VideoSDK API for events, for deployments whose API server VideoSDK cannot reach.

:class:`VideoSDKEventTrigger` is an event trigger for an ``AssetWatcher``: attached to the asset of
:func:`~videosdk_provider.webhooks.videosdk_event_asset`, it updates that asset once per new item
with the same ``data`` a webhook would carry, so a DAG moves between webhooks and polling by
changing only its asset's watcher. Each pollable event type is one entry of :data:`SOURCES`:
``session-ended`` (ended sessions), ``recording-stopped`` (room recordings whose file is ready) and
``transcription-completed`` (post-call transcriptions completed).

A poll costs what happened since the last one, not the room's history: the API lists newest first,
so a poll reads pages of :data:`PAGE_SIZE` items and stops at the first page holding an item it has
already settled. The first poll reads the whole listing once: its starting point.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from airflow.sdk import AssetWatcher
from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseEventTrigger, TriggerEvent

from videosdk_provider.exceptions import TRANSIENT_ERRORS
from videosdk_provider.models.post_transcriptions import PostTranscription, transcription_progress
from videosdk_provider.models.progress import Progress
from videosdk_provider.models.recordings import Recording, recording_progress
from videosdk_provider.utils.urls import public_url

if TYPE_CHECKING:
    from videosdk_provider.hooks.core import PageCheck
    from videosdk_provider.hooks.videosdk import VideoSDKHook

DEFAULT_POLL_INTERVAL = 60.0
#: Seconds an item may stay unfinished (a recording stuck in processing) before the watcher gives up
#: on it: each poll reads down to the oldest item it waits for, so a stuck one would deepen every poll.
DEFAULT_MAX_WAIT = 24 * 3600.0
#: Items asked for per page: one page is all a poll reads when little has happened.
PAGE_SIZE = 10


def _key(item: Any) -> str | None:
    """Return an item's id, unique within its event type (session, recording or transcription id)."""
    key = item.get("id") if isinstance(item, dict) else None
    return str(key) if key else None


async def _ended_sessions(hook: VideoSDKHook, room_id: str, until: PageCheck) -> list[Any]:
    return await hook.aget_sessions(room_id, status="ended", per_page=PAGE_SIZE, until=until)


async def _recordings(hook: VideoSDKHook, room_id: str, until: PageCheck) -> list[Any]:
    return await hook.aget_recordings(room_id=room_id, per_page=PAGE_SIZE, until=until)


async def _post_transcriptions(hook: VideoSDKHook, room_id: str, until: PageCheck) -> list[Any]:
    return await hook.aget_post_transcriptions(room_id=room_id, per_page=PAGE_SIZE, until=until)


def _session_ended_data(room_id: str, session: dict[str, Any]) -> dict[str, Any]:
    return {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": session["id"],
        "start": session.get("start"),
        "end": session.get("end"),
    }


def _recording_stopped_data(room_id: str, recording: dict[str, Any]) -> dict[str, Any]:
    file = recording["file"]
    return {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": recording.get("sessionId"),
        "recordingId": recording["id"],
        "filePath": file.get("filePath"),
        "fileUrl": public_url(file["fileUrl"]),
    }


def _transcription_completed_data(room_id: str, transcription: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": transcription["id"],
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": transcription.get("sessionId"),
        "recordingId": transcription.get("recordingId"),
        "status": transcription["status"],
    }


@dataclass(frozen=True)
class Source:
    """
    How to poll one event type.

    ``items`` lists a room's items newest first, a page of :data:`PAGE_SIZE` at a time, until the
    check it is given says stop; ``progress`` tells whether an item's event has happened; ``data``
    shapes a done item as the webhook's ``data``.
    """

    items: Callable[[VideoSDKHook, str, PageCheck], Awaitable[list[Any]]]
    progress: Callable[[dict[str, Any]], Progress]
    data: Callable[[str, dict[str, Any]], dict[str, Any]]
    description: str


#: The event types a watcher can poll, and how.
SOURCES: dict[str, Source] = {
    "session-ended": Source(
        _ended_sessions, lambda session: "done", _session_ended_data, "sessions that ended"
    ),
    "recording-stopped": Source(
        _recordings,
        lambda recording: recording_progress(cast("Recording", recording)),
        _recording_stopped_data,
        "recordings ready",
    ),
    "transcription-completed": Source(
        _post_transcriptions,
        lambda transcription: transcription_progress(cast("PostTranscription", transcription)),
        _transcription_completed_data,
        "post-call transcriptions completed",
    ),
}


@dataclass
class _Room:
    """
    What a watcher knows of one room: keys it has settled, and keys still waiting (since when).

    Settled: fired, failed, given up on, or already done at the first poll. Waiting: seen before
    their event happened (a recording still running, a transcription in progress); they fire once
    it does.
    """

    started: bool = False
    settled: set[str] = field(default_factory=set)
    waiting: dict[str, float] = field(default_factory=dict)

    def give_up_waiting(self, older_than: float) -> list[str]:
        """Settle the keys waiting since before ``older_than`` (monotonic seconds); return them."""
        stale = [key for key, since in self.waiting.items() if since < older_than]
        for key in stale:
            del self.waiting[key]
            self.settled.add(key)
        return stale


class _Walk:
    """
    Where one poll of a room stops reading pages (newest first).

    The first poll reads every page, so that every item older than the newest settled one is settled
    too. Later polls stop after the first page holding a settled item, once every waiting item has
    been met: items beyond it are older, so settled already.
    """

    def __init__(self, room: _Room) -> None:
        self._room = room
        self._met: set[str] = set()
        self._reached_settled = False
        self.stopped_early = False

    def until(self, page: list[Any]) -> bool:
        if not self._room.started:
            return False
        keys = {key for key in map(_key, page) if key is not None}
        self._met |= keys & self._room.waiting.keys()
        self._reached_settled = self._reached_settled or bool(keys & self._room.settled)
        self.stopped_early = self._reached_settled and self._met >= self._room.waiting.keys()
        return self.stopped_early


def _new_events(source: Source, room_id: str, room: _Room, items: Iterable[Any]) -> list[dict[str, Any]]:
    """Settle the items listed (newest first); return the data of those that happened, oldest first."""
    events: list[dict[str, Any]] = []
    now = time.monotonic()
    for item in reversed(list(items)):
        key = _key(item)
        if key is None or key in room.settled:
            continue
        progress = source.progress(item)
        if progress == "waiting":
            room.waiting.setdefault(key, now)
            continue
        room.waiting.pop(key, None)
        room.settled.add(key)
        if progress == "done" and room.started:
            events.append(source.data(room_id, item))
    return events


def _event(payload: dict[str, Any]) -> TriggerEvent:
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]


class VideoSDKEventTrigger(BaseEventTrigger):
    """
    Poll the rooms given for new items of one event type; fire one event per new item, forever.

    Items whose event already happened at the first poll are the starting point, not events: the
    trigger reports what happens while it runs (as a webhook would). An item seen before its event
    (a recording still running, a transcription in progress) is watched until it happens (one event)
    or fails (none), even when newer items settle first, for at most ``max_wait`` seconds; one that
    disappears from the listing is dropped. The first poll reads the room's whole listing; later
    polls read newest first and stop at the first page holding an item already settled, once every
    watched item has been met. Every poll of one run reuses one HTTP client. Failures that may heal
    (5xx, 429, no answer), refusals (an unknown room) and a connection not defined yet are logged and
    polled again. A ``fileUrl`` in an event keeps no query: it may be pre-signed, and the event is
    logged by the triggerer and shown with the asset event.

    :param event_type: A key of :data:`SOURCES`, such as ``"session-ended"``.
    :param room_ids: The rooms to poll (VideoSDK roomIds).
    :param poll_interval: Seconds between polls.
    :param videosdk_conn_id: Connection of type ``videosdk``.
    :param max_wait: Seconds an unfinished item is watched before the watcher gives up on it (logged).
    """

    def __init__(
        self,
        *,
        event_type: str,
        room_ids: Sequence[str],
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        videosdk_conn_id: str = "videosdk_default",
        max_wait: float = DEFAULT_MAX_WAIT,
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
        self.max_wait = max_wait

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "videosdk_provider.triggers.events.VideoSDKEventTrigger",
            {
                "event_type": self.event_type,
                "room_ids": self.room_ids,
                "poll_interval": self.poll_interval,
                "videosdk_conn_id": self.videosdk_conn_id,
                "max_wait": self.max_wait,
            },
        )

    def _hook(self) -> VideoSDKHook:
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        return VideoSDKHook(self.videosdk_conn_id)

    async def _poll(self, hook: VideoSDKHook, room_id: str, room: _Room) -> list[dict[str, Any]]:
        """One room's new events; none when the room could not be read this time (its state is kept)."""
        source = SOURCES[self.event_type]
        stale = room.give_up_waiting(time.monotonic() - self.max_wait)
        if stale:
            self.log.warning(
                "VideoSDK room %s: %s items still unfinished after %g s, no longer watched: %s",
                room_id,
                self.event_type,
                self.max_wait,
                ", ".join(stale),
            )
        walk = _Walk(room)
        try:
            items = await source.items(hook, room_id, walk.until)
        except (*TRANSIENT_ERRORS, AirflowException) as error:
            self.log.warning("Polling %s of VideoSDK room %s failed: %s", source.description, room_id, error)
            return []
        events = _new_events(source, room_id, room, items)
        if not walk.stopped_early:  # the whole listing was read: a waiting item not in it is gone
            listed = {key for key in map(_key, items) if key is not None}
            room.waiting = {key: since for key, since in room.waiting.items() if key in listed}
        room.started = True
        return events

    async def _watch(self, hook: VideoSDKHook, rooms: dict[str, _Room]) -> AsyncIterator[dict[str, Any]]:
        while True:
            for room_id, room in rooms.items():
                for data in await self._poll(hook, room_id, room):
                    yield data
            await asyncio.sleep(self.poll_interval)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = await asyncio.to_thread(self._hook)
        rooms = {room_id: _Room() for room_id in self.room_ids}
        while True:
            try:
                async with hook.async_client():
                    async for data in self._watch(hook, rooms):
                        yield _event(data)
            except AirflowException as error:  # the connection is missing or incomplete: it may be set later
                self.log.warning("VideoSDK connection %r cannot be used: %s", self.videosdk_conn_id, error)
                await asyncio.sleep(self.poll_interval)


def videosdk_event_watcher(
    event_type: str,
    room_ids: Sequence[str],
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    videosdk_conn_id: str = "videosdk_default",
    max_wait: float = DEFAULT_MAX_WAIT,
) -> AssetWatcher:
    """
    Return an asset watcher that polls ``room_ids`` for ``event_type`` (a key of :data:`SOURCES`).

    ``videosdk_event_asset("recording-stopped", watchers=[videosdk_event_watcher("recording-stopped",
    ["abcd-efgh-ijkl"])])`` runs the DAG once per recording of that room whose file becomes ready, no
    webhook needed.
    """
    trigger = VideoSDKEventTrigger(
        event_type=event_type,
        room_ids=room_ids,
        poll_interval=poll_interval,
        videosdk_conn_id=videosdk_conn_id,
        max_wait=max_wait,
    )
    return AssetWatcher(name=f"videosdk-{event_type}-poll", trigger=trigger)
