"""The receiver's key cache from a connection: VideoSDK's key fetched through the hook, or pinned."""

from __future__ import annotations

from collections.abc import Callable

from webhook_kit import KeyPair, envelope

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.webhooks.receiver import PINNED_KEY_EXTRA, keys_from_connection


def test_the_connection_key_cache_fetches_once_and_checks_emulator_deliveries(
    videosdk_connection: str, videosdk_emulator: VideoSDKEmulator
) -> None:
    cache = keys_from_connection(videosdk_connection)
    signer = videosdk_emulator.webhooks.signer
    for _ in range(3):
        body = envelope("session-ended")
        assert cache.verify(body, signer.sign(body)) is True
    assert cache.fetches == 1
    assert len(videosdk_emulator.requests_to("GET", "/v2/public/rsa-public-key")) == 1


def test_a_key_pinned_in_the_connection_is_used_without_any_request(
    set_connection: Callable[..., str], videosdk_keys: KeyPair, refusing_url: str
) -> None:
    conn_id = set_connection(
        "videosdk_pinned",
        login="key",
        password="secret",
        host=refusing_url,
        extra={PINNED_KEY_EXTRA: videosdk_keys.public_pem},
    )
    cache = keys_from_connection(conn_id)
    body = envelope("session-ended")
    assert cache.verify(body, videosdk_keys.sign(body)) is True
    assert cache.fetches == 0
