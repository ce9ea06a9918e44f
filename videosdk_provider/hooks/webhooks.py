"""Webhooks endpoint of the hook: the public key VideoSDK signs webhook deliveries with."""

from __future__ import annotations

from videosdk_provider.exceptions import VideoSDKError
from videosdk_provider.hooks.core import VideoSDKBaseHook

PUBLIC_KEY_PATH = "/v2/public/rsa-public-key"


class WebhooksHookMixin(VideoSDKBaseHook):
    """The webhooks resource: ``GET /v2/public/rsa-public-key``."""

    def get_webhook_public_key(self) -> str:
        """Return the PEM public key VideoSDK signs webhooks with (``{"publicKey": ...}``)."""
        answer = self.request("GET", PUBLIC_KEY_PATH)
        key = answer.get("publicKey") if isinstance(answer, dict) else None
        if not isinstance(key, str) or "PUBLIC KEY" not in key:
            raise VideoSDKError("unexpected answer: no PEM publicKey", method="GET", path=PUBLIC_KEY_PATH)
        return key
