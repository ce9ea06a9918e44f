"""
Body checks of the HLS, livestream and realtime transcription starts, independent of the client's.

Built from the combinators of :mod:`videosdk_provider.emulator.checks`. Messages name the field
path and never repeat a value, so a stream key sent in a bad body is never echoed back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from videosdk_provider.emulator.checks import (
    LAYOUT_RULES,
    OUTPUT_CONFIG_RULES,
    THEMES,
    TRANSCRIPTION_RULES,
    Checker,
    boolean,
    http_url,
    int_range,
    list_of,
    obj,
    one_of,
    string,
)

#: ``gridSize`` on the standalone HLS (and livestream) start: up to 25 (``autoStartConfig``: 4).
STREAM_GRID_SIZE_RANGE = (1, 25)
URL_MAX_LENGTH = 2048


def non_empty_string() -> Checker:
    """Accept a string with something other than white space."""

    def check(value: Any, path: str) -> list[str]:
        return [] if isinstance(value, str) and value.strip() else [f"{path} must be a non-empty string"]

    return check


def rtmp_url() -> Checker:
    """Accept an ``rtmp://`` or ``rtmps://`` URL with a host."""

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{path} must be a string"]
        try:
            parts = urlsplit(value)
            _ = parts.port
        except ValueError:
            return [f"{path} must be an rtmp(s) URL"]
        if parts.scheme not in ("rtmp", "rtmps") or not parts.hostname or any(c.isspace() for c in value):
            return [f"{path} must be an rtmp(s) URL"]
        return []

    return check


def non_empty_list(item: Checker) -> Checker:
    """Accept a JSON array with at least one item, each passing ``item``."""
    items = list_of(item)

    def check(value: Any, path: str) -> list[str]:
        if isinstance(value, list) and not value:
            return [f"{path} must not be empty"]
        return items(value, path)

    return check


STREAM_LAYOUT = obj({**LAYOUT_RULES, "gridSize": int_range(*STREAM_GRID_SIZE_RANGE)})
_START_HLS = obj(
    {
        "roomId": string(),
        "templateUrl": http_url(URL_MAX_LENGTH),
        "transcription": obj(TRANSCRIPTION_RULES),
        "summary": obj({"enabled": boolean(), "prompt": string()}),
        "config": obj(
            {**OUTPUT_CONFIG_RULES, "layout": STREAM_LAYOUT, "recording": obj({"enabled": boolean()})}
        ),
    },
    required=("roomId",),
)
_START_LIVESTREAM = obj(
    {
        "roomId": string(),
        "outputs": non_empty_list(
            obj({"url": rtmp_url(), "streamKey": non_empty_string()}, required=("url", "streamKey"))
        ),
        "config": obj({"layout": STREAM_LAYOUT, "theme": one_of(*THEMES)}),
        "templateUrl": http_url(URL_MAX_LENGTH),
    },
    required=("roomId", "outputs"),
)
_START_REALTIME_TRANSCRIPTION = obj(
    {"roomId": string(), "webhookUrl": http_url(URL_MAX_LENGTH)}, required=("roomId",)
)


def check_start_hls(body: Any) -> list[str]:
    """Return every rule violation in an HLS start body."""
    return _START_HLS(body, "")


def check_start_livestream(body: Any) -> list[str]:
    """Return every rule violation in a livestream start body (no value is ever repeated)."""
    return _START_LIVESTREAM(body, "")


def check_start_realtime_transcription(body: Any) -> list[str]:
    """Return every rule violation in a realtime transcription start body."""
    return _START_REALTIME_TRANSCRIPTION(body, "")
