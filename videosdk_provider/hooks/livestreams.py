"""
Livestream endpoints of the hook: start and stop a room's RTMP livestreams, find the running one, list.

Stream keys are secrets: every key the hook sends or receives is masked in Airflow's logs. The
livestreams the hook returns still carry them (a caller may need them); operators return
:func:`~videosdk_provider.models.livestreams.without_stream_keys` copies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from airflow.sdk.log import mask_secret

from videosdk_provider.bodies.livestreams import build_start_livestream_body
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _send_stop, _stop_body
from videosdk_provider.models.livestreams import Livestream, is_running, stream_keys
from videosdk_provider.models.stops import StopResult

_AMBIGUOUS_LIVESTREAM_START = Ambiguity(
    hint="the livestream may or may not have started, so the request was not repeated; "
    "get_active_livestream(room_id) tells whether it runs before starting it again"
)


def _masked(livestream: Any) -> Any:
    """Mask the stream keys of a livestream the API returned; return it unchanged."""
    if isinstance(livestream, Mapping):
        for key in stream_keys(livestream):
            mask_secret(key)
    return livestream


class LivestreamsHookMixin(VideoSDKBaseHook):
    """The livestreams resource: ``/v2/livestreams`` (RTMP out)."""

    def start_livestream(
        self,
        room_id: str,
        outputs: Sequence[Mapping[str, Any]],
        *,
        config: Mapping[str, Any] | None = None,
        template_url: str | None = None,
    ) -> str | Livestream:
        """
        Livestream the room's ongoing session to RTMP ``outputs`` (``POST /v2/livestreams/start``).

        The stream keys are masked in logs before anything is sent. The start is never repeated by
        the hook: after a lost answer, :meth:`get_active_livestream` tells whether it runs.

        :param outputs: ``[{"url": "rtmp://...", "streamKey": ...}, ...]``, at least one.
        :param config: ``{layout, theme}``.
        :param template_url: A custom layout page.
        :return: The API's answer: its confirmation text (or the livestream, if it sends one).
        """
        body = build_start_livestream_body(room_id, outputs, config=config, template_url=template_url)
        for key in stream_keys(body):
            mask_secret(key)
        answer = self.request(
            "POST", "/v2/livestreams/start", json_body=body, ambiguity=_AMBIGUOUS_LIVESTREAM_START
        )
        return cast("str | Livestream", _masked(answer))

    def stop_livestream(self, room_id: str, *, livestream_id: str | None = None) -> StopResult:
        """
        Stop the room's livestream (``POST /v2/livestreams/end``); never repeated once sent.

        :param livestream_id: Stop only this livestream.
        :return: ``stopped`` is False when no livestream was running (the API's "not started").
        """
        return _send_stop(
            self,
            "/v2/livestreams/end",
            _stop_body(room_id, livestream_id, id_argument="livestream_id"),
            what="livestream",
            reread="get_active_livestream(room_id)",
        )

    def iter_livestreams(
        self, *, room_id: str, session_id: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Livestream]:
        """Every livestream of a room (``GET /v2/livestreams``), or of one session, through all pages."""
        query = _media_query(room_id, session_id, per_page, room_required=True)
        return (_masked(livestream) for livestream in self._paged("/v2/livestreams", query))

    def get_livestream(self, livestream_id: str) -> Livestream:
        """Fetch one livestream by its id."""
        path = self._path("/v2/livestreams/{livestream_id}", livestream_id=livestream_id)
        return cast("Livestream", _masked(self.request("GET", path)))

    def get_active_livestream(self, room_id: str, *, session_id: str | None = None) -> Livestream | None:
        """
        Return a running livestream of the room (or of one session, which bounds the search), or None.

        The API has no "active livestream" call, so this walks the list until a running one shows.
        """
        livestreams = self.iter_livestreams(room_id=room_id, session_id=session_id)
        return next((item for item in livestreams if is_running(item)), None)
