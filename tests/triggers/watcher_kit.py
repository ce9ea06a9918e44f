"""What the polling watcher's tests share besides fixtures: building a trigger, the listing it polls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from videosdk_provider.triggers.events import VideoSDKEventTrigger

#: The listing each event type's watcher polls.
LIST_PATHS = {
    "session-ended": "/v2/sessions",
    "recording-stopped": "/v2/recordings",
    "transcription-completed": "/ai/v1/post-transcriptions",
}

Collect = Callable[..., list[dict[str, Any]]]


def trigger_for(event_type: str, *room_ids: str, conn_id: str = "videosdk_default") -> VideoSDKEventTrigger:
    """Return a watcher of ``room_ids`` that polls every 50 ms."""
    return VideoSDKEventTrigger(
        event_type=event_type, room_ids=room_ids, poll_interval=0.05, videosdk_conn_id=conn_id
    )
