"""VideoSDK's public key through the hook and the connection: fetched from the emulator, or pinned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webhook_kit import KeyPair, envelope

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKServerError
from videosdk_provider.webhooks.receiver import PINNED_KEY_EXTRA, keys_from_connection


def test_the_hook_fetches_the_key_the_emulator_signs_with(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator
) -> None:
    assert hook_factory().get_webhook_public_key() == videosdk_emulator.webhooks.signer.public_pem


def test_a_server_error_on_the_key_is_the_hooks_error(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(500, times=5, path="/v2/public/rsa-public-key")
    with pytest.raises(VideoSDKServerError):
        hook_factory(max_retries=1).get_webhook_public_key()


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
