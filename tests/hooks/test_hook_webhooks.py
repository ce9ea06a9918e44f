"""The webhooks endpoint of the hook: VideoSDK's public key, from the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKServerError


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
