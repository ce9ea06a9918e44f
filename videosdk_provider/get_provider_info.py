"""Provider metadata that Airflow discovers through the ``apache_airflow_provider`` entry point."""

from __future__ import annotations

from typing import Any

from videosdk_provider import __version__
from videosdk_provider.constants import (
    CONN_TYPE,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_BACKOFF_MAX,
    DEFAULT_RETRY_DEADLINE,
    DEFAULT_TOKEN_TTL,
    MIN_TIMEOUT,
    MIN_TOKEN_TTL,
)


def _number_field(
    label: str, description: str, *, kind: str = "number", minimum: float = 0
) -> dict[str, Any]:
    return {
        "label": label,
        "description": description,
        "schema": {"type": [kind, "null"], "minimum": minimum},
    }


def _option(description: str, kind: str, default: str) -> dict[str, Any]:
    return {
        "description": description,
        "version_added": "0.2.0",
        "type": kind,
        "example": None,
        "default": default,
    }


def get_provider_info() -> dict[str, Any]:
    """Describe the provider: its hook, operators, connection type and connection form."""
    return {
        "package-name": "airflow-provider-videosdk",
        "name": "VideoSDK",
        "description": "VideoSDK (videosdk.live) from Airflow: rooms, sessions, recordings, HLS, "
        "livestreams, transcriptions, archiving to object storage and webhooks.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "VideoSDK",
                "external-doc-url": "https://docs.videosdk.live/api-reference/realtime-communication/intro",
                "tags": ["service"],
            }
        ],
        "hooks": [
            {
                "integration-name": "VideoSDK",
                "python-modules": [
                    "videosdk_provider.hooks.videosdk",
                    "videosdk_provider.hooks.recordings",
                    "videosdk_provider.hooks.participant_recordings",
                    "videosdk_provider.hooks.post_transcriptions",
                    "videosdk_provider.hooks.hls",
                    "videosdk_provider.hooks.livestreams",
                    "videosdk_provider.hooks.realtime_transcriptions",
                ],
            }
        ],
        "operators": [
            {
                "integration-name": "VideoSDK",
                "python-modules": [
                    "videosdk_provider.operators.rooms",
                    "videosdk_provider.operators.sessions",
                    "videosdk_provider.operators.recordings",
                    "videosdk_provider.operators.hls",
                    "videosdk_provider.operators.livestreams",
                    "videosdk_provider.operators.realtime_transcriptions",
                ],
            }
        ],
        "sensors": [
            {
                "integration-name": "VideoSDK",
                "python-modules": [
                    "videosdk_provider.sensors.sessions",
                    "videosdk_provider.sensors.recordings",
                    "videosdk_provider.sensors.post_transcriptions",
                ],
            }
        ],
        "triggers": [
            {
                "integration-name": "VideoSDK",
                "python-modules": [
                    "videosdk_provider.triggers.sessions",
                    "videosdk_provider.triggers.recordings",
                    "videosdk_provider.triggers.post_transcriptions",
                    "videosdk_provider.triggers.events",
                ],
            }
        ],
        "transfers": [
            {
                "source-integration-name": "VideoSDK",
                "target-integration-name": "Common IO",
                "python-module": "videosdk_provider.transfers.videosdk_to_object_storage",
            }
        ],
        "connection-types": [
            {
                "connection-type": CONN_TYPE,
                "hook-class-name": "videosdk_provider.hooks.videosdk.VideoSDKHook",
                "hook-name": "VideoSDK",
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "extra"],
                    "relabeling": {"login": "API key", "password": "Secret", "host": "Base URL"},
                    "placeholders": {
                        "login": "API key from the VideoSDK dashboard",
                        "password": "secret from the VideoSDK dashboard",
                        "host": DEFAULT_BASE_URL,
                        "port": "only for a base URL on a non-standard port",
                    },
                },
                "conn-fields": {
                    "timeout": _number_field(
                        "Read timeout (s)",
                        f"Seconds to wait for an answer (default {DEFAULT_READ_TIMEOUT:g}).",
                        minimum=MIN_TIMEOUT,
                    ),
                    "token_ttl": _number_field(
                        "Token lifetime (s)",
                        f"Lifetime of each signed API token (default {DEFAULT_TOKEN_TTL}).",
                        kind="integer",
                        minimum=MIN_TOKEN_TTL,
                    ),
                    "max_retries": _number_field(
                        "Max retries",
                        f"Retries of a failed call where repeating is safe (default {DEFAULT_MAX_RETRIES}).",
                        kind="integer",
                    ),
                    "retry_backoff": _number_field(
                        "Retry backoff (s)",
                        f"First wait between retries (default {DEFAULT_RETRY_BACKOFF:g}).",
                    ),
                    "retry_backoff_max": _number_field(
                        "Max retry wait (s)",
                        "Longest wait between retries, also caps Retry-After "
                        f"(default {DEFAULT_RETRY_BACKOFF_MAX:g}).",
                    ),
                    "retry_deadline": _number_field(
                        "Retry deadline (s)",
                        f"No retry starts after this many seconds (default {DEFAULT_RETRY_DEADLINE:g}).",
                    ),
                    "webhook_public_key": {
                        "label": "Webhook public key (PEM)",
                        "description": "Pin VideoSDK's webhook signing key; empty fetches it from the API.",
                        "schema": {"type": ["string", "null"]},
                    },
                    "meeting_url_template": {
                        "label": "Meeting URL template",
                        "description": "Your meeting page with {room_id} where the room id goes; "
                        "tasks that create, validate or fetch a room then show a 'VideoSDK room' link.",
                        "schema": {"type": ["string", "null"]},
                    },
                },
            }
        ],
        "extra-links": [
            "videosdk_provider.links.videosdk.VideoSDKRoomLink",
            "videosdk_provider.links.hls.VideoSDKHlsPlaybackLink",
        ],
        "plugins": [
            {"name": "videosdk", "plugin-class": "videosdk_provider.plugins.videosdk.VideoSDKPlugin"}
        ],
        "config": {
            "videosdk": {
                "description": "The VideoSDK webhook receiver in the API server (``/videosdk/webhooks``).",
                "options": {
                    "webhook_conn_id": _option(
                        "Connection whose API gives (or whose extra pins) the webhook public key.",
                        "string",
                        "videosdk_default",
                    ),
                    "webhook_max_body_bytes": _option(
                        "Longest webhook body accepted; longer ones are answered 413.", "integer", "262144"
                    ),
                    "webhook_rate_limit": _option(
                        "Webhooks per second allowed per client address and API server worker.", "float", "20"
                    ),
                    "webhook_rate_burst": _option(
                        "Webhooks a client address may send at once before the rate limit applies.",
                        "integer",
                        "100",
                    ),
                },
            }
        },
    }
