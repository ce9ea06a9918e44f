"""The emulator's realtime transcription endpoints over HTTP: start, end, the transcriptions list, events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event

PATH = "/ai/v1/realtime-transcriptions"
WEBHOOK_URL = "https://hooks.example.com/captions"


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


def test_start_answers_the_running_transcription(api: requests.Session, live_room: str) -> None:
    response = api.post(f"{PATH}/start", json={"roomId": live_room, "webhookUrl": WEBHOOK_URL})

    assert response.status_code == 200
    transcription = response.json()
    assert (transcription["status"], transcription["webhookUrl"]) == ("running", WEBHOOK_URL)


def test_start_refuses_a_webhook_url_that_is_not_http(api: requests.Session, live_room: str) -> None:
    response = api.post(f"{PATH}/start", json={"roomId": live_room, "webhookUrl": "ftp://x/y"})

    assert response.status_code == 422
    assert response.json()["message"] == "webhookUrl must be an http(s) URL"


def test_end_answers_the_stopped_transcription(api: requests.Session, live_room: str) -> None:
    started = api.post(f"{PATH}/start", json={"roomId": live_room}).json()

    response = api.post(f"{PATH}/end", json={"roomId": live_room})

    assert response.status_code == 200
    assert response.json()["id"] == started["id"]
    assert response.json()["status"] == "stopped"


def test_end_when_none_runs_answers_400_not_started(api: requests.Session, live_room: str) -> None:
    response = api.post(f"{PATH}/end", json={"roomId": live_room})

    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_the_list_uses_the_transcriptions_key_and_needs_no_room(
    api: requests.Session, live_room: str
) -> None:
    started = api.post(f"{PATH}/start", json={"roomId": live_room}).json()

    page = api.get(PATH).json()

    assert page["transcriptions"] == [started]
    assert "data" not in page
    assert page["pageInfo"]["total"] == 1


def test_events_go_to_the_starts_webhook_url(
    api: requests.Session, live_room: str, events: list[Event], emu: VideoSDKEmulator
) -> None:
    api.post(f"{PATH}/start", json={"roomId": live_room, "webhookUrl": WEBHOOK_URL})

    emu.end_session(live_room)

    transcription_events = [event for event in events if event.type.startswith("transcription-")]
    assert [event.type for event in transcription_events] == [
        "transcription-started",
        "transcription-stopped",
    ]
    assert {event.webhook_url for event in transcription_events} == {WEBHOOK_URL}
