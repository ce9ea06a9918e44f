"""
Generated bad deliveries: every one is refused (401, 413) or ignored (400), none is recorded, none is a 500.

Seven kinds, 50 generated deliveries each (seeded, so every run sends the same 350), against the
receiver in process with every known event type's asset declared: a delivery that slipped through
would show as an asset event.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from webhook_kit import KeyPair, Receiver, envelope

from videosdk_provider.bodies.pieces import KNOWN_WEBHOOK_EVENTS
from videosdk_provider.webhooks.receiver import ReceiverSettings

PER_KIND = 50
BODY_LIMIT = 16 * 1024
Delivery = tuple[bytes, str]


def _valid_body(rng: random.Random) -> bytes:
    return envelope(
        rng.choice(KNOWN_WEBHOOK_EVENTS),
        meetingId="".join(rng.choices(string.ascii_lowercase, k=12)),
        note="".join(rng.choices(string.printable, k=rng.randrange(0, 200))),
    )


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return rng.randrange(-(10**12), 10**12)
    if kind == 1:
        return rng.random() * 10 ** rng.randrange(-5, 300)
    if kind == 2:
        return None
    if kind == 3:
        return rng.choice([True, False])
    if kind == 4:
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(0, 40)))
    if kind == 5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {str(rng.randrange(100)): _random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}


def random_bytes(rng: random.Random, keys: KeyPair) -> Delivery:
    body = rng.randbytes(rng.randrange(0, 4096))
    return body, base64.b64encode(rng.randbytes(256)).decode()


def truncated_json(rng: random.Random, keys: KeyPair) -> Delivery:
    full = _valid_body(rng)
    body = full[: rng.randrange(0, len(full))]
    return body, keys.sign(body)  # correctly signed, but not JSON


def wrong_types(rng: random.Random, keys: KeyPair) -> Delivery:
    event_type = rng.choice(KNOWN_WEBHOOK_EVENTS)
    value = _random_value(rng)
    while isinstance(value, dict) or value is None:
        value = _random_value(rng)
    shapes: list[Any] = [
        {"webhookType": value, "data": {}},
        {"type": value},
        {"webhookType": event_type, "data": value},
        {"webhookType": event_type.upper().replace("-", " ")},
        value,
    ]
    body = json.dumps(rng.choice(shapes)).encode()
    return body, keys.sign(body)


def huge_strings(rng: random.Random, keys: KeyPair) -> Delivery:
    body = envelope(rng.choice(KNOWN_WEBHOOK_EVENTS), blob="x" * rng.randrange(BODY_LIMIT, 4 * BODY_LIMIT))
    return body, keys.sign(body)


def deep_nesting(rng: random.Random, keys: KeyPair) -> Delivery:
    depth = rng.randrange(40, 2000)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    nested = opener * depth + "1" + closer * depth
    body = f'{{"webhookType": "{rng.choice(KNOWN_WEBHOOK_EVENTS)}", "data": {{"n": {nested}}}}}'.encode()
    return body, keys.sign(body)


def signature_over_other_bytes(rng: random.Random, keys: KeyPair) -> Delivery:
    body, other = _valid_body(rng), _valid_body(rng)
    return body, keys.sign(other)


def signature_of_wrong_length(rng: random.Random, keys: KeyPair) -> Delivery:
    body = _valid_body(rng)
    signature = base64.b64decode(keys.sign(body))
    cut = rng.choice([signature[: rng.randrange(0, 256)], signature + rng.randbytes(rng.randrange(1, 64))])
    return body, base64.b64encode(cut).decode()


KINDS: dict[str, tuple[Callable[[random.Random, KeyPair], Delivery], set[int]]] = {
    "random-bytes": (random_bytes, {401}),
    "truncated-json": (truncated_json, {400}),
    "wrong-types": (wrong_types, {400}),
    "huge-strings": (huge_strings, {413}),
    "deep-nesting": (deep_nesting, {400}),
    "signature-over-other-bytes": (signature_over_other_bytes, {401}),
    "signature-of-wrong-length": (signature_of_wrong_length, {401}),
}


@pytest.fixture
def receiver_settings() -> ReceiverSettings:
    return ReceiverSettings(max_body_bytes=BODY_LIMIT, rate_per_second=10_000, burst=10_000)


@pytest.fixture
def every_event_watched(watch: Callable[[str], None]) -> None:
    for event_type in KNOWN_WEBHOOK_EVENTS:
        watch(event_type)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_bad_deliveries_are_all_refused_and_none_recorded(
    kind: str, receiver: Receiver, every_event_watched: None
) -> None:
    from webhook_kit import asset_event_count

    generate, expected = KINDS[kind]
    rng = random.Random(f"videosdk-webhooks-{kind}")
    statuses = Counter(
        receiver.deliver(body, signature=signature).status_code
        for body, signature in (generate(rng, receiver.keys) for _ in range(PER_KIND))
    )
    assert sum(statuses.values()) == PER_KIND
    assert set(statuses) <= expected, statuses
    assert sum(asset_event_count(event_type) for event_type in KNOWN_WEBHOOK_EVENTS) == 0
