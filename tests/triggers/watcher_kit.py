"""What the polling watcher's tests share besides fixtures: building a trigger, the listing it polls."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from videosdk_provider.emulator import RecordedRequest, VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.triggers.events import DEFAULT_MAX_WAIT, PAGE_SIZE, VideoSDKEventTrigger

#: The listing each event type's watcher polls.
LIST_PATHS = {
    "session-ended": "/v2/sessions",
    "recording-stopped": "/v2/recordings",
    "transcription-completed": "/ai/v1/post-transcriptions",
}

Collect = Callable[..., list[dict[str, Any]]]


def watcher_requests(emulator: VideoSDKEmulator, event_type: str) -> list[RecordedRequest]:
    """Return the watcher's requests to its listing: told apart from the tests' own by their page size."""
    requests = emulator.requests_to("GET", LIST_PATHS[event_type])
    return [request for request in requests if request.query.get("perPage") == str(PAGE_SIZE)]


def _listing(hook: VideoSDKHook, event_type: str, room_id: str) -> Iterable[Any]:
    if event_type == "session-ended":
        return hook.iter_sessions(room_id, status="ended")
    if event_type == "recording-stopped":
        return hook.iter_recordings(room_id=room_id)
    return hook.iter_post_transcriptions(room_id=room_id)


def first_poll_pages(hook: VideoSDKHook, event_type: str, room_ids: Iterable[str]) -> int:
    """Return how many pages a watcher's first poll reads: each room's whole listing, one page at least."""
    return sum(
        max(1, math.ceil(len(list(_listing(hook, event_type, room_id))) / PAGE_SIZE)) for room_id in room_ids
    )


def trigger_for(
    event_type: str, *room_ids: str, conn_id: str = "videosdk_default", max_wait: float = DEFAULT_MAX_WAIT
) -> VideoSDKEventTrigger:
    """Return a watcher of ``room_ids`` that polls every 50 ms."""
    return VideoSDKEventTrigger(
        event_type=event_type,
        room_ids=room_ids,
        poll_interval=0.05,
        videosdk_conn_id=conn_id,
        max_wait=max_wait,
    )
