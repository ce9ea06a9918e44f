"""Helpers of the webhook tests: a key pair that signs like VideoSDK, bodies, and asset event counts."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from videosdk_provider.webhooks import SIGNATURE_HEADER


@dataclass(frozen=True)
class KeyPair:
    """An RSA key pair that signs bodies the way VideoSDK does."""

    private_key: rsa.RSAPrivateKey

    @property
    def public_pem(self) -> str:
        return (
            self.private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def sign(self, body: bytes) -> str:
        signature = self.private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()


def new_key_pair() -> KeyPair:
    return KeyPair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def envelope(event_type: str = "recording-stopped", **data: Any) -> bytes:
    """Return a webhook body as VideoSDK sends it."""
    data = {"meetingId": "room-1", "sessionId": "session-1", **data}
    return json.dumps({"webhookType": event_type, "data": data}).encode()


@dataclass
class Receiver:
    """The receiver app in process, on the test session's Airflow database."""

    client: Any
    keys: KeyPair

    def deliver(
        self, body: bytes, *, signature: str | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        sent = {SIGNATURE_HEADER: self.keys.sign(body) if signature is None else signature}
        return self.client.post("/webhooks", content=body, headers={**sent, **(headers or {})})


def asset_event_count(event_type: str) -> int:
    """How many asset events the asset of ``event_type`` has in the metadata database."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    from videosdk_provider.webhooks import event_asset_uri

    with create_session() as session:
        return (
            session.scalar(
                select(func.count(AssetEvent.id))
                .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
                .where(AssetModel.uri == event_asset_uri(event_type))
            )
            or 0
        )


def asset_event_extras(event_type: str) -> list[dict[str, Any]]:
    """Return the ``extra`` of every asset event of ``event_type``'s asset, oldest first."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from videosdk_provider.webhooks import event_asset_uri

    with create_session() as session:
        rows = session.scalars(
            select(AssetEvent)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetModel.uri == event_asset_uri(event_type))
            .order_by(AssetEvent.id)
        )
        return [dict(row.extra) for row in rows]
