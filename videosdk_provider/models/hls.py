"""HLS streams as the VideoSDK API returns them."""

from __future__ import annotations

from typing import TypedDict


class Hls(TypedDict, total=False):
    """
    An HLS stream of a room's session.

    ``playbackHlsUrl`` plays it from the start (with seeking), ``livestreamUrl`` at the live edge.
    ``status`` is a plain string (``starting``, ``started``, ``playable``, ``stopping``,
    ``stopped``); ``end`` is None while it runs.
    """

    id: str
    roomId: str
    sessionId: str
    playbackHlsUrl: str
    livestreamUrl: str
    status: str
    start: str
    end: str | None
