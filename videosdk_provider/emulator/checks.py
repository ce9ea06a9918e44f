"""
Request-body checks for ``POST /v2/rooms``, written independently of the client's validation.

The rules are plain data (the tables below) interpreted by a handful of small checker
combinators; each checker returns a list of messages that name the offending field path.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

Checker = Callable[[Any, str], list[str]]
"""A checker takes a value and its field path and returns error messages (empty when valid)."""

# --- rule tables -----------------------------------------------------------------------------

CREATE_ROOM_PAGE_EVENTS: tuple[str, ...] = (
    "participant-joined",
    "participant-left",
    "session-started",
    "session-ended",
    "recording-starting",
    "recording-started",
    "recording-stopping",
    "recording-stopped",
    "recording-failed",
    "participant-recording-starting",
    "participant-recording-started",
    "participant-recording-stopping",
    "participant-recording-stopped",
    "participant-recording-failed",
    "participant-track-recording-starting",
    "participant-track-recording-started",
    "participant-track-recording-stopping",
    "participant-track-recording-stopped",
    "participant-track-recording-failed",
    "transcription-completed",
    "livestream-starting",
    "livestream-started",
    "livestream-stopping",
    "livestream-stopped",
    "livestream-failed",
    "hls-starting",
    "hls-started",
    "hls-playable",
    "hls-stopping",
    "hls-stopped",
    "hls-failed",
)
NEWER_ROOM_EVENTS: tuple[str, ...] = (
    "merge-recording-completed",
    "merge-recording-failed",
    "transcription-started",
    "transcription-stopped",
    "transcription-failed",
    "resource-acquired",
    "ai-deployment-session-starting",
    "ai-deployment-session-started",
    "ai-deployment-session-stopping",
    "ai-deployment-session-stopped",
    "ai-deployment-session-failed",
)
KNOWN_WEBHOOK_EVENTS: tuple[str, ...] = CREATE_ROOM_PAGE_EVENTS + NEWER_ROOM_EVENTS

AUTO_CLOSE_TYPES = ("session-ends", "session-end-and-deactivate")
LAYOUT_TYPES = ("GRID", "SPOTLIGHT", "SIDEBAR")
LAYOUT_PRIORITIES = ("SPEAKER", "PIN")
GRID_SIZE_RANGE = (1, 4)
THEMES = ("DARK", "LIGHT", "DEFAULT")
MODES = ("video-and-audio", "audio")
QUALITIES = ("low", "med", "high")
ORIENTATIONS = ("portrait", "landscape")
WEBHOOK_URL_MAX_LENGTH = 512


# --- checker combinators ---------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def string() -> Checker:
    """Accept any JSON string."""

    def check(value: Any, path: str) -> list[str]:
        return [] if isinstance(value, str) else [f"{path} must be a string"]

    return check


def boolean() -> Checker:
    """Accept a JSON boolean (not the string ``"true"``)."""

    def check(value: Any, path: str) -> list[str]:
        return [] if isinstance(value, bool) else [f"{path} must be a boolean"]

    return check


def one_of(*allowed: str) -> Checker:
    """Accept exactly one of the given strings."""

    def check(value: Any, path: str) -> list[str]:
        if isinstance(value, str) and value in allowed:
            return []
        return [f"{path} must be one of {', '.join(allowed)}"]

    return check


def int_range(low: int, high: int) -> Checker:
    """Accept an integer (not a boolean or float) from ``low`` to ``high`` inclusive."""

    def check(value: Any, path: str) -> list[str]:
        if _is_int(value) and low <= value <= high:
            return []
        return [f"{path} must be an integer from {low} to {high}"]

    return check


def positive_int() -> Checker:
    """Accept an integer greater than zero (not a boolean or float)."""

    def check(value: Any, path: str) -> list[str]:
        return [] if _is_int(value) and value > 0 else [f"{path} must be a positive integer"]

    return check


def http_url(max_length: int) -> Checker:
    """Accept an absolute http(s) URL string of at most ``max_length`` characters."""

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{path} must be a string"]
        if len(value) > max_length:
            return [f"{path} must be at most {max_length} characters"]
        try:
            parts = urlsplit(value)
            _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
        except ValueError:
            return [f"{path} must be an http(s) URL"]
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
            return [f"{path} must be an http(s) URL"]
        return []

    return check


def webhook_event() -> Checker:
    """Accept a known webhook event name or a ``*`` glob matching at least one known name."""

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{path} must be a string"]
        if "*" in value:
            if any(fnmatch.fnmatchcase(name, value) for name in KNOWN_WEBHOOK_EVENTS):
                return []
            return [f"{path} pattern {value!r} matches no known webhook event"]
        if value in KNOWN_WEBHOOK_EVENTS:
            return []
        close = difflib.get_close_matches(value, KNOWN_WEBHOOK_EVENTS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return [f"{path} {value!r} is not a known webhook event{hint}"]

    return check


def list_of(item: Checker) -> Checker:
    """Accept a JSON array whose every item passes ``item`` (paths get ``[index]``)."""

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{path} must be a list"]
        errors: list[str] = []
        for index, element in enumerate(value):
            errors.extend(item(element, f"{path}[{index}]"))
        return errors

    return check


def obj(
    fields: Mapping[str, Checker], *, required: tuple[str, ...] = (), allow_unknown: bool = False
) -> Checker:
    """Accept a JSON object with the given optional ``fields``; ``required`` ones must be present."""

    def check(value: Any, path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path or 'body'} must be an object"]
        errors: list[str] = []
        for key in required:
            if key not in value:
                errors.append(f"{_join(path, key)} is required")
        for key, field_value in value.items():
            checker = fields.get(key)
            if checker is not None:
                errors.extend(checker(field_value, _join(path, key)))
            elif not allow_unknown:
                errors.append(f"{_join(path, key)} is not an allowed field")
        return errors

    return check


# --- the Create Room body --------------------------------------------------------------------

LAYOUT_RULES: dict[str, Checker] = {
    "type": one_of(*LAYOUT_TYPES),
    "priority": one_of(*LAYOUT_PRIORITIES),
    "gridSize": int_range(*GRID_SIZE_RANGE),
}
OUTPUT_CONFIG_RULES: dict[str, Checker] = {
    "layout": obj(LAYOUT_RULES),
    "theme": one_of(*THEMES),
    "mode": one_of(*MODES),
    "quality": one_of(*QUALITIES),
    "orientation": one_of(*ORIENTATIONS),
}
TRANSCRIPTION_RULES: dict[str, Checker] = {
    "enabled": boolean(),
    "summary": obj({"enabled": boolean(), "prompt": string()}),
}
RECORDING_RULES: dict[str, Checker] = {
    "templateUrl": string(),
    "transcription": obj(TRANSCRIPTION_RULES),
    "config": obj(OUTPUT_CONFIG_RULES),
    "awsDirPath": string(),
}
HLS_RULES: dict[str, Checker] = {
    "templateUrl": string(),
    "transcription": obj(TRANSCRIPTION_RULES),
    "config": obj({**OUTPUT_CONFIG_RULES, "recording": obj({"enabled": boolean()})}),
}
CREATE_ROOM_RULES: dict[str, Checker] = {
    "customRoomId": string(),
    "webhook": obj(
        {"endPoint": http_url(WEBHOOK_URL_MAX_LENGTH), "events": list_of(webhook_event())},
        required=("endPoint",),
    ),
    "autoCloseConfig": obj(
        {"type": one_of(*AUTO_CLOSE_TYPES), "duration": positive_int()}, required=("type",)
    ),
    "autoStartConfig": obj({"recording": obj(RECORDING_RULES), "hls": obj(HLS_RULES)}),
}
_CREATE_ROOM_CHECKER = obj(CREATE_ROOM_RULES, allow_unknown=True)


def check_create_room(body: Any) -> list[str]:
    """Return every rule violation in a Create Room body (unknown top-level keys are allowed)."""
    return _CREATE_ROOM_CHECKER(body, "")
