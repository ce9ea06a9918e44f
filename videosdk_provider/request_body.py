"""
Request bodies for the VideoSDK API: built from operator arguments and checked before any call.

This is the one place that knows the Create Room contract (the Create Room page plus the project
decisions in the API reference): every operator and the hook go through it, so a request that
would be rejected never leaves the worker and never creates half of anything.

At DAG-parse time, strings that still hold Jinja and values that are resolved later (XCom
references, mapped arguments) are accepted as placeholders; everything else is checked at once, so
authors see mistakes among the DAG import errors. After rendering, everything is checked.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from videosdk_provider.exceptions import InvalidRequestError

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

AUTO_CLOSE_TYPES = ("session-ends", "session-end-and-deactivate")
LAYOUT_TYPES = ("GRID", "SPOTLIGHT", "SIDEBAR")
LAYOUT_PRIORITIES = ("SPEAKER", "PIN")
THEMES = ("DARK", "LIGHT", "DEFAULT")
MODES = ("video-and-audio", "audio")
QUALITIES = ("low", "med", "high")
ORIENTATIONS = ("portrait", "landscape")
MAX_GRID_SIZE = 4
MAX_WEBHOOK_URL_LENGTH = 512
#: Session statuses the sessions list can be filtered by.
SESSION_STATUSES = ("ongoing", "ended")
#: Permissions of a participant (join) token.
PARTICIPANT_PERMISSIONS = ("allow_join", "ask_join", "allow_mod")

#: Create Room body fields that have their own operator argument, by argument name.
ROOM_FIELDS: dict[str, str] = {
    "custom_room_id": "customRoomId",
    "webhook": "webhook",
    "auto_close_config": "autoCloseConfig",
    "auto_start_config": "autoStartConfig",
}

_PLAIN_TYPES = (str, int, float, bool, dict, list, tuple, type(None))
_WHITE_SPACE = re.compile(r"\s")  # the characters str.isspace() accepts, found without a Python loop


def is_templated(value: object) -> bool:
    """Whether a string still holds Jinja that Airflow renders before the task runs."""
    # Spelled out rather than looped: DAG parsing calls this for every literal of every task.
    return isinstance(value, str) and ("{{" in value or "{%" in value or "{#" in value)


def _is_deferred(value: object) -> bool:
    """Tell whether a value is resolved only at run time: Jinja, or an object such as an XCom reference."""
    return is_templated(value) or not isinstance(value, _PLAIN_TYPES)


def _closest(name: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not match:
        lowered = {choice.lower(): choice for choice in choices}
        match = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {match[0]!r}?)" if match else ""


def _allowed(values: Sequence[str]) -> str:
    return ", ".join(repr(value) for value in values)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@functools.lru_cache(maxsize=256)
def _matches_known_event(pattern: str) -> bool:
    """Whether a ``*`` pattern matches a known event; cached, since DAG files repeat a few patterns."""
    return any(fnmatch.fnmatchcase(name, pattern) for name in KNOWN_WEBHOOK_EVENTS)


def _is_web_url(text: str) -> bool:
    """Tell whether text is an absolute http(s) URL with a host, a valid port and no white space."""
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and _WHITE_SPACE.search(text) is None


class _Checker:
    """Walks a value against the contract and collects every problem with its field path."""

    def __init__(self, *, at_parse_time: bool) -> None:
        self.at_parse_time = at_parse_time
        self.problems: list[str] = []
        #: Put before every path, e.g. ``rooms[3].`` while checking one item of a list.
        self.prefix = ""

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{self.prefix}{path}: {message}")

    def raise_problems(self) -> None:
        """Raise :class:`InvalidRequestError` listing the problems found, if any."""
        if self.problems:
            raise InvalidRequestError(self.problems)

    def skip(self, value: object) -> bool:
        """Whether to leave a value for later: at parse time, anything not yet rendered."""
        return self.at_parse_time and _is_deferred(value)

    def mapping(
        self, path: str, value: object, known: Sequence[str], required: Sequence[str] = ()
    ) -> Mapping[str, Any] | None:
        if self.skip(value):
            return None
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object with keys {_allowed(known)}, got {_shown(value)}")
            return None
        for key in value:
            if not isinstance(key, str) or key not in known:
                hint = _closest(key, known) if isinstance(key, str) else ""
                self.fail(f"{path}.{key}", f"unknown key; allowed keys: {_allowed(known)}{hint}")
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}", f"is required when {path} is given")
        return value

    def string(self, path: str, value: object) -> str | None:
        if self.skip(value):
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string, got {_shown(value)}")
            return None
        return value

    def url(self, path: str, value: object, *, max_length: int | None = None) -> None:
        text = self.string(path, value)
        if text is None:
            return
        if not _is_web_url(text):
            self.fail(path, f"expected an http:// or https:// URL with a host, got {_shown(text)}")
        elif max_length is not None and len(text) > max_length:
            self.fail(path, f"URL is {len(text)} characters long; at most {max_length} are allowed")

    def boolean(self, path: str, value: object) -> None:
        if self.skip(value) or isinstance(value, bool):
            return
        hint = " (use the JSON boolean true or false, not a string)" if isinstance(value, str) else ""
        self.fail(path, f"expected true or false, got {_shown(value)}{hint}")

    def integer(self, path: str, value: object, *, low: int, high: int | None, unit: str = "") -> None:
        if self.skip(value):
            return
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        expected = f"expected an integer {bounds}{unit}"
        if isinstance(value, bool) or not isinstance(value, int):
            hint = ""
            if isinstance(value, str):
                hint = " (a rendered template is a string: set render_template_as_native_obj=True on the DAG)"
            self.fail(path, f"{expected}, got {_shown(value)}{hint}")
        elif value < low or (high is not None and value > high):
            self.fail(path, f"{expected}, got {value}")

    def choice(self, path: str, value: object, allowed: Sequence[str]) -> None:
        if self.skip(value):
            return
        if not isinstance(value, str) or value not in allowed:
            hint = _closest(value, allowed) if isinstance(value, str) else ""
            self.fail(path, f"{_shown(value)} is not allowed; allowed values: {_allowed(allowed)}{hint}")

    def event(self, path: str, value: object) -> None:
        if self.skip(value):
            return
        if not isinstance(value, str):
            self.fail(path, f"expected an event name, got {_shown(value)}")
        elif "*" in value:
            if not _matches_known_event(value):
                self.fail(
                    path,
                    f"pattern {value!r} matches no known event; known events: see "
                    "videosdk_provider.request_body.KNOWN_WEBHOOK_EVENTS",
                )
        elif value not in KNOWN_WEBHOOK_EVENTS:
            hint = _closest(value, KNOWN_WEBHOOK_EVENTS)
            self.fail(
                path,
                f"unknown event {value!r}{hint}; use a known event name or a '*' pattern such "
                "as 'recording-*' (see videosdk_provider.request_body.KNOWN_WEBHOOK_EVENTS)",
            )

    def events(self, path: str, value: object) -> None:
        if self.skip(value):
            return
        if not isinstance(value, (list, tuple)):
            self.fail(path, f"expected a list of event names, got {_shown(value)}")
            return
        for index, item in enumerate(value):
            self.event(f"{path}[{index}]", item)


def _check_webhook(check: _Checker, value: object) -> None:
    webhook = check.mapping("webhook", value, ("endPoint", "events"), required=("endPoint",))
    if webhook is None:
        return
    if "endPoint" in webhook:
        check.url("webhook.endPoint", webhook["endPoint"], max_length=MAX_WEBHOOK_URL_LENGTH)
    if "events" in webhook:
        check.events("webhook.events", webhook["events"])


def _check_auto_close(check: _Checker, value: object) -> None:
    config = check.mapping("autoCloseConfig", value, ("type", "duration"), required=("type",))
    if config is None:
        return
    if "type" in config:
        check.choice("autoCloseConfig.type", config["type"], AUTO_CLOSE_TYPES)
    if "duration" in config:
        check.integer("autoCloseConfig.duration", config["duration"], low=1, high=None, unit=" (minutes)")


def _check_transcription(check: _Checker, path: str, value: object) -> None:
    transcription = check.mapping(path, value, ("enabled", "summary"))
    if transcription is None:
        return
    if "enabled" in transcription:
        check.boolean(f"{path}.enabled", transcription["enabled"])
    if "summary" in transcription:
        summary = check.mapping(f"{path}.summary", transcription["summary"], ("enabled", "prompt"))
        if summary is not None:
            if "enabled" in summary:
                check.boolean(f"{path}.summary.enabled", summary["enabled"])
            if "prompt" in summary:
                check.string(f"{path}.summary.prompt", summary["prompt"])


def _check_layout(check: _Checker, path: str, value: object) -> None:
    layout = check.mapping(path, value, ("type", "priority", "gridSize"))
    if layout is None:
        return
    if "type" in layout:
        check.choice(f"{path}.type", layout["type"], LAYOUT_TYPES)
    if "priority" in layout:
        check.choice(f"{path}.priority", layout["priority"], LAYOUT_PRIORITIES)
    if "gridSize" in layout:
        check.integer(f"{path}.gridSize", layout["gridSize"], low=1, high=MAX_GRID_SIZE)


def _check_output_config(check: _Checker, path: str, value: object, *, hls: bool) -> None:
    known = ("layout", "theme", "mode", "quality", "orientation") + (("recording",) if hls else ())
    config = check.mapping(path, value, known)
    if config is None:
        return
    if "layout" in config:
        _check_layout(check, f"{path}.layout", config["layout"])
    for key, allowed in (
        ("theme", THEMES),
        ("mode", MODES),
        ("quality", QUALITIES),
        ("orientation", ORIENTATIONS),
    ):
        if key in config:
            check.choice(f"{path}.{key}", config[key], allowed)
    if hls and "recording" in config:
        recording = check.mapping(f"{path}.recording", config["recording"], ("enabled",))
        if recording is not None and "enabled" in recording:
            check.boolean(f"{path}.recording.enabled", recording["enabled"])


def _check_auto_start_output(check: _Checker, path: str, value: object, *, hls: bool) -> None:
    known = ("templateUrl", "transcription", "config") + (() if hls else ("awsDirPath",))
    output = check.mapping(path, value, known)
    if output is None:
        return
    if "templateUrl" in output:
        check.url(f"{path}.templateUrl", output["templateUrl"])
    if "transcription" in output:
        _check_transcription(check, f"{path}.transcription", output["transcription"])
    if "config" in output:
        _check_output_config(check, f"{path}.config", output["config"], hls=hls)
    if "awsDirPath" in output:
        check.string(f"{path}.awsDirPath", output["awsDirPath"])


def _check_auto_start(check: _Checker, value: object) -> None:
    config = check.mapping("autoStartConfig", value, ("recording", "hls"))
    if config is None:
        return
    if "recording" in config:
        _check_auto_start_output(check, "autoStartConfig.recording", config["recording"], hls=False)
    if "hls" in config:
        _check_auto_start_output(check, "autoStartConfig.hls", config["hls"], hls=True)


def _normalised(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _check_extra_field(check: _Checker, key: object, value: object) -> None:
    """Pass a field outside the documented four through, unless it shadows one of them."""
    if not isinstance(key, str) or not key:
        check.fail(f"[{key!r}]", "body keys must be non-empty strings")
        return
    by_form = {_normalised(name): name for name in ROOM_FIELDS.values()}
    near = difflib.get_close_matches(_normalised(key), list(by_form), n=1, cutoff=0.85)
    if near:
        name = by_form[near[0]]
        check.fail(
            key,
            f"unknown key that looks like {name!r}; spell it {name!r} or pass it through its own argument",
        )
        return
    if check.skip(value):
        return
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        check.fail(key, f"value is not JSON-serialisable (NaN and infinity are not JSON): {_shown(value)}")


def _check_room_body(check: _Checker, body: Mapping[str, Any]) -> None:
    if "customRoomId" in body:
        check.string("customRoomId", body["customRoomId"])
    if "webhook" in body:
        _check_webhook(check, body["webhook"])
    if "autoCloseConfig" in body:
        _check_auto_close(check, body["autoCloseConfig"])
    if "autoStartConfig" in body:
        _check_auto_start(check, body["autoStartConfig"])
    for key, value in body.items():
        if key not in ROOM_FIELDS.values():
            _check_extra_field(check, key, value)


def validate_room_body(body: Mapping[str, Any], *, at_parse_time: bool = False) -> None:
    """
    Check a Create Room body against the contract; raise :class:`InvalidRequestError` listing every problem.

    Keys beyond the four documented fields (newer API fields such as ``geoFence``) pass through
    unchanged, unless they look like a misspelt documented field.
    """
    check = _Checker(at_parse_time=at_parse_time)
    _check_room_body(check, body)
    check.raise_problems()


def validate_room_bodies(bodies: object, *, at_parse_time: bool = False) -> None:
    """
    Check a list of Create Room bodies, every item; raise :class:`InvalidRequestError` listing every problem.

    Paths read ``rooms[3].webhook.endPoint``. Two items with the same ``customRoomId`` are refused
    too: they would be one room.
    """
    check = _Checker(at_parse_time=at_parse_time)
    if check.skip(bodies):
        return
    if not isinstance(bodies, (list, tuple)):
        hint = ""
        if isinstance(bodies, str):
            hint = (
                " (a rendered template is a string: pass the upstream task's output itself, or set "
                "render_template_as_native_obj=True on the DAG)"
            )
        check.fail("rooms", f"expected a list of Create Room bodies, got {_shown(bodies)}{hint}")
        raise InvalidRequestError(check.problems)
    first_index: dict[str, int] = {}
    for index, body in enumerate(bodies):
        check.prefix = f"rooms[{index}]"
        if check.skip(body):
            continue
        if not isinstance(body, Mapping):
            check.fail("", f"expected an object of Create Room body fields, got {_shown(body)}")
            continue
        check.prefix += "."
        _check_room_body(check, body)
        custom_room_id = body.get("customRoomId")
        if not isinstance(custom_room_id, str) or check.skip(custom_room_id):
            continue
        if custom_room_id in first_index:
            check.fail("customRoomId", f"{custom_room_id!r} repeats rooms[{first_index[custom_room_id]}]")
        else:
            first_index[custom_room_id] = index
    check.raise_problems()


def build_room_body(
    *,
    custom_room_id: object = None,
    webhook: object = None,
    auto_close_config: object = None,
    auto_start_config: object = None,
    extra_body: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """
    Build the Create Room body from operator arguments, leaving out those that are unset.

    ``extra_body`` adds fields the documentation does not list; it may not set a field that has
    its own argument. Raises :class:`InvalidRequestError` before any request is made.
    """
    check = _Checker(at_parse_time=at_parse_time)
    arguments = {
        "custom_room_id": custom_room_id,
        "webhook": webhook,
        "auto_close_config": auto_close_config,
        "auto_start_config": auto_start_config,
    }
    body: dict[str, Any] = {
        ROOM_FIELDS[name]: value for name, value in arguments.items() if value is not None
    }
    if extra_body is not None and not check.skip(extra_body):
        if not isinstance(extra_body, Mapping):
            check.fail("extra_body", f"expected an object of extra body fields, got {_shown(extra_body)}")
        else:
            for key, value in extra_body.items():
                argument = next((arg for arg, field in ROOM_FIELDS.items() if field == key), None)
                if argument is not None:
                    check.fail(
                        f"extra_body.{key}", f"set it through the {argument!r} argument, not extra_body"
                    )
                else:
                    body[key] = value
    _check_room_body(check, body)
    check.raise_problems()
    return body


class ArgumentChecker(_Checker):
    """
    Check hook and operator arguments (ids, choices, counts), then raise every problem at once.

    Paths are the argument names, so an error reads ``room_id: expected a non-empty string, got ''``.
    """

    def identifier(self, path: str, value: object, *, optional: bool = False) -> None:
        """Check an id (roomId, sessionId, ...): any non-empty string, since id formats vary."""
        if not (optional and value is None):
            self.string(path, value)

    def permissions(self, path: str, value: object) -> None:
        """Check participant token permissions: known names, and ``ask_join`` never with another."""
        if self.skip(value):
            return
        if not isinstance(value, (list, tuple)) or not value:
            self.fail(
                path, f"expected a non-empty list of {_allowed(PARTICIPANT_PERMISSIONS)}, got {_shown(value)}"
            )
            return
        for index, item in enumerate(value):
            self.choice(f"{path}[{index}]", item, PARTICIPANT_PERMISSIONS)
        names = {item for item in value if isinstance(item, str)}
        if "ask_join" in names and names & {"allow_join", "allow_mod"}:
            self.fail(
                path,
                "'ask_join' cannot be combined with 'allow_join' or 'allow_mod': client SDKs reject "
                "such a token (error 4008 INVALID_PERMISSIONS)",
            )

    def setting(self, path: str, value: object, *, low: float, integer: bool = False) -> float:
        """
        Check a numeric setting (a connection extra may hold it as text) and return it as a number.

        The returned value is meaningless when a problem was recorded; :meth:`raise_problems` follows.
        """
        number: object = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = value
        if (
            isinstance(number, bool)
            or not isinstance(number, (int, float))
            or not number >= low
            or (integer and not float(number).is_integer())
        ):
            kind = "an integer" if integer else "a number"
            self.fail(path, f"expected {kind} of at least {low:g}, got {_shown(value)}")
            return low
        return int(number) if integer else float(number)


def check_ids(*, at_parse_time: bool = False, **ids: object) -> None:
    """Raise :class:`InvalidRequestError` unless every id given is a non-empty string."""
    check = ArgumentChecker(at_parse_time=at_parse_time)
    for path, value in ids.items():
        check.identifier(path, value)
    check.raise_problems()
