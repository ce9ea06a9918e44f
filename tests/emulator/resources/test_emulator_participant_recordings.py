"""Participant and track recordings and merges in the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event

CreateRoom = Callable[..., dict[str, Any]]
PARTICIPANT = "/v2/recordings/participant"
TRACK = "/v2/recordings/participant/track"
MERGE = "/v2/recordings/participant/merge"


@pytest.fixture
def live_room(create_room: CreateRoom, emu: VideoSDKEmulator) -> dict[str, Any]:
    room = create_room()
    room["session"] = emu.join(room["roomId"], "ada", "Ada")
    return room


def listed(api: requests.Session, path: str, key: str = "data", **query: str) -> list[dict[str, Any]]:
    response = api.get(path, params=query)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()[key]
    return items


def test_participant_recording_runs_then_completes_with_a_webm_file(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada"}
    assert api.post(f"{PARTICIPANT}/start", json=body | {"fileFormat": "webm"}).status_code == 200
    assert listed(api, PARTICIPANT)[0]["status"] == "recording"
    assert api.post(f"{PARTICIPANT}/stop", json=body).json() == "Recording stopped successfully"
    [recording] = listed(api, PARTICIPANT, participantId="ada")
    assert (recording["status"], recording["fileFormat"]) == ("completed", "webm")
    [file] = recording["files"]
    assert file["filePath"].endswith(".webm")
    assert requests.get(file["fileUrl"], timeout=10).status_code == 200


def test_participant_not_in_the_session_cannot_be_recorded(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    response = api.post(f"{PARTICIPANT}/start", json={"roomId": live_room["roomId"], "participantId": "zed"})
    assert response.status_code == 400
    assert "zed" in response.json()["message"]


def test_participant_stop_with_nothing_running_says_not_started(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    response = api.post(f"{PARTICIPANT}/stop", json={"roomId": live_room["roomId"], "participantId": "ada"})
    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_unknown_file_format_is_answered_422(api: requests.Session, live_room: dict[str, Any]) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada", "fileFormat": "avi"}
    response = api.post(f"{PARTICIPANT}/start", json=body)
    assert response.status_code == 422
    assert "fileFormat" in response.json()["message"]


def test_leaving_stops_the_participants_recording(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    api.post(f"{PARTICIPANT}/start", json={"roomId": live_room["roomId"], "participantId": "ada"})
    emu.leave(live_room["roomId"], "ada")
    assert listed(api, PARTICIPANT)[0]["status"] == "completed"


def test_track_recording_carries_its_kind(api: requests.Session, live_room: dict[str, Any]) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada", "kind": "screen_audio"}
    assert api.post(f"{TRACK}/start", json=body).status_code == 200
    assert api.post(f"{TRACK}/stop", json=body).status_code == 200
    [track] = listed(api, TRACK)
    assert track["kind"] == "screen_audio"
    assert track["files"][0]["type"] == "screen_audio"
    assert listed(api, PARTICIPANT) == []


def test_track_stop_of_another_kind_says_not_started(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada"}
    api.post(f"{TRACK}/start", json=body | {"kind": "audio"})
    response = api.post(f"{TRACK}/stop", json=body | {"kind": "video"})
    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_track_start_needs_a_known_kind(api: requests.Session, live_room: dict[str, Any]) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada", "kind": "hologram"}
    response = api.post(f"{TRACK}/start", json=body)
    assert response.status_code == 422
    assert "kind" in response.json()["message"]


def test_track_events_name_participant_and_kind(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    body = {"roomId": live_room["roomId"], "participantId": "ada", "kind": "audio"}
    try:
        api.post(f"{TRACK}/start", json=body)
        api.post(f"{TRACK}/stop", json=body)
    finally:
        unsubscribe()
    assert [event.type for event in seen] == [
        f"participant-track-recording-{step}" for step in ("starting", "started", "stopping", "stopped")
    ]
    assert {(event.data["participantId"], event.data["kind"]) for event in seen} == {("ada", "audio")}


def test_participant_stopped_event_has_file_details(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    body = {"roomId": live_room["roomId"], "participantId": "ada"}
    try:
        api.post(f"{PARTICIPANT}/start", json=body)
        api.post(f"{PARTICIPANT}/stop", json=body)
    finally:
        unsubscribe()
    assert seen[-1].type == "participant-recording-stopped"
    assert seen[-1].data["fileDetails"] == listed(api, PARTICIPANT)[0]["files"]


def test_get_and_delete_participant_and_track_recordings(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    body = {"roomId": live_room["roomId"], "participantId": "ada"}
    api.post(f"{PARTICIPANT}/start", json=body)
    api.post(f"{PARTICIPANT}/stop", json=body)
    recording_id = listed(api, PARTICIPANT)[0]["id"]
    assert api.get(f"{PARTICIPANT}/{recording_id}").json()["id"] == recording_id
    assert api.get(f"{TRACK}/{recording_id}").status_code == 404
    assert api.delete(f"{PARTICIPANT}/{recording_id}").status_code == 200
    assert api.get(f"{PARTICIPANT}/{recording_id}").status_code == 404


def test_merge_of_recorded_participants_completes_with_a_file(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    emu.join(live_room["roomId"], "bob")
    for participant in ("ada", "bob"):
        api.post(f"{PARTICIPANT}/start", json={"roomId": live_room["roomId"], "participantId": participant})
    session = emu.end_session(live_room["roomId"])
    body = {
        "sessionId": session["id"],
        "channel1": [{"participantId": "ada"}],
        "channel2": [{"participantId": "bob"}],
    }
    response = api.post(MERGE, json=body)
    assert response.status_code == 200
    merge = response.json()
    assert merge["status"] == "processing"
    deadline = time.monotonic() + 5
    while api.get(f"{MERGE}/{merge['id']}").json()["status"] != "completed" and time.monotonic() < deadline:
        time.sleep(0.02)
    [done] = listed(api, MERGE, key="recordings", sessionId=session["id"])
    assert done["status"] == "completed"
    assert requests.get(done["file"]["fileUrl"], timeout=10).status_code == 200


def test_merge_of_an_unrecorded_participant_is_refused(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    session = emu.end_session(live_room["roomId"])
    response = api.post(MERGE, json={"sessionId": session["id"], "channel1": [{"participantId": "ada"}]})
    assert response.status_code == 400
    assert "ada" in response.json()["message"]


@pytest.mark.parametrize(
    ("channel", "path"), [([], "channel1"), ([{}], "channel1[0].participantId"), ("ada", "channel1")]
)
def test_merge_needs_a_non_empty_channel_of_participants(
    api: requests.Session, channel: object, path: str
) -> None:
    response = api.post(MERGE, json={"sessionId": "s", "channel1": channel})
    assert response.status_code == 422
    assert path in response.json()["message"]
