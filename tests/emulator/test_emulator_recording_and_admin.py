"""Recorded requests and the unauthenticated ``/_emulator/`` admin endpoints."""

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


# --- admin endpoints --------------------------------------------------------------------------


def test_admin_reset(admin: requests.Session, create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    create_room()
    emu.latency = 0.2
    response = admin.post("/_emulator/reset")
    assert response.status_code == 200
    assert emu.rooms == []
    assert emu.requests == []
    assert emu.latency == 0.0


def test_admin_requests_lists_recorded_requests(
    admin: requests.Session, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    api.post("/v2/rooms", json={"customRoomId": "x"})
    (record,) = admin.get("/_emulator/requests").json()
    assert record["method"] == "POST"
    assert record["path"] == "/v2/rooms"
    assert record["body"] == {"customRoomId": "x"}
    assert record["raw_body"] == '{"customRoomId": "x"}'
    assert record["status"] == 200
    assert record["token_claims"]["apikey"] == emu.api_key


def test_admin_rooms(admin: requests.Session, create_room: CreateRoom) -> None:
    room = create_room()
    assert admin.get("/_emulator/rooms").json() == [room]


def test_admin_session_lifecycle(
    admin: requests.Session, api: requests.Session, create_room: CreateRoom
) -> None:
    room = create_room(customRoomId="adm")
    started = admin.post("/_emulator/sessions/start", json={"roomId": "adm"})
    assert started.status_code == 200
    assert started.json()["status"] == "ongoing"
    joined = admin.post(
        "/_emulator/participants/join", json={"roomId": room["roomId"], "participantId": "p1", "name": "P"}
    )
    assert joined.json()["participants"][0]["name"] == "P"
    left = admin.post("/_emulator/participants/leave", json={"roomId": room["roomId"], "participantId": "p1"})
    assert left.status_code == 200
    active = api.get(f"/v2/sessions/{started.json()['id']}/participants/active").json()
    assert active["data"][0]["participants"] == []
    ended = admin.post("/_emulator/sessions/end", json={"roomId": room["roomId"]})
    assert ended.json()["status"] == "ended"


@pytest.mark.parametrize(
    "path",
    ["/_emulator/sessions/start", "/_emulator/sessions/end", "/_emulator/participants/join"],
)
def test_admin_unknown_room_is_404(admin: requests.Session, path: str) -> None:
    response = admin.post(path, json={"roomId": "nope", "participantId": "p"})
    assert response.status_code == 404
    assert response.json()["message"] == "Room not found"


def test_admin_start_in_deactivated_room_is_409(
    admin: requests.Session, api: requests.Session, create_room: CreateRoom
) -> None:
    room = create_room()
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    response = admin.post("/_emulator/sessions/start", json={"roomId": room["roomId"]})
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_emulator/sessions/start", {}),
        ("/_emulator/participants/join", {"roomId": "r"}),
        ("/_emulator/participants/leave", {"participantId": "p"}),
        ("/_emulator/faults", {"kind": "explode"}),
        ("/_emulator/faults", {"kind": "fail"}),
        ("/_emulator/faults", {"kind": "fail", "status": 500, "times": 0}),
        ("/_emulator/faults", {"kind": "delay", "seconds": "1"}),
        ("/_emulator/latency", {"seconds": -1}),
    ],
)
def test_admin_bad_body_is_400(admin: requests.Session, path: str, body: dict[str, Any]) -> None:
    assert admin.post(path, json=body).status_code == 400


def test_admin_body_must_be_a_json_object(admin: requests.Session) -> None:
    assert admin.post("/_emulator/sessions/start", data=b"[1]").status_code == 400
    assert admin.post("/_emulator/sessions/start", data=b"{").status_code == 400


def test_admin_unknown_endpoint_is_404(admin: requests.Session) -> None:
    assert admin.get("/_emulator/nothing").status_code == 404


def test_admin_fail_fault(admin: requests.Session, api: requests.Session) -> None:
    body = {"kind": "fail", "status": 429, "retry_after": "3", "path": "/v2/rooms", "method": "GET"}
    assert admin.post("/_emulator/faults", json=body).status_code == 200
    response = api.get("/v2/rooms")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"


def test_admin_delay_fault(admin: requests.Session, api: requests.Session) -> None:
    admin.post("/_emulator/faults", json={"kind": "delay", "seconds": 0.2})
    started = time.perf_counter()
    assert api.get("/v2/rooms").status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_admin_drop_fault(admin: requests.Session, api: requests.Session, emu: VideoSDKEmulator) -> None:
    admin.post("/_emulator/faults", json={"kind": "drop", "times": 1})
    with pytest.raises(requests.ConnectionError):
        api.post("/v2/rooms", json={})
    assert len(emu.rooms) == 1


def test_admin_latency(admin: requests.Session, emu: VideoSDKEmulator) -> None:
    assert admin.post("/_emulator/latency", json={"seconds": 0.05}).status_code == 200
    assert emu.latency == 0.05


def test_admin_is_not_affected_by_faults(
    admin: requests.Session, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    emu.fail_next(500)
    assert admin.get("/_emulator/requests").status_code == 200
    assert api.get("/v2/rooms").status_code == 500
