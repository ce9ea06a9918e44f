"""The emulator's livestream endpoints over HTTP: body checks that never echo a stream key, events, lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event

STREAM_KEY = "emulator-stream-key-4d2c"
OUTPUTS = [{"url": "rtmp://ingest.example.com/live", "streamKey": STREAM_KEY}]


@pytest.fixture
def events(emu: VideoSDKEmulator) -> Iterator[list[Event]]:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    yield seen
    unsubscribe()


@pytest.fixture
def live_room(create_room: Callable[..., dict[str, Any]], emu: VideoSDKEmulator) -> str:
    room_id: str = create_room()["roomId"]
    emu.start_session(room_id)
    return room_id


def test_start_answers_a_string_and_the_list_shows_the_livestream(
    api: requests.Session, live_room: str
) -> None:
    response = api.post("/v2/livestreams/start", json={"roomId": live_room, "outputs": OUTPUTS})

    assert (response.status_code, response.json()) == (200, "Livestream started successfully")
    (livestream,) = api.get("/v2/livestreams", params={"roomId": live_room}).json()["data"]
    assert livestream["outputs"] == OUTPUTS
    assert livestream["status"] == "started"
    assert api.get(f"/v2/livestreams/{livestream['id']}").json() == livestream


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "outputs is required"),
        ({"outputs": []}, "outputs must not be empty"),
        (
            {"outputs": [{"url": "https://x/live", "streamKey": STREAM_KEY}]},
            "outputs[0].url must be an rtmp(s) URL",
        ),
        ({"outputs": [{"url": "rtmp://x/live"}]}, "outputs[0].streamKey is required"),
        (
            {"outputs": [{"url": "rtmp://x/live", "streamKey": ""}]},
            "outputs[0].streamKey must be a non-empty string",
        ),
        ({"outputs": OUTPUTS, "config": {"layout": {"gridSize": 26}}}, "config.layout.gridSize must be"),
    ],
)
def test_bad_bodies_answer_422_naming_the_field_and_never_the_key(
    api: requests.Session, live_room: str, body: dict[str, Any], message: str
) -> None:
    response = api.post("/v2/livestreams/start", json={"roomId": live_room, **body})

    assert response.status_code == 422
    assert message in response.json()["message"]
    assert STREAM_KEY not in response.text


def test_start_needs_an_ongoing_session(api: requests.Session, create_room: Callable[..., Any]) -> None:
    response = api.post("/v2/livestreams/start", json={"roomId": create_room()["roomId"], "outputs": OUTPUTS})

    assert response.status_code == 400


def test_end_stops_it_and_a_second_end_answers_not_started(api: requests.Session, live_room: str) -> None:
    api.post("/v2/livestreams/start", json={"roomId": live_room, "outputs": OUTPUTS})

    first = api.post("/v2/livestreams/end", json={"roomId": live_room})
    second = api.post("/v2/livestreams/end", json={"roomId": live_room})

    assert (first.status_code, first.json()) == (200, "Livestream stopped successfully")
    assert second.status_code == 400
    assert "not started" in second.json()["message"]


def test_livestream_events_carry_ids_but_no_outputs(
    api: requests.Session, live_room: str, events: list[Event]
) -> None:
    api.post("/v2/livestreams/start", json={"roomId": live_room, "outputs": OUTPUTS})
    api.post("/v2/livestreams/end", json={"roomId": live_room})

    assert [event.type for event in events] == [
        "livestream-starting",
        "livestream-started",
        "livestream-stopping",
        "livestream-stopped",
    ]
    assert all(set(event.data) == {"meetingId", "roomId", "sessionId", "id"} for event in events)
    assert STREAM_KEY not in repr(events)


def test_ending_the_session_stops_the_livestream(
    api: requests.Session, live_room: str, emu: VideoSDKEmulator
) -> None:
    api.post("/v2/livestreams/start", json={"roomId": live_room, "outputs": OUTPUTS})

    emu.end_session(live_room)

    (livestream,) = api.get("/v2/livestreams", params={"roomId": live_room}).json()["data"]
    assert livestream["status"] == "stopped"
    assert livestream["end"] is not None


def test_list_needs_a_room_id(api: requests.Session) -> None:
    assert api.get("/v2/livestreams").status_code == 400
