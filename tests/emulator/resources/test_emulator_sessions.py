"""Sessions and participants: the Python helpers, the session endpoints and autoCloseConfig."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator

CreateRoom = Callable[..., dict[str, Any]]


def _wait_for(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def _sessions(api: requests.Session, **query: str) -> dict[str, Any]:
    response = api.get("/v2/sessions", params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- Python helpers ---------------------------------------------------------------------------


def test_start_session_returns_ongoing_session(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room(customRoomId="c1")
    session = emu.start_session(room["roomId"])
    assert re.fullmatch(r"[0-9a-f]{24}", session["id"])
    assert session["roomId"] == room["roomId"]
    assert session["customRoomId"] == "c1"
    assert session["status"] == "ongoing"
    assert session["end"] is None
    assert session["participants"] == []


def test_start_session_by_custom_room_id(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room(customRoomId="by-custom")
    assert emu.start_session("by-custom")["roomId"] == room["roomId"]


def test_start_session_twice_returns_the_ongoing_one(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    assert emu.start_session(room["roomId"])["id"] == emu.start_session(room["roomId"])["id"]


def test_start_session_in_unknown_room_raises_key_error(emu: VideoSDKEmulator) -> None:
    with pytest.raises(KeyError, match="Room not found"):
        emu.start_session("nope-nope-nope")


def test_start_session_in_deactivated_room_raises_value_error(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    with pytest.raises(ValueError, match="deactivated"):
        emu.start_session(room["roomId"])


def test_join_starts_a_session_and_logs_time(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    session = emu.join(room["roomId"], "alice", "Alice")
    assert session["status"] == "ongoing"
    (participant,) = session["participants"]
    assert participant["participantId"] == "alice"
    assert participant["name"] == "Alice"
    assert participant["timelog"][0]["end"] is None


def test_leave_and_rejoin_adds_timelog_entries(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    emu.join(room["roomId"], "alice")
    emu.leave(room["roomId"], "alice")
    session = emu.join(room["roomId"], "alice")
    timelog = session["participants"][0]["timelog"]
    assert len(timelog) == 2
    assert timelog[0]["end"] is not None
    assert timelog[1]["end"] is None


def test_leave_of_absent_participant_raises_key_error(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    emu.start_session(room["roomId"])
    with pytest.raises(KeyError):
        emu.leave(room["roomId"], "ghost")


def test_end_session_closes_everyone(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    emu.join(room["roomId"], "alice")
    session = emu.end_session(room["roomId"])
    assert session["status"] == "ended"
    assert session["end"] is not None
    assert session["participants"][0]["timelog"][0]["end"] == session["end"]


def test_end_session_without_ongoing_raises_key_error(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room()
    with pytest.raises(KeyError):
        emu.end_session(room["roomId"])


def test_end_session_keeps_session_ends_room_active(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room(autoCloseConfig={"type": "session-ends"})
    emu.start_session(room["roomId"])
    emu.end_session(room["roomId"])
    assert emu.rooms[0]["disabled"] is False
    assert emu.start_session(room["roomId"])["status"] == "ongoing"


def test_end_session_deactivates_session_end_and_deactivate_room(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room(autoCloseConfig={"type": "session-end-and-deactivate"})
    emu.start_session(room["roomId"])
    emu.end_session(room["roomId"])
    assert api.get(f"/v2/rooms/validate/{room['roomId']}").json()["disabled"] is True
    with pytest.raises(ValueError, match="deactivated"):
        emu.start_session(room["roomId"])


def test_schedule_session_runs_its_timeline(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    emu.schedule_session(room["roomId"], start_in=0.05, duration=0.15, participants=["a", "b"])
    assert _sessions(api, roomId=room["roomId"])["data"] == []
    assert _wait_for(lambda: len(_sessions(api, roomId=room["roomId"], status="ongoing")["data"]) == 1)
    ongoing = _sessions(api, roomId=room["roomId"], status="ongoing")["data"][0]
    assert [p["participantId"] for p in ongoing["participants"]] == ["a", "b"]
    assert _wait_for(lambda: len(_sessions(api, roomId=room["roomId"], status="ended")["data"]) == 1)


def test_schedule_session_in_unknown_room_raises_key_error(emu: VideoSDKEmulator) -> None:
    with pytest.raises(KeyError):
        emu.schedule_session("nope", start_in=0, duration=1)


def test_reset_cancels_scheduled_sessions(create_room: CreateRoom, emu: VideoSDKEmulator) -> None:
    room = create_room(customRoomId="later")
    emu.schedule_session(room["roomId"], start_in=0.1, duration=1)
    emu.reset()
    create_room(customRoomId="later")
    time.sleep(0.2)
    with pytest.raises(KeyError):
        emu.end_session("later")


# --- autoCloseConfig.duration -----------------------------------------------------------------


MINUTE = 0.02


@pytest.fixture
def fast_clock_api(api: requests.Session) -> Iterator[tuple[VideoSDKEmulator, requests.Session]]:
    """Yield a separate emulator whose API minute lasts MINUTE seconds, and a client for it."""
    with VideoSDKEmulator(minute_seconds=MINUTE) as emulator, requests.Session() as session:
        session.headers["Authorization"] = str(api.headers["Authorization"])
        session.headers["Content-Type"] = "application/json"
        yield emulator, session


def _fast_room(fast: tuple[VideoSDKEmulator, requests.Session], body: dict[str, Any]) -> dict[str, Any]:
    emulator, session = fast
    room: dict[str, Any] = session.post(f"{emulator.url}/v2/rooms", json=body, timeout=10).json()
    return room


def test_auto_close_ends_session_after_duration_minutes(
    fast_clock_api: tuple[VideoSDKEmulator, requests.Session],
) -> None:
    emulator, session = fast_clock_api
    room = _fast_room(fast_clock_api, {"autoCloseConfig": {"type": "session-ends", "duration": 5}})
    started = emulator.start_session(room["roomId"])
    url = f"{emulator.url}/v2/sessions/{started['id']}"
    time.sleep(MINUTE)
    assert session.get(url, timeout=10).json()["status"] == "ongoing"
    assert _wait_for(lambda: session.get(url, timeout=10).json()["status"] == "ended")
    assert emulator.rooms[0]["disabled"] is False


def test_auto_close_with_deactivate_disables_room(
    fast_clock_api: tuple[VideoSDKEmulator, requests.Session],
) -> None:
    emulator, session = fast_clock_api
    room = _fast_room(
        fast_clock_api, {"autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 1}}
    )
    emulator.join(room["roomId"], "alice")
    url = f"{emulator.url}/v2/rooms/validate/{room['roomId']}"
    assert _wait_for(lambda: session.get(url, timeout=10).json()["disabled"] is True)


def test_room_without_auto_close_keeps_session_open(
    fast_clock_api: tuple[VideoSDKEmulator, requests.Session],
) -> None:
    emulator, _ = fast_clock_api
    room = _fast_room(fast_clock_api, {})
    emulator.start_session(room["roomId"])
    time.sleep(MINUTE * 3)
    assert emulator.end_session(room["roomId"])["status"] == "ended"


# --- GET /v2/sessions -------------------------------------------------------------------------


def test_list_sessions_newest_first_with_status(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    first = emu.start_session(room["roomId"])
    emu.end_session(room["roomId"])
    second = emu.start_session(room["roomId"])
    body = _sessions(api, roomId=room["roomId"])
    assert body["pageInfo"] == {"currentPage": 1, "perPage": 20, "lastPage": 1, "total": 2}
    assert [(s["id"], s["status"]) for s in body["data"]] == [
        (second["id"], "ongoing"),
        (first["id"], "ended"),
    ]


@pytest.mark.parametrize(("status", "expected"), [("ongoing", ["ongoing"]), ("ended", ["ended", "ended"])])
def test_list_sessions_filters_by_status(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator, status: str, expected: list[str]
) -> None:
    room = create_room()
    for _ in range(2):
        emu.start_session(room["roomId"])
        emu.end_session(room["roomId"])
    emu.start_session(room["roomId"])
    data = _sessions(api, roomId=room["roomId"], status=status)["data"]
    assert [s["status"] for s in data] == expected


def test_list_sessions_by_custom_room_id(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room(customRoomId="cust")
    emu.start_session(room["roomId"])
    data = _sessions(api, customRoomId="cust")["data"]
    assert [s["roomId"] for s in data] == [room["roomId"]]


def test_list_sessions_only_of_that_room(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    mine, other = create_room(), create_room()
    emu.start_session(other["roomId"])
    assert _sessions(api, roomId=mine["roomId"])["data"] == []


def test_list_sessions_of_unknown_room_is_empty(api: requests.Session) -> None:
    body = _sessions(api, roomId="zzzz-zzzz-zzzz")
    assert body["data"] == []
    assert body["pageInfo"]["lastPage"] == 1


def test_list_sessions_paginates(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    for _ in range(3):
        emu.start_session(room["roomId"])
        emu.end_session(room["roomId"])
    body = _sessions(api, roomId=room["roomId"], perPage="2", page="2")
    assert body["pageInfo"] == {"currentPage": 2, "perPage": 2, "lastPage": 2, "total": 3}
    assert len(body["data"]) == 1


def test_list_sessions_without_room_is_400(api: requests.Session) -> None:
    response = api.get("/v2/sessions")
    assert response.status_code == 400
    assert "roomId" in response.json()["message"]


def test_list_sessions_with_bad_status_is_400(api: requests.Session) -> None:
    assert api.get("/v2/sessions", params={"roomId": "r", "status": "live"}).status_code == 400


# --- GET /v2/sessions/{id}[/participants[/active]] --------------------------------------------


def test_get_session(create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator) -> None:
    room = create_room()
    session = emu.join(room["roomId"], "alice")
    response = api.get(f"/v2/sessions/{session['id']}")
    assert response.status_code == 200
    assert response.json() == session


def test_get_unknown_session_is_404(api: requests.Session) -> None:
    response = api.get("/v2/sessions/0123456789abcdef01234567")
    assert response.status_code == 404
    assert response.json()["message"] == "Session not found"


def test_session_participants_is_paged_object(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    for pid in ("a", "b", "c"):
        session = emu.join(room["roomId"], pid)
    body = api.get(f"/v2/sessions/{session['id']}/participants", params={"perPage": 2}).json()
    assert body["pageInfo"] == {"currentPage": 1, "perPage": 2, "lastPage": 2, "total": 3}
    assert body["data"]["id"] == session["id"]
    assert [p["participantId"] for p in body["data"]["participants"]] == ["a", "b"]


def test_active_participants_lists_only_joined(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    emu.join(room["roomId"], "a")
    session = emu.join(room["roomId"], "b")
    emu.leave(room["roomId"], "a")
    body = api.get(f"/v2/sessions/{session['id']}/participants/active").json()
    assert body["pageInfo"]["total"] == 1
    (data,) = body["data"]
    assert data["id"] == session["id"]
    assert [p["participantId"] for p in data["participants"]] == ["b"]


@pytest.mark.parametrize("suffix", ["/participants", "/participants/active"])
def test_participants_of_unknown_session_is_404(api: requests.Session, suffix: str) -> None:
    assert api.get(f"/v2/sessions/0123456789abcdef01234567{suffix}").status_code == 404


# --- POST /v2/sessions/end --------------------------------------------------------------------


@pytest.mark.parametrize("key", ["roomId", "customRoomId"])
def test_end_session_endpoint(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator, key: str
) -> None:
    room = create_room(customRoomId="to-end")
    session = emu.join(room["roomId"], "alice")
    response = api.post("/v2/sessions/end", json={key: room[key]})
    assert response.status_code == 200
    assert response.json()["id"] == session["id"]
    assert response.json()["status"] == "ended"


def test_end_session_endpoint_with_matching_session_id(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    session = emu.start_session(room["roomId"])
    response = api.post("/v2/sessions/end", json={"roomId": room["roomId"], "sessionId": session["id"]})
    assert response.json()["status"] == "ended"


def test_end_session_endpoint_with_other_session_id_is_404(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    emu.start_session(room["roomId"])
    response = api.post("/v2/sessions/end", json={"roomId": room["roomId"], "sessionId": "0" * 24})
    assert response.status_code == 404


def test_end_session_endpoint_without_ongoing_is_404(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    response = api.post("/v2/sessions/end", json={"roomId": room["roomId"]})
    assert response.status_code == 404
    assert response.json()["error"] == "resource_not_found"


def test_end_session_endpoint_unknown_room_is_404(api: requests.Session) -> None:
    assert api.post("/v2/sessions/end", json={"roomId": "zzzz-zzzz-zzzz"}).status_code == 404


def test_end_session_endpoint_without_room_is_400(api: requests.Session) -> None:
    assert api.post("/v2/sessions/end", json={"sessionId": "x"}).status_code == 400


def test_end_session_endpoint_honours_deactivate(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room(autoCloseConfig={"type": "session-end-and-deactivate"})
    emu.start_session(room["roomId"])
    api.post("/v2/sessions/end", json={"roomId": room["roomId"]})
    assert emu.rooms[0]["disabled"] is True


def test_deactivate_ends_the_ongoing_session(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    session = emu.join(room["roomId"], "alice")
    api.post("/v2/rooms/deactivate", json={"roomId": room["roomId"]})
    assert api.get(f"/v2/sessions/{session['id']}").json()["status"] == "ended"


# --- POST /v2/sessions/participants/remove ----------------------------------------------------


def test_remove_participant(create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator) -> None:
    room = create_room()
    emu.join(room["roomId"], "alice")
    emu.join(room["roomId"], "bob")
    response = api.post(
        "/v2/sessions/participants/remove", json={"roomId": room["roomId"], "participantId": "bob"}
    )
    assert response.status_code == 200
    bob = next(p for p in response.json()["participants"] if p["participantId"] == "bob")
    assert bob["timelog"][-1]["end"] is not None
    active = api.get(f"/v2/sessions/{response.json()['id']}/participants/active").json()["data"][0]
    assert [p["participantId"] for p in active["participants"]] == ["alice"]


def test_remove_absent_participant_is_404(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator
) -> None:
    room = create_room()
    emu.start_session(room["roomId"])
    response = api.post(
        "/v2/sessions/participants/remove", json={"roomId": room["roomId"], "participantId": "x"}
    )
    assert response.status_code == 404


def test_remove_without_ongoing_session_is_404(create_room: CreateRoom, api: requests.Session) -> None:
    room = create_room()
    response = api.post(
        "/v2/sessions/participants/remove", json={"roomId": room["roomId"], "participantId": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body", [{"roomId": "r"}, {"participantId": "p"}, {"roomId": 1, "participantId": "p"}]
)
def test_remove_with_missing_fields_is_400(api: requests.Session, body: dict[str, Any]) -> None:
    assert api.post("/v2/sessions/participants/remove", json=body).status_code == 400
