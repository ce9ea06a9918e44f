"""Room endpoints: create (shape, idempotency), validate, get, list with pages, deactivate."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator

CreateRoom = Callable[..., dict[str, Any]]
ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# --- create -----------------------------------------------------------------------------------


def test_create_returns_room_shape(api: requests.Session, emu: VideoSDKEmulator) -> None:
    response = api.post("/v2/rooms", json={})
    room = response.json()
    assert response.status_code == 200
    assert set(room) == {"roomId", "userId", "disabled", "createdAt", "updatedAt", "id", "links"}
    assert re.fullmatch(r"[a-z]{4}-[a-z]{4}-[a-z]{4}", room["roomId"])
    assert re.fullmatch(r"[0-9a-f]{24}", room["id"])
    assert re.fullmatch(r"[0-9a-f]{24}", room["userId"])
    assert room["disabled"] is False
    assert ISO_MS_Z.match(room["createdAt"])
    assert room["updatedAt"] == room["createdAt"]
    assert room["links"] == {
        "get_room": f"{emu.url}/v2/rooms/{room['roomId']}",
        "get_session": f"{emu.url}/v2/sessions/",
    }


def test_create_echoes_given_configuration(api: requests.Session) -> None:
    body = {
        "customRoomId": "standup",
        "webhook": {"endPoint": "https://e.com/h", "events": ["session-*"]},
        "autoCloseConfig": {"type": "session-ends", "duration": 30},
        "autoStartConfig": {"hls": {"config": {"recording": {"enabled": True}}}},
    }
    room = api.post("/v2/rooms", json=body).json()
    assert {key: room[key] for key in body} == body


def test_created_at_is_current_utc(api: requests.Session) -> None:
    room = api.post("/v2/rooms", json={}).json()
    created = datetime.fromisoformat(room["createdAt"].replace("Z", "+00:00"))
    assert abs((datetime.now(created.tzinfo) - created).total_seconds()) < 5


def test_user_id_is_the_same_for_every_room(create_room: CreateRoom) -> None:
    assert create_room()["userId"] == create_room()["userId"]


def test_rooms_without_custom_id_are_distinct(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    first, second = create_room(), create_room()
    assert first["roomId"] != second["roomId"]
    assert first["id"] != second["id"]
    assert len(emu.rooms) == 2


def test_repeat_custom_room_id_returns_existing_room(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    first = create_room(customRoomId="daily")
    second = create_room(customRoomId="daily")
    assert second == first
    assert len(emu.rooms) == 1


def test_repeat_custom_room_id_keeps_original_configuration(create_room: CreateRoom) -> None:
    create_room(customRoomId="daily", autoCloseConfig={"type": "session-ends"})
    again = create_room(customRoomId="daily", autoCloseConfig={"type": "session-end-and-deactivate"})
    assert again["autoCloseConfig"] == {"type": "session-ends"}


def test_repeat_custom_room_id_of_deactivated_room_returns_it_disabled(
    create_room: CreateRoom, api: requests.Session
) -> None:
    room = create_room(customRoomId="once")
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    again = create_room(customRoomId="once")
    assert again["roomId"] == room["roomId"]
    assert again["disabled"] is True


# --- validate and get -------------------------------------------------------------------------


def test_validate_by_room_id(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    response = api.get(f"/v2/rooms/validate/{room['roomId']}")
    assert response.status_code == 200
    assert response.json() == room


def test_validate_by_custom_room_id(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room(customRoomId="my room/1")
    response = api.get("/v2/rooms/validate/my%20room%2F1")
    assert response.json()["roomId"] == room["roomId"]


def test_validate_unknown_room_is_404(api: requests.Session) -> None:
    response = api.get("/v2/rooms/validate/zzzz-zzzz-zzzz")
    assert response.status_code == 404
    assert response.json() == {"statusCode": 404, "error": "resource_not_found", "message": "Room not found"}


def test_validate_does_not_accept_object_id(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    assert api.get(f"/v2/rooms/validate/{room['id']}").status_code == 404


def test_validate_deactivated_room_returns_disabled(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    response = api.get(f"/v2/rooms/validate/{room['roomId']}")
    assert response.status_code == 200
    assert response.json()["disabled"] is True


@pytest.mark.parametrize("key", ["roomId", "customRoomId", "id"])
def test_get_room_by_any_identifier(create_room: CreateRoom, api: requests.Session, key: str) -> None:
    room = create_room(customRoomId="lookup")
    response = api.get(f"/v2/rooms/{room[key]}")
    assert response.status_code == 200
    assert response.json() == room


def test_get_unknown_room_is_404(api: requests.Session) -> None:
    response = api.get("/v2/rooms/abcd-efgh-ijkl")
    assert response.status_code == 404
    assert response.json()["message"] == "Room not found"


# --- list -------------------------------------------------------------------------------------


def test_list_empty_has_last_page_1(api: requests.Session) -> None:
    body = api.get("/v2/rooms").json()
    assert body == {"pageInfo": {"currentPage": 1, "perPage": 20, "lastPage": 1, "total": 0}, "data": []}


def test_list_is_newest_first_with_user(create_room: CreateRoom, api: requests.Session) -> None:
    ids = [create_room()["roomId"] for _ in range(3)]
    data = api.get("/v2/rooms").json()["data"]
    assert [room["roomId"] for room in data] == ids[::-1]
    assert set(data[0]["user"]) == {"id", "email", "name"}
    assert data[0]["user"]["id"] == data[0]["userId"]


@pytest.mark.parametrize(
    ("query", "page_info", "count"),
    [
        ({"perPage": "2"}, {"currentPage": 1, "perPage": 2, "lastPage": 3, "total": 5}, 2),
        ({"perPage": "2", "page": "3"}, {"currentPage": 3, "perPage": 2, "lastPage": 3, "total": 5}, 1),
        ({"perPage": "2", "page": "4"}, {"currentPage": 4, "perPage": 2, "lastPage": 3, "total": 5}, 0),
        ({"perPage": "5"}, {"currentPage": 1, "perPage": 5, "lastPage": 1, "total": 5}, 5),
        ({"perPage": "1000"}, {"currentPage": 1, "perPage": 100, "lastPage": 1, "total": 5}, 5),
    ],
    ids=["first-page", "last-partial-page", "beyond-last", "exact", "clamped-to-100"],
)
def test_list_pagination(
    create_room: CreateRoom,
    api: requests.Session,
    query: dict[str, str],
    page_info: dict[str, int],
    count: int,
) -> None:
    for _ in range(5):
        create_room()
    body = api.get("/v2/rooms", params=query).json()
    assert body["pageInfo"] == page_info
    assert len(body["data"]) == count


def test_list_pages_cover_every_room_once(create_room: CreateRoom, api: requests.Session) -> None:
    created = {create_room()["roomId"] for _ in range(7)}
    seen = [
        room["roomId"]
        for page in (1, 2, 3)
        for room in api.get("/v2/rooms", params={"page": page, "perPage": 3}).json()["data"]
    ]
    assert sorted(seen) == sorted(created)


@pytest.mark.parametrize("name", ["page", "perPage"])
@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", ""])
def test_list_rejects_bad_paging_values(api: requests.Session, name: str, value: str) -> None:
    response = api.get("/v2/rooms", params={name: value})
    assert response.status_code == 400
    assert response.json()["message"] == f"{name} must be a positive integer"


# --- deactivate -------------------------------------------------------------------------------


def test_deactivate_returns_disabled_room(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    response = api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    assert response.status_code == 200
    assert response.json()["roomId"] == room["roomId"]
    assert response.json()["disabled"] is True


def test_deactivate_is_stored(create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator) -> None:
    room = create_room()
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    assert emu.rooms[0]["disabled"] is True
    assert api.get(f"/v2/rooms/{room['roomId']}").json()["disabled"] is True


def test_deactivate_twice_is_still_200(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    response = api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    assert response.status_code == 200
    assert response.json()["disabled"] is True


def test_deactivate_by_custom_room_id_is_402_and_deactivates_nothing(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    create_room(customRoomId="custom")
    response = api.post("/v2/rooms/deactivate", json={"roomId": "custom"})
    assert response.status_code == 402
    assert response.json() == {
        "statusCode": 402,
        "error": "resource_not_found",
        "message": "Room not found: deactivation takes the roomId, not a customRoomId",
    }
    assert emu.rooms[0]["disabled"] is False


def test_deactivate_unknown_room_is_404(api: requests.Session) -> None:
    response = api.post("/v2/rooms/deactivate", json={"roomId": "abcd-efgh-ijkl"})
    assert response.status_code == 404
    assert response.json()["message"] == "Room not found"


@pytest.mark.parametrize("body", [{}, {"roomId": ""}, {"roomId": 5}, {"customRoomId": "x"}])
def test_deactivate_without_room_id_is_400(api: requests.Session, body: dict[str, Any]) -> None:
    response = api.post("/v2/rooms/deactivate", json=body)
    assert response.status_code == 400
    assert "roomId" in response.json()["message"]
