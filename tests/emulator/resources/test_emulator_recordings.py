"""Room recordings in the emulator: start, end, files, auto-start, soft delete, checks and events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event

CreateRoom = Callable[..., dict[str, Any]]


@pytest.fixture
def live_room(create_room: CreateRoom, emu: VideoSDKEmulator) -> dict[str, Any]:
    """Create a room with an ongoing session (``session`` holds it)."""
    room = create_room()
    room["session"] = emu.join(room["roomId"], "ada", "Ada")
    return room


@pytest.fixture
def events(emu: VideoSDKEmulator) -> Iterator[list[Event]]:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    yield seen
    unsubscribe()


def recordings(api: requests.Session, room_id: str, **query: str) -> list[dict[str, Any]]:
    response = api.get("/v2/recordings", params={"roomId": room_id, **query})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_start_answers_a_bare_string_and_lists_a_running_recording(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    response = api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    assert response.status_code == 200
    assert response.json() == "Recording started successfully"
    [recording] = recordings(api, live_room["roomId"])
    assert recording["status"] == "recording"
    assert recording["sessionId"] == live_room["session"]["id"]
    assert "file" not in recording


def test_end_completes_the_recording_with_a_downloadable_file(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    emu.recording_file_size = 1000
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    response = api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    assert response.json() == "Recording stopped successfully"
    [recording] = recordings(api, live_room["roomId"])
    assert recording["status"] == "completed"
    file = recording["file"]
    assert file["size"] == 1000
    assert file["filePath"] == f"recordings/{live_room['roomId']}/{recording['id']}.mp4"
    download = requests.get(file["fileUrl"], timeout=10)
    assert download.status_code == 200
    assert len(download.content) == 1000


def test_start_without_an_ongoing_session_is_refused(api: requests.Session, create_room: CreateRoom) -> None:
    response = api.post("/v2/recordings/start", json={"roomId": create_room()["roomId"]})
    assert response.status_code == 400
    assert "No ongoing session" in response.json()["message"]


def test_start_in_an_unknown_room_is_not_found(api: requests.Session) -> None:
    assert api.post("/v2/recordings/start", json={"roomId": "nope-nope-nope"}).status_code == 404


def test_second_start_while_recording_is_refused(api: requests.Session, live_room: dict[str, Any]) -> None:
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    response = api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    assert response.status_code == 400
    assert "already started" in response.json()["message"]


def test_end_with_nothing_running_says_not_started(api: requests.Session, live_room: dict[str, Any]) -> None:
    response = api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    assert response.status_code == 400
    assert "not started" in response.json()["message"]


def test_end_of_another_recording_id_says_not_started(
    api: requests.Session, live_room: dict[str, Any]
) -> None:
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    response = api.post("/v2/recordings/end", json={"roomId": live_room["roomId"], "id": "other"})
    assert response.status_code == 400
    assert recordings(api, live_room["roomId"])[0]["status"] == "recording"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"config": {"layout": {"gridSize": 5}}}, "config.layout.gridSize"),
        ({"config": {"theme": "PINK"}}, "config.theme"),
        ({"transcription": {"enabled": "true"}}, "transcription.enabled"),
        ({"webhookUrl": "ftp://example.com/hook"}, "webhookUrl"),
        ({"templateUrl": "not a url"}, "templateUrl"),
    ],
)
def test_bad_start_body_is_answered_422_naming_the_field(
    api: requests.Session, live_room: dict[str, Any], body: dict[str, Any], path: str
) -> None:
    response = api.post("/v2/recordings/start", json={"roomId": live_room["roomId"], **body})
    assert response.status_code == 422
    assert path in response.json()["message"]
    assert recordings(api, live_room["roomId"]) == []


def test_list_requires_a_room_id(api: requests.Session) -> None:
    assert api.get("/v2/recordings").status_code == 400


def test_ending_the_session_completes_its_recording(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    emu.end_session(live_room["roomId"])
    assert recordings(api, live_room["roomId"])[0]["status"] == "completed"


def test_auto_start_records_each_session_from_its_start(
    api: requests.Session, emu: VideoSDKEmulator, create_room: CreateRoom
) -> None:
    room = create_room(autoStartConfig={"recording": {"config": {"layout": {"type": "GRID"}}}})
    session = emu.start_session(room["roomId"])
    [running] = recordings(api, room["roomId"])
    assert (running["status"], running["sessionId"]) == ("recording", session["id"])
    emu.end_session(room["roomId"])
    assert recordings(api, room["roomId"])[0]["file"]["size"] == emu.recording_file_size


def test_list_filters_by_session(
    api: requests.Session, emu: VideoSDKEmulator, create_room: CreateRoom
) -> None:
    room = create_room(autoStartConfig={"recording": {}})
    first = emu.start_session(room["roomId"])
    emu.end_session(room["roomId"])
    emu.start_session(room["roomId"])
    assert len(recordings(api, room["roomId"])) == 2
    [only] = recordings(api, room["roomId"], sessionId=first["id"])
    assert only["sessionId"] == first["id"]


def test_delete_hides_the_recording(api: requests.Session, live_room: dict[str, Any]) -> None:
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    recording_id = recordings(api, live_room["roomId"])[0]["id"]
    assert api.get(f"/v2/recordings/{recording_id}").json()["id"] == recording_id
    assert api.delete(f"/v2/recordings/{recording_id}").json() == "Recording deleted successfully"
    assert api.get(f"/v2/recordings/{recording_id}").status_code == 404
    assert recordings(api, live_room["roomId"]) == []
    assert api.delete(f"/v2/recordings/{recording_id}").status_code == 404


def test_a_running_recording_cannot_be_deleted(api: requests.Session, live_room: dict[str, Any]) -> None:
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    recording_id = recordings(api, live_room["roomId"])[0]["id"]
    assert api.delete(f"/v2/recordings/{recording_id}").status_code == 400


def test_failed_recording_has_no_file(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any]
) -> None:
    emu.fail_next_recording()
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    [recording] = recordings(api, live_room["roomId"])
    assert recording["status"] == "failed"
    assert "file" not in recording


def test_recording_events_carry_the_file_and_go_to_the_call_webhook(
    api: requests.Session, live_room: dict[str, Any], events: list[Event]
) -> None:
    hook_url = "https://example.com/hook"
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"], "webhookUrl": hook_url})
    api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    media = [event for event in events if event.type.startswith("recording-")]
    assert [event.type for event in media] == [
        "recording-starting",
        "recording-started",
        "recording-stopping",
        "recording-stopped",
    ]
    assert {event.webhook_url for event in media} == {hook_url}
    stopped = media[-1].data
    [recording] = recordings(api, live_room["roomId"])
    assert stopped["fileUrl"] == recording["file"]["fileUrl"]
    assert stopped["filePath"] == recording["file"]["filePath"]
    assert stopped["sessionId"] == live_room["session"]["id"]


def test_failed_recording_publishes_recording_failed(
    api: requests.Session, emu: VideoSDKEmulator, live_room: dict[str, Any], events: list[Event]
) -> None:
    emu.fail_next_recording()
    api.post("/v2/recordings/start", json={"roomId": live_room["roomId"]})
    api.post("/v2/recordings/end", json={"roomId": live_room["roomId"]})
    assert events[-1].type == "recording-failed"


def test_reset_restores_the_file_size(emu: VideoSDKEmulator) -> None:
    emu.recording_file_size = 5
    emu.reset()
    assert emu.recording_file_size == 64 * 1024


def test_file_size_must_be_a_non_negative_integer(emu: VideoSDKEmulator) -> None:
    with pytest.raises(ValueError, match="recording_file_size"):
        emu.recording_file_size = -1
