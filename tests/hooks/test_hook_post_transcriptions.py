"""VideoSDKHook's post-call transcription calls against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKNotFoundError
from videosdk_provider.hooks.videosdk import VideoSDKHook

WaitUntil = Callable[[Callable[[], bool]], bool]


@pytest.fixture
def transcribed_session(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> dict[str, Any]:
    """Record the live room's session with transcription and summary, then end it."""
    hook.start_recording(joined_room["roomId"], transcription={"enabled": True, "summary": {"enabled": True}})
    return videosdk_emulator.end_session(joined_room["roomId"])


def test_iter_post_transcriptions_of_a_session(
    hook: VideoSDKHook, transcribed_session: dict[str, Any]
) -> None:
    [item] = hook.iter_post_transcriptions(session_id=transcribed_session["id"])
    assert item["roomId"] == transcribed_session["roomId"]
    assert item["status"] in ("in-progress", "completed")


def test_completed_transcription_has_transcript_and_summary_urls(
    hook: VideoSDKHook, transcribed_session: dict[str, Any], wait_until: WaitUntil
) -> None:
    item_id = next(hook.iter_post_transcriptions(session_id=transcribed_session["id"]))["id"]
    assert wait_until(lambda: hook.get_post_transcription(item_id)["status"] == "completed")
    done = hook.get_post_transcription(item_id)
    assert "Ada" in requests.get(done["transcriptionFilePaths"]["txt"], timeout=10).text
    assert "Summary of session" in requests.get(done["summarizedFilePaths"]["txt"], timeout=10).text


def test_iter_post_transcriptions_filters_by_room(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, transcribed_session: dict[str, Any]
) -> None:
    other = hook.create_room()
    assert list(hook.iter_post_transcriptions(room_id=other["roomId"])) == []
    [sent] = videosdk_emulator.requests_to("GET", "/ai/v1/post-transcriptions")
    assert sent.query == {"roomId": other["roomId"], "perPage": "20", "page": "1"}


def test_aget_post_transcriptions_lists_like_the_sync_call(
    hook: VideoSDKHook, transcribed_session: dict[str, Any]
) -> None:
    listed = asyncio.run(hook.aget_post_transcriptions(session_id=transcribed_session["id"]))
    assert [item["id"] for item in listed] == [
        item["id"] for item in hook.iter_post_transcriptions(session_id=transcribed_session["id"])
    ]


def test_unknown_post_transcription_is_not_found(hook: VideoSDKHook) -> None:
    with pytest.raises(VideoSDKNotFoundError, match="Transcription not found"):
        hook.get_post_transcription("missing")


def test_bad_filters_are_refused_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match="per_page"):
        next(hook.iter_post_transcriptions(session_id="s", per_page=0))
    assert videosdk_emulator.requests == []
