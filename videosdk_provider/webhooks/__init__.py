"""
VideoSDK webhooks: signature checks, envelope parsing, and the Airflow assets events update.

Importing this package is cheap (no ``cryptography``, no FastAPI): DAG files use
:func:`videosdk_event_asset` and :func:`videosdk_event_data`. The receiver itself lives in
:mod:`videosdk_provider.webhooks.receiver` and is built only inside Airflow's API server.
"""

from __future__ import annotations

from videosdk_provider.webhooks.assets import (
    event_asset_name,
    event_asset_uri,
    videosdk_event_asset,
    videosdk_event_data,
)
from videosdk_provider.webhooks.events import (
    WebhookEvent,
    WebhookEventData,
    WebhookPayloadError,
    parse_event,
)
from videosdk_provider.webhooks.signature import SIGNATURE_HEADER, PublicKeyCache, verify_signature

__all__ = [
    "SIGNATURE_HEADER",
    "PublicKeyCache",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookPayloadError",
    "event_asset_name",
    "event_asset_uri",
    "parse_event",
    "verify_signature",
    "videosdk_event_asset",
    "videosdk_event_data",
]
