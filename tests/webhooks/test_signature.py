"""``verify_signature`` and the public key cache: real RSA keys, real signatures."""

from __future__ import annotations

import base64

import pytest
from webhook_kit import KeyPair, envelope

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKServerError
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.webhooks import PublicKeyCache, verify_signature
from videosdk_provider.webhooks.signature import PublicKeyUnavailableError

BODY = envelope("session-ended", end="2026-01-01T10:00:00.000Z")
PUBLIC_KEY_PATH = "/v2/public/rsa-public-key"


def test_a_signature_over_the_raw_body_verifies(videosdk_keys: KeyPair) -> None:
    assert verify_signature(BODY, videosdk_keys.sign(BODY), videosdk_keys.public_pem) is True


def test_the_key_may_be_given_as_bytes(videosdk_keys: KeyPair) -> None:
    assert verify_signature(BODY, videosdk_keys.sign(BODY), videosdk_keys.public_pem.encode()) is True


def test_a_re_serialised_body_does_not_verify(videosdk_keys: KeyPair) -> None:
    reformatted = BODY.replace(b'", "', b'","')
    assert reformatted != BODY
    assert verify_signature(reformatted, videosdk_keys.sign(BODY), videosdk_keys.public_pem) is False


def test_a_signature_by_another_key_does_not_verify(videosdk_keys: KeyPair, other_keys: KeyPair) -> None:
    assert verify_signature(BODY, other_keys.sign(BODY), videosdk_keys.public_pem) is False


def test_a_signature_over_other_bytes_does_not_verify(videosdk_keys: KeyPair) -> None:
    assert verify_signature(BODY, videosdk_keys.sign(BODY + b" "), videosdk_keys.public_pem) is False


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "not base64 at all!",
        base64.b64encode(b"\x00" * 255).decode(),  # one byte short of a 2048-bit signature
        base64.b64encode(b"\x00" * 257).decode(),  # one byte too long
        base64.b64encode(b"\xff" * 256).decode(),  # the right length, larger than the modulus
        "A" * 100_000,
        "\u00e9t\u00e9",
    ],
    ids=["empty", "not-base64", "short", "long", "above-modulus", "huge", "non-ascii"],
)
def test_a_malformed_signature_is_false_not_an_error(videosdk_keys: KeyPair, signature: str) -> None:
    assert verify_signature(BODY, signature, videosdk_keys.public_pem) is False


@pytest.mark.parametrize(
    "key",
    ["", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n", "\u00e9", b"\x00\xff"],
    ids=["empty", "bad-pem", "non-ascii", "binary"],
)
def test_a_malformed_key_is_false_not_an_error(videosdk_keys: KeyPair, key: str | bytes) -> None:
    assert verify_signature(BODY, videosdk_keys.sign(BODY), key) is False


def test_a_non_rsa_key_is_false(videosdk_keys: KeyPair) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert verify_signature(BODY, videosdk_keys.sign(BODY), ec_pem) is False


def test_wrong_argument_types_are_false(videosdk_keys: KeyPair) -> None:
    signature = videosdk_keys.sign(BODY)
    assert verify_signature(BODY.decode(), signature, videosdk_keys.public_pem) is False  # type: ignore[arg-type]
    assert verify_signature(BODY, signature.encode(), videosdk_keys.public_pem) is False  # type: ignore[arg-type]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class KeyServer:
    """Serves a public key through a callable, counting fetches, as the hook method does."""

    def __init__(self, keys: KeyPair) -> None:
        self.keys = keys
        self.fetches = 0

    def fetch(self) -> str:
        self.fetches += 1
        return self.keys.public_pem


def test_the_key_is_fetched_once_for_many_deliveries(videosdk_keys: KeyPair) -> None:
    server = KeyServer(videosdk_keys)
    cache = PublicKeyCache(server.fetch)
    for _ in range(5):
        assert cache.verify(BODY, videosdk_keys.sign(BODY)) is True
    assert server.fetches == 1


def test_a_rotated_key_is_fetched_again_after_a_failed_check(
    videosdk_keys: KeyPair, other_keys: KeyPair
) -> None:
    server, clock = KeyServer(videosdk_keys), FakeClock()
    cache = PublicKeyCache(server.fetch, clock=clock)
    assert cache.verify(BODY, videosdk_keys.sign(BODY)) is True
    server.keys = other_keys  # VideoSDK rotates its key
    clock.now += 61
    assert cache.verify(BODY, other_keys.sign(BODY)) is True
    assert server.fetches == 2


def test_failed_checks_fetch_at_most_once_a_minute(videosdk_keys: KeyPair, other_keys: KeyPair) -> None:
    server, clock = KeyServer(videosdk_keys), FakeClock()
    cache = PublicKeyCache(server.fetch, clock=clock)
    forged = other_keys.sign(BODY)
    for _ in range(20):
        assert cache.verify(BODY, forged) is False
        clock.now += 1
    assert server.fetches == 1
    clock.now += 60
    assert cache.verify(BODY, forged) is False
    assert server.fetches == 2


def test_a_pinned_key_is_never_fetched(videosdk_keys: KeyPair, other_keys: KeyPair) -> None:
    cache = PublicKeyCache(pinned=videosdk_keys.public_pem)
    assert cache.verify(BODY, videosdk_keys.sign(BODY)) is True
    assert cache.verify(BODY, other_keys.sign(BODY)) is False
    assert cache.fetches == 0


def test_a_cache_needs_a_key_or_a_way_to_fetch_one() -> None:
    with pytest.raises(ValueError, match="key to pin or a way to fetch"):
        PublicKeyCache()


def test_a_failed_fetch_propagates_so_the_receiver_can_answer_try_later(videosdk_keys: KeyPair) -> None:
    def unreachable() -> str:
        raise ConnectionError("API down")

    with pytest.raises(ConnectionError):
        PublicKeyCache(unreachable).verify(BODY, videosdk_keys.sign(BODY))


def test_checks_during_a_key_outage_fetch_at_most_once_a_minute(
    no_retries_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    conn_id = no_retries_connection
    videosdk_emulator.fail_next(503, times=2, path=PUBLIC_KEY_PATH)
    clock = FakeClock()
    cache = PublicKeyCache(VideoSDKHook(conn_id).get_webhook_public_key, clock=clock)
    signature = videosdk_emulator.webhooks.signer.sign(BODY)

    def key_requests() -> int:
        return len(videosdk_emulator.requests_to("GET", PUBLIC_KEY_PATH))

    with pytest.raises(VideoSDKServerError):
        cache.verify(BODY, signature)
    for _ in range(30):  # forged or genuine, every delivery in the next minute fails without a fetch
        clock.now += 1
        with pytest.raises(PublicKeyUnavailableError, match="the next try is in"):
            cache.verify(BODY, signature)
    assert key_requests() == 1
    clock.now += 30
    with pytest.raises(VideoSDKServerError):
        cache.verify(BODY, signature)
    assert key_requests() == 2
    clock.now += 60  # the API is back
    assert cache.verify(BODY, signature) is True
    assert key_requests() == 3
