"""
Generated request bodies over whole contracts (API reference §3, §4.1 and §8), with hypothesis.

Create Room bodies, and the recording bodies (room, participant and track recording starts,
merges) that the hook builds from its arguments.

Valid bodies are built from the contract below; each one must come out of ``build_room_body``
unchanged, reach the emulator byte for byte and be accepted there (the emulator checks bodies
with its own, independent rules). Invalid bodies are a valid one with one targeted mutation at a
known field path; each must be refused before any request, by one problem naming that path.

The counts are fixed (``max_examples``) and generation is deterministic (``derandomize``).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from videosdk_provider.bodies.participant_recordings import build_merge_body, build_participant_recording_body
from videosdk_provider.bodies.recordings import build_start_recording_body
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
class Participants:
    """A non-empty list of ``{"participantId": ...}`` objects (a merge channel)."""


@dataclass(frozen=True)
class Object:
    """An object with these keys, the ``required`` ones always present."""

    fields: dict[str, Node]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passthrough:
    """A top-level field the documentation does not list: any JSON value, sent unchanged."""


Node = Text | Url | Choice | Integer | Boolean | Events | Participants | Object | Passthrough

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

#: The recording bodies: each built by a hook method from its arguments (one per top-level field).
PARTICIPANT_START = {
    "roomId": Text(),
    "participantId": Text(),
    "fileFormat": Choice(("webm",)),
    "webhookUrl": Url(),
    "bucketDirPath": Text(),
}
MEDIA_CONTRACTS = {
    "recording start": Object(
        {
            "roomId": Text(),
            "config": Object(OUTPUT_CONFIG),
            "templateUrl": Url(),
            "transcription": TRANSCRIPTION,
            "webhookUrl": Url(),
            "awsDirPath": Text(),
            "preSignedUrl": Url(),
        },
        required=("roomId",),
    ),
    "participant start": Object(PARTICIPANT_START, required=("roomId", "participantId")),
    "track start": Object(
        {**PARTICIPANT_START, "kind": Choice(("audio", "video", "screen_audio", "screen_video"))},
        required=("roomId", "participantId", "kind"),
    ),
    "merge": Object(
        {"sessionId": Text(), "channel1": Participants(), "channel2": Participants(), "webhookUrl": Url()},
        required=("sessionId", "channel1"),
    ),
}

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
    if isinstance(node, Participants):
        return st.lists(st.fixed_dictionaries({"participantId": texts}), min_size=1, max_size=3)
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


EXPECTED_TYPE = {
    Text: "string",
    Url: "string",
    Choice: "string",
    Boolean: "boolean",
    Events: "array",
    Participants: "array",
}


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
    if isinstance(node, Participants):
        return st.just([])  # an empty channel (its items' own mistakes have deeper paths)
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


def applicable(site: Site, *, arguments: bool = False) -> list[str]:
    """
    List the kinds of mutation that make sense for this field.

    ``arguments``: the body is built from keyword arguments, one per top-level field, so there is
    no unknown top-level key to misspell, and ``None`` there means "not given", not a wrong type.
    """
    node = site.node
    if not site.keys:
        return [] if arguments else ["unknown key"]  # at the top level: a misspelt documented field
    kinds = ["wrong type"]
    if isinstance(node, (Text, Url, Integer, Participants)):
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


def contract_sites(node: Node, keys: tuple[str, ...] = ()) -> Iterator[Site]:
    """Yield every field the contract has, whether or not a body holds it (``value`` is None)."""
    yield Site(keys, None, node)
    if isinstance(node, Object):
        for key, child in node.fields.items():
            yield from contract_sites(child, (*keys, key))


def possible_mutations(contract: Object, *, arguments: bool = False) -> list[str]:
    """List the kinds of mistake that apply to at least one field of the contract."""
    fields = list(contract_sites(contract))
    return [
        kind for kind in MUTATIONS if any(kind in applicable(site, arguments=arguments) for site in fields)
    ]


@st.composite
def invalid_bodies(draw: st.DrawFn, contract: Object = CONTRACT, *, arguments: bool = False) -> Mutation:
    """Draw a kind of mistake and a valid body with a field it applies to, then break that field."""
    kind = draw(st.sampled_from(possible_mutations(contract, arguments=arguments)))
    body = draw(
        valid(contract).filter(
            lambda body: any(kind in applicable(s, arguments=arguments) for s in sites(body, contract))
        )
    )
    candidates = [site for site in sites(body, contract) if kind in applicable(site, arguments=arguments)]
    site = draw(st.sampled_from(candidates))
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
    if arguments and len(keys) == 1:
        strategy = strategy.filter(lambda value: value is not None)
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


#: Body fields each hook method takes positionally, in order; the others are keyword arguments.
POSITIONAL = {
    "recording start": ("roomId",),
    "participant start": ("roomId", "participantId"),
    "track start": ("roomId", "participantId", "kind"),
    "merge": ("sessionId", "channel1"),
}
ARGUMENT_NAMES = {
    "templateUrl": "template_url",
    "webhookUrl": "webhook_url",
    "awsDirPath": "aws_dir_path",
    "preSignedUrl": "pre_signed_url",
    "fileFormat": "file_format",
    "bucketDirPath": "bucket_dir_path",
}
HOOK_METHODS = {
    "recording start": "start_recording",
    "participant start": "start_participant_recording",
    "track start": "start_track_recording",
    "merge": "merge_participant_recordings",
}
#: The body builders, which take ``kind`` as a keyword argument.
BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "recording start": build_start_recording_body,
    "participant start": build_participant_recording_body,
    "track start": build_participant_recording_body,
    "merge": build_merge_body,
}


def split(body: dict[str, Any], positional: tuple[str, ...]) -> tuple[list[Any], dict[str, Any]]:
    """Split a body into positional and keyword arguments (snake_case names)."""
    options = {ARGUMENT_NAMES.get(key, key): value for key, value in body.items() if key not in positional}
    return [body[key] for key in positional], options


def test_generated_valid_recording_bodies_are_built_unchanged() -> None:
    ran = Counter[str]()

    @settings(max_examples=VALID_EXAMPLES, **SETTINGS)
    @given(data=st.data(), name=st.sampled_from(sorted(MEDIA_CONTRACTS)))
    def check(data: st.DataObject, name: str) -> None:
        body = data.draw(valid(MEDIA_CONTRACTS[name]))
        positional, options = split(body, tuple(key for key in POSITIONAL[name] if key != "kind"))
        assert BUILDERS[name](*positional, **options) == body
        ran[name] += 1

    check()
    assert min(ran.values()) >= MIN_COVERAGE, ran


def test_generated_invalid_recording_bodies_are_refused_before_any_request_naming_the_field(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    ran = Counter[tuple[str, str]]()

    @settings(max_examples=INVALID_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], **SETTINGS)
    @given(data=st.data(), name=st.sampled_from(sorted(MEDIA_CONTRACTS)))
    def check(data: st.DataObject, name: str) -> None:
        mutation = data.draw(invalid_bodies(MEDIA_CONTRACTS[name], arguments=True))
        positional, options = split(mutation.body, POSITIONAL[name])
        with pytest.raises(InvalidRequestError) as caught:
            getattr(hook, HOOK_METHODS[name])(*positional, **options)

        (problem,) = caught.value.problems
        assert problem.startswith(f"{mutation.path}: "), (name, mutation.kind, problem)
        assert all(repr(value) in problem for value in mutation.allowed), problem
        assert videosdk_emulator.requests == []
        ran[name, mutation.kind] += 1

    check()
    assert sum(ran.values()) == INVALID_EXAMPLES
    expected = {
        (name, kind)
        for name, contract in MEDIA_CONTRACTS.items()
        for kind in possible_mutations(contract, arguments=True)
    }
    assert set(ran) == expected


# HLS, livestream and realtime transcription start bodies (the same approach, on their contracts).
# Their bodies go through the hook's start methods, whose ``roomId`` is a live room's, added here;
# the generated part is every other field. Output items are reported as ``outputs[0].url``.

STREAM_VALID_EXAMPLES = 60
STREAM_INVALID_EXAMPLES = 200
STREAM_MIN_COVERAGE = 10


@dataclass(frozen=True)
class RtmpUrl:
    """An rtmp:// or rtmps:// URL."""


@dataclass(frozen=True)
class StreamKey:
    """A non-empty string that is a secret: never shown in a problem."""


@dataclass(frozen=True)
class NonEmptyList:
    """A list of at least one ``item``."""

    item: Object


StreamNode = Node | RtmpUrl | StreamKey | NonEmptyList

STREAM_LAYOUT = Object({**LAYOUT.fields, "gridSize": Integer(1, 25)})
HLS_CONTRACT = Object(
    {
        "config": Object(
            {**OUTPUT_CONFIG, "layout": STREAM_LAYOUT, "recording": Object({"enabled": Boolean()})}
        ),
        "templateUrl": Url(),
        "transcription": TRANSCRIPTION,
        "summary": Object({"enabled": Boolean(), "prompt": Text()}),
    }
)
LIVESTREAM_CONTRACT = Object(
    {
        "outputs": NonEmptyList(
            Object({"url": RtmpUrl(), "streamKey": StreamKey()}, required=("url", "streamKey"))
        ),
        "config": Object({"layout": STREAM_LAYOUT, "theme": Choice(("DARK", "LIGHT", "DEFAULT"))}),
        "templateUrl": Url(),
    },
    required=("outputs",),
)
REALTIME_TRANSCRIPTION_CONTRACT = Object({"webhookUrl": Url()})

stream_keys = st.text(string.ascii_letters + string.digits, min_size=12, max_size=24).map("sk-{}".format)
rtmp_urls = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["rtmp", "rtmps"]),
    st.sampled_from(["a.rtmp.youtube.com", "live-api-s.facebook.com:443", "127.0.0.1:1935"]),
    st.text(string.ascii_letters + string.digits + "-_/", max_size=20),
)


def stream_valid(node: StreamNode) -> st.SearchStrategy[Any]:
    """Return a strategy for values that satisfy ``node`` of a stream contract."""
    if isinstance(node, Object):
        return st.fixed_dictionaries(
            {key: stream_valid(node.fields[key]) for key in node.required},
            optional={
                key: stream_valid(child) for key, child in node.fields.items() if key not in node.required
            },
        )
    if isinstance(node, NonEmptyList):
        return st.lists(stream_valid(node.item), min_size=1, max_size=3)
    if isinstance(node, RtmpUrl):
        return rtmp_urls
    if isinstance(node, StreamKey):
        return stream_keys
    return valid(node)


@dataclass
class StreamSite:
    """A field of a stream body: its keys (names and list indexes), value and contract node."""

    keys: tuple[str | int, ...]
    value: Any
    node: StreamNode

    @property
    def path(self) -> str:
        text = ""
        for key in self.keys:
            text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else key
        return text


def stream_sites(value: Any, node: StreamNode, keys: tuple[str | int, ...] = ()) -> Iterator[StreamSite]:
    """Yield every field of a stream body below the root, list items included, with its node."""
    if keys:
        yield StreamSite(keys, value, node)
    if isinstance(node, Object):
        for key, child in value.items():
            yield from stream_sites(child, node.fields[key], (*keys, key))
    if isinstance(node, NonEmptyList):
        for index, item in enumerate(value):
            yield from stream_sites(item, node.item, (*keys, index))


def replaced_at(body: Any, keys: tuple[str | int, ...], value: Any) -> Any:
    """Return a copy of ``body`` with the value at ``keys`` (names and list indexes) replaced."""
    head, *rest = keys
    new = replaced_at(body[head], tuple(rest), value) if rest else value
    if isinstance(body, list):
        assert isinstance(head, int)
        return [*body[:head], new, *body[head + 1 :]]
    return {**body, head: new}


def generated_stream_keys(value: Any) -> list[str]:
    """Return the generated stream keys anywhere in a body, misplaced ones included."""
    if isinstance(value, str):
        return re.findall(r"sk-[A-Za-z0-9]+", value)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [key for item in items for key in generated_stream_keys(item)]


STREAM_MUTATIONS = (
    "wrong type",
    "out of range",
    "unknown key",
    "bad enum",
    "missing required key",
    "misplaced stream key",
)


def stream_applicable(site: StreamSite) -> list[str]:
    """List the kinds of mutation that make sense for this field of a stream body."""
    node = site.node
    kinds = ["wrong type"]
    if isinstance(node, (Text, Url, Integer, RtmpUrl, StreamKey, NonEmptyList)):
        kinds.append("out of range")
    if isinstance(node, Choice):
        kinds.append("bad enum")
    if isinstance(node, Object):
        kinds.append("unknown key")
        if node.required:
            kinds.append("missing required key")
    if isinstance(node, NonEmptyList) or (isinstance(node, Object) and isinstance(site.keys[-1], int)):
        kinds.append("misplaced stream key")
    return kinds


def misplaced(site: StreamSite) -> st.SearchStrategy[Any]:
    """Write outputs wrongly with their stream keys inside: one output for the list, or an item as text."""
    if isinstance(site.node, NonEmptyList):
        return st.just(site.value[0])
    url, key = site.value["url"], site.value["streamKey"]
    return st.sampled_from([f"{url}/{key}", [url, key], (url, key)])


def stream_wrong_types(site: StreamSite) -> st.SearchStrategy[Any]:
    """Values of another JSON type than the field's; not None at the top level, where None means unset."""
    node = site.node
    if isinstance(node, (RtmpUrl, StreamKey)):
        strategy = wrong_types(Text())
    elif isinstance(node, NonEmptyList):
        strategy = wrong_types(Events())
    else:
        strategy = wrong_types(node)
    return strategy.filter(lambda value: len(site.keys) > 1 or value is not None)


def stream_out_of_range(node: StreamNode) -> st.SearchStrategy[Any]:
    if isinstance(node, NonEmptyList):
        return st.just([])
    if isinstance(node, RtmpUrl):
        return st.sampled_from(["http://a.example.com/live", "rtmp://", "a.rtmp.youtube.com/live2", ""])
    if isinstance(node, StreamKey):
        return out_of_range(Text())
    return out_of_range(node)


@st.composite
def invalid_stream_bodies(draw: st.DrawFn, contract: Object, kinds: tuple[str, ...]) -> Mutation:
    """Draw a kind of mistake (of ``kinds``) and a valid body with a field it fits, then break that field."""
    kind = draw(st.sampled_from(kinds))
    body = draw(
        stream_valid(contract).filter(
            lambda body: any(kind in stream_applicable(s) for s in stream_sites(body, contract))
        )
    )
    site = draw(st.sampled_from([s for s in stream_sites(body, contract) if kind in stream_applicable(s)]))
    node, keys, value = site.node, site.keys, site.value
    if kind == "unknown key":
        assert isinstance(node, Object)
        name = draw(
            st.text(string.ascii_letters, min_size=1, max_size=12).filter(lambda k: k not in node.fields)
        )
        return Mutation(
            kind, f"{site.path}.{name}", replaced_at(body, keys, {**value, name: draw(json_values)})
        )
    if kind == "missing required key":
        assert isinstance(node, Object)
        name = draw(st.sampled_from(node.required))
        rest = {key: item for key, item in value.items() if key != name}
        return Mutation(kind, f"{site.path}.{name}", replaced_at(body, keys, rest))
    if kind == "bad enum":
        assert isinstance(node, Choice)
        wrong = draw(
            (
                st.sampled_from([v.lower() for v in node.values] + [v.upper() for v in node.values])
                | st.text()
            ).filter(lambda text: text not in node.values)
        )
        return Mutation(kind, site.path, replaced_at(body, keys, wrong), allowed=node.values)
    if kind == "misplaced stream key":
        return Mutation(kind, site.path, replaced_at(body, keys, draw(misplaced(site))))
    strategy = stream_wrong_types(site) if kind == "wrong type" else stream_out_of_range(node)
    return Mutation(kind, site.path, replaced_at(body, keys, draw(strategy)))


StartCall = Callable[[VideoSDKHook, str, dict[str, Any]], object]

#: Each resource's contract, the kinds of mutation its fields allow, and its start call.
STREAM_STARTS: dict[str, tuple[Object, tuple[str, ...], StartCall]] = {
    "hls": (
        HLS_CONTRACT,
        STREAM_MUTATIONS[:4],
        lambda hook, room_id, body: hook.start_hls(
            room_id,
            config=body.get("config"),
            template_url=body.get("templateUrl"),
            transcription=body.get("transcription"),
            summary=body.get("summary"),
        ),
    ),
    "livestream": (
        LIVESTREAM_CONTRACT,
        STREAM_MUTATIONS,
        lambda hook, room_id, body: hook.start_livestream(
            room_id, body["outputs"], config=body.get("config"), template_url=body.get("templateUrl")
        ),
    ),
    "realtime transcription": (
        REALTIME_TRANSCRIPTION_CONTRACT,
        STREAM_MUTATIONS[:2],
        lambda hook, room_id, body: hook.start_realtime_transcription(
            room_id, webhook_url=body.get("webhookUrl")
        ),
    ),
}
START_PATHS = {
    "hls": "/v2/hls/start",
    "livestream": "/v2/livestreams/start",
    "realtime transcription": "/ai/v1/realtime-transcriptions/start",
}


@pytest.mark.parametrize("resource", list(STREAM_STARTS))
def test_generated_valid_stream_bodies_are_sent_exactly_and_accepted(
    resource: str, hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    contract, _, start = STREAM_STARTS[resource]
    fields = Counter[str]()

    @settings(max_examples=STREAM_VALID_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], **SETTINGS)
    @given(body=stream_valid(contract))
    def check(body: dict[str, Any]) -> None:
        videosdk_emulator.reset()
        room_id = hook.create_room()["roomId"]
        videosdk_emulator.start_session(room_id)

        start(hook, room_id, body)

        (request,) = videosdk_emulator.requests_to("POST", START_PATHS[resource])
        assert (request.status, request.body) == (200, {"roomId": room_id, **body})
        fields.update(["valid", *body])

    check()
    assert fields["valid"] == STREAM_VALID_EXAMPLES
    assert all(fields[key] >= STREAM_MIN_COVERAGE for key in contract.fields), fields


@pytest.mark.parametrize("resource", list(STREAM_STARTS))
def test_generated_invalid_stream_bodies_are_refused_before_any_request_naming_the_field(
    resource: str, hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    contract, mutations, start = STREAM_STARTS[resource]
    kinds = Counter[str]()

    @settings(max_examples=STREAM_INVALID_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], **SETTINGS)
    @given(mutation=invalid_stream_bodies(contract, mutations))
    def check(mutation: Mutation) -> None:
        with pytest.raises(InvalidRequestError) as caught:
            start(hook, "abcd-efgh-ijkl", mutation.body)

        (problem,) = caught.value.problems
        assert problem.startswith(f"{mutation.path}: "), (mutation.kind, problem)
        assert all(repr(value) in problem for value in mutation.allowed), problem
        secrets = [
            key
            for output in mutation.body.get("outputs") or []
            if isinstance(output, dict)
            for key in [output.get("streamKey")]
            if isinstance(key, str) and key.startswith("sk-")
        ]
        assert not any(secret in str(caught.value) for secret in secrets), problem
        assert videosdk_emulator.requests == []
        kinds[mutation.kind] += 1

    check()
    assert sum(kinds.values()) == STREAM_INVALID_EXAMPLES
    assert set(kinds) == set(mutations)
    assert min(kinds.values()) >= STREAM_MIN_COVERAGE, kinds
