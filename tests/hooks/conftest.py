"""Fixtures for the media hook tests: a hook on the emulator and a room with an ongoing session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook


@pytest.fixture
def hook(hook_factory: Callable[..., VideoSDKHook]) -> VideoSDKHook:
    return hook_factory()


@pytest.fixture
def room_id(hook: VideoSDKHook) -> str:
    """Create a room with no session yet; return its roomId."""
    return hook.create_room()["roomId"]


@pytest.fixture
def live_room(room_id: str, videosdk_emulator: VideoSDKEmulator) -> str:
    """Create a room and start its session; return its roomId."""
    videosdk_emulator.start_session(room_id)
    return room_id
