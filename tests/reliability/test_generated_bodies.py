"""
Generated Create Room bodies over the whole contract (API reference §4.1 and §8), with hypothesis.

Valid bodies are built from the contract below; each one must come out of ``build_room_body``
unchanged, reach the emulator byte for byte and be accepted there (the emulator checks bodies
with its own, independent rules). Invalid bodies are a valid one with one targeted mutation at a
known field path; each must be refused before any request, by one problem naming that path.

The counts are fixed (``max_examples``) and generation is deterministic (``derandomize``).
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from videosdk_provider.bodies.rooms import build_room_body
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.checks import KNOWN_WEBHOOK_EVENTS
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.hooks.videosdk import VideoSDKHook

VALID_EXAMPLES = 150
INVALID_EXAMPLES = 400
#: Each documented field (valid bodies) and each kind of mutation (invalid ones) shows up this often.
MIN_COVERAGE = 20
SETTINGS = {"derandomize": True, "database": None, "deadline": None}

# The contract, as data: one node per field.


@dataclass(frozen=True)
class Text:
    """A non-empty string."""


@dataclass(frozen=True)
class Url:
    """An http(s) URL, at most ``max_length`` characters when set."""

    max_length: int | None = None


@dataclass(frozen=True)
class Choice:
    """One of ``values``."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Integer:
    """An integer from ``low`` to ``high`` (no upper bound when ``high`` is None); never a boolean."""

    low: int
    high: int | None = None


@dataclass(frozen=True)
class Boolean:
    """A JSON boolean (not the string ``"true"``)."""


@dataclass(frozen=True)
class Events:
    """A list of webhook event names or ``*`` patterns that match a known one."""


@dataclass(frozen=True)
class Object:
    """An object with these keys, the ``required`` ones always present."""

    fields: dict[str, Node]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passthrough:
    """A top-level field the documentation does not list: any JSON value, sent unchanged."""


Node = Text | Url | Choice | Integer | Boolean | Events | Object | Passthrough

LAYOUT = Object(
    {
        "type": Choice(("GRID", "SPOTLIGHT", "SIDEBAR")),
        "priority": Choice(("SPEAKER", "PIN")),
        "gridSize": Integer(1, 4),
    }
)
OUTPUT_CONFIG = {
    "layout": LAYOUT,
    "theme": Choice(("DARK", "LIGHT", "DEFAULT")),
    "mode": Choice(("video-and-audio", "audio")),
    "quality": Choice(("low", "med", "high")),
    "orientation": Choice(("portrait", "landscape")),
}
TRANSCRIPTION = Object({"enabled": Boolean(), "summary": Object({"enabled": Boolean(), "prompt": Text()})})
CONTRACT = Object(
    {
        "customRoomId": Text(),
        "webhook": Object({"endPoint": Url(max_length=512), "events": Events()}, required=("endPoint",)),
        "autoCloseConfig": Object(
            {"type": Choice(("session-ends", "session-end-and-deactivate")), "duration": Integer(1)},
            required=("type",),
        ),
        "autoStartConfig": Object(
            {
                "recording": Object(
                    {
                        "templateUrl": Url(),
                        "transcription": TRANSCRIPTION,
                        "config": Object(OUTPUT_CONFIG),
                        "awsDirPath": Text(),
                    }
                ),
                "hls": Object(
                    {
                        "templateUrl": Url(),
                        "transcription": TRANSCRIPTION,
                        "config": Object({**OUTPUT_CONFIG, "recording": Object({"enabled": Boolean()})}),
                    }
                ),
            }
        ),
        "geoFence": Passthrough(),
        "multiComposition": Passthrough(),
        "allowedParticipantIds": Passthrough(),
    }
)
DOCUMENTED_FIELDS = ("customRoomId", "webhook", "autoCloseConfig", "autoStartConfig")
EVENT_PATTERNS = ("*", "recording-*", "session-*", "hls-*", "*-failed", "participant-*-started")

# Valid values.

texts = st.text(min_size=1, max_size=24).filter(str.strip)
urls = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["hooks.example.com", "api.example.org:8443", "127.0.0.1:8080", "localhost"]),
    st.text(string.ascii_letters + string.digits + "-_./", max_size=40),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)


def valid(node: Node) -> st.SearchStrategy[Any]:
    """Return a strategy for values that satisfy ``node``."""
    if isinstance(node, Object):
        return st.fixed_dictionaries(
            {key: valid(node.fields[key]) for key in node.required},
            optional={key: valid(child) for key, child in node.fields.items() if key not in node.required},
        )
    if isinstance(node, Choice):
        return st.sampled_from(node.values)
    if isinstance(node, Integer):
        return st.integers(node.low, node.high if node.high is not None else 10**6)
    if isinstance(node, Events):
        return st.lists(st.sampled_from(KNOWN_WEBHOOK_EVENTS + EVENT_PATTERNS), max_size=6)
    return {Text: texts, Url: urls, Boolean: st.booleans(), Passthrough: json_values}[type(node)]


# Targeted mutations: each makes exactly one field invalid.


@dataclass
class Site:
    """A field present in a body: where it is, its value, and what the contract says it is."""

    keys: tuple[str, ...]
    value: Any
    node: Node

    @property
    def path(self) -> str:
        return ".".join(self.keys)


def sites(value: Any, node: Node, keys: tuple[str, ...] = ()) -> Iterator[Site]:
    """Yield every field of ``value`` (the root body included) with its contract node."""
    yield Site(keys, value, node)
    if isinstance(node, Object):
        for key, child in value.items():
            yield from sites(child, node.fields[key], (*keys, key))


@dataclass
class Mutation:
    """One invalid body: the kind of mistake, the field path it must be reported at, the body."""

    kind: str
    path: str
    body: dict[str, Any]
    allowed: tuple[str, ...] = field(default_factory=tuple)


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number" if isinstance(value, float) else "integer"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]


EXPECTED_TYPE = {Text: "string", Url: "string", Choice: "string", Boolean: "boolean", Events: "array"}


def expected_type(node: Node) -> str:
    if isinstance(node, Integer):
        return "integer"
    if isinstance(node, Object):
        return "object"
    return EXPECTED_TYPE[type(node)]


def wrong_types(node: Node) -> st.SearchStrategy[Any]:
    """Values of another JSON type than the node's (for pass-through fields: values JSON cannot carry)."""
    if isinstance(node, Passthrough):
        return st.sampled_from([{1, 2}, b"bytes", object()])
    others = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=8),
        st.just("true"),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    )
    return others.filter(lambda value: json_type(value) != expected_type(node))


def out_of_range(node: Node) -> st.SearchStrategy[Any]:
    """Values of the right type outside the allowed range, length or form."""
    if isinstance(node, Integer):
        below = st.integers(max_value=node.low - 1)
        return below if node.high is None else below | st.integers(min_value=node.high + 1)
    if isinstance(node, Url):
        malformed = st.sampled_from(
            ["ftp://hooks.example.com/x", "hooks.example.com/videosdk", "https://", ""]
        )
        if node.max_length is None:
            return malformed
        too_long = st.just("https://hooks.example.com/" + "a" * node.max_length)
        return malformed | too_long
    return st.sampled_from(["", " ", "\t\n"])


def misspelt_events() -> st.SearchStrategy[str]:
    """Known event names with one letter dropped, doubled or replaced, and patterns that match nothing."""

    def misspell(name: str, position: int, edit: str) -> str:
        at = position % len(name)
        before, letter, after = name[:at], name[at], name[at + 1 :]
        return {
            "drop": before + after,
            "double": before + letter * 2 + after,
            "replace": before + "x" + after,
        }[edit]

    edited = st.builds(
        misspell,
        st.sampled_from(KNOWN_WEBHOOK_EVENTS),
        st.integers(0, 40),
        st.sampled_from(["drop", "double", "replace"]),
    )
    return (edited | st.sampled_from(["zoom-*", "*-exploded", "recording-started-*"])).filter(
        lambda name: name not in KNOWN_WEBHOOK_EVENTS
    )


def misspelt_fields() -> st.SearchStrategy[str]:
    """Spellings of the documented top-level fields that are not the field itself."""

    def variants(name: str) -> list[str]:
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
        dropped = [name[:i] + name[i + 1 :] for i in range(1, len(name))]
        return [name.lower(), name.upper(), snake, snake.replace("_", "-"), *dropped]

    return st.sampled_from(
        sorted({variant for name in DOCUMENTED_FIELDS for variant in variants(name)} - set(DOCUMENTED_FIELDS))
    )


def replaced(body: dict[str, Any], keys: tuple[str, ...], value: Any) -> dict[str, Any]:
    """Return a copy of ``body`` with the value at ``keys`` replaced."""
    head, *rest = keys
    return {**body, head: replaced(body[head], tuple(rest), value) if rest else value}


MUTATIONS = (
    "wrong type",
    "out of range",
    "unknown key",
    "bad enum",
    "misspelt event",
    "missing required key",
)


def applicable(site: Site) -> list[str]:
    """List the kinds of mutation that make sense for this field."""
    node = site.node
    if not site.keys:
        return ["unknown key"]  # at the top level: a misspelt documented field
    kinds = ["wrong type"]
    if isinstance(node, (Text, Url, Integer)):
        kinds.append("out of range")
    if isinstance(node, Choice):
        kinds.append("bad enum")
    if isinstance(node, Events):
        kinds.append("misspelt event")
    if isinstance(node, Object):
        kinds.append("unknown key")
        if node.required:
            kinds.append("missing required key")
    return kinds


@st.composite
def invalid_bodies(draw: st.DrawFn) -> Mutation:
    """Draw a kind of mistake and a valid body with a field it applies to, then break that field."""
    kind = draw(st.sampled_from(MUTATIONS))
    body = draw(
        valid(CONTRACT).filter(lambda body: any(kind in applicable(s) for s in sites(body, CONTRACT)))
    )
    site = draw(st.sampled_from([site for site in sites(body, CONTRACT) if kind in applicable(site)]))
    node, keys, value = site.node, site.keys, site.value
    if kind == "unknown key" and not keys:
        name = draw(misspelt_fields())
        return Mutation(kind, name, {**body, name: draw(json_values)})
    if kind == "unknown key":
        assert isinstance(node, Object)
        name = draw(
            st.text(string.ascii_letters, min_size=1, max_size=12).filter(lambda k: k not in node.fields)
        )
        return Mutation(kind, f"{site.path}.{name}", replaced(body, keys, {**value, name: draw(json_values)}))
    if kind == "missing required key":
        assert isinstance(node, Object)
        name = draw(st.sampled_from(node.required))
        rest = {key: item for key, item in value.items() if key != name}
        return Mutation(kind, f"{site.path}.{name}", replaced(body, keys, rest))
    if kind == "misspelt event":
        index = draw(st.integers(0, len(value)))
        events = [*value[:index], draw(misspelt_events()), *value[index:]]
        return Mutation(kind, f"{site.path}[{index}]", replaced(body, keys, events))
    if kind == "bad enum":
        assert isinstance(node, Choice)
        wrong = draw(
            (
                st.sampled_from([v.lower() for v in node.values] + [v.upper() for v in node.values])
                | st.text()
            ).filter(lambda text: text not in node.values)
        )
        return Mutation(kind, site.path, replaced(body, keys, wrong), allowed=node.values)
    strategy = wrong_types(node) if kind == "wrong type" else out_of_range(node)
    return Mutation(kind, site.path, replaced(body, keys, draw(strategy)))


# The tests.


@pytest.fixture
def hook(hook_factory: Callable[..., VideoSDKHook]) -> VideoSDKHook:
    return hook_factory()


def as_arguments(body: dict[str, Any]) -> dict[str, Any]:
    """Split a body into ``build_room_body``'s arguments (the operator's)."""
    extra = {key: value for key, value in body.items() if key not in DOCUMENTED_FIELDS}
    return {
        "custom_room_id": body.get("customRoomId"),
        "webhook": body.get("webhook"),
        "auto_close_config": body.get("autoCloseConfig"),
        "auto_start_config": body.get("autoStartConfig"),
        "extra_body": extra or None,
    }


def test_generated_valid_bodies_are_sent_exactly_and_accepted(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    ran = Counter[str]()

    @settings(max_examples=VALID_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], **SETTINGS)
    @given(body=valid(CONTRACT))
    def check(body: dict[str, Any]) -> None:
        videosdk_emulator.reset()
        assert build_room_body(**as_arguments(body)) == body

        room = hook.create_room(**body)

        (request,) = videosdk_emulator.requests
        assert (request.status, request.body) == (200, body)
        assert room == videosdk_emulator.rooms[0]
        ran.update(["valid"] + [key for key in body if key in DOCUMENTED_FIELDS])

    check()
    assert ran["valid"] == VALID_EXAMPLES
    assert all(ran[key] >= MIN_COVERAGE for key in DOCUMENTED_FIELDS), ran


def test_generated_invalid_bodies_are_refused_before_any_request_naming_the_field(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    ran = Counter[str]()

    @settings(max_examples=INVALID_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], **SETTINGS)
    @given(mutation=invalid_bodies())
    def check(mutation: Mutation) -> None:
        with pytest.raises(InvalidRequestError) as caught:
            hook.create_room(**mutation.body)

        (problem,) = caught.value.problems
        assert problem.startswith(f"{mutation.path}: "), (mutation.kind, problem)
        assert all(repr(value) in problem for value in mutation.allowed), problem
        assert videosdk_emulator.requests == []
        ran[mutation.kind] += 1

    check()
    assert sum(ran.values()) == INVALID_EXAMPLES
    assert set(ran) == set(MUTATIONS)
    assert min(ran.values()) >= MIN_COVERAGE, ran
