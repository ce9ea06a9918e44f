"""
The webhook receiver: a small FastAPI app that Airflow's API server mounts under ``/videosdk``.

``POST /videosdk/webhooks`` takes a VideoSDK delivery and, in this order: limits the rate per
client address (429), refuses a body over the size limit (413), checks the
``videosdk-signature`` over the raw bytes (401, no detail, nothing recorded), parses the envelope
(400), and records an asset event (200 once stored; 200 ``duplicate`` for a body seen before; 202
``unwatched`` when no DAG declares the event's asset; 503 when it could not be stored, so that
VideoSDK delivers again). There is no way to turn the signature check off.

Airflow does not authenticate plugin apps: this endpoint is public by design, and nothing it
does before the signature check costs more than a token bucket and a bounded read.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from videosdk_provider.webhooks.events import WebhookEvent, WebhookPayloadError, parse_event
from videosdk_provider.webhooks.ratelimit import ClientRateLimiter
from videosdk_provider.webhooks.signature import SIGNATURE_HEADER, PublicKeyCache
from videosdk_provider.webhooks.store import AssetEventStore, Outcome

log = logging.getLogger(__name__)

#: The Airflow configuration section of the receiver's settings.
CONFIG_SECTION = "videosdk"
#: Connection extra holding a pinned PEM public key (else the key is fetched from the API).
PINNED_KEY_EXTRA = "webhook_public_key"


@dataclass(frozen=True)
class ReceiverSettings:
    """
    The receiver's limits and where its key comes from (``[videosdk]`` in Airflow's configuration).

    :param conn_id: The ``videosdk`` connection whose API (or pinned key) gives the public key.
    :param max_body_bytes: Longest body accepted; longer ones are answered 413 unread.
    :param rate_per_second: Requests per second allowed per client address and API server worker.
    :param burst: Requests a client may send at once before the rate applies.
    """

    conn_id: str = "videosdk_default"
    max_body_bytes: int = 256 * 1024
    rate_per_second: float = 20.0
    burst: int = 100

    @classmethod
    def from_config(cls) -> ReceiverSettings:
        """Read the ``webhook_*`` options of ``[videosdk]``; a missing one keeps its default."""
        from videosdk_provider._compat import conf

        default = cls()
        return cls(
            conn_id=conf.get(CONFIG_SECTION, "webhook_conn_id", fallback=default.conn_id),
            max_body_bytes=conf.getint(
                CONFIG_SECTION, "webhook_max_body_bytes", fallback=default.max_body_bytes
            ),
            rate_per_second=conf.getfloat(
                CONFIG_SECTION, "webhook_rate_limit", fallback=default.rate_per_second
            ),
            burst=conf.getint(CONFIG_SECTION, "webhook_rate_burst", fallback=default.burst),
        )


class EventStore(Protocol):
    """Where verified events go (:class:`~videosdk_provider.webhooks.store.AssetEventStore`)."""

    def record(self, event: WebhookEvent, body_sha256: str) -> Outcome: ...


def keys_from_connection(conn_id: str) -> PublicKeyCache:
    """Build the key cache of a connection: its pinned ``webhook_public_key`` extra, else the API's key."""
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    hook = VideoSDKHook(conn_id)
    pinned = hook.get_connection(conn_id).extra_dejson.get(PINNED_KEY_EXTRA)
    if pinned:
        return PublicKeyCache(pinned=str(pinned))
    return PublicKeyCache(hook.get_webhook_public_key)


class _Lazy:
    """Build a value on first use, retrying after a failure (say, a connection defined later)."""

    def __init__(self, build: Callable[[], PublicKeyCache]) -> None:
        self._build = build
        self._value: PublicKeyCache | None = None
        self._lock = threading.Lock()

    def __call__(self) -> PublicKeyCache:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value


def _plain(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """Return the raw body, or None once it is longer than ``limit`` (the rest is not read)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def create_receiver_app(
    *,
    keys: Callable[[], PublicKeyCache],
    store: EventStore,
    settings: ReceiverSettings,
) -> FastAPI:
    """
    Build the receiver app.

    :param keys: Returns the public key cache (called per request; may build it on first use).
    :param store: Records verified events.
    :param settings: Limits (body size, rate).
    """
    app = FastAPI(
        title="VideoSDK webhook receiver",
        description="Receives signed VideoSDK webhooks and records them as Airflow asset events.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    limiter = ClientRateLimiter(settings.rate_per_second, settings.burst)

    @app.post("/webhooks")
    async def receive_webhook(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        wait = limiter.allow(client)
        if wait:
            log.warning("VideoSDK webhook: rate limit reached for %s", client)
            return _plain(429, {"Retry-After": str(math.ceil(wait))})
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > settings.max_body_bytes):
            return _plain(413 if declared.isdigit() else 400)
        body = await _read_body(request, settings.max_body_bytes)
        if body is None:
            return _plain(413)
        signature = request.headers.get(SIGNATURE_HEADER, "")
        try:
            verified = await run_in_threadpool(keys().verify, body, signature)
        except Exception as error:
            log.error("VideoSDK webhook: no public key to check signatures with: %s", error)
            return _plain(503, {"Retry-After": "60"})
        if not verified:
            log.warning("VideoSDK webhook: refused a delivery from %s: bad or missing signature", client)
            return _plain(401)
        try:
            event = parse_event(body)
        except WebhookPayloadError as error:
            log.warning("VideoSDK webhook: refused a signed delivery from %s: %s", client, error)
            return JSONResponse({"detail": str(error)}, status_code=400)
        digest = hashlib.sha256(body).hexdigest()
        try:
            outcome = await run_in_threadpool(store.record, event, digest)
        except Exception as error:
            # The error text may quote the event's data: the type only, the details at debug level.
            log.error("VideoSDK webhook: could not record %s: %s", event.event_type, type(error).__name__)
            log.debug("VideoSDK webhook: recording failed", exc_info=True)
            return _plain(503)
        if outcome is Outcome.UNWATCHED:
            log.info("VideoSDK webhook: %s accepted; no DAG declares its asset", event.event_type)
            return JSONResponse({"status": outcome.value}, status_code=202)
        log.info(
            "VideoSDK webhook: %s %s (room %s, session %s)",
            event.event_type,
            outcome.value,
            event.room_id,
            event.session_id,
        )
        return JSONResponse({"status": outcome.value})

    return app


def create_app_from_config() -> FastAPI:
    """Build the receiver as the API server runs it: settings from ``[videosdk]``, asset events."""
    settings = ReceiverSettings.from_config()
    return create_receiver_app(
        keys=_Lazy(lambda: keys_from_connection(settings.conn_id)),
        store=AssetEventStore(),
        settings=settings,
    )
