"""
The Create Room contract (``POST /v2/rooms``): the Create Room page plus the project's decisions.

Every operator that creates rooms and the hook go through it, so a room is never created from a
body the contract refuses.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from videosdk_provider.bodies.checking import Checker, is_deferred, shown
from videosdk_provider.bodies.pieces import (
    MAX_AUTO_START_GRID_SIZE,
    check_events,
    check_output_config,
    check_transcription,
)
from videosdk_provider.exceptions import InvalidRequestError

AUTO_CLOSE_TYPES = ("session-ends", "session-end-and-deactivate")
MAX_WEBHOOK_URL_LENGTH = 512
#: Distinct argument sets already found valid at parse time; forgotten wholesale when full.
_MAX_REMEMBERED = 1024
_valid_at_parse_time: set[str] = set()

#: Create Room body fields that have their own operator argument, by argument name.
ROOM_FIELDS: dict[str, str] = {
    "custom_room_id": "customRoomId",
    "webhook": "webhook",
    "auto_close_config": "autoCloseConfig",
    "auto_start_config": "autoStartConfig",
}
_ARGUMENT_BY_FIELD = {field: argument for argument, field in ROOM_FIELDS.items()}
_NORMALISED_FIELDS = {
    field.replace("_", "").replace("-", "").lower(): field for field in ROOM_FIELDS.values()
}


def _check_webhook(check: Checker, value: object) -> None:
    webhook = check.mapping("webhook", value, ("endPoint", "events"), required=("endPoint",))
    if webhook is None:
        return
    if "endPoint" in webhook:
        check.url("webhook.endPoint", webhook["endPoint"], max_length=MAX_WEBHOOK_URL_LENGTH)
    if "events" in webhook:
        check_events(check, "webhook.events", webhook["events"])


def _check_auto_close(check: Checker, value: object) -> None:
    config = check.mapping("autoCloseConfig", value, ("type", "duration"), required=("type",))
    if config is None:
        return
    if "type" in config:
        check.choice("autoCloseConfig.type", config["type"], AUTO_CLOSE_TYPES)
    if "duration" in config:
        check.integer("autoCloseConfig.duration", config["duration"], low=1, high=None, unit=" (minutes)")


def _check_auto_start_output(check: Checker, path: str, value: object, *, hls: bool) -> None:
    known = ("templateUrl", "transcription", "config") + (() if hls else ("awsDirPath",))
    output = check.mapping(path, value, known)
    if output is None:
        return
    if "templateUrl" in output:
        check.url(f"{path}.templateUrl", output["templateUrl"])
    if "transcription" in output:
        check_transcription(check, f"{path}.transcription", output["transcription"])
    if "config" in output:
        check_output_config(
            check,
            f"{path}.config",
            output["config"],
            max_grid_size=MAX_AUTO_START_GRID_SIZE,
            with_recording=hls,
        )
    if "awsDirPath" in output:
        check.string(f"{path}.awsDirPath", output["awsDirPath"])


def _check_auto_start(check: Checker, value: object) -> None:
    config = check.mapping("autoStartConfig", value, ("recording", "hls"))
    if config is None:
        return
    if "recording" in config:
        _check_auto_start_output(check, "autoStartConfig.recording", config["recording"], hls=False)
    if "hls" in config:
        _check_auto_start_output(check, "autoStartConfig.hls", config["hls"], hls=True)


def _check_extra_field(check: Checker, key: object, value: object) -> None:
    """Pass a field outside the documented four through, unless it shadows one of them."""
    if not isinstance(key, str) or not key:
        check.fail(f"[{key!r}]", "body keys must be non-empty strings")
        return
    normalised = key.replace("_", "").replace("-", "").lower()
    near = difflib.get_close_matches(normalised, list(_NORMALISED_FIELDS), n=1, cutoff=0.85)
    if near:
        name = _NORMALISED_FIELDS[near[0]]
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
        check.fail(key, f"value is not JSON-serialisable (NaN and infinity are not JSON): {shown(value)}")


def check_room_body(check: Checker, body: Mapping[str, Any]) -> None:
    """Check a Create Room body's fields, recording each problem on ``check``."""
    if "customRoomId" in body:
        check.string("customRoomId", body["customRoomId"])
    if "webhook" in body:
        _check_webhook(check, body["webhook"])
    if "autoCloseConfig" in body:
        _check_auto_close(check, body["autoCloseConfig"])
    if "autoStartConfig" in body:
        _check_auto_start(check, body["autoStartConfig"])
    for key, value in body.items():
        if key not in _ARGUMENT_BY_FIELD:
            _check_extra_field(check, key, value)


def validate_room_body(body: Mapping[str, Any], *, at_parse_time: bool = False) -> None:
    """
    Check a Create Room body against the contract; raise :class:`InvalidRequestError` listing every problem.

    Keys beyond the four documented fields (newer API fields such as ``geoFence``) pass through
    unchanged, unless they look like a misspelt documented field.
    """
    check = Checker(at_parse_time=at_parse_time)
    check_room_body(check, body)
    check.raise_problems()


def validate_room_bodies(bodies: object, *, at_parse_time: bool = False) -> None:
    """
    Check a list of Create Room bodies, every item; raise :class:`InvalidRequestError` listing every problem.

    Paths read ``rooms[3].webhook.endPoint``. Two items with the same ``customRoomId`` are refused
    too: they would be one room.
    """
    check = Checker(at_parse_time=at_parse_time)
    if check.skip(bodies):
        return
    if not isinstance(bodies, (list, tuple)):
        hint = ""
        if isinstance(bodies, str):
            hint = (
                " (a rendered template is a string: pass the upstream task's output itself, or set "
                "render_template_as_native_obj=True on the DAG)"
            )
        check.fail("rooms", f"expected a list of Create Room bodies, got {shown(bodies)}{hint}")
        raise InvalidRequestError(check.problems)
    first_index: dict[str, int] = {}
    for index, body in enumerate(bodies):
        check.prefix = f"rooms[{index}]"
        if check.skip(body):
            continue
        if not isinstance(body, Mapping):
            check.fail("", f"expected an object of Create Room body fields, got {shown(body)}")
            continue
        check.prefix += "."
        check_room_body(check, body)
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
    check = Checker(at_parse_time=at_parse_time)
    body: dict[str, Any] = {}
    if custom_room_id is not None:
        body["customRoomId"] = custom_room_id
    if webhook is not None:
        body["webhook"] = webhook
    if auto_close_config is not None:
        body["autoCloseConfig"] = auto_close_config
    if auto_start_config is not None:
        body["autoStartConfig"] = auto_start_config
    if extra_body is not None and not check.skip(extra_body):
        if not isinstance(extra_body, Mapping):
            check.fail("extra_body", f"expected an object of extra body fields, got {shown(extra_body)}")
        else:
            for key, value in extra_body.items():
                if key in _ARGUMENT_BY_FIELD:
                    check.fail(
                        f"extra_body.{key}",
                        f"set it through the {_ARGUMENT_BY_FIELD[key]!r} argument, not extra_body",
                    )
                else:
                    body[key] = value
    check_room_body(check, body)
    check.raise_problems()
    return body


def check_room_arguments_at_parse_time(
    *,
    custom_room_id: object = None,
    webhook: object = None,
    auto_close_config: object = None,
    auto_start_config: object = None,
    extra_body: object = None,
) -> None:
    """
    Check Create Room operator arguments as a DAG file is parsed, as :func:`build_room_body` would.

    A DAG file usually repeats a few configurations across many tasks, so each distinct set of
    config arguments is checked once: it is remembered by its ``repr`` once found valid (the
    ``repr`` of plain JSON values tells them apart exactly; a run-time object such as an XCom
    reference is skipped at parse time anyway). A ``customRoomId`` that is plainly fine (unset, a
    template, a non-blank string) needs no further work; anything else takes the full check.
    """
    key = repr((webhook, auto_close_config, auto_start_config, extra_body))
    plain_id = (
        custom_room_id is None
        or is_deferred(custom_room_id)
        or (isinstance(custom_room_id, str) and custom_room_id.strip() != "")
    )
    if plain_id and key in _valid_at_parse_time:
        return
    build_room_body(
        custom_room_id=custom_room_id,
        webhook=webhook,
        auto_close_config=auto_close_config,
        auto_start_config=auto_start_config,
        extra_body=extra_body,
        at_parse_time=True,
    )
    if len(_valid_at_parse_time) >= _MAX_REMEMBERED:
        _valid_at_parse_time.clear()
    _valid_at_parse_time.add(key)
