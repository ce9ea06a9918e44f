"""
Download a session's files (recordings, transcripts) from their storage URLs: streamed, resumed, checked.

A file URL is a storage URL, not the API: no token is ever sent to it, and its query string (often
a pre-signing signature) never appears in logs or errors. The body is read in fixed-size chunks,
so memory stays flat whatever the size; a cut connection is resumed with ``Range`` where the server
allows it, else restarted with the bytes already written checked against the new body; the byte
count is checked against ``Content-Length``, and a SHA-256 is computed on the way.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from videosdk_provider.constants import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_BACKOFF_MAX,
)
from videosdk_provider.exceptions import VideoSDKFileNotFoundError, VideoSDKTransferError
from videosdk_provider.hooks.core import parse_retry_after
from videosdk_provider.utils.urls import public_url

if TYPE_CHECKING:
    from videosdk_provider.hooks.core import VideoSDKBaseHook

DEFAULT_CHUNK_SIZE = 1 << 20
DEFAULT_PROGRESS_INTERVAL = 10.0
#: Chunks waiting to be hashed, at most: the memory the hashing thread may hold back.
HASH_QUEUE_CHUNKS = 8
_RETRYABLE_STATUSES = frozenset({408, 429})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_MB = 1e6


class _Interrupted(Exception):
    """One attempt ended early in a way a retry may fix: a cut connection, a timeout, a 5xx or 429."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


_TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class Downloaded:
    """A finished download: bytes written, their SHA-256, seconds taken and how many times it resumed."""

    size: int
    sha256: str
    seconds: float
    resumes: int


class _Hasher:
    """
    SHA-256 on its own thread, so that hashing overlaps the network and the disk.

    ``hashlib`` releases the GIL while it hashes a large buffer; on a single thread the hash would
    be added to the copy time. At most :data:`HASH_QUEUE_CHUNKS` chunks wait in the queue.
    """

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(HASH_QUEUE_CHUNKS)
        self._thread = threading.Thread(target=self._run, name="videosdk-download-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                self._queue.task_done()
                return
            self._digest.update(chunk)
            self._queue.task_done()

    def update(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def digest(self) -> bytes:
        """Return the digest of every chunk given so far (waiting for the queue to drain)."""
        self._queue.join()
        return self._digest.copy().digest()

    def close(self) -> str:
        """Stop the thread; return the hex digest of everything given."""
        self._queue.put(None)
        self._thread.join()
        return self._digest.hexdigest()


class _Progress:
    """Log a long download's progress every ``interval`` seconds: bytes, percent and MB/s."""

    def __init__(self, log: logging.Logger, label: str, total: int | None, interval: float) -> None:
        self.log, self.label, self.total, self.interval = log, label, total, interval
        self.started = self.last = time.monotonic()

    def update(self, received: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        rate = received / (now - self.started) / _MB
        if self.total:
            self.log.info(
                "%s: %s of %s bytes (%.0f%%) at %.1f MB/s",
                self.label,
                f"{received:,}",
                f"{self.total:,}",
                100 * received / self.total,
                rate,
            )
        else:
            self.log.info("%s: %s bytes at %.1f MB/s", self.label, f"{received:,}", rate)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


class RemoteFile:
    """
    One file being downloaded; built by :meth:`FileDownloader.open`, which has sent the first ``GET``.

    :attr:`size` is the ``Content-Length`` (None if the server sent none). Call :meth:`copy_to` to
    stream the body, or just close it (it is a context manager) to skip the file.
    """

    def __init__(self, downloader: FileDownloader, url: str, label: str) -> None:
        self._downloader = downloader
        self._url = url
        self.url = public_url(url)
        self.label = label
        self._failures = 0
        self._validator: str | None = None
        self.size: int | None = None
        #: Bytes given to ``write`` so far.
        self.received = 0
        self._response = self._get(0)
        self.size = self._length_of(self._response)
        etag = self._response.headers.get("ETag")
        self._validator = etag if etag and not etag.startswith("W/") else None
        self._validator = self._validator or self._response.headers.get("Last-Modified")

    def __enter__(self) -> RemoteFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection (without reading the rest of the body)."""
        self._response.close()

    def _error(self, message: str, status: int | None = None) -> VideoSDKTransferError:
        return VideoSDKTransferError(message, label=self.label, url=self.url, status=status)

    def _get(self, start: int) -> requests.Response:
        """Send ``GET`` (from byte ``start``), retrying what a retry may fix; raise the rest."""
        while True:
            try:
                return self._checked(self._downloader._get(self._url, start, self._validator), start)
            except _TRANSPORT_ERRORS as error:
                self._failed(_Interrupted(f"connection failed ({type(error).__name__})"), start)
            except _Interrupted as interruption:
                self._failed(interruption, start)
            except requests.RequestException as error:  # its text holds the URL, query included
                raise self._error(f"the request failed ({type(error).__name__})") from None

    def _checked(self, response: requests.Response, start: int) -> requests.Response:
        status = response.status_code
        if status in (200, 206):
            if status == 206:
                found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
                if found is None or int(found.group(1)) != start:
                    response.close()
                    raise self._error(f"asked for bytes from {start}, the server sent another range")
            return response
        response.close()
        if status in _RETRYABLE_STATUSES or status >= 500:
            raise _Interrupted(
                f"HTTP {status}", retry_after=parse_retry_after(response.headers.get("Retry-After"))
            )
        if status in (404, 410):
            raise VideoSDKFileNotFoundError(
                f"not found at its storage URL (HTTP {status}): it was deleted, or its URL expired, "
                "after the session's files were listed",
                label=self.label,
                url=self.url,
                status=status,
            )
        if status in (401, 403):
            raise self._error(f"access denied (HTTP {status}): the storage URL may have expired", status)
        raise self._error(f"unexpected answer HTTP {status}", status)

    def _length_of(self, response: requests.Response) -> int | None:
        """Return the whole file's size: ``Content-Range``'s total for 206, else ``Content-Length``."""
        if response.status_code == 206:
            total = response.headers["Content-Range"].rsplit("/", 1)[1]
            return None if total == "*" else int(total)
        length = response.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else None

    def _failed(self, interruption: _Interrupted, received: int) -> None:
        """Count a failed attempt: raise once the retries are spent, else log and wait before the next."""
        self._failures += 1
        settings = self._downloader
        of = f" of {self.size:,}" if self.size is not None else ""
        if self._failures > settings.max_retries:  # the transport error's text holds the URL's query
            raise self._error(
                f"download failed after {self._failures} attempts, at byte {received:,}{of}: "
                f"{interruption.reason}"
            ) from None
        ceiling = min(settings.retry_backoff * 2.0 ** (self._failures - 1), settings.retry_backoff_max)
        wait = ceiling / 2 + random.uniform(0, ceiling / 2)
        if interruption.retry_after is not None:
            wait = min(interruption.retry_after, settings.retry_backoff_max)
        settings.log.warning(
            "%s: download interrupted at byte %s%s (%s); retry %d of %d in %.2f s",
            self.label,
            f"{received:,}",
            of,
            interruption.reason,
            self._failures,
            settings.max_retries,
            wait,
        )
        time.sleep(wait)

    def copy_to(self, write: Callable[[bytes], Any]) -> Downloaded:
        """
        Stream the whole file into ``write``, resuming after cuts; return its size and SHA-256.

        ``write`` receives every byte exactly once, in order, even when a download restarts from
        the beginning (the bytes already written are then checked against the new body, not
        written again). :raises VideoSDKTransferError: retries spent, size or content mismatch.
        """
        hasher = _Hasher()
        resumes = 0
        progress = _Progress(self._downloader.log, self.label, self.size, self._downloader.progress_interval)
        response = self._response
        try:
            while True:
                try:
                    self._read(response, hasher, write, progress)
                    if self.size is not None and self.received != self.size:
                        raise _Interrupted(f"the body ended after {self.received:,} bytes")
                    break
                except _TRANSPORT_ERRORS as error:
                    interruption = _Interrupted(f"connection cut ({type(error).__name__})")
                except _Interrupted as error:
                    interruption = error
                response.close()
                self._failed(interruption, self.received)
                response = self._response = self._get(self.received)
                resumes += 1
        finally:
            sha256 = hasher.close()
        seconds = progress.seconds
        self._downloader.log.info(
            "%s: %s bytes in %.1f s (%.1f MB/s), sha256 %s",
            self.label,
            f"{self.received:,}",
            seconds,
            self.received / max(seconds, 1e-9) / _MB,
            sha256,
        )
        return Downloaded(size=self.received, sha256=sha256, seconds=seconds, resumes=resumes)

    def _read(
        self,
        response: requests.Response,
        hasher: _Hasher,
        write: Callable[[bytes], Any],
        progress: _Progress,
    ) -> None:
        """Read one response's body, from byte :attr:`received` on, counting what is written."""
        received = self.received
        restarted = response.status_code == 200 and received > 0
        resumed = restarted or response.status_code == 206
        if resumed and self.size is not None and self._length_of(response) != self.size:
            raise self._error(f"the file changed size on the server during the download (was {self.size})")
        to_check = received if restarted else 0
        already = hashlib.sha256()
        for chunk in response.iter_content(self._downloader.chunk_size):
            if to_check:
                head, chunk = chunk[:to_check], chunk[to_check:]
                already.update(head)
                to_check -= len(head)
                if not to_check and already.digest() != hasher.digest():
                    raise self._error("the file changed on the server during the download")
                if not chunk:
                    continue
            write(chunk)
            hasher.update(chunk)
            self.received += len(chunk)
            progress.update(self.received)
        if to_check:
            raise _Interrupted(f"the body ended after {received - to_check:,} bytes")


class FileDownloader:
    """
    Download files from storage URLs with their own HTTP session: never the API's token.

    Transport settings match the hook's (timeouts, retries, backoff); see :meth:`for_hook`.

    :param timeout: ``(connect, read)`` seconds; the read timeout applies between chunks.
    :param max_retries: Failed attempts retried per file (cuts, timeouts, 5xx, 429), resuming each time.
    :param retry_backoff: First wait in seconds, doubled on each retry, with jitter.
    :param retry_backoff_max: Longest single wait, also the cap on ``Retry-After``.
    :param chunk_size: Bytes read at a time: the memory a download holds.
    :param progress_interval: Seconds between progress lines of a long download.
    :param log: Where progress and retries are logged.
    """

    def __init__(
        self,
        *,
        timeout: tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT),
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_backoff: float = DEFAULT_RETRY_BACKOFF,
        retry_backoff_max: float = DEFAULT_RETRY_BACKOFF_MAX,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        progress_interval: float = DEFAULT_PROGRESS_INTERVAL,
        log: logging.Logger | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self.retry_backoff_max = retry_backoff_max
        self.chunk_size = chunk_size
        self.progress_interval = progress_interval
        self.log = log or logging.getLogger(__name__)
        self.session = requests.Session()
        # Wire bytes, so that Content-Length and Range count what is stored.
        self.session.headers["Accept-Encoding"] = "identity"

    @classmethod
    def for_hook(cls, hook: VideoSDKBaseHook, **overrides: Any) -> FileDownloader:
        """Build a downloader with the hook's connection settings (timeouts, retries, backoff)."""
        settings = hook.settings
        arguments: dict[str, Any] = {
            "timeout": settings.timeout,
            "max_retries": settings.max_retries,
            "retry_backoff": settings.retry_backoff,
            "retry_backoff_max": settings.retry_backoff_max,
            "log": hook.log,
        }
        arguments.update(overrides)
        return cls(**arguments)

    def __enter__(self) -> FileDownloader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def open(self, url: str, *, label: str) -> RemoteFile:
        """
        Send the first ``GET`` of ``url`` (retrying what a retry may fix) and return the file to read.

        :param label: How errors and logs name the file, e.g. ``room recording rec-1``.
        :raises VideoSDKFileNotFoundError: 404 or 410. :raises VideoSDKTransferError: other failures.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            message = "the file URL must be http or https"
            raise VideoSDKTransferError(message, label=label, url=public_url(url))
        return RemoteFile(self, url, label)

    def _get(self, url: str, start: int, validator: str | None) -> requests.Response:
        headers = {}
        if start:
            headers["Range"] = f"bytes={start}-"
            if validator:
                headers["If-Range"] = validator
        return self.session.get(url, headers=headers, stream=True, timeout=self.timeout)
