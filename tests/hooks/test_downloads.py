"""FileDownloader: streamed downloads of storage URLs, resumed after cuts, checked, never with the token."""

from __future__ import annotations

import hashlib
import io
import logging
import socketserver
import threading
import traceback
from collections.abc import Callable, Iterator

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import VideoSDKFileNotFoundError, VideoSDKTransferError
from videosdk_provider.hooks.downloads import Downloaded, FileDownloader
from videosdk_provider.utils.urls import public_url

MIB = 1 << 20


@pytest.fixture
def downloader() -> Iterator[FileDownloader]:
    with FileDownloader(retry_backoff=0.01, retry_backoff_max=0.02, max_retries=2) as made:
        yield made


Fetch = Callable[..., tuple[bytes, Downloaded]]


@pytest.fixture
def fetch(downloader: FileDownloader) -> Fetch:
    """Download a URL into memory; return the bytes written and the result."""

    def fetch_(url: str, label: str = "room recording rec-1") -> tuple[bytes, Downloaded]:
        sink = io.BytesIO()
        with downloader.open(url, label=label) as remote:
            result = remote.copy_to(sink.write)
        return sink.getvalue(), result

    return fetch_


def test_downloads_the_whole_file_with_its_size_and_sha256(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=3 * MIB + 1)
    data, result = fetch(stored.url)
    assert hashlib.sha256(data).hexdigest() == result.sha256 == stored.sha256()
    assert result.size == len(data) == stored.size
    assert result.resumes == 0


def test_open_reads_the_size_before_any_body_is_copied(
    videosdk_emulator: VideoSDKEmulator, downloader: FileDownloader
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=12345)
    with downloader.open(stored.url, label="room recording rec-1") as remote:
        assert remote.size == 12345


def test_a_cut_download_resumes_after_the_last_whole_chunk_written(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=2 * MIB)
    videosdk_emulator.cut_download_after(MIB + 7)
    data, result = fetch(stored.url)
    assert hashlib.sha256(data).hexdigest() == stored.sha256()
    assert result.resumes == 1
    first, second = videosdk_emulator.requests_to("GET", f"/files/{stored.file_id}/room.mp4")
    assert "range" not in first.headers
    assert second.headers["range"] == f"bytes={MIB}-"  # the cut chunk is read again
    assert second.headers["if-range"] == stored.etag
    assert second.status == 206


def test_a_server_without_ranges_restarts_and_writes_each_byte_once(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=2 * MIB, ranges=False)
    videosdk_emulator.cut_download_after(MIB + 7)
    data, result = fetch(stored.url)
    assert data == stored.read()
    assert result.resumes == 1


def test_retries_spent_name_the_file_and_the_bytes_reached(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=2 * MIB)
    videosdk_emulator.cut_download_after(MIB + 1000)
    videosdk_emulator.cut_download_after(1000, times=2)
    with pytest.raises(VideoSDKTransferError) as raised:
        fetch(stored.url)
    message = str(raised.value)
    assert message.startswith("room recording rec-1: download failed after 3 attempts, at byte 1,048,576")
    assert "of 2,097,152" in message
    assert public_url(stored.url) in message
    assert stored.signature not in message


def test_a_stalled_body_times_out_and_fails_clearly(videosdk_emulator: VideoSDKEmulator) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=100_000)
    videosdk_emulator.slow_download(2_000)  # 100 bytes every 50 ms
    slow = FileDownloader(timeout=(1.0, 0.01), max_retries=1, retry_backoff=0.01)
    with slow, pytest.raises(VideoSDKTransferError, match=r"download failed after 2 attempts, at byte 0"):
        slow.open(stored.url, label="recording").copy_to(lambda data: None)


def test_a_file_deleted_after_listing_is_a_clear_not_found(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    videosdk_emulator.files.remove(stored.file_id)
    with pytest.raises(VideoSDKFileNotFoundError, match=r"^room recording rec-1: not found .*HTTP 404"):
        fetch(stored.url)


def test_no_authorization_header_is_sent_to_file_urls(
    videosdk_emulator: VideoSDKEmulator, videosdk_connection: str
) -> None:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    hook = VideoSDKHook(videosdk_connection)
    hook.get_token()
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    with FileDownloader.for_hook(hook) as made, made.open(stored.url, label="recording") as remote:
        remote.copy_to(lambda data: None)
    [request] = videosdk_emulator.requests_to("GET", f"/files/{stored.file_id}/room.mp4")
    assert "authorization" not in request.headers


def test_for_hook_takes_the_connection_settings(set_connection: Callable[..., str]) -> None:
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    conn_id = set_connection(
        login="key", password="secret", extra={"timeout": 7, "max_retries": 5, "retry_backoff": 0.5}
    )
    with FileDownloader.for_hook(VideoSDKHook(conn_id)) as made:
        assert (made.timeout[1], made.max_retries, made.retry_backoff) == (7, 5, 0.5)


def test_the_query_string_of_a_signed_url_is_never_shown(
    videosdk_emulator: VideoSDKEmulator, fetch: Fetch, caplog: pytest.LogCaptureFixture
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=MIB)
    videosdk_emulator.cut_download_after(10, times=3)
    with caplog.at_level(logging.INFO), pytest.raises(VideoSDKTransferError) as raised:
        fetch(stored.url)
    assert stored.signature not in str(raised.value)
    assert stored.signature not in caplog.text
    assert "download interrupted at byte 0" in caplog.text


def test_no_traceback_of_a_failed_signed_download_shows_its_query(
    refusing_url: str, downloader: FileDownloader
) -> None:
    signed = f"{refusing_url}/room.mp4?X-Amz-Signature=very-secret-signature"
    with pytest.raises(VideoSDKTransferError) as raised:
        downloader.open(signed, label="recording")
    assert "very-secret" not in "".join(traceback.format_exception(raised.value))
    assert "connection failed (ConnectionError)" in str(raised.value)


def test_progress_is_logged_with_bytes_percent_and_speed(
    videosdk_emulator: VideoSDKEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=2 * MIB)
    with FileDownloader(progress_interval=0) as made, made.open(stored.url, label="recording") as remote:
        with caplog.at_level(logging.INFO):
            remote.copy_to(lambda data: None)
    assert "recording: 1,048,576 of 2,097,152 bytes (50%) at" in caplog.text
    assert "MB/s" in caplog.text


def test_only_http_urls_are_downloaded(downloader: FileDownloader) -> None:
    with pytest.raises(VideoSDKTransferError, match="must be http or https"):
        downloader.open("file:///etc/passwd", label="recording")


# --- servers the emulator does not imitate: scripted answers on loopback ---------------------


class ScriptedServer(socketserver.ThreadingTCPServer):
    """Answer each request with the next scripted raw answer: head, body, and where to cut it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answers: list[tuple[str, bytes]]) -> None:
        self.answers = list(answers)
        self.requests_seen: list[str] = []
        super().__init__(("127.0.0.1", 0), ScriptedHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/file.mp4"


class ScriptedHandler(socketserver.StreamRequestHandler):
    server: ScriptedServer

    def handle(self) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += self.rfile.read(1)
        self.server.requests_seen.append(head.decode("latin-1"))
        status_and_headers, body = self.server.answers.pop(0)
        self.wfile.write(status_and_headers.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body)


@pytest.fixture
def scripted() -> Iterator[Callable[[list[tuple[str, bytes]]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(answers: list[tuple[str, bytes]]) -> ScriptedServer:
        server = ScriptedServer(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def ok(body: bytes, length: int | None = None, status: str = "200 OK") -> tuple[str, bytes]:
    size = len(body) if length is None else length
    return f"HTTP/1.1 {status}\nContent-Length: {size}\nConnection: close", body


def test_a_file_changed_on_the_server_while_restarting_is_an_error(
    scripted: Callable[[list[tuple[str, bytes]]], ScriptedServer], fetch: Fetch
) -> None:
    first = b"a" * MIB + b"b" * 10
    changed = b"c" * MIB + b"b" * 10
    server = scripted([ok(first[: MIB + 5], length=len(first)), ok(changed)])
    with pytest.raises(VideoSDKTransferError, match="the file changed on the server during the download"):
        fetch(server.url)


def test_a_file_that_changed_size_while_resuming_is_an_error(
    scripted: Callable[[list[tuple[str, bytes]]], ScriptedServer], fetch: Fetch
) -> None:
    head = "HTTP/1.1 206 Partial Content\nContent-Range: bytes 1048576-2000000/2000001\n"
    resumed = (head + "Content-Length: 951425\nConnection: close", b"x" * 951425)
    server = scripted([ok(b"a" * (MIB + 5), length=2 * MIB), resumed])
    with pytest.raises(VideoSDKTransferError, match=r"changed size on the server .*was 2097152"):
        fetch(server.url)


def test_server_errors_are_retried_after_retry_after(
    scripted: Callable[[list[tuple[str, bytes]]], ScriptedServer], fetch: Fetch
) -> None:
    busy = ("HTTP/1.1 503 Service Unavailable\nRetry-After: 0\nContent-Length: 0\nConnection: close", b"")
    server = scripted([busy, ok(b"hello")])
    data, result = fetch(server.url)
    assert data == b"hello"
    assert len(server.requests_seen) == 2


def test_a_body_without_content_length_is_read_to_its_end(
    scripted: Callable[[list[tuple[str, bytes]]], ScriptedServer], downloader: FileDownloader
) -> None:
    server = scripted([("HTTP/1.1 200 OK\nConnection: close", b"until the connection closes")])
    sink = io.BytesIO()
    with downloader.open(server.url, label="transcript") as remote:
        assert remote.size is None
        result = remote.copy_to(sink.write)
    assert sink.getvalue() == b"until the connection closes"
    assert result.size == len(sink.getvalue())
