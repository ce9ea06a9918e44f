"""
Files the emulator serves itself at ``GET|HEAD /files/{fileId}/{name}``, as storage URLs do: no API auth.

Recordings are generated on the fly from a seed (deterministic, never held in memory whole, any
size up to several GiB); transcripts and summaries are given as bytes. ``Range: bytes=...`` is
answered with 206 and ``Content-Range``; every answer carries ``Content-Length``. Each URL is
pre-signed as storage URLs are: its ``signature`` query is the file's own and a download without it
is answered 403, so a client that strips the query to log a URL must still download with it. Two
faults apply to downloads: a connection cut after a number of body bytes, and a slow body.
"""

from __future__ import annotations

import hashlib
import itertools
import mimetypes
import random
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qs, quote, unquote, urlsplit

from videosdk_provider.emulator.api import ApiRequest, ApiResponse, error_body

FILES_PREFIX = "/files/"
#: Generated content is a sequence of segments this long, each its index (8 bytes) and a seeded block.
SEGMENT_SIZE = 1 << 20
MAX_FILE_SIZE = 1 << 40
#: A slow body is sent in this many pieces per second.
SLOW_PIECES_PER_SECOND = 20
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(Exception):
    """The requested range starts beyond the end of the file (answered 416)."""


@dataclass(eq=False)
class StoredFile:
    """
    One served file: ``url`` is where it downloads, ``path`` the storage path the API reports.

    ``size`` bytes of content: ``content`` when given, else generated from ``seed`` (the same
    seed always gives the same bytes). :meth:`sha256` hashes it, streaming.
    """

    file_id: str
    name: str
    path: str
    size: int
    url: str
    seed: int
    content: bytes | None = field(default=None, repr=False)
    ranges: bool = True
    last_modified: str = field(default_factory=lambda: formatdate(usegmt=True))
    _block: bytes | None = field(default=None, init=False, repr=False)
    _digest: str | None = field(default=None, init=False, repr=False)

    @property
    def signature(self) -> str:
        """The pre-signing signature of :attr:`url` (its ``signature`` query)."""
        return parse_qs(urlsplit(self.url).query).get("signature", [""])[0]

    @property
    def etag(self) -> str:
        """A strong validator: the content never changes while the file exists."""
        return f'"{self.file_id}-{self.size}"'

    @property
    def content_type(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"

    def chunks(self, start: int = 0, stop: int | None = None) -> Iterator[bytes | memoryview]:
        """Yield the bytes from ``start`` to ``stop`` (exclusive; default: the end), 1 MiB at most at once."""
        stop = self.size if stop is None else min(stop, self.size)
        if self.content is not None:
            view = memoryview(self.content)
            for offset in range(start, stop, SEGMENT_SIZE):
                yield view[offset : min(offset + SEGMENT_SIZE, stop)]
            return
        if self._block is None:
            self._block = random.Random(self.seed).randbytes(SEGMENT_SIZE)[8:]
        position = start
        while position < stop:
            index, offset = divmod(position, SEGMENT_SIZE)
            segment = memoryview(index.to_bytes(8, "big") + self._block)
            end = min(SEGMENT_SIZE, offset + stop - position)
            yield segment[offset:end]
            position += end - offset

    def sha256(self) -> str:
        """Hex SHA-256 of the whole content, computed once."""
        if self._digest is None:
            digest = hashlib.sha256()
            for chunk in self.chunks():
                digest.update(chunk)
            self._digest = digest.hexdigest()
        return self._digest

    def read(self, start: int = 0, stop: int | None = None) -> bytes:
        """Return a slice of the content (for tests of small files and ranges)."""
        return b"".join(bytes(chunk) for chunk in self.chunks(start, stop))

    def to_json(self) -> dict[str, object]:
        return {
            "fileId": self.file_id,
            "name": self.name,
            "path": self.path,
            "url": self.url,
            "size": self.size,
        }


@dataclass
class FileAnswer:
    """A file (or a range of it) to stream: status, headers, and what to send."""

    status: int
    headers: dict[str, str]
    file: StoredFile
    start: int
    stop: int
    send_body: bool
    cut_after: int | None = None
    bytes_per_second: float | None = None

    @property
    def length(self) -> int:
        return self.stop - self.start

    def pieces(self, sleep: Callable[[float], bool]) -> Iterator[bytes | memoryview]:
        """
        Yield the body, throttled when slow; stop early after ``cut_after`` bytes.

        ``sleep`` returns False when the emulator is stopping, which ends the body early too.
        """
        limit = self.length if self.cut_after is None else min(self.cut_after, self.length)
        chunks = self.file.chunks(self.start, self.start + limit)
        if self.bytes_per_second is None:
            yield from chunks
            return
        piece_size = max(1, int(self.bytes_per_second / SLOW_PIECES_PER_SECOND))
        started, sent = time.monotonic(), 0
        for chunk in chunks:
            for offset in range(0, len(chunk), piece_size):
                piece = chunk[offset : offset + piece_size]
                yield piece
                sent += len(piece)
                if not sleep(started + sent / self.bytes_per_second - time.monotonic()):
                    return

    @property
    def cut(self) -> bool:
        """Whether the body ends before ``Content-Length`` (the connection must then be closed)."""
        return self.cut_after is not None and self.cut_after < self.length


class FileStore:
    """The served files and the download faults; thread-safe."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._lock = threading.Lock()
        self._files: dict[str, StoredFile] = {}
        self._cuts: list[list[int]] = []
        self._bytes_per_second: float | None = None
        self._seeds = itertools.count(1)

    def add(
        self,
        name: str,
        *,
        size: int | None = None,
        content: bytes | None = None,
        path: str | None = None,
        seed: int | None = None,
        ranges: bool = True,
    ) -> StoredFile:
        """
        Serve a new file named ``name``: ``size`` generated bytes, or the given ``content``.

        :param path: The storage path the API reports (default ``files/<fileId>/<name>``).
        :param seed: Seed of generated content (default: a new one per file).
        :param ranges: Answer ``Range`` requests; False serves the whole file every time, as
            storage servers without range support do.
        """
        if not name or "/" in name or any(ord(char) < 32 for char in name):
            raise ValueError("name must be a non-empty file name without '/' or control characters")
        if (size is None) == (content is None):
            raise ValueError("give exactly one of size and content")
        if content is not None:
            size = len(content)
        elif isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_SIZE:
            raise ValueError(f"size must be an integer from 0 to {MAX_FILE_SIZE}")
        file_id = uuid.uuid4().hex
        signature = secrets.token_hex(16)
        stored = StoredFile(
            file_id=file_id,
            name=name,
            path=path or f"files/{file_id}/{name}",
            size=int(size),
            url=f"{self.base_url}{FILES_PREFIX}{file_id}/{quote(name)}?signature={signature}",
            seed=next(self._seeds) if seed is None else seed,
            content=content,
            ranges=ranges,
        )
        with self._lock:
            self._files[file_id] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.get(file_id)

    def remove(self, file_id: str) -> None:
        """Stop serving a file (its URL then answers 404); unknown ids are ignored."""
        with self._lock:
            self._files.pop(file_id, None)

    @property
    def files(self) -> list[StoredFile]:
        with self._lock:
            return list(self._files.values())

    def cut_download_after(self, after_bytes: int, *, times: int = 1) -> None:
        """Close the connection after ``after_bytes`` body bytes of the next ``times`` downloads."""
        if after_bytes < 0 or times < 1:
            raise ValueError("after_bytes must not be negative and times must be at least 1")
        with self._lock:
            self._cuts.append([after_bytes, times])

    def slow_download(self, bytes_per_second: float | None) -> None:
        """Send every download body at this rate from now on; ``None`` restores full speed."""
        if bytes_per_second is not None and bytes_per_second <= 0:
            raise ValueError("bytes_per_second must be positive")
        with self._lock:
            self._bytes_per_second = bytes_per_second

    def clear(self) -> None:
        """Forget every file and fault."""
        with self._lock:
            self._files.clear()
            self._cuts.clear()
            self._bytes_per_second = None

    def _take_cut(self) -> int | None:
        with self._lock:
            if not self._cuts:
                return None
            cut = self._cuts[0]
            cut[1] -= 1
            if cut[1] <= 0:
                del self._cuts[0]
            return cut[0]

    def answer(self, request: ApiRequest) -> ApiResponse | FileAnswer:
        """Answer ``GET``/``HEAD /files/{fileId}/{name}``: the file, a range of it, or a JSON error."""
        file_id, _, name = request.path[len(FILES_PREFIX) :].partition("/")
        stored = self.get(file_id)
        if stored is None or unquote(name) != stored.name:
            return ApiResponse(404, error_body(404, "resource_not_found", "File not found"))
        if request.query.get("signature") != stored.signature:
            return ApiResponse(403, error_body(403, "access_denied", "Request has expired or is not signed"))
        if request.method not in ("GET", "HEAD"):
            return ApiResponse(
                405, error_body(405, "method_not_allowed", "Files allow GET and HEAD"), {"Allow": "GET, HEAD"}
            )
        headers = {
            "Content-Type": stored.content_type,
            "Accept-Ranges": "bytes" if stored.ranges else "none",
            "ETag": stored.etag,
            "Last-Modified": stored.last_modified,
        }
        if_range = request.headers.get("if-range")
        honoured = stored.ranges and if_range in (None, stored.etag)
        wanted = request.headers.get("range") if honoured else None
        try:
            span = parse_range(wanted, stored.size)
        except RangeNotSatisfiable:
            headers["Content-Range"] = f"bytes */{stored.size}"
            body = error_body(416, "range_not_satisfiable", "Range Not Satisfiable")
            return ApiResponse(416, body, headers)
        status, (start, stop) = (200, (0, stored.size)) if span is None else (206, span)
        if span is not None:
            headers["Content-Range"] = f"bytes {start}-{stop - 1}/{stored.size}"
        headers["Content-Length"] = str(stop - start)
        send_body = request.method == "GET"
        with self._lock:
            rate = self._bytes_per_second
        return FileAnswer(
            status,
            headers,
            stored,
            start,
            stop,
            send_body,
            cut_after=self._take_cut() if send_body and stop > start else None,
            bytes_per_second=rate,
        )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """
    Read a single ``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` range as ``(start, stop)``, stop exclusive.

    None means "send the whole file": no header, several ranges, or a malformed one (which HTTP
    says to ignore). :raises RangeNotSatisfiable: the range starts at or beyond the end.
    """
    found = _RANGE.fullmatch(header.strip()) if header else None
    if found is None or found.group(1) == found.group(2) == "":
        return None
    first, last = found.group(1), found.group(2)
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size
    start = int(first)
    stop = size if last == "" else int(last) + 1
    if last != "" and stop <= start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(stop, size)
