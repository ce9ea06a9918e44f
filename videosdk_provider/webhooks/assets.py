"""
The Airflow assets VideoSDK events update, and how a DAG reads an event from them.

Each event type has one asset: URI ``videosdk://events/<event-type>``, name
``videosdk/<event-type>``, group ``videosdk``. The webhook receiver records an asset event on it
with the event's ``data`` as ``extra``; a polling watcher (:mod:`videosdk_provider.triggers.events`)
attached to the same asset produces the same data, wrapped by Airflow as
``{"from_trigger": True, "payload": data}``. :func:`videosdk_event_data` reads either.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

from airflow.sdk import Asset, AssetWatcher

from videosdk_provider.bodies.pieces import KNOWN_WEBHOOK_EVENTS
from videosdk_provider.webhooks.events import WebhookEventData

ASSET_URI_PREFIX = "videosdk://events/"
ASSET_NAME_PREFIX = "videosdk/"
ASSET_GROUP = "videosdk"


class _AssetEventLike(Protocol):
    @property
    def extra(self) -> Mapping[str, Any] | None: ...


def check_event_type(event_type: str) -> None:
    """Refuse a name that is not a known VideoSDK room event, naming the closest one."""
    if event_type in KNOWN_WEBHOOK_EVENTS:
        return
    near = difflib.get_close_matches(str(event_type), KNOWN_WEBHOOK_EVENTS, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise ValueError(
        f"event_type: {event_type!r} is not a VideoSDK room event{hint} (known names: "
        "videosdk_provider.bodies.pieces.KNOWN_WEBHOOK_EVENTS)"
    )


def event_asset_uri(event_type: str) -> str:
    """Return the URI of an event type's asset, ``videosdk://events/<event-type>``."""
    return f"{ASSET_URI_PREFIX}{event_type}"


def event_asset_name(event_type: str) -> str:
    """Return the name of an event type's asset, ``videosdk/<event-type>``."""
    return f"{ASSET_NAME_PREFIX}{event_type}"


def videosdk_event_asset(event_type: str, *, watchers: Sequence[AssetWatcher] = ()) -> Asset:
    """
    Return the asset that a VideoSDK event type updates: schedule a DAG on it.

    ``schedule=[videosdk_event_asset("recording-stopped")]`` runs the DAG once per
    ``recording-stopped`` webhook the receiver records. Without a public API server, pass
    ``watchers=[videosdk_event_watcher(...)]`` to poll instead; the DAG does not change otherwise.

    :param event_type: A VideoSDK room event, such as ``"session-ended"``.
    :param watchers: Asset watchers that update the asset besides the webhook receiver.
    """
    check_event_type(event_type)
    return Asset(
        name=event_asset_name(event_type),
        uri=event_asset_uri(event_type),
        group=ASSET_GROUP,
        watchers=list(watchers),
    )


def videosdk_event_data(asset_event: _AssetEventLike) -> WebhookEventData:
    """
    Return the event's ``data`` from an asset event of :func:`videosdk_event_asset`, however recorded.

    Works for events from the webhook receiver (``extra`` is the data) and from a polling watcher
    (``extra`` is ``{"from_trigger": True, "payload": data}``); read it from
    ``triggering_asset_events``.
    """
    extra = dict(asset_event.extra or {})
    if extra.get("from_trigger") and isinstance(extra.get("payload"), dict):
        return cast("WebhookEventData", dict(extra["payload"]))
    return cast("WebhookEventData", extra)
