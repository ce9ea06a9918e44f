"""Fixtures for the hook's media tests: a hook on the emulator and a wait for asynchronous results."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from videosdk_provider.hooks.videosdk import VideoSDKHook


@pytest.fixture
def hook(hook_factory: Callable[..., VideoSDKHook]) -> VideoSDKHook:
    return hook_factory()


WaitUntil = Callable[[Callable[[], bool]], bool]


@pytest.fixture
def wait_until() -> WaitUntil:
    """Return a function that polls a predicate every 20 ms until it holds (True) or 5 s pass (False)."""

    def wait(predicate: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + 5.0
        while not predicate():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    return wait
