"""
RTMP livestreams as the VideoSDK API returns them, and how they are shown without their stream keys.

A stream key lets anyone broadcast on the channel: it is a secret. :func:`without_stream_keys`
is what operators return and log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

#: Statuses of a livestream that no longer runs (compared in lower case).
ENDED_LIVESTREAM_STATUSES = ("stopping", "stopped", "failed")
#: What a stream key is replaced with wherever a livestream is shown.
HIDDEN_STREAM_KEY = "***"


class LivestreamOutput(TypedDict, total=False):
    """One RTMP destination: the ingest URL and the channel's stream key (a secret)."""

    url: str
    streamKey: str


class Livestream(TypedDict, total=False):
    """A livestream of a room's session to one or more RTMP destinations; ``end`` is None while it runs."""

    id: str
    roomId: str
    sessionId: str
    outputs: list[LivestreamOutput]
    status: str
    start: str
    end: str | None


def is_running(livestream: Mapping[str, Any]) -> bool:
    """Whether a livestream still runs: it has no ``end`` and its status is not an ending one."""
    status = livestream.get("status")
    ended = isinstance(status, str) and status.lower() in ENDED_LIVESTREAM_STATUSES
    return livestream.get("end") is None and not ended


def stream_keys(livestream: Mapping[str, Any]) -> list[str]:
    """Return the non-empty stream keys of a livestream's (or a start body's) ``outputs``."""
    outputs = livestream.get("outputs")
    if not isinstance(outputs, list):
        return []
    return [
        output["streamKey"]
        for output in outputs
        if isinstance(output, Mapping) and isinstance(output.get("streamKey"), str) and output["streamKey"]
    ]


def without_stream_keys(livestream: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of a livestream whose outputs show :data:`HIDDEN_STREAM_KEY` for each stream key."""
    shown = dict(livestream)
    outputs = livestream.get("outputs")
    if isinstance(outputs, list):
        shown["outputs"] = [
            {**output, "streamKey": HIDDEN_STREAM_KEY}
            if isinstance(output, Mapping) and "streamKey" in output
            else output
            for output in outputs
        ]
    return shown
