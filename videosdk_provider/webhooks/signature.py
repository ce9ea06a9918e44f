"""Check the ``videosdk-signature`` header of a webhook, and keep VideoSDK's public key at hand."""

from __future__ import annotations

import base64
import binascii
import math
import threading
import time
from collections.abc import Callable

#: The header VideoSDK signs every webhook delivery with.
SIGNATURE_HEADER = "videosdk-signature"
#: A key is fetched again after a failed check at most this often (seconds), so forged deliveries
#: cannot make the receiver hammer the API.
KEY_REFRESH_INTERVAL = 60.0
#: Longest accepted header: a base64 signature of a 16384-bit key is 2732 characters.
_MAX_SIGNATURE_CHARS = 4096


def verify_signature(raw_body: bytes, signature: str, public_key_pem: str | bytes) -> bool:
    """
    Whether ``signature`` is VideoSDK's signature of ``raw_body`` under ``public_key_pem``.

    The signature is base64 RSA-SHA256 (PKCS#1 v1.5) over the body bytes exactly as received:
    re-serialising the JSON would change them. Any malformed input (not base64, wrong length, a key
    that is not an RSA public key in PEM) gives ``False``, never an exception.
    """
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    if not isinstance(raw_body, bytes) or not isinstance(signature, str):
        return False
    if not signature or len(signature) > _MAX_SIGNATURE_CHARS:
        return False
    try:
        decoded = base64.b64decode(signature.strip(), validate=True)
        pem = public_key_pem.encode("ascii") if isinstance(public_key_pem, str) else public_key_pem
        key = serialization.load_pem_public_key(pem)
    except (binascii.Error, ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
        return False
    if not isinstance(key, rsa.RSAPublicKey) or len(decoded) != (key.key_size + 7) // 8:
        return False
    try:
        key.verify(decoded, raw_body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


class PublicKeyUnavailableError(RuntimeError):
    """No public key is held: the last fetch failed, and the next one is not due yet."""


class PublicKeyCache:
    """
    VideoSDK's webhook public key, fetched once per process and refreshed when a check fails.

    A pinned key is used as it is and never fetched. Otherwise ``fetch`` (the hook's
    ``get_webhook_public_key``) runs on the first check, and again after a failed check, but at most
    once every ``refresh_interval`` seconds: a rotated key is picked up within a minute, while
    forged deliveries cost at most one API call a minute. Failed fetches count too: while no key
    is held, a check raises ``fetch``'s error, then :class:`PublicKeyUnavailableError` until the
    next fetch is due, so deliveries during an API outage cost at most one API call a minute. With a
    key held, a check it fails whose refresh fails raises too (the receiver answers 503): the
    delivery may be signed by a rotated key, and VideoSDK retries a 503 where it drops a 401.

    :param fetch: Returns the PEM public key; may raise (the caller answers "try again later").
    :param pinned: A PEM key to use instead of fetching.
    :param refresh_interval: Shortest time between two fetches, in seconds.
    :param clock: Monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        fetch: Callable[[], str] | None = None,
        *,
        pinned: str | None = None,
        refresh_interval: float = KEY_REFRESH_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if fetch is None and not pinned:
            raise ValueError("PublicKeyCache needs a key to pin or a way to fetch one")
        self._fetch = fetch
        self._fetch_count = 0
        self._key = pinned or None
        self._pinned = bool(pinned)
        self._fetched_at = -math.inf  # never: the first check fetches
        self._refresh_interval = refresh_interval
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def fetches(self) -> int:
        """How many times the key was fetched (0 for a pinned key)."""
        return self._fetch_count

    def _refresh(self, *, only_if_due: bool) -> str | None:
        """
        Return the key, fetched when a fetch is due; None when ``only_if_due`` and none is due.

        A fetch is due at the first call, then ``refresh_interval`` after the last one, failed or
        not; with no key held and none due, :class:`PublicKeyUnavailableError` is raised.
        """
        if self._fetch is None:
            return None
        with self._lock:
            now = self._clock()
            due = now - self._fetched_at >= self._refresh_interval
            if not due:
                if only_if_due:
                    return None
                if self._key is not None:
                    return self._key  # another thread fetched it while this one waited for the lock
                wait = self._refresh_interval - (now - self._fetched_at)
                raise PublicKeyUnavailableError(
                    f"fetching VideoSDK's public key failed; the next try is in {wait:.0f} s"
                )
            self._fetched_at = now
            self._key = self._fetch()
            self._fetch_count += 1
            return self._key

    def verify(self, raw_body: bytes, signature: str) -> bool:
        """Check a delivery's signature, fetching or refreshing the key as described above."""
        key = self._key if self._key is not None else self._refresh(only_if_due=False)
        if key is not None and verify_signature(raw_body, signature, key):
            return True
        if self._pinned:
            return False
        fresh = self._refresh(only_if_due=True)
        return fresh is not None and fresh != key and verify_signature(raw_body, signature, fresh)
