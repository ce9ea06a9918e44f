"""Fault injection: fail_next, delay_next, drop_after_processing and latency."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator

CreateRoom = Callable[..., dict[str, Any]]


# --- fail_next --------------------------------------------------------------------------------


def test_fail_next_answers_the_status_with_json_body(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500)
    response = api.get("/v2/rooms")
    assert response.status_code == 500
    assert response.json() == {"statusCode": 500, "message": "Internal Server Error"}
    assert response.headers["x-request-id"]
    assert "Retry-After" not in response.headers


def test_fail_next_with_retry_after_and_message(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(429, retry_after="2", message="Too many requests, slow down")
    response = api.get("/v2/rooms")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json()["message"] == "Too many requests, slow down"


def test_fail_next_applies_once_by_default(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(503)
    assert [api.get("/v2/rooms").status_code for _ in range(2)] == [503, 200]


def test_fail_next_times(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(502, times=3)
    assert [api.get("/v2/rooms").status_code for _ in range(4)] == [502, 502, 502, 200]


def test_fail_next_does_not_process_the_request(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500)
    api.post("/v2/rooms", json={"customRoomId": "never"})
    assert emu.rooms == []


def test_fail_next_precedes_auth(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(503)
    assert api.get("/v2/rooms", headers={"Authorization": None}).status_code == 503


def test_faults_are_consumed_in_fifo_order(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500)
    emu.fail_next(429)
    assert [api.get("/v2/rooms").status_code for _ in range(3)] == [500, 429, 200]


def test_fail_next_filtered_by_path_prefix(
    api: requests.Session, emu: VideoSDKEmulator, create_room: CreateRoom
) -> None:
    room = create_room()
    emu.fail_next(503, path="/v2/rooms/validate")
    assert api.get("/v2/rooms").status_code == 200
    assert api.get(f"/v2/rooms/validate/{room['roomId']}").status_code == 503
    assert api.get(f"/v2/rooms/validate/{room['roomId']}").status_code == 200


def test_fail_next_filtered_by_method(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500, method="post")
    assert api.get("/v2/rooms").status_code == 200
    assert api.post("/v2/rooms", json={}).status_code == 500


def test_filtered_fault_does_not_block_later_faults(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500, method="POST")
    emu.fail_next(429)
    assert api.get("/v2/rooms").status_code == 429
    assert api.post("/v2/rooms", json={}).status_code == 500


@pytest.mark.parametrize(("status", "times"), [(100, 1), (199, 1), (600, 1), (500, 0), (500, -1)])
def test_fail_next_rejects_bad_arguments(emu: VideoSDKEmulator, status: int, times: int) -> None:
    with pytest.raises(ValueError, match="must"):
        emu.fail_next(status, times=times)


def test_reset_forgets_pending_faults(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(500)
    emu.reset()
    assert api.get("/v2/rooms").status_code == 200


# --- delay_next -------------------------------------------------------------------------------


def test_delay_next_delays_then_processes(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.delay_next(0.3)
    started = time.perf_counter()
    response = api.post("/v2/rooms", json={})
    assert time.perf_counter() - started >= 0.3
    assert response.status_code == 200
    assert len(emu.rooms) == 1


def test_delay_next_applies_only_to_next_request(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.delay_next(0.3)
    api.get("/v2/rooms")
    started = time.perf_counter()
    api.get("/v2/rooms")
    assert time.perf_counter() - started < 0.25


def test_delay_next_past_client_timeout_still_creates_the_room(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    emu.delay_next(0.4)
    with pytest.raises(requests.ReadTimeout):
        api.post("/v2/rooms", json={"customRoomId": "slow"}, timeout=0.1)
    deadline = time.monotonic() + 3
    while not emu.rooms and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [room["customRoomId"] for room in emu.rooms] == ["slow"]


def test_delay_next_rejects_negative_seconds(emu: VideoSDKEmulator) -> None:
    with pytest.raises(ValueError, match="negative"):
        emu.delay_next(-1)


# --- drop_after_processing --------------------------------------------------------------------


def test_drop_after_processing_creates_room_but_client_sees_connection_error(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    emu.drop_after_processing()
    with pytest.raises(requests.ConnectionError):
        api.post("/v2/rooms", json={"customRoomId": "lost-answer"})
    assert [room["customRoomId"] for room in emu.rooms] == ["lost-answer"]


def test_dropped_request_is_recorded_with_status_0(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.drop_after_processing()
    with pytest.raises(requests.ConnectionError):
        api.get("/v2/rooms")
    assert [request.status for request in emu.requests] == [0]


def test_retry_after_drop_with_custom_room_id_returns_same_room(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    emu.drop_after_processing()
    with pytest.raises(requests.ConnectionError):
        api.post("/v2/rooms", json={"customRoomId": "retry-me"})
    again = api.post("/v2/rooms", json={"customRoomId": "retry-me"})
    assert again.status_code == 200
    assert again.json()["roomId"] == emu.rooms[0]["roomId"]
    assert len(emu.rooms) == 1


def test_drop_filtered_by_path(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.drop_after_processing(path="/v2/rooms/deactivate")
    assert api.get("/v2/rooms").status_code == 200
    with pytest.raises(requests.ConnectionError):
        api.post("/v2/rooms/deactivate", json={"roomId": "abcd-efgh-ijkl"})


def test_drop_times(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.drop_after_processing(times=2)
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            api.get("/v2/rooms")
    assert api.get("/v2/rooms").status_code == 200


# --- latency ----------------------------------------------------------------------------------


def test_latency_is_added_to_every_request(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.latency = 0.1
    started = time.perf_counter()
    for _ in range(3):
        assert api.get("/v2/rooms").status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_latency_does_not_apply_to_admin_requests(admin: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.latency = 1.0
    started = time.perf_counter()
    assert admin.get("/_emulator/requests").status_code == 200
    assert time.perf_counter() - started < 0.5


def test_reset_sets_latency_back_to_zero(emu: VideoSDKEmulator) -> None:
    emu.latency = 0.5
    emu.reset()
    assert emu.latency == 0.0


def test_negative_latency_is_rejected(emu: VideoSDKEmulator) -> None:
    with pytest.raises(ValueError, match="negative"):
        emu.latency = -0.1


def test_latency_from_constructor() -> None:
    with VideoSDKEmulator(latency=0.2) as emulator:
        assert emulator.latency == 0.2
        started = time.perf_counter()
        requests.get(f"{emulator.url}/v2/rooms", timeout=10)
        assert time.perf_counter() - started >= 0.2
