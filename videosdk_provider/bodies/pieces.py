"""
Parts that several request bodies share: webhook events, layout, transcription and output config.

Create Room's ``autoStartConfig`` uses them, and so do the recording, HLS and livestream start
bodies, each with its own limits (``gridSize`` is 1..4 in ``autoStartConfig``, 1..25 on
``POST /v2/hls/start``).
"""

from __future__ import annotations

import fnmatch
import functools

from videosdk_provider.bodies.checking import Checker, closest, shown

#: Webhook events of the Create Room page, then the newer room events of the webhook docs.
KNOWN_WEBHOOK_EVENTS: tuple[str, ...] = (
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

LAYOUT_TYPES = ("GRID", "SPOTLIGHT", "SIDEBAR")
LAYOUT_PRIORITIES = ("SPEAKER", "PIN")
THEMES = ("DARK", "LIGHT", "DEFAULT")
MODES = ("video-and-audio", "audio")
QUALITIES = ("low", "med", "high")
ORIENTATIONS = ("portrait", "landscape")
#: ``gridSize`` in ``autoStartConfig`` (the Create Room page: "max 4").
MAX_AUTO_START_GRID_SIZE = 4
#: ``gridSize`` on ``POST /v2/hls/start``.
MAX_HLS_GRID_SIZE = 25
#: Keys of an output ``config`` (recording, HLS, auto-start); HLS adds ``recording``.
OUTPUT_CONFIG_KEYS = ("layout", "theme", "mode", "quality", "orientation")
_EVENTS_HINT = "see videosdk_provider.bodies.pieces.KNOWN_WEBHOOK_EVENTS"


@functools.lru_cache(maxsize=256)
def _matches_known_event(pattern: str) -> bool:
    """Whether a ``*`` pattern matches a known event; cached, since DAG files repeat a few patterns."""
    return any(fnmatch.fnmatchcase(name, pattern) for name in KNOWN_WEBHOOK_EVENTS)


def check_event(check: Checker, path: str, value: object) -> None:
    """Check one webhook event: a known name, or a ``*`` pattern that matches one."""
    if check.skip(value):
        return
    if not isinstance(value, str):
        check.fail(path, f"expected an event name, got {shown(value)}")
    elif "*" in value:
        if not _matches_known_event(value):
            check.fail(path, f"pattern {value!r} matches no known event; known events: {_EVENTS_HINT}")
    elif value not in KNOWN_WEBHOOK_EVENTS:
        hint = closest(value, KNOWN_WEBHOOK_EVENTS)
        check.fail(
            path,
            f"unknown event {value!r}{hint}; use a known event name or a '*' pattern such "
            f"as 'recording-*' ({_EVENTS_HINT})",
        )


def check_events(check: Checker, path: str, value: object) -> None:
    """Check a list of webhook events."""
    if check.skip(value):
        return
    if not isinstance(value, (list, tuple)):
        check.fail(path, f"expected a list of event names, got {shown(value)}")
        return
    for index, item in enumerate(value):
        check_event(check, f"{path}[{index}]", item)


def check_transcription(check: Checker, path: str, value: object) -> None:
    """Check ``transcription{enabled, summary{enabled, prompt}}`` (post-call transcription and summary)."""
    transcription = check.mapping(path, value, ("enabled", "summary"))
    if transcription is None:
        return
    if "enabled" in transcription:
        check.boolean(f"{path}.enabled", transcription["enabled"])
    if "summary" in transcription:
        check_summary(check, f"{path}.summary", transcription["summary"])


def check_summary(check: Checker, path: str, value: object) -> None:
    """Check ``summary{enabled, prompt}``."""
    summary = check.mapping(path, value, ("enabled", "prompt"))
    if summary is None:
        return
    if "enabled" in summary:
        check.boolean(f"{path}.enabled", summary["enabled"])
    if "prompt" in summary:
        check.string(f"{path}.prompt", summary["prompt"])


def check_layout(check: Checker, path: str, value: object, *, max_grid_size: int) -> None:
    """Check ``layout{type, priority, gridSize}``."""
    layout = check.mapping(path, value, ("type", "priority", "gridSize"))
    if layout is None:
        return
    if "type" in layout:
        check.choice(f"{path}.type", layout["type"], LAYOUT_TYPES)
    if "priority" in layout:
        check.choice(f"{path}.priority", layout["priority"], LAYOUT_PRIORITIES)
    if "gridSize" in layout:
        check.integer(f"{path}.gridSize", layout["gridSize"], low=1, high=max_grid_size)


def check_output_config(
    check: Checker,
    path: str,
    value: object,
    *,
    max_grid_size: int,
    keys: tuple[str, ...] = OUTPUT_CONFIG_KEYS,
    with_recording: bool = False,
) -> None:
    """
    Check an output ``config``: layout, theme, mode, quality, orientation (or the subset ``keys``).

    ``with_recording`` allows HLS's ``recording{enabled}`` (also record the stream).
    """
    known = keys + (("recording",) if with_recording else ())
    config = check.mapping(path, value, known)
    if config is None:
        return
    if "layout" in config:
        check_layout(check, f"{path}.layout", config["layout"], max_grid_size=max_grid_size)
    for key, choices in (
        ("theme", THEMES),
        ("mode", MODES),
        ("quality", QUALITIES),
        ("orientation", ORIENTATIONS),
    ):
        if key in config:
            check.choice(f"{path}.{key}", config[key], choices)
    if with_recording and "recording" in config:
        recording = check.mapping(f"{path}.recording", config["recording"], ("enabled",))
        if recording is not None and "enabled" in recording:
            check.boolean(f"{path}.recording.enabled", recording["enabled"])
