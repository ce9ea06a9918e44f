"""HTTP transport: keep-alive, single-send responses, concurrency, thread safety and lifecycle."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator


def _emulator_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("videosdk-emulator")]


def _raw_exchange(emu: VideoSDKEmulator, request: bytes) -> tuple[bytes, bytes]:
    """Send raw bytes, read until the server closes; return the response's head and body."""
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head, body


# --- protocol ---------------------------------------------------------------------------------


def test_keep_alive_serves_many_requests_on_one_connection(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    token = str(api.headers["Authorization"])
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/v2/rooms", headers={"Authorization": token})
            response = connection.getresponse()
            response.read()
            assert response.getheader("Connection") == "keep-alive"
        local_port = connection.sock.getsockname()[1]
        connection.request("GET", "/v2/rooms")
        connection.getresponse().read()
        assert connection.sock.getsockname()[1] == local_port
    finally:
        connection.close()


def test_connection_close_is_honoured(emu: VideoSDKEmulator) -> None:
    head, body = _raw_exchange(emu, b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404 ")
    assert b"Connection: close" in head
    assert json.loads(body)["statusCode"] == 404


def test_content_length_matches_body(emu: VideoSDKEmulator) -> None:
    head, body = _raw_exchange(emu, b"GET /v2/rooms HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    lengths = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    assert lengths == [f"Content-Length: {len(body)}".encode()]


def test_malformed_request_gets_json_400_with_request_id(emu: VideoSDKEmulator) -> None:
    head, body = _raw_exchange(emu, b"NONSENSE\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"x-request-id: " in head
    assert json.loads(body)["statusCode"] == 400


def test_invalid_content_length_is_400(emu: VideoSDKEmulator) -> None:
    head, _ = _raw_exchange(emu, b"POST /v2/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")


def test_head_request_has_no_body(emu: VideoSDKEmulator) -> None:
    head, body = _raw_exchange(emu, b"HEAD /v2/rooms HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404 ")
    assert body == b""


def test_every_response_has_a_distinct_request_id(api: requests.Session, admin: requests.Session) -> None:
    responses = [api.get("/v2/rooms"), api.get("/nope"), admin.get("/_emulator/requests")]
    ids = [response.headers["x-request-id"] for response in responses]
    assert all(ids)
    assert len(set(ids)) == 3


# --- concurrency and thread safety ------------------------------------------------------------


def _post_rooms(emu: VideoSDKEmulator, token: str, bodies: list[dict[str, str]]) -> list[requests.Response]:
    def post(body: dict[str, str]) -> requests.Response:
        return requests.post(f"{emu.url}/v2/rooms", json=body, headers={"Authorization": token}, timeout=10)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_concurrent_creates_with_distinct_custom_ids(api: requests.Session, emu: VideoSDKEmulator) -> None:
    token = str(api.headers["Authorization"])
    responses = _post_rooms(emu, token, [{"customRoomId": f"room-{i}"} for i in range(50)])
    assert {r.status_code for r in responses} == {200}
    assert len(emu.rooms) == 50
    assert len({room["roomId"] for room in emu.rooms}) == 50


def test_concurrent_creates_with_identical_custom_id(api: requests.Session, emu: VideoSDKEmulator) -> None:
    token = str(api.headers["Authorization"])
    responses = _post_rooms(emu, token, [{"customRoomId": "same"}] * 50)
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["roomId"] for r in responses}) == 1
    assert len(emu.rooms) == 1


def test_concurrent_creates_without_custom_id(api: requests.Session, emu: VideoSDKEmulator) -> None:
    token = str(api.headers["Authorization"])
    _post_rooms(emu, token, [{}] * 50)
    assert len({room["roomId"] for room in emu.rooms}) == 50
    assert len(emu.requests) == 50


def test_requests_waiting_on_latency_are_in_flight_at_the_same_time(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    clients = 8
    emu.latency = 0.3  # each request stays in flight long enough for the others to arrive
    together = threading.Barrier(clients)

    def call() -> None:
        with requests.Session() as client:
            client.headers.update(api.headers)
            together.wait(5)
            client.get(f"{emu.url}/v2/rooms", timeout=10)

    threads = [threading.Thread(target=call, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert [r.status for r in emu.requests] == [200] * clients
    assert emu.max_in_flight == clients


# --- lifecycle --------------------------------------------------------------------------------


def test_context_manager_starts_and_stops() -> None:
    with VideoSDKEmulator() as emulator:
        assert emulator.running
        assert emulator.url == f"http://127.0.0.1:{emulator.port}"
        assert requests.get(f"{emulator.url}/nope", timeout=5).status_code == 404
    assert not emulator.running
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{emulator.url}/nope", timeout=5)


def test_url_before_start_raises() -> None:
    with pytest.raises(RuntimeError, match="not been started"):
        _ = VideoSDKEmulator().url


def test_start_is_idempotent() -> None:
    emulator = VideoSDKEmulator()
    try:
        assert emulator.start() is emulator
        port = emulator.port
        emulator.start()
        assert emulator.port == port
    finally:
        emulator.stop()


def test_fixed_port_can_be_reused_right_after_stop() -> None:
    with VideoSDKEmulator() as first:
        port = first.port
        requests.get(f"{first.url}/nope", timeout=5)
    with VideoSDKEmulator(port=port) as second:
        assert requests.get(f"{second.url}/nope", timeout=5).status_code == 404


def test_stop_is_prompt_with_idle_keep_alive_connections_and_leaves_no_threads() -> None:
    before = set(_emulator_threads())
    emulator = VideoSDKEmulator().start()
    sessions = [requests.Session() for _ in range(5)]
    for session in sessions:
        session.get(f"{emulator.url}/nope", timeout=5)
    emulator.stop()  # idle keep-alive connections would keep their threads alive until the clients close
    assert set(_emulator_threads()) <= before
    for session in sessions:
        session.close()


def test_stop_interrupts_requests_sleeping_on_latency() -> None:
    before = set(_emulator_threads())
    emulator = VideoSDKEmulator(latency=30).start()
    errors: list[BaseException] = []

    def call() -> None:
        try:
            requests.get(f"{emulator.url}/v2/rooms", timeout=10)
        except requests.RequestException as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.1)
    emulator.stop()  # a handler still sleeping out its 30 s would outlive stop's 5 s join
    thread.join(5)
    assert len(errors) == 1
    assert set(_emulator_threads()) <= before


def test_stop_cancels_session_timers(api: requests.Session) -> None:
    before = set(_emulator_threads())
    with VideoSDKEmulator() as emulator:
        room = requests.post(f"{emulator.url}/v2/rooms", json={}, headers=api.headers, timeout=5).json()
        emulator.schedule_session(room["roomId"], start_in=30, duration=30)
    assert set(_emulator_threads()) <= before


def test_stop_without_start_is_harmless() -> None:
    VideoSDKEmulator().stop()
