"""The emulator's HTTP transport and its public facade, :class:`VideoSDKEmulator`."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import uuid
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from videosdk_provider.emulator.admin import AdminApi
from videosdk_provider.emulator.api import Api, ApiRequest, ApiResponse, error_body, parse_json
from videosdk_provider.emulator.auth import AuthError
from videosdk_provider.emulator.core import Core, Resources
from videosdk_provider.emulator.events import EventBus
from videosdk_provider.emulator.faults import Fault, FaultQueue
from videosdk_provider.emulator.files import FILES_PREFIX, FileAnswer, FileStore
from videosdk_provider.emulator.recording import RecordedRequest, RequestLog
from videosdk_provider.emulator.resources import (
    RESOURCES,
    ParticipantRecordings,
    PostTranscriptions,
    Recordings,
    Rooms,
    Sessions,
    Webhooks,
)
from videosdk_provider.emulator.scheduler import Scheduler
from videosdk_provider.emulator.webhooks import DEFAULT_RETRIES, DEFAULT_RETRY_DELAY, WebhookDeliverer

DEFAULT_API_KEY = "emulator-api-key"
DEFAULT_SECRET = "emulator-secret-for-local-tests-only-0123456789"
ADMIN_PREFIX = "/_emulator/"
MAX_BODY_BYTES = 16 * 1024 * 1024
POLL_INTERVAL = 0.05
NO_BODY_STATUSES = frozenset({204, 304})


class _BadRequest(Exception):
    """A request whose framing (Content-Length, chunks) cannot be read."""


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks its connections so :meth:`close_all` can end them promptly."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], emulator: VideoSDKEmulator) -> None:
        self.emulator = emulator
        self._conn_lock = threading.Lock()
        self._connections: dict[threading.Thread, socket.socket] = {}
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, address

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection, args=(request, client_address), name="videosdk-emulator-conn"
        )
        thread.daemon = True
        with self._conn_lock:
            self._connections[thread] = request
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            pass  # a client that vanished mid-request is not an emulator error
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._connections.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay silent: broken client connections are expected (and provoked by fault injection)."""

    def close_all(self, timeout: float) -> None:
        """Shut down every open connection and wait for its thread to finish."""
        with self._conn_lock:
            connections = list(self._connections.items())
        for _, conn in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)
        for thread, _ in connections:
            thread.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    """Reads a request, asks the emulator for the answer and writes it: JSON in one send, files streamed."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging to stderr."""

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a malformed request with the emulator's JSON error shape and close."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        self._write(ApiResponse(code, error_body(code, "invalid_request", message or phrase)))

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError as exc:
            raise _BadRequest("Invalid Content-Length") from exc
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadRequest("Invalid Content-Length")
        body = self.rfile.read(length)
        if len(body) != length:
            raise _BadRequest("Incomplete body")
        return body

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise _BadRequest("Invalid chunk size") from exc
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BadRequest("Body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(65537)

    def _dispatch(self) -> None:
        try:
            raw = self._read_body()
        except _BadRequest as exc:
            self.close_connection = True
            self._write(ApiResponse(400, error_body(400, "invalid_params", str(exc))))
            return
        parts = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        request = ApiRequest(
            method=self.command.upper(),
            path=parts.path or "/",
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=headers,
            raw_body=raw,
        )
        response = self.server.emulator._answer(request)
        if response is None:
            self.close_connection = True  # drop: close without a response
            return
        if isinstance(response, FileAnswer):
            self._stream(response)
            return
        self._write(response)

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            f"Date: {formatdate(usegmt=True)}",
            f"x-request-id: {uuid.uuid4()}",
            f"Connection: {'close' if self.close_connection else 'keep-alive'}",
        ]
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _write(self, response: ApiResponse) -> None:
        status = response.status
        with_body = status not in NO_BODY_STATUSES and status >= 200
        payload = json.dumps(response.body).encode() if with_body and response.body is not None else b""
        headers: dict[str, str] = {}
        if with_body:
            headers["Content-Type"] = "application/json; charset=utf-8"
            headers["Content-Length"] = str(len(payload))
        headers.update(response.headers)
        if self.command == "HEAD":
            payload = b""
        self.wfile.write(self._head(status, headers) + payload)

    def _stream(self, answer: FileAnswer) -> None:
        """Send a file's headers, then its body piece by piece; close the connection when it is cut."""
        if answer.cut:
            self.close_connection = True
        self.wfile.write(self._head(answer.status, answer.headers))
        if answer.send_body:
            for piece in answer.pieces(self.server.emulator._sleep):
                self.wfile.write(piece)


class VideoSDKEmulator:
    """
    A local VideoSDK REST API on loopback, for tests and benchmarks.

    Use as a context manager or call :meth:`start` / :meth:`stop`. See the package documentation
    for the endpoints, fault injection and the session helpers.
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        secret: str = DEFAULT_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        minute_seconds: float = 60.0,
        webhook_retries: int = DEFAULT_RETRIES,
        webhook_retry_delay: float = DEFAULT_RETRY_DELAY,
    ) -> None:
        self._api_key = api_key
        self._secret = secret
        self.host = host
        self.port = port
        self.latency = latency
        self._scheduler = Scheduler()
        self._events = EventBus()
        self._files = FileStore(f"http://{host}:{port}")
        self._core = Core(
            self._scheduler,
            self._events,
            files=self._files,
            minute_seconds=minute_seconds,
            base_url=f"http://{host}:{port}",
        )
        self._resources = Resources(self._core, RESOURCES)
        self._rooms = self._resources.get(Rooms)
        self._sessions = self._resources.get(Sessions)
        self._recordings = self._resources.get(Recordings)
        self._post_transcriptions = self._resources.get(PostTranscriptions)
        self._participant_recordings = self._resources.get(ParticipantRecordings)
        self._webhooks = self._resources.get(Webhooks).deliverer
        self._webhooks.retries = webhook_retries
        self._webhooks.retry_delay = webhook_retry_delay
        self._api = Api(self._resources.routes(), api_key=api_key, secret=secret)
        self._admin = AdminApi(self)
        self._faults = FaultQueue()
        self._log = RequestLog()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._url: str | None = None
        self._lifecycle = threading.Lock()

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> VideoSDKEmulator:
        """Bind and serve on a background thread; returns ``self``."""
        with self._lifecycle:
            if self._server is not None:
                return self
            server = _Server((self.host, self.port), self)
            self.port = int(server.server_address[1])
            url_host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
            self._url = f"http://{url_host}:{self.port}"
            self._core.base_url = self._files.base_url = self._url
            self._stopping = threading.Event()
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, name="videosdk-emulator"
            )
            self._thread.daemon = True
            self._thread.start()
            self._webhooks.start()
            return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and timer, and join all threads."""
        with self._lifecycle:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            self._stopping.set()
            if server is not None:
                server.shutdown()
                server.server_close()
                server.close_all(timeout)
            if thread is not None:
                thread.join(timeout)
            self._scheduler.close(timeout)
            self._webhooks.stop(timeout)

    def __enter__(self) -> VideoSDKEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def api_key(self) -> str:
        """The API key tokens must carry in their ``apikey`` claim."""
        return self._api_key

    @property
    def secret(self) -> str:
        """The secret tokens must be signed with (HS256)."""
        return self._secret

    @property
    def running(self) -> bool:
        """Whether the emulator is serving (between :meth:`start` and :meth:`stop`)."""
        return self._server is not None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8085`` (no trailing slash)."""
        if self._url is None:
            raise RuntimeError("The emulator has not been started")
        return self._url

    @property
    def latency(self) -> float:
        """Seconds added to every API request (not to admin requests)."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("latency must not be negative")
        self._latency = float(seconds)

    @property
    def minute_seconds(self) -> float:
        """Real seconds per API minute, for ``autoCloseConfig.duration``."""
        return self._core.minute_seconds

    @property
    def webhooks(self) -> WebhookDeliverer:
        """
        Webhook delivery: the signing key (``signer.public_pem``), the log, replays and tampering.

        Set ``retries`` and ``retry_delay`` on it to change how failed deliveries are retried.
        """
        return self._webhooks

    @property
    def events(self) -> EventBus:
        """The bus carrying webhook-style events (``session-started``...) as the state changes."""
        return self._events

    # --- inspection ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Answered (or dropped) API and file requests in arrival order; admin requests are not included."""
        return self._log.snapshot()

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Return the recorded API requests with this method and path (no query), in arrival order."""
        method = method.upper()
        return [request for request in self.requests if (request.method, request.path) == (method, path)]

    @property
    def max_in_flight(self) -> int:
        """
        The most API requests being handled at one moment since the start or the last :meth:`reset`.

        A request is in flight from its arrival until it is answered or dropped (latency and
        injected delays included), so this shows how many calls a client really made at once.
        """
        return self._log.max_in_flight

    @property
    def rooms(self) -> list[dict[str, Any]]:
        """Stored rooms in creation order, shaped like the API's Room."""
        return self._rooms.snapshot()

    def reset(self) -> None:
        """
        Forget rooms, sessions, files, requests, faults, timers and :attr:`max_in_flight`; latency to 0.

        Event subscriptions are kept.
        """
        self._scheduler.clear()
        self._resources.reset()
        self._files.clear()
        self._faults.clear()
        self._log.clear()
        self.latency = 0.0

    # --- fault injection -------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        message: str | None = None,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching API requests with ``status``, without processing them."""
        self._faults.add(
            Fault(
                "fail",
                times,
                status=status,
                retry_after=retry_after,
                message=message,
                path=path,
                method=method,
            )
        )

    def delay_next(
        self, seconds: float, *, times: int = 1, path: str | None = None, method: str | None = None
    ) -> None:
        """Sleep ``seconds`` before processing the next ``times`` matching API requests."""
        self._faults.add(Fault("delay", times, seconds=seconds, path=path, method=method))

    def drop_after_processing(
        self, *, times: int = 1, path: str | None = None, method: str | None = None
    ) -> None:
        """Process the next ``times`` matching API requests, then close the connection unanswered."""
        self._faults.add(Fault("drop", times, path=path, method=method))

    def cut_download_after(self, after_bytes: int, *, times: int = 1) -> None:
        """Close the connection after ``after_bytes`` body bytes of the next ``times`` file downloads."""
        self._files.cut_download_after(after_bytes, times=times)

    def slow_download(self, bytes_per_second: float | None) -> None:
        """Send every file body at this rate until :meth:`reset`; ``None`` restores full speed."""
        self._files.slow_download(bytes_per_second)

    # --- files -----------------------------------------------------------------------------------

    @property
    def files(self) -> FileStore:
        """
        Files served without API auth at ``/files/{fileId}/{name}``, as storage URLs are.

        ``emulator.files.add("room.mp4", size=2**30)`` serves a generated 1 GiB recording;
        ``add("transcript.txt", content=b"...")`` serves given bytes. Requests to them are recorded
        with the API requests.
        """
        return self._files

    # --- recordings and transcriptions ----------------------------------------------------------

    @property
    def recording_file_size(self) -> int:
        """Bytes of each recording file (room, participant, track, merged); back to 64 KiB on reset."""
        return self._recordings.file_size

    @recording_file_size.setter
    def recording_file_size(self, size: int) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError("recording_file_size must be a non-negative integer")
        self._recordings.file_size = size

    @property
    def transcription_delay(self) -> float:
        """Seconds from a recording's stop until its post-call transcription completes."""
        return self._post_transcriptions.delay

    @transcription_delay.setter
    def transcription_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("transcription_delay must not be negative")
        self._post_transcriptions.delay = float(seconds)

    @property
    def merge_delay(self) -> float:
        """Seconds from a merge request until the merged recording is completed."""
        return self._participant_recordings.merge_delay

    @merge_delay.setter
    def merge_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("merge_delay must not be negative")
        self._participant_recordings.merge_delay = float(seconds)

    def fail_next_recording(self, *, times: int = 1) -> None:
        """Make the next ``times`` room recordings to stop end ``failed``, without a file."""
        self._recordings.fail_next(times)

    def fail_next_transcription(self, *, times: int = 1) -> None:
        """Make the next ``times`` post-call transcriptions end ``failed``, without files."""
        self._post_transcriptions.fail_next(times)

    def finish_transcription(self, transcription_id: str) -> None:
        """
        End a post-call transcription still in progress now (completed, or failed as told).

        With a long :attr:`transcription_delay`, a test decides when each transcription completes.
        :raises KeyError: unknown transcription.
        """
        self._post_transcriptions.finish_now(transcription_id)

    # --- sessions --------------------------------------------------------------------------------

    def start_session(self, room_id_or_custom_id: str) -> dict[str, Any]:
        """
        Start an ongoing session in the room (or return the one already ongoing).

        :raises KeyError: unknown room (``NotFoundError``). :raises ValueError: deactivated room.
        """
        return self._sessions.start_session(room_id_or_custom_id)

    def join(self, room_id_or_custom_id: str, participant_id: str, name: str = "") -> dict[str, Any]:
        """Join a participant to the ongoing session (starting one if none); returns the session."""
        return self._sessions.join(room_id_or_custom_id, participant_id, name)

    def leave(self, room_id_or_custom_id: str, participant_id: str) -> None:
        """Make a currently joined participant leave the ongoing session."""
        self._sessions.leave(room_id_or_custom_id, participant_id)

    def end_session(self, room_id_or_custom_id: str) -> dict[str, Any]:
        """End the ongoing session (deactivating the room for ``session-end-and-deactivate``)."""
        return self._sessions.end_session(room_id_or_custom_id)

    def schedule_session(
        self,
        room_id_or_custom_id: str,
        *,
        start_in: float,
        duration: float,
        participants: list[str] | None = None,
    ) -> None:
        """Script a session: start in ``start_in`` s, join ``participants``, end ``duration`` s later."""
        room_id = self._rooms.resolve_room_id(room_id_or_custom_id)
        joiners = list(participants or [])

        def begin() -> None:
            session = self._sessions.start_session(room_id)
            for participant_id in joiners:
                self._sessions.join(room_id, participant_id)
            session_id = str(session["id"])
            self._scheduler.call_later(duration, lambda: self._sessions.end_session_by_id(session_id))

        self._scheduler.call_later(start_in, begin)

    # --- request pipeline (called from handler threads) ------------------------------------------

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the emulator is stopping; returns False when interrupted by :meth:`stop`."""
        return seconds <= 0 or not self._stopping.wait(seconds)

    def _answer(self, request: ApiRequest) -> ApiResponse | FileAnswer | None:
        """Answer one request; None means close the connection without a response."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin.handle(request)
        arrival = self._log.arrive()
        if request.path.startswith(FILES_PREFIX):
            answer = self._files.answer(request)
            self._log.add(arrival, _record(request, None, answer.status))
            return answer
        auth: dict[str, Any] | AuthError | None = None
        response: ApiResponse | None = None
        try:
            try:
                auth = self._api.authenticate(request.headers)
            except AuthError as exc:
                auth = exc
            fault = self._faults.take(request.method, request.path)
            if self._sleep(self.latency):
                if fault is not None and fault.kind == "fail":
                    response = _fault_response(fault)
                elif fault is None or fault.kind != "delay" or self._sleep(fault.seconds):
                    response = self._api.handle(request, auth)
                    if fault is not None and fault.kind == "drop":
                        response = None
            return response
        finally:  # an unexpected error closes the connection unanswered: recorded as dropped
            self._log.add(arrival, _record(request, auth, None if response is None else response.status))


def _fault_response(fault: Fault) -> ApiResponse:
    try:
        default_message = HTTPStatus(fault.status).phrase
    except ValueError:
        default_message = "Injected fault"
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
    body = {"statusCode": fault.status, "message": fault.message or default_message}
    return ApiResponse(fault.status, body, headers)


def _record(
    request: ApiRequest, auth: dict[str, Any] | AuthError | None, status: int | None
) -> RecordedRequest:
    body: Any = None
    if request.raw_body:
        try:
            body = parse_json(request.raw_body)
        except ValueError:
            body = None
    return RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        headers=dict(request.headers),
        body=body,
        raw_body=request.raw_body,
        status=0 if status is None else status,
        token_claims=auth if isinstance(auth, dict) else None,
    )
