"""The polling watcher on recordings ready and post-call transcriptions completed: webhook data, once."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from watcher_kit import Collect, trigger_for, watcher_requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.triggers.events import PAGE_SIZE
from videosdk_provider.utils.urls import public_url

#: A transcription delay no test waits out: the test ends the transcription itself.
HELD = 3600.0


def newest_recording(hook: VideoSDKHook, room_id: str) -> dict[str, Any]:
    recording: dict[str, Any] = next(hook.iter_recordings(room_id=room_id))
    return recording


def newest_recording_id(hook: VideoSDKHook, room_id: str) -> str:
    return str(newest_recording(hook, room_id)["id"])


def transcription_of(hook: VideoSDKHook, room_id: str, recording_id: str) -> dict[str, Any]:
    listed = hook.iter_post_transcriptions(room_id=room_id, per_page=100)
    [found] = [item for item in listed if item.get("recordingId") == recording_id]
    return dict(found)


def transcription_completed(hook: VideoSDKHook, room_id: str, recording_id: str) -> Callable[[], bool]:
    return lambda: transcription_of(hook, room_id, recording_id).get("status") == "completed"


def polled_after(emulator: VideoSDKEmulator, happened: Callable[[], bool]) -> Callable[[], bool]:
    """
    Return a check that holds once ``happened`` has and the watcher has since polled twice.

    The second of those polls began after ``happened`` held, so its answer showed it.
    """
    since: list[int] = []

    def watcher_polls() -> int:
        return len(watcher_requests(emulator, "transcription-completed"))

    def check() -> bool:
        if not since:
            if not happened():
                return False
            since.append(watcher_polls())
        return watcher_polls() >= since[0] + 2

    return check


def transcriptions_done(hook: VideoSDKHook, room_id: str) -> Callable[[], bool]:
    def done() -> bool:
        statuses = [item.get("status") for item in hook.iter_post_transcriptions(room_id=room_id)]
        return bool(statuses) and "in-progress" not in statuses

    return done


# recording-stopped


def test_a_recording_that_stops_fires_one_event_with_the_webhooks_data(
    collect: Collect,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    webhook_sink: Any,
) -> None:
    room_id = make_room(webhook={"endPoint": webhook_sink.url, "events": ["recording-stopped"]})

    [payload] = collect(trigger_for("recording-stopped", room_id), 1, lambda: record(room_id))
    assert videosdk_emulator.webhooks.wait_idle()
    [(webhook_body, _)] = webhook_sink.received
    data = json.loads(webhook_body)["data"]
    assert payload == {**data, "fileUrl": public_url(data["fileUrl"])}
    assert payload["filePath"]


def test_the_events_file_url_keeps_no_signature(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
) -> None:
    room_id = make_room()

    [payload] = collect(trigger_for("recording-stopped", room_id), 1, lambda: record(room_id))
    signed = newest_recording(hook, room_id)["file"]["fileUrl"]
    assert urlsplit(signed).query
    assert payload["fileUrl"] == signed.partition("?")[0]


def test_recordings_ready_before_the_watcher_started_are_not_events(
    collect: Collect, hook: VideoSDKHook, make_room: Callable[..., str], record: Callable[..., None]
) -> None:
    room_id = make_room()
    record(room_id)
    old = newest_recording_id(hook, room_id)

    [payload] = collect(trigger_for("recording-stopped", room_id), 1, lambda: record(room_id))
    assert payload["recordingId"] not in (None, old)


def test_a_recording_running_when_the_watcher_starts_fires_once_its_file_is_ready(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
) -> None:
    room_id = make_room()
    record(room_id, stop=False)
    running = newest_recording_id(hook, room_id)

    [payload] = collect(
        trigger_for("recording-stopped", room_id), 1, lambda: videosdk_emulator.end_session(room_id)
    )
    assert payload["recordingId"] == running
    assert payload["fileUrl"]


def test_a_failed_recording_is_not_an_event(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
) -> None:
    room_id = make_room()

    def fail_then_succeed() -> None:
        videosdk_emulator.fail_next_recording()
        record(room_id)
        record(room_id)

    [payload] = collect(trigger_for("recording-stopped", room_id), 1, fail_then_succeed)
    good, failed = hook.iter_recordings(room_id=room_id)
    assert failed["status"] == "failed"
    assert payload["recordingId"] == good["id"]


# transcription-completed


def test_a_transcription_that_completes_fires_one_event_with_the_webhooks_data(
    collect: Collect,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    webhook_sink: Any,
) -> None:
    room_id = make_room(webhook={"endPoint": webhook_sink.url, "events": ["transcription-completed"]})

    [payload] = collect(
        trigger_for("transcription-completed", room_id), 1, lambda: record(room_id, transcribe=True)
    )
    assert videosdk_emulator.webhooks.wait_idle()
    [(webhook_body, _)] = webhook_sink.received
    assert payload == json.loads(webhook_body)["data"]
    assert payload["id"]
    assert payload["status"] == "completed"


def test_transcriptions_completed_before_the_watcher_started_are_not_events(
    collect: Collect,
    hook: VideoSDKHook,
    make_room: Callable[..., str],
    record: Callable[..., None],
    wait_until: Callable[[Callable[[], bool]], bool],
) -> None:
    room_id = make_room()
    record(room_id, transcribe=True)
    assert wait_until(transcriptions_done(hook, room_id))
    [old] = hook.iter_post_transcriptions(room_id=room_id)

    [payload] = collect(
        trigger_for("transcription-completed", room_id), 1, lambda: record(room_id, transcribe=True)
    )
    assert payload["id"] != old["id"]


@pytest.mark.parametrize("newer", [1, PAGE_SIZE + 1], ids=["one newer", "more than a page newer"])
def test_a_transcription_that_completes_after_newer_ones_fires_after_them(
    newer: int,
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    wait_until: Callable[[Callable[[], bool]], bool],
) -> None:
    room_id = make_room()
    slow: list[str] = []
    fast: list[str] = []

    def slow_then_fast_ones() -> None:
        videosdk_emulator.transcription_delay = HELD
        record(room_id, transcribe=True)
        slow.append(newest_recording_id(hook, room_id))
        videosdk_emulator.transcription_delay = 0
        for _ in range(newer):
            record(room_id, transcribe=True)
            fast.append(newest_recording_id(hook, room_id))
        assert wait_until(polled_after(videosdk_emulator, transcription_completed(hook, room_id, fast[-1])))
        videosdk_emulator.finish_transcription(transcription_of(hook, room_id, slow[0])["id"])

    payloads = collect(trigger_for("transcription-completed", room_id), newer + 1, slow_then_fast_ones)
    assert [payload["recordingId"] for payload in payloads] == [*fast, *slow]


def test_a_first_page_of_unfinished_items_does_not_make_older_ones_events(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    wait_until: Callable[[Callable[[], bool]], bool],
) -> None:
    room_id = make_room()
    videosdk_emulator.transcription_delay = 0
    for _ in range(3):
        record(room_id, transcribe=True)
    assert wait_until(transcriptions_done(hook, room_id))
    videosdk_emulator.transcription_delay = HELD
    for _ in range(PAGE_SIZE):
        record(room_id, transcribe=True)

    def a_fast_one() -> None:
        videosdk_emulator.transcription_delay = 0
        record(room_id, transcribe=True)

    [payload] = collect(trigger_for("transcription-completed", room_id), 1, a_fast_one)
    assert payload["recordingId"] == newest_recording_id(hook, room_id)


def test_an_item_unfinished_for_longer_than_max_wait_is_given_up(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    room_id = make_room()
    record(room_id, stop=False)
    stuck = newest_recording_id(hook, room_id)

    def finish_late_then_record_another() -> None:
        time.sleep(0.6)
        videosdk_emulator.end_session(room_id)
        record(room_id)

    trigger = trigger_for("recording-stopped", room_id, max_wait=0.3)
    [payload] = collect(trigger, 1, finish_late_then_record_another)
    assert payload["recordingId"] not in (None, stuck)
    assert f"still unfinished after 0.3 s, no longer watched: {stuck}" in capsys.readouterr().out


def test_a_failed_transcription_is_not_an_event(
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
) -> None:
    room_id = make_room()

    def fail_then_succeed() -> None:
        videosdk_emulator.fail_next_transcription()
        record(room_id, transcribe=True)
        record(room_id, transcribe=True)

    [payload] = collect(trigger_for("transcription-completed", room_id), 1, fail_then_succeed)
    good, failed = hook.iter_post_transcriptions(room_id=room_id)
    assert failed["status"] == "failed"
    assert payload["id"] == good["id"]
