"""Fixtures for the emulator's own tests: the plugin's fixtures, real signed tokens, an HTTP client."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
import requests
from jwt.warnings import InsecureKeyLengthWarning

from videosdk_provider.emulator import DEFAULT_API_KEY, DEFAULT_SECRET, VideoSDKEmulator
from videosdk_provider.emulator.pytest_plugin import (  # noqa: F401 - fixtures used by the tests here
    videosdk_connection,
    videosdk_emulator,
    videosdk_emulator_server,
)

REQUEST_TIMEOUT = 10.0
TokenFactory = Callable[..., str]


def sign_token(*, secret: str = DEFAULT_SECRET, omit: tuple[str, ...] = (), **claims: Any) -> str:
    """Sign an HS256 REST token like the hook does; keyword arguments override claims, ``omit`` drops some."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "apikey": DEFAULT_API_KEY,
        "permissions": ["allow_join", "allow_mod"],
        "version": 2,
        "roles": ["crawler"],
        "iat": now,
        "exp": now + 600,
    }
    payload.update(claims)
    payload = {key: value for key, value in payload.items() if key not in omit}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)  # the default secret is short
        return jwt.encode(payload, secret, algorithm="HS256")


class EmulatorSession(requests.Session):
    """A requests session bound to the emulator's URL, sending a valid token unless told otherwise."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers["Authorization"] = sign_token()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        target = url.decode() if isinstance(url, bytes) else url
        return super().request(method, f"{self.base_url}{target}", *args, **kwargs)


@pytest.fixture
def emu(request: pytest.FixtureRequest) -> VideoSDKEmulator:
    """Return the plugin's ``videosdk_emulator`` (reset for this test)."""
    emulator: VideoSDKEmulator = request.getfixturevalue("videosdk_emulator")
    return emulator


@pytest.fixture
def make_token() -> TokenFactory:
    return sign_token


@pytest.fixture
def api(emu: VideoSDKEmulator) -> Iterator[requests.Session]:
    with EmulatorSession(emu.url) as session:
        yield session


@pytest.fixture
def admin(emu: VideoSDKEmulator) -> Iterator[requests.Session]:
    """Yield a client for the ``/_emulator/`` endpoints (no token)."""
    with EmulatorSession(emu.url) as session:
        del session.headers["Authorization"]
        yield session


@pytest.fixture
def create_room(api: requests.Session) -> Callable[..., dict[str, Any]]:
    """Create a room through the API and return its JSON (asserting a 200)."""

    def create(**body: Any) -> dict[str, Any]:
        response = api.post("/v2/rooms", json=body)
        assert response.status_code == 200, response.text
        room: dict[str, Any] = response.json()
        return room

    return create
