"""
HLS: ``/v2/hls`` start, end, active, list, get and (soft) delete, plus ``autoStartConfig.hls``.

A start goes through ``hls-starting``, ``hls-started`` and ``hls-playable`` at once (the last two
carry ``playbackHlsUrl`` and ``livestreamUrl``, which point at the emulator but serve nothing);
a stop through ``hls-stopping`` and ``hls-stopped``. A room whose ``autoStartConfig.hls`` is set
starts HLS as its session starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from videosdk_provider.emulator.api import ApiRequest, ApiResponse, Route, bad_params, not_found
from videosdk_provider.emulator.core import Core, Resources
from videosdk_provider.emulator.resources.sessions import Session
from videosdk_provider.emulator.resources.streams import Stream, StreamResource
from videosdk_provider.emulator.stream_checks import check_start_hls

_URL_STEPS = ("started", "playable")


class Hls(StreamResource):
    """HLS streams of room sessions."""

    kind = "HLS"
    prefix = "/v2/hls"
    event_prefix = "hls"
    start_steps = ("starting", "started", "playable")
    stop_steps = ("stopping", "stopped")

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.sessions.on_start(self._auto_start)

    def routes(self) -> Iterable[Route]:
        return (
            *super().routes(),
            Route("GET", self.prefix + "/{roomId}/active", self.handle_active),
            Route("DELETE", self.prefix + "/{streamId}", self.handle_delete),
        )

    def check_start(self, body: Any) -> list[str]:
        return check_start_hls(body)

    def fields_for(self, stream_id: str, room_id: str, body: dict[str, Any]) -> dict[str, Any]:
        base = f"{self.core.base_url}/hls/{room_id}/{stream_id}"
        return {"playbackHlsUrl": f"{base}/index.m3u8", "livestreamUrl": f"{base}/live.m3u8"}

    def event_fields(self, stream: Stream, step: str) -> dict[str, Any]:
        if step not in _URL_STEPS:
            return {}
        return {key: stream.fields[key] for key in ("playbackHlsUrl", "livestreamUrl")}

    def _auto_start(self, session: Session) -> None:
        config = self.rooms.resolve(session.room_id, custom=False).config.get("autoStartConfig")
        hls = config.get("hls") if isinstance(config, dict) else None
        if isinstance(hls, dict) and session.room_id not in self._running:
            self.begin(session.room_id, session.session_id, hls)

    def handle_active(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            stream = self.running_in(self.rooms.resolve(params["roomId"], custom=False).room_id)
            if stream is None:
                raise not_found("No active HLS in this room")
            return ApiResponse(200, {"code": 200, "data": self.view(stream)})

    def handle_delete(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            stream = self._find(params["streamId"])
            if self.running_in(stream.room_id) is stream:
                raise bad_params("HLS is running: stop it before deleting it")
            stream.deleted = True
            return ApiResponse(200, "HLS deleted successfully")
