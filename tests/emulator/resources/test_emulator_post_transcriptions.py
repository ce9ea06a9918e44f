"""Post-call transcriptions in the emulator: made from recordings with transcription enabled."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.events import Event

CreateRoom = Callable[..., dict[str, Any]]


def transcriptions(api: requests.Session, **query: str) -> list[dict[str, Any]]:
    response = api.get("/ai/v1/post-transcriptions", params=query)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["transcriptions"]
    return found


def wait_for_status(api: requests.Session, session_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 5
    while True:
        [item] = transcriptions(api, sessionId=session_id)
        if item["status"] == status or time.monotonic() > deadline:
            return item
        time.sleep(0.02)


@pytest.fixture
def record_session(
    api: requests.Session, emu: VideoSDKEmulator, create_room: CreateRoom
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Record one session of a new room with this ``transcription``; return the ended session."""

    def record(transcription: dict[str, Any]) -> dict[str, Any]:
        room = create_room()
        emu.join(room["roomId"], "ada", "Ada")
        emu.join(room["roomId"], "bob", "Bob")
        body = {"roomId": room["roomId"], "transcription": transcription}
        assert api.post("/v2/recordings/start", json=body).status_code == 200
        return emu.end_session(room["roomId"])

    return record


def test_transcription_is_in_progress_then_completed_with_text_files(
    api: requests.Session, emu: VideoSDKEmulator, record_session: Callable[..., dict[str, Any]]
) -> None:
    emu.transcription_delay = 0.3
    session = record_session({"enabled": True})
    [item] = transcriptions(api, sessionId=session["id"])
    assert item["status"] == "in-progress"
    assert item["transcriptionFilePaths"] == {}
    done = wait_for_status(api, session["id"], "completed")
    text = requests.get(done["transcriptionFilePaths"]["txt"], timeout=10).text
    assert "Ada: Hello from Ada" in text
    assert "Bob" in text
    segments = json.loads(requests.get(done["transcriptionFilePaths"]["json"], timeout=10).text)["segments"]
    assert [segment["speaker"] for segment in segments] == ["Ada", "Bob"]
    assert done["summarizedFilePaths"] == {}


def test_a_transcription_held_by_a_long_delay_completes_when_told(
    api: requests.Session, emu: VideoSDKEmulator, record_session: Callable[..., dict[str, Any]]
) -> None:
    emu.transcription_delay = 3600
    session = record_session({"enabled": True})
    [item] = transcriptions(api, sessionId=session["id"])
    assert item["status"] == "in-progress"
    emu.finish_transcription(item["id"])
    [done] = transcriptions(api, sessionId=session["id"])
    assert done["status"] == "completed"
    assert done["transcriptionFilePaths"]


def test_finishing_an_unknown_transcription_raises(emu: VideoSDKEmulator) -> None:
    with pytest.raises(KeyError):
        emu.finish_transcription("no-such-transcription")


def test_summary_file_comes_with_summary_enabled(
    api: requests.Session, record_session: Callable[..., dict[str, Any]]
) -> None:
    session = record_session({"enabled": True, "summary": {"enabled": True, "prompt": "Action items"}})
    done = wait_for_status(api, session["id"], "completed")
    summary = requests.get(done["summarizedFilePaths"]["txt"], timeout=10).text
    assert "2 speaker(s) (Ada, Bob)" in summary
    assert "Prompt: Action items" in summary


def test_no_transcription_without_enabled(
    api: requests.Session, record_session: Callable[..., dict[str, Any]]
) -> None:
    record_session({"enabled": False})
    assert transcriptions(api) == []


def test_transcription_links_its_recording_and_reads_by_id(
    api: requests.Session, record_session: Callable[..., dict[str, Any]]
) -> None:
    session = record_session({"enabled": True})
    [item] = transcriptions(api, roomId=session["roomId"])
    recording = api.get("/v2/recordings", params={"roomId": session["roomId"]}).json()["data"][0]
    assert item["recordingId"] == recording["id"]
    assert api.get(f"/ai/v1/post-transcriptions/{item['id']}").json()["id"] == item["id"]
    assert api.get("/ai/v1/post-transcriptions/unknown").status_code == 404


def test_auto_start_transcription_follows_the_session(
    api: requests.Session, emu: VideoSDKEmulator, create_room: CreateRoom
) -> None:
    room = create_room(autoStartConfig={"recording": {"transcription": {"enabled": True}}})
    session = emu.start_session(room["roomId"])
    emu.end_session(room["roomId"])
    assert wait_for_status(api, session["id"], "completed")["status"] == "completed"


def test_failed_transcription_publishes_transcription_failed(
    api: requests.Session, emu: VideoSDKEmulator, record_session: Callable[..., dict[str, Any]]
) -> None:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    try:
        emu.fail_next_transcription()
        session = record_session({"enabled": True})
        item = wait_for_status(api, session["id"], "failed")
    finally:
        unsubscribe()
    assert item["status"] == "failed"
    assert item["transcriptionFilePaths"] == {}
    assert seen[-1].type == "transcription-failed"
    assert seen[-1].data["id"] == item["id"]


def test_completed_transcription_publishes_transcription_completed(
    api: requests.Session, emu: VideoSDKEmulator, record_session: Callable[..., dict[str, Any]]
) -> None:
    seen: list[Event] = []
    unsubscribe = emu.events.subscribe(seen.append)
    try:
        session = record_session({"enabled": True})
        item = wait_for_status(api, session["id"], "completed")
    finally:
        unsubscribe()
    completed = [event for event in seen if event.type == "transcription-completed"]
    assert [event.data["id"] for event in completed] == [item["id"]]
    assert completed[0].data["roomId"] == session["roomId"]
