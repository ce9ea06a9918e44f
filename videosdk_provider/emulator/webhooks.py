"""
Webhook delivery: the emulator signs each event like VideoSDK and POSTs it where it is subscribed.

A room subscribes with ``webhook: {endPoint, events}`` (names or ``*`` patterns); start calls may
add a per-call ``webhookUrl``. The :class:`WebhookDeliverer` listens on the event bus, signs the
JSON envelope ``{"webhookType", "data"}`` with the emulator's RSA key (header
``videosdk-signature``: base64 RSA-SHA256, PKCS#1 v1.5, over the exact bytes sent) and delivers on
its own thread, in publish order, retrying failures. Every delivery is logged with its attempts;
tests can send one again unchanged (a replay) or with a changed body (tampered).
"""

from __future__ import annotations

import base64
import fnmatch
import functools
import ipaddress
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from videosdk_provider.emulator.events import Event

SIGNATURE_HEADER = "videosdk-signature"
DEFAULT_RETRIES = 3
DEFAULT_RETRY_DELAY = 1.0
DEFAULT_TIMEOUT = 5.0

#: Posts without any proxy from the environment: subscribers are on loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
#: Finds the webhook subscription of a room (``{"endPoint", "events"}``) or None; lock held.
SubscriptionLookup = Callable[[str], "dict[str, Any] | None"]


class WebhookSigner:
    """
    The emulator's RSA key pair: signs bodies, publishes its public key as PEM.

    The pair is made on first use (it takes tens of milliseconds) and kept for the emulator's life,
    across resets, so a key fetched or pinned once stays valid.
    """

    def __init__(self, key_size: int = 2048) -> None:
        self.key_size = key_size
        self._lock = threading.Lock()
        self._private: rsa.RSAPrivateKey | None = None

    @property
    def _key(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._private is None:
                self._private = rsa.generate_private_key(public_exponent=65537, key_size=self.key_size)
            return self._private

    @functools.cached_property
    def public_pem(self) -> str:
        """The public key, PEM (SubjectPublicKeyInfo), as ``GET /v2/public/rsa-public-key`` serves it."""
        return (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii")
        )

    def sign(self, body: bytes) -> str:
        """Return the base64 RSA-SHA256 (PKCS#1 v1.5) signature of ``body``."""
        return base64.b64encode(self._key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def subscribed(events: Any, event_type: str) -> bool:
    """Whether a room's ``webhook.events`` (names or shell-style patterns) include ``event_type``."""
    if not isinstance(events, list):
        return False
    return any(isinstance(p, str) and fnmatch.fnmatchcase(event_type, p) for p in events)


@dataclass(frozen=True)
class Attempt:
    """One POST of a delivery: the answer's status, or the transport error."""

    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Delivery:
    """
    One webhook sent (or being sent) to one URL.

    ``kind`` is ``"event"`` for a state change, ``"replay"`` or ``"tampered"`` for test deliveries.
    """

    id: int
    kind: str
    event_type: str
    room_id: str
    url: str
    body: bytes
    signature: str
    attempts: list[Attempt] = field(default_factory=list)
    finished: bool = False
    generation: int = 0

    @property
    def delivered(self) -> bool:
        """Whether an attempt was answered 2xx."""
        return any(attempt.ok for attempt in self.attempts)

    @property
    def status(self) -> int | None:
        """The last attempt's HTTP status (None before any, or after a transport error)."""
        return self.attempts[-1].status if self.attempts else None


def is_loopback_url(url: str) -> bool:
    """
    Whether a URL points at this machine (``localhost``, 127.0.0.0/8, ``::1``).

    The emulator is a local test double: it delivers only there, never to a host on the network
    (rooms in examples subscribe ``https://hooks.example.com/...``), and resolves no names.
    """
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookDeliverer:
    """
    Deliver bus events to their subscribers, with retries, and keep the delivery log.

    :param signer: Signs every body.
    :param subscription: Finds a room's ``webhook`` subscription (called with the state lock held).
    :param retries: Attempts after the first when a POST fails (no answer, or not 2xx).
    :param retry_delay: Seconds between attempts.
    :param timeout: Seconds to wait for each answer.
    """

    def __init__(
        self,
        signer: WebhookSigner,
        subscription: SubscriptionLookup,
        *,
        retries: int = DEFAULT_RETRIES,
        retry_delay: float = DEFAULT_RETRY_DELAY,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.signer = signer
        self._subscription = subscription
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self._log: list[Delivery] = []
        self._lock = threading.Condition()
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._pending = 0
        self._generation = 0
        self._thread: threading.Thread | None = None

    # --- the bus side: called with the state lock held, must be quick ----------------------------

    def on_event(self, event: Event) -> None:
        """Queue one delivery per subscribed URL: the room's ``endPoint`` and the per-call URL."""
        urls: list[str] = []
        webhook = self._subscription(event.room_id)
        if webhook is not None and isinstance(webhook.get("endPoint"), str):
            if subscribed(webhook.get("events"), event.type):
                urls.append(webhook["endPoint"])
        if event.webhook_url and event.webhook_url not in urls:
            urls.append(event.webhook_url)
        urls = [url for url in urls if is_loopback_url(url)]
        if not urls:
            return
        body = json.dumps({"webhookType": event.type, "data": event.data}, separators=(",", ":")).encode()
        signature = self.signer.sign(body)
        for url in urls:
            self._enqueue("event", event.type, event.room_id, url, body, signature)

    # --- test deliveries ------------------------------------------------------------------------

    def replay(self, delivery: Delivery) -> Delivery:
        """Send a delivery again, byte for byte, with its signature (as a retried webhook would be)."""
        return self._enqueue(
            "replay", delivery.event_type, delivery.room_id, delivery.url, delivery.body, delivery.signature
        )

    def send_tampered(self, delivery: Delivery, body: bytes | None = None) -> Delivery:
        """Send a delivery with a changed body (``body``, or one byte flipped) and the original signature."""
        if body is None:
            body = delivery.body[:-2] + bytes([delivery.body[-2] ^ 0x01]) + delivery.body[-1:]
        return self._enqueue(
            "tampered", delivery.event_type, delivery.room_id, delivery.url, body, delivery.signature
        )

    # --- log ------------------------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        """Every delivery since the start or the last :meth:`clear`, in the order they were queued."""
        with self._lock:
            return list(self._log)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery has finished (delivered or out of retries); True if so."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
            return True

    def clear(self) -> None:
        """Forget the delivery log and give up the deliveries still queued or being retried."""
        with self._lock:
            self._log.clear()
            self._generation += 1

    # --- the delivery thread --------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="videosdk-emulator-webhooks", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the delivery thread once the deliveries already queued are done or given up."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def _enqueue(
        self, kind: str, event_type: str, room_id: str, url: str, body: bytes, signature: str
    ) -> Delivery:
        with self._lock:
            delivery = Delivery(len(self._log) + 1, kind, event_type, room_id, url, body, signature)
            delivery.generation = self._generation
            self._log.append(delivery)
            self._pending += 1
        self._queue.put(delivery)
        return delivery

    def _run(self) -> None:
        while (delivery := self._queue.get()) is not None:
            try:
                for attempt in range(self.retries + 1):
                    if delivery.generation != self._generation:
                        break  # queued before a reset: its test is over
                    if attempt:
                        time.sleep(self.retry_delay)
                    result = self._post(delivery)
                    with self._lock:
                        delivery.attempts.append(result)
                    if result.ok:
                        break
            finally:
                with self._lock:
                    delivery.finished = True
                    self._pending -= 1
                    self._lock.notify_all()

    def _post(self, delivery: Delivery) -> Attempt:
        request = urllib.request.Request(
            delivery.url,
            data=delivery.body,
            method="POST",
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: delivery.signature},
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                return Attempt(answer.status)
        except urllib.error.HTTPError as error:
            return Attempt(error.code)
        except (OSError, ValueError) as error:
            return Attempt(None, f"{type(error).__name__}: {error}")
