"""The emulator's HLS endpoints over HTTP: checks, one stream per room, events, auto-start, delete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event


@pytest.fixture
def events(emu: VideoSDKEmulator) -> Iterator[list[Event]]:
    """Every event the emulator publishes during the test."""
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    yield seen
    unsubscribe()


@pytest.fixture
def live_room(create_room: Callable[..., dict[str, Any]], emu: VideoSDKEmulator) -> str:
    room_id: str = create_room()["roomId"]
    emu.start_session(room_id)
    return room_id


def test_start_answers_the_stream_with_its_session_and_playback_urls(
    api: requests.Session, live_room: str, emu: VideoSDKEmulator
) -> None:
    response = api.post("/v2/hls/start", json={"roomId": live_room})

    assert response.status_code == 200
    hls = response.json()
    session_id = emu.start_session(live_room)["id"]
    assert {key: hls[key] for key in ("roomId", "sessionId", "status", "end")} == {
        "roomId": live_room,
        "sessionId": session_id,
        "status": "playable",
        "end": None,
    }
    assert hls["playbackHlsUrl"] == f"{emu.url}/hls/{live_room}/{hls['id']}/index.m3u8"
    assert hls["livestreamUrl"] == f"{emu.url}/hls/{live_room}/{hls['id']}/live.m3u8"


def test_start_needs_an_ongoing_session(api: requests.Session, create_room: Callable[..., Any]) -> None:
    response = api.post("/v2/hls/start", json={"roomId": create_room()["roomId"]})

    assert response.status_code == 400
    assert "No ongoing session" in response.json()["message"]


def test_start_needs_a_room_id(api: requests.Session) -> None:
    response = api.post("/v2/hls/start", json={})

    assert (response.status_code, response.json()["message"]) == (400, "roomId is required")


def test_start_in_an_unknown_room_is_not_found(api: requests.Session) -> None:
    assert api.post("/v2/hls/start", json={"roomId": "no-such-room"}).status_code == 404


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"layout": {"gridSize": 26}}, "config.layout.gridSize must be an integer from 1 to 25"),
        ({"layout": {"type": "MOSAIC"}}, "config.layout.type must be one of GRID, SPOTLIGHT, SIDEBAR"),
        ({"recording": {"enabled": "true"}}, "config.recording.enabled must be a boolean"),
        ({"volume": 3}, "config.volume is not an allowed field"),
    ],
)
def test_start_refuses_a_bad_config_with_422_naming_the_field(
    api: requests.Session, live_room: str, config: dict[str, Any], message: str
) -> None:
    response = api.post("/v2/hls/start", json={"roomId": live_room, "config": config})

    assert response.status_code == 422
    assert response.json()["message"] == message


def test_a_grid_of_25_is_accepted_on_the_standalone_start(api: requests.Session, live_room: str) -> None:
    response = api.post("/v2/hls/start", json={"roomId": live_room, "config": {"layout": {"gridSize": 25}}})

    assert response.status_code == 200


def test_a_second_start_while_one_runs_is_refused(api: requests.Session, live_room: str) -> None:
    api.post("/v2/hls/start", json={"roomId": live_room})

    response = api.post("/v2/hls/start", json={"roomId": live_room})

    assert response.status_code == 400
    assert "already running" in response.json()["message"]


def test_active_answers_the_running_stream_under_data(api: requests.Session, live_room: str) -> None:
    started = api.post("/v2/hls/start", json={"roomId": live_room}).json()

    response = api.get(f"/v2/hls/{live_room}/active")

    assert response.status_code == 200
    assert response.json() == {"code": 200, "data": started}


def test_active_answers_404_when_no_stream_runs(api: requests.Session, live_room: str) -> None:
    assert api.get(f"/v2/hls/{live_room}/active").status_code == 404


def test_end_stops_the_stream_and_answers_a_string(api: requests.Session, live_room: str) -> None:
    started = api.post("/v2/hls/start", json={"roomId": live_room}).json()

    response = api.post("/v2/hls/end", json={"roomId": live_room})

    assert (response.status_code, response.json()) == (200, "HLS stopped successfully")
    stopped = api.get(f"/v2/hls/{started['id']}").json()
    assert stopped["status"] == "stopped"
    assert stopped["end"] is not None


def test_end_when_nothing_runs_answers_400_not_started(api: requests.Session, live_room: str) -> None:
    response = api.post("/v2/hls/end", json={"roomId": live_room})

    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_end_naming_another_stream_answers_400_not_started(api: requests.Session, live_room: str) -> None:
    api.post("/v2/hls/start", json={"roomId": live_room})

    response = api.post("/v2/hls/end", json={"roomId": live_room, "id": "another"})

    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_a_start_and_a_stop_publish_the_hls_events_in_order(
    api: requests.Session, live_room: str, events: list[Event]
) -> None:
    hls = api.post("/v2/hls/start", json={"roomId": live_room}).json()
    api.post("/v2/hls/end", json={"roomId": live_room})

    assert [event.type for event in events] == [
        "hls-starting",
        "hls-started",
        "hls-playable",
        "hls-stopping",
        "hls-stopped",
    ]
    playable = events[2]
    assert playable.room_id == live_room
    assert playable.data == {
        "meetingId": live_room,
        "roomId": live_room,
        "sessionId": hls["sessionId"],
        "id": hls["id"],
        "playbackHlsUrl": hls["playbackHlsUrl"],
        "livestreamUrl": hls["livestreamUrl"],
    }


def test_ending_the_session_stops_the_stream_before_session_ended(
    api: requests.Session, live_room: str, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    api.post("/v2/hls/start", json={"roomId": live_room})

    emu.end_session(live_room)

    assert [event.type for event in events][-3:] == ["hls-stopping", "hls-stopped", "session-ended"]
    assert api.get(f"/v2/hls/{live_room}/active").status_code == 404


def test_a_room_with_auto_start_hls_starts_it_with_the_session(
    api: requests.Session,
    create_room: Callable[..., dict[str, Any]],
    emu: VideoSDKEmulator,
    events: list[Event],
) -> None:
    room_id = create_room(autoStartConfig={"hls": {"config": {"layout": {"gridSize": 4}}}})["roomId"]

    emu.start_session(room_id)

    assert [event.type for event in events] == [
        "session-started",
        "hls-starting",
        "hls-started",
        "hls-playable",
    ]
    assert api.get(f"/v2/hls/{room_id}/active").json()["data"]["status"] == "playable"


def test_list_needs_a_room_id(api: requests.Session) -> None:
    assert api.get("/v2/hls").status_code == 400


def test_list_pages_the_rooms_streams_newest_first(api: requests.Session, live_room: str) -> None:
    ids = []
    for _ in range(3):
        ids.append(api.post("/v2/hls/start", json={"roomId": live_room}).json()["id"])
        api.post("/v2/hls/end", json={"roomId": live_room})

    page = api.get("/v2/hls", params={"roomId": live_room, "perPage": 2, "page": 1}).json()

    assert [hls["id"] for hls in page["data"]] == ids[:0:-1]
    assert page["pageInfo"] == {"currentPage": 1, "perPage": 2, "lastPage": 2, "total": 3}


def test_delete_is_soft_and_hides_the_stream(api: requests.Session, live_room: str) -> None:
    hls = api.post("/v2/hls/start", json={"roomId": live_room}).json()
    api.post("/v2/hls/end", json={"roomId": live_room})

    response = api.delete(f"/v2/hls/{hls['id']}")

    assert (response.status_code, response.json()) == (200, "HLS deleted successfully")
    assert api.get(f"/v2/hls/{hls['id']}").status_code == 404
    assert api.get("/v2/hls", params={"roomId": live_room}).json()["data"] == []


def test_delete_refuses_a_running_stream(api: requests.Session, live_room: str) -> None:
    hls = api.post("/v2/hls/start", json={"roomId": live_room}).json()

    assert api.delete(f"/v2/hls/{hls['id']}").status_code == 400


def test_hls_calls_need_a_valid_token(api: requests.Session, live_room: str) -> None:
    response = api.post("/v2/hls/start", json={"roomId": live_room}, headers={"Authorization": "nonsense"})

    assert response.status_code == 401
