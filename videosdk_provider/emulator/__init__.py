"""
A local emulator of the VideoSDK REST API, for tests and benchmarks without internet access.

Start it in-process with :class:`VideoSDKEmulator` (a context manager), from the command line with
``python -m videosdk_provider.emulator``, or in pytest with the fixtures of
``videosdk_provider.emulator.pytest_plugin``. It checks tokens and request bodies with its own code,
independent of the client's validation, stores rooms and sessions in memory, publishes
webhook-style events (``session-started``...) on :attr:`VideoSDKEmulator.events`, records every API
request (and the most it handled at once) and can inject faults (error statuses, delays, dropped
connections).

Layout: ``api.py`` is the generic request/response/routing layer, ``core.py`` the state every
resource shares, ``resources/<name>.py`` one API resource each (records and endpoint handlers),
``events.py`` the event bus, ``server.py`` the HTTP transport and :class:`VideoSDKEmulator`.
"""

from __future__ import annotations

from videosdk_provider.emulator.recording import RecordedRequest
from videosdk_provider.emulator.server import DEFAULT_API_KEY, DEFAULT_SECRET, VideoSDKEmulator

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET", "RecordedRequest", "VideoSDKEmulator"]
