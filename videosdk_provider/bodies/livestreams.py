"""
The livestream start contract (``POST /v2/livestreams/start``): RTMP outputs, layout and theme, template.

Stream keys are secrets: no problem message ever shows an output's value, only its field path
and what kind of value was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.pieces import MAX_HLS_GRID_SIZE, check_output_config

RTMP_SCHEMES = ("rtmp", "rtmps")
OUTPUT_KEYS = ("url", "streamKey")
#: The output config keys a livestream takes.
LIVESTREAM_CONFIG_KEYS = ("layout", "theme")


def _kind(value: object) -> str:
    """Name a value's type without showing it (it may hold a stream key)."""
    return "an empty string" if value == "" else f"a value of type {type(value).__name__}"


def _check_rtmp_url(check: Checker, path: str, value: object) -> None:
    if check.skip(value):
        return
    if not isinstance(value, str) or not value.strip():
        check.fail(path, f"expected an rtmp:// or rtmps:// URL, got {_kind(value)}")
        return
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        check.fail(path, "expected an rtmp:// or rtmps:// URL with a host, got a malformed URL")
        return
    if parts.scheme not in RTMP_SCHEMES or not parts.hostname or any(c.isspace() for c in value):
        scheme = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        check.fail(path, f"expected an rtmp:// or rtmps:// URL with a host and no white space, got {scheme}")


def check_outputs(check: Checker, path: str, value: object) -> None:
    """Check ``outputs``: a non-empty list of ``{url, streamKey}``, never showing a value."""
    if check.skip(value):
        return
    if not isinstance(value, (list, tuple)) or not value:
        got = "an empty list" if isinstance(value, (list, tuple)) else _kind(value)
        check.fail(path, f"expected a non-empty list of {{'url', 'streamKey'}} objects, got {got}")
        return
    for index, output in enumerate(value):
        where = f"{path}[{index}]"
        if check.skip(output):
            continue
        if not isinstance(output, Mapping):
            check.fail(where, f"expected an object with keys 'url', 'streamKey', got {_kind(output)}")
            continue
        check.mapping(where, output, OUTPUT_KEYS, required=OUTPUT_KEYS)
        if "url" in output:
            _check_rtmp_url(check, f"{where}.url", output["url"])
        key = output.get("streamKey")
        if "streamKey" in output and not check.skip(key) and (not isinstance(key, str) or not key.strip()):
            check.fail(f"{where}.streamKey", f"expected a non-empty string, got {_kind(key)}")


def build_start_livestream_body(
    room_id: object,
    outputs: object,
    *,
    config: object = None,
    template_url: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """
    Build the livestream start body from arguments, leaving out those that are unset.

    Raises :class:`~videosdk_provider.exceptions.InvalidRequestError` before any request is made.
    """
    check = Checker(at_parse_time=at_parse_time)
    check.identifier("roomId", room_id)
    check_outputs(check, "outputs", outputs)
    body: dict[str, Any] = {"roomId": room_id, "outputs": outputs}
    if config is not None:
        check_output_config(
            check, "config", config, max_grid_size=MAX_HLS_GRID_SIZE, keys=LIVESTREAM_CONFIG_KEYS
        )
        body["config"] = config
    if template_url is not None:
        check.url("templateUrl", template_url)
        body["templateUrl"] = template_url
    check.raise_problems()
    return body
