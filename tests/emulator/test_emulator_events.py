"""The event bus: what the session state publishes, in which order, and that subscribers cannot break it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event, EventBus

CreateRoom = Callable[..., dict[str, Any]]


@pytest.fixture
def events(emu: VideoSDKEmulator) -> Iterator[list[Event]]:
    """Yield the events the emulator publishes during the test (subscribed, then unsubscribed)."""
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    yield seen
    unsubscribe()


def _types(events: list[Event]) -> list[str]:
    return [event.type for event in events]


# --- the bus -------------------------------------------------------------------------------------


def test_publish_hands_each_subscriber_the_event_once() -> None:
    bus = EventBus()
    first: list[Event] = []
    second: list[Event] = []
    bus.subscribe(first.append)
    bus.subscribe(second.append)
    bus.publish("recording-started", {"meetingId": "r"}, room_id="r", webhook_url="https://e.com/h")
    expected = Event("recording-started", {"meetingId": "r"}, "r", "https://e.com/h")
    assert first == [expected]
    assert second == [expected]


def test_publish_without_subscribers_does_nothing() -> None:
    EventBus().publish("session-started", {}, room_id="r")


def test_unsubscribed_callback_gets_no_more_events() -> None:
    bus = EventBus()
    seen: list[Event] = []
    unsubscribe = bus.subscribe(seen.append)
    bus.publish("a", {}, room_id="r")
    unsubscribe()
    unsubscribe()
    bus.publish("b", {}, room_id="r")
    assert _types(seen) == ["a"]


def test_failing_subscriber_is_logged_and_the_others_still_get_the_event(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = EventBus()
    seen: list[Event] = []

    def broken(event: Event) -> None:
        raise RuntimeError("subscriber bug")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    with caplog.at_level(logging.ERROR, logger="videosdk_provider.emulator.events"):
        bus.publish("session-started", {}, room_id="r")
    assert _types(seen) == ["session-started"]
    assert "session-started" in caplog.text
    assert "subscriber bug" in caplog.text


# --- what the session state publishes ------------------------------------------------------------


def test_session_lifecycle_publishes_each_event_once_in_order(
    create_room: CreateRoom, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    room_id = create_room()["roomId"]
    started = emu.join(room_id, "p1", "Ada")
    emu.join(room_id, "p1")
    emu.leave(room_id, "p1")
    ended = emu.end_session(room_id)
    ids = {"meetingId": room_id, "roomId": room_id, "sessionId": started["id"]}
    assert events == [
        Event("session-started", {**ids, "start": started["start"]}, room_id),
        Event("participant-joined", {**ids, "participantId": "p1", "participantName": "Ada"}, room_id),
        Event("participant-left", {**ids, "participantId": "p1", "participantName": "Ada"}, room_id),
        Event("session-ended", {**ids, "start": started["start"], "end": ended["end"]}, room_id),
    ]


def test_ending_a_session_lets_joined_participants_leave_first(
    create_room: CreateRoom, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    room_id = create_room()["roomId"]
    emu.join(room_id, "p1")
    emu.join(room_id, "p2")
    emu.end_session(room_id)
    assert [(e.type, e.data.get("participantId")) for e in events] == [
        ("session-started", None),
        ("participant-joined", "p1"),
        ("participant-joined", "p2"),
        ("participant-left", "p1"),
        ("participant-left", "p2"),
        ("session-ended", None),
    ]


def test_starting_an_ongoing_session_again_publishes_nothing(
    create_room: CreateRoom, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    room_id = create_room()["roomId"]
    emu.start_session(room_id)
    emu.start_session(room_id)
    assert _types(events) == ["session-started"]


def test_api_calls_publish_session_end_and_participant_removal(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    room_id = create_room()["roomId"]
    emu.join(room_id, "p1")
    emu.join(room_id, "p2")
    removed = api.post("/v2/sessions/participants/remove", json={"roomId": room_id, "participantId": "p1"})
    assert removed.status_code == 200
    assert api.post("/v2/sessions/end", json={"roomId": room_id}).status_code == 200
    assert [(e.type, e.data.get("participantId")) for e in events][3:] == [
        ("participant-left", "p1"),
        ("participant-left", "p2"),
        ("session-ended", None),
    ]


def test_deactivating_a_room_ends_its_session_with_events(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    room_id = create_room()["roomId"]
    emu.join(room_id, "p1")
    assert api.post("/v2/rooms/deactivate", json={"roomId": room_id}).status_code == 200
    assert _types(events) == ["session-started", "participant-joined", "participant-left", "session-ended"]


def test_failing_subscriber_does_not_break_the_api_request(
    create_room: CreateRoom, api: requests.Session, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("subscriber bug")

    room_id = create_room()["roomId"]
    emu.start_session(room_id)
    unsubscribe = emu.events.subscribe(broken)
    try:
        response = api.post("/v2/sessions/end", json={"roomId": room_id})
    finally:
        unsubscribe()
    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    assert _types(events) == ["session-started", "session-ended"]


def test_subscriptions_survive_reset(
    create_room: CreateRoom, emu: VideoSDKEmulator, events: list[Event]
) -> None:
    emu.reset()
    emu.start_session(create_room()["roomId"])
    assert _types(events) == ["session-started"]
