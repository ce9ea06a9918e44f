"""A poll of the watcher costs what happened since the last one, not the room's whole history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from watcher_kit import LIST_PATHS, Collect, trigger_for, watcher_requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.triggers.events import PAGE_SIZE

#: Items the room already has: more than two pages.
HISTORY = 2 * PAGE_SIZE + 5
HISTORY_PAGES = 3


@pytest.mark.parametrize("event_type", sorted(LIST_PATHS))
def test_after_the_first_poll_every_poll_reads_one_page_however_long_the_rooms_history(
    event_type: str,
    collect: Collect,
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    make_room: Callable[..., str],
    record: Callable[..., None],
    wait_until: Callable[[Callable[[], bool]], bool],
) -> None:
    videosdk_emulator.transcription_delay = 0
    room_id = make_room()

    def add_item() -> None:
        if event_type == "session-ended":
            videosdk_emulator.start_session(room_id)
            videosdk_emulator.end_session(room_id)
        else:
            record(room_id, transcribe=event_type == "transcription-completed")

    for _ in range(HISTORY):
        add_item()
    assert wait_until(
        lambda: all(t["status"] == "completed" for t in hook.iter_post_transcriptions(room_id=room_id))
    )
    before = len(watcher_requests(videosdk_emulator, event_type))

    [payload] = collect(trigger_for(event_type, room_id), 1, add_item)
    polls = watcher_requests(videosdk_emulator, event_type)[before:]
    assert payload["roomId"] == room_id
    first_poll, later_polls = polls[:HISTORY_PAGES], polls[HISTORY_PAGES:]
    assert [request.query["page"] for request in first_poll] == ["1", "2", "3"]  # the starting point
    assert later_polls  # at least the poll that found the new item
    assert {request.query["page"] for request in later_polls} == {"1"}
