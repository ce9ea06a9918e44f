"""Webhooks: ``GET /v2/public/rsa-public-key`` and the delivery of every event to its subscribers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from videosdk_provider.emulator.api import ApiRequest, ApiResponse, Route
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources
from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.webhooks import WebhookDeliverer, WebhookSigner


class Webhooks(Resource):
    """
    The emulator's webhook key pair, its public key endpoint, and the deliverer on the event bus.

    Subscriptions are read from each room's ``webhook`` when an event happens, so a room created
    with ``webhook: {endPoint, events}`` receives the matching events from then on.
    """

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self._rooms = resources.get(Rooms)
        self.signer = WebhookSigner()
        self.deliverer = WebhookDeliverer(self.signer, self._subscription)
        core.events.subscribe(self.deliverer.on_event)

    def routes(self) -> Iterable[Route]:
        return (Route("GET", "/v2/public/rsa-public-key", self.handle_public_key),)

    def reset(self) -> None:
        self.deliverer.clear()

    def _subscription(self, room_id: str) -> dict[str, Any] | None:
        try:
            webhook = self._rooms.resolve(room_id, custom=False).config.get("webhook")
        except NotFoundError:
            return None
        return webhook if isinstance(webhook, dict) else None

    def handle_public_key(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, {"publicKey": self.signer.public_pem})
