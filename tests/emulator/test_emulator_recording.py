"""Recorded requests, the in-flight counter and the rooms snapshot."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import DEFAULT_API_KEY, RecordedRequest, VideoSDKEmulator

CreateRoom = Callable[..., dict[str, Any]]


# --- recording --------------------------------------------------------------------------------


def test_request_is_recorded_with_every_field(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.post("/v2/rooms?trace=1", json={"customRoomId": "rec"}, headers={"X-Custom": "yes"})
    (record,) = emu.requests
    assert record.method == "POST"
    assert record.path == "/v2/rooms"
    assert record.query == {"trace": "1"}
    assert record.headers["x-custom"] == "yes"
    assert record.headers["content-type"] == "application/json"
    assert record.body == {"customRoomId": "rec"}
    assert record.raw_body == b'{"customRoomId": "rec"}'
    assert record.status == 200
    assert record.token_claims is not None
    assert record.token_claims["apikey"] == DEFAULT_API_KEY
    assert record.token_claims["roles"] == ["crawler"]


def test_header_names_are_lower_cased(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.get("/v2/rooms")
    headers = emu.requests[0].headers
    assert "authorization" in headers
    assert all(name == name.lower() for name in headers)


def test_requests_are_in_arrival_order_with_status(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.get("/v2/rooms")
    api.post("/v2/rooms", json={"customRoomId": 5})
    api.get("/v2/rooms/validate/nope")
    assert [(r.method, r.path, r.status) for r in emu.requests] == [
        ("GET", "/v2/rooms", 200),
        ("POST", "/v2/rooms", 422),
        ("GET", "/v2/rooms/validate/nope", 404),
    ]


def test_rejected_token_is_recorded_without_claims(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.get("/v2/rooms", headers={"Authorization": "Bearer x"})
    (record,) = emu.requests
    assert record.status == 401
    assert record.token_claims is None


def test_non_json_body_is_recorded_raw(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.post("/v2/rooms", data=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    (record,) = emu.requests
    assert record.body is None
    assert record.raw_body == b"a=1"
    assert record.status == 400


def test_failed_fault_is_recorded_with_claims(api: requests.Session, emu: VideoSDKEmulator) -> None:
    emu.fail_next(429)
    api.get("/v2/rooms")
    (record,) = emu.requests
    assert record.status == 429
    assert record.token_claims is not None


def test_arrival_order_is_kept_when_an_earlier_request_finishes_later(
    emu: VideoSDKEmulator, api: requests.Session
) -> None:
    emu.delay_next(0.3, path="/v2/rooms/validate")
    with requests.Session() as slow_client:
        slow_client.headers.update(api.headers)
        slow = threading.Thread(
            target=lambda: slow_client.get(f"{emu.url}/v2/rooms/validate/x", timeout=10), daemon=True
        )
        slow.start()
        time.sleep(0.1)
        api.get("/v2/rooms")
        slow.join(5)
    assert [r.path for r in emu.requests] == ["/v2/rooms/validate/x", "/v2/rooms"]


def test_recorded_request_is_frozen(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.get("/v2/rooms")
    with pytest.raises(dataclasses.FrozenInstanceError):
        emu.requests[0].status = 500  # type: ignore[misc]


def test_requests_is_a_snapshot(api: requests.Session, emu: VideoSDKEmulator) -> None:
    snapshot = emu.requests
    api.get("/v2/rooms")
    assert snapshot == []
    assert isinstance(emu.requests[0], RecordedRequest)


def test_requests_to_keeps_the_requests_with_that_method_and_path(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    api.get("/v2/rooms?page=2")
    api.post("/v2/rooms", json={})
    api.get("/v2/rooms/validate/x")
    api.get("/v2/rooms")
    assert [r.query for r in emu.requests_to("get", "/v2/rooms")] == [{"page": "2"}, {}]
    assert [r.status for r in emu.requests_to("POST", "/v2/rooms")] == [200]
    assert emu.requests_to("DELETE", "/v2/rooms") == []


def test_max_in_flight_of_requests_one_after_another_is_one(
    api: requests.Session, emu: VideoSDKEmulator
) -> None:
    emu.delay_next(0.05, times=3)
    for _ in range(3):
        api.get("/v2/rooms")
    assert emu.max_in_flight == 1


def test_reset_forgets_requests_rooms_and_max_in_flight(
    create_room: CreateRoom, emu: VideoSDKEmulator
) -> None:
    create_room()
    assert emu.max_in_flight == 1
    emu.reset()
    assert emu.requests == []
    assert emu.rooms == []
    assert emu.max_in_flight == 0


def test_admin_requests_are_neither_recorded_nor_counted_in_flight(
    admin: requests.Session, emu: VideoSDKEmulator
) -> None:
    admin.get("/_emulator/requests")
    admin.get("/_emulator/rooms")
    assert emu.requests == []
    assert emu.max_in_flight == 0


def test_rooms_snapshot_is_a_copy(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    create_room(webhook={"endPoint": "https://e.com/h"})
    emu.rooms[0]["webhook"]["endPoint"] = "changed"
    assert emu.rooms[0]["webhook"]["endPoint"] == "https://e.com/h"
