"""The unauthenticated ``/_emulator/`` admin endpoints."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator

CreateRoom = Callable[..., dict[str, Any]]


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
