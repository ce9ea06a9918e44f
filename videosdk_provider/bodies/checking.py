"""
Generic checking of request bodies, operator arguments and connection settings, by field path.

At DAG-parse time, strings that still hold Jinja and values that are resolved later (XCom
references, mapped arguments) are accepted as placeholders; everything else is checked at once,
so authors see mistakes among the DAG import errors. After rendering, everything is checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from videosdk_provider.exceptions import InvalidRequestError

_PLAIN_TYPES = (str, int, float, bool, dict, list, tuple, type(None))
_WHITE_SPACE = re.compile(r"\s")  # the characters str.isspace() accepts, found without a Python loop


def is_templated(value: object) -> bool:
    """Whether a string still holds Jinja that Airflow renders before the task runs."""
    # Spelled out rather than looped: DAG parsing calls this for every literal of every task.
    return isinstance(value, str) and ("{{" in value or "{%" in value or "{#" in value)


def is_deferred(value: object) -> bool:
    """Tell whether a value is resolved only at run time: Jinja, or an object such as an XCom reference."""
    return is_templated(value) or not isinstance(value, _PLAIN_TYPES)


def closest(name: str, choices: Sequence[str]) -> str:
    """Return a ``(did you mean ...?)`` hint for a misspelt name, or ``""``."""
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not match:
        lowered = {choice.lower(): choice for choice in choices}
        match = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {match[0]!r}?)" if match else ""


def allowed(values: Sequence[str]) -> str:
    """List allowed values for an error message."""
    return ", ".join(repr(value) for value in values)


def shown(value: object) -> str:
    """Show a value in an error message, shortened."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def is_web_url(text: str) -> bool:
    """Tell whether text is an absolute http(s) URL with a host, a valid port and no white space."""
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and _WHITE_SPACE.search(text) is None


class Checker:
    """
    Walk values against a contract and collect every problem with its field path.

    Paths are body fields (``webhook.events[1]``) or argument names (``room_id``), so an error
    reads ``room_id: expected a non-empty string, got ''``. :meth:`raise_problems` raises them all
    at once as :class:`~videosdk_provider.exceptions.InvalidRequestError`.
    """

    def __init__(self, *, at_parse_time: bool = False) -> None:
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
        return self.at_parse_time and is_deferred(value)

    def mapping(
        self, path: str, value: object, known: Sequence[str], required: Sequence[str] = ()
    ) -> Mapping[str, Any] | None:
        """Check an object's keys; return it for its fields to be checked, or None."""
        if self.skip(value):
            return None
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object with keys {allowed(known)}, got {shown(value)}")
            return None
        for key in value:
            if not isinstance(key, str) or key not in known:
                hint = closest(key, known) if isinstance(key, str) else ""
                self.fail(f"{path}.{key}", f"unknown key; allowed keys: {allowed(known)}{hint}")
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}", f"is required when {path} is given")
        return value

    def string(self, path: str, value: object) -> str | None:
        if self.skip(value):
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string, got {shown(value)}")
            return None
        return value

    def identifier(self, path: str, value: object, *, optional: bool = False) -> None:
        """Check an id (roomId, sessionId, ...): any non-empty string, since id formats vary."""
        if not (optional and value is None):
            self.string(path, value)

    def url(self, path: str, value: object, *, max_length: int | None = None) -> None:
        text = self.string(path, value)
        if text is None:
            return
        if not is_web_url(text):
            self.fail(path, f"expected an http:// or https:// URL with a host, got {shown(text)}")
        elif max_length is not None and len(text) > max_length:
            self.fail(path, f"URL is {len(text)} characters long; at most {max_length} are allowed")

    def boolean(self, path: str, value: object) -> None:
        if self.skip(value) or isinstance(value, bool):
            return
        hint = " (use the JSON boolean true or false, not a string)" if isinstance(value, str) else ""
        self.fail(path, f"expected true or false, got {shown(value)}{hint}")

    def integer(self, path: str, value: object, *, low: int, high: int | None, unit: str = "") -> None:
        if self.skip(value):
            return
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        expected = f"expected an integer {bounds}{unit}"
        if isinstance(value, bool) or not isinstance(value, int):
            hint = ""
            if isinstance(value, str):
                hint = " (a rendered template is a string: set render_template_as_native_obj=True on the DAG)"
            self.fail(path, f"{expected}, got {shown(value)}{hint}")
        elif value < low or (high is not None and value > high):
            self.fail(path, f"{expected}, got {value}")

    def choice(self, path: str, value: object, choices: Sequence[str]) -> None:
        if self.skip(value):
            return
        if not isinstance(value, str) or value not in choices:
            hint = closest(value, choices) if isinstance(value, str) else ""
            self.fail(path, f"{shown(value)} is not allowed; allowed values: {allowed(choices)}{hint}")

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
            self.fail(path, f"expected {kind} of at least {low:g}, got {shown(value)}")
            return low
        return int(number) if integer else float(number)


def check_ids(*, at_parse_time: bool = False, **ids: object) -> None:
    """Raise :class:`InvalidRequestError` unless every id given is a non-empty string."""
    check = Checker(at_parse_time=at_parse_time)
    for path, value in ids.items():
        check.identifier(path, value)
    check.raise_problems()
