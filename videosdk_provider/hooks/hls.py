"""HLS endpoints of the hook: start and stop a room's HLS stream, find the active one, list, fetch, delete."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from videosdk_provider.bodies.hls import build_start_hls_body
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.exceptions import VideoSDKError, VideoSDKNotFoundError
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _send_stop, _stop_body
from videosdk_provider.models.hls import Hls
from videosdk_provider.models.stops import StopResult

_AMBIGUOUS_HLS_START = Ambiguity(
    hint="HLS may or may not have started, so the request was not repeated; "
    "get_active_hls(room_id) tells whether it runs before starting it again"
)


class HlsHookMixin(VideoSDKBaseHook):
    """The HLS resource: ``/v2/hls``."""

    def start_hls(
        self,
        room_id: str,
        *,
        config: Mapping[str, Any] | None = None,
        template_url: str | None = None,
        transcription: Mapping[str, Any] | None = None,
        summary: Mapping[str, Any] | None = None,
    ) -> Hls:
        """
        Start HLS in the room's ongoing session (``POST /v2/hls/start``); return the stream.

        The body is checked first (``config.layout.gridSize`` 1..25 here). The start is never
        repeated by the hook: after a lost answer, :meth:`get_active_hls` tells whether it runs.

        :param config: Output ``config``: layout, theme, mode, quality, orientation, ``recording``.
        :param template_url: A custom layout page.
        :param transcription: ``{enabled, summary}``: post-call transcription of the stream.
        :param summary: ``{enabled, prompt}``: an AI summary.
        """
        body = build_start_hls_body(
            room_id, config=config, template_url=template_url, transcription=transcription, summary=summary
        )
        return cast(
            "Hls", self.request("POST", "/v2/hls/start", json_body=body, ambiguity=_AMBIGUOUS_HLS_START)
        )

    def stop_hls(self, room_id: str, *, hls_id: str | None = None) -> StopResult:
        """
        Stop the room's HLS stream (``POST /v2/hls/end``); never repeated once sent.

        :param hls_id: Stop only this stream.
        :return: ``stopped`` is False when no HLS was running (the API's "not started").
        """
        return _send_stop(
            self,
            "/v2/hls/end",
            _stop_body(room_id, hls_id, id_argument="hls_id"),
            what="HLS",
            reread="get_active_hls(room_id)",
        )

    def get_active_hls(self, room_id: str) -> Hls | None:
        """Return the room's running HLS stream (``GET /v2/hls/{roomId}/active``), or None (a 404)."""
        path = self._path("/v2/hls/{room_id}/active", room_id=room_id)
        try:
            answer = self.request("GET", path)
        except VideoSDKNotFoundError:
            return None
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise VideoSDKError(
                f"unexpected answer: no HLS object under 'data' ({type(answer).__name__})",
                method="GET",
                path=path,
            )
        return cast("Hls", data)

    def iter_hls(
        self, *, room_id: str, session_id: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Hls]:
        """Every HLS stream of a room (``GET /v2/hls``), or of one of its sessions, through all pages."""
        return self._paged("/v2/hls", _media_query(room_id, session_id, per_page, room_required=True))

    def get_hls(self, hls_id: str) -> Hls:
        """Fetch one HLS stream by its id."""
        return cast("Hls", self.request("GET", self._path("/v2/hls/{hls_id}", hls_id=hls_id)))

    def delete_hls(self, hls_id: str) -> str:
        """Delete an HLS stream's record (``DELETE /v2/hls/{hlsId}``); return the API's confirmation."""
        return str(self.request("DELETE", self._path("/v2/hls/{hls_id}", hls_id=hls_id)))
