"""
Livestreams (RTMP out): ``/v2/livestreams`` start, end, list and get.

A start answers a bare string, like the API, and goes through ``livestream-starting`` and
``livestream-started``; a stop through ``livestream-stopping`` and ``livestream-stopped``. The
outputs are kept and listed as sent, stream keys included (the API returns them too); no event
carries them.
"""

from __future__ import annotations

import copy
from typing import Any

from videosdk_provider.emulator.resources.streams import Stream, StreamResource
from videosdk_provider.emulator.stream_checks import check_start_livestream


class Livestreams(StreamResource):
    """RTMP livestreams of room sessions."""

    kind = "Livestream"
    prefix = "/v2/livestreams"
    event_prefix = "livestream"
    start_steps = ("starting", "started")
    stop_steps = ("stopping", "stopped")

    def check_start(self, body: Any) -> list[str]:
        return check_start_livestream(body)

    def fields_for(self, stream_id: str, room_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"outputs": copy.deepcopy(body["outputs"])}

    def view(self, stream: Stream) -> dict[str, Any]:
        return copy.deepcopy(super().view(stream))

    def start_answer(self, stream: Stream) -> Any:
        return "Livestream started successfully"
