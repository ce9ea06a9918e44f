"""VideoSDKHook: the token it signs, the requests it sends, and how it reports failures."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from videosdk_provider._compat import AirflowFailException, AirflowNotFoundException
from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKAmbiguousCreateError,
    VideoSDKAuthError,
    VideoSDKConflictError,
    VideoSDKError,
    VideoSDKNotFoundError,
    VideoSDKPermissionError,
    VideoSDKRateLimitError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

HookFactory = Callable[..., VideoSDKHook]
SetConnection = Callable[..., str]


def test_token_carries_the_management_claims(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    before = int(time.time())
    token = hook_factory(token_ttl=900).get_token()
    claims = jwt.decode(token, videosdk_emulator.secret, algorithms=["HS256"])
    assert claims["apikey"] == videosdk_emulator.api_key
    assert claims["permissions"] == ["allow_join", "allow_mod"]
    assert claims["version"] == 2
    assert claims["roles"] == ["crawler"]
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 900


def test_token_is_signed_with_hs256(hook_factory: HookFactory) -> None:
    assert jwt.get_unverified_header(hook_factory().get_token())["alg"] == "HS256"


def test_token_is_sent_bare_with_a_json_content_type(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook = hook_factory()
    hook.create_room()
    headers = videosdk_emulator.requests[-1].headers
    assert headers["authorization"] == hook.get_token()
    assert not headers["authorization"].lower().startswith(("bearer", "basic"))
    assert headers["content-type"] == "application/json"


def test_token_is_signed_once_for_many_calls(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook = hook_factory()
    for _ in range(3):
        hook.create_room()
    assert len({request.headers["authorization"] for request in videosdk_emulator.requests}) == 1


def test_token_is_re_signed_shortly_before_it_expires(hook_factory: HookFactory) -> None:
    hook = hook_factory(token_ttl=2)
    first = hook.get_token()
    time.sleep(1.1)
    assert hook.get_token() != first


def test_create_room_sends_exactly_the_body(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    body = {
        "customRoomId": "standup-1",
        "webhook": {"endPoint": "https://hooks.example.com/v", "events": ["session-started"]},
        "autoCloseConfig": {"type": "session-ends", "duration": 30},
    }
    hook_factory().create_room(**body)
    request = videosdk_emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/v2/rooms")
    assert json.loads(request.raw_body) == body


def test_create_room_with_no_fields_sends_an_empty_object(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    hook_factory().create_room()
    assert videosdk_emulator.requests[-1].raw_body == b"{}"


def test_create_room_returns_the_room_with_every_field(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    room = hook_factory().create_room(customRoomId="r-1")
    assert room == videosdk_emulator.rooms[0]
    assert room["customRoomId"] == "r-1"
    assert {"roomId", "userId", "disabled", "createdAt", "updatedAt", "id", "links"} <= set(room)


def test_create_room_refuses_an_invalid_body_before_any_request(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match=r"autoCloseConfig\.type"):
        hook_factory().create_room(autoCloseConfig={"type": "sometimes"})
    assert videosdk_emulator.requests == []


ERROR_CLASSES = [
    (400, VideoSDKValidationError),
    (401, VideoSDKAuthError),
    (402, VideoSDKNotFoundError),
    (403, VideoSDKPermissionError),
    (404, VideoSDKNotFoundError),
    (409, VideoSDKConflictError),
    (422, VideoSDKValidationError),
    (429, VideoSDKRateLimitError),
    (500, VideoSDKServerError),
    (503, VideoSDKServerError),
    (418, VideoSDKError),
]


@pytest.mark.parametrize(("status", "error_class"), ERROR_CLASSES)
def test_error_status_maps_to_a_typed_exception(
    hook_factory: HookFactory,
    videosdk_emulator: VideoSDKEmulator,
    status: int,
    error_class: type[VideoSDKError],
) -> None:
    videosdk_emulator.fail_next(status, message="the server's own words")
    with pytest.raises(error_class) as caught:
        hook_factory(max_retries=0).create_room(customRoomId="status-mapping")
    error = caught.value
    assert type(error) is error_class
    assert (error.status, error.method, error.path) == (status, "POST", "/v2/rooms")
    assert "the server's own words" in error.message
    assert f"HTTP {status}" in str(error)
    assert "the server's own words" in str(error)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_on_a_create_without_custom_room_id_fails_fast_as_ambiguous(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, status: int
) -> None:
    videosdk_emulator.fail_next(status)
    with pytest.raises(VideoSDKAmbiguousCreateError, match="may or may not have been created") as caught:
        hook_factory().create_room()
    assert caught.value.status == status
    assert isinstance(caught.value, AirflowFailException)
    assert len(videosdk_emulator.requests) == 1


def test_error_carries_the_request_id(hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator) -> None:
    videosdk_emulator.fail_next(404, message="Room not found")
    with pytest.raises(VideoSDKNotFoundError) as caught:
        hook_factory().get_room("nope-nope-nope")
    assert caught.value.request_id
    assert caught.value.request_id in str(caught.value)


def test_wrong_secret_reads_as_an_authentication_failure(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, set_connection: SetConnection
) -> None:
    set_connection(login=videosdk_emulator.api_key, password="wrong", host=videosdk_emulator.url)
    with pytest.raises(
        VideoSDKAuthError,
        match="authentication failed: check the API key and secret of connection 'videosdk_default'",
    ):
        hook_factory().create_room()
    assert videosdk_emulator.rooms == []


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda hook: hook.create_room(), id="sync"),
        pytest.param(lambda hook: asyncio.run(hook.aget_sessions("abcd-efgh-ijkl")), id="async"),
    ],
)
def test_error_text_never_contains_the_token(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, call: Callable[[VideoSDKHook], object]
) -> None:
    hook = hook_factory()
    token = hook.get_token()
    videosdk_emulator.fail_next(400, message=f"token {token} is odd")
    with pytest.raises(VideoSDKValidationError) as caught:
        call(hook)
    assert token not in str(caught.value)
    assert "token *** is odd" in str(caught.value)


def test_test_connection_succeeds_with_good_credentials(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator
) -> None:
    ok, message = hook_factory().test_connection()
    assert ok, message
    assert videosdk_emulator.url in message
    request = videosdk_emulator.requests[-1]
    assert (request.method, request.path) == ("GET", "/v2/rooms")
    assert videosdk_emulator.rooms == []


def test_test_connection_reports_a_wrong_secret(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, set_connection: SetConnection
) -> None:
    set_connection(login=videosdk_emulator.api_key, password="wrong", host=videosdk_emulator.url)
    ok, message = hook_factory().test_connection()
    assert not ok
    assert message.startswith("authentication failed: check the API key and secret (server said: ")
    assert "wrong" not in message
    assert "videosdk_default" not in message


def test_test_connection_reports_an_unreachable_server(
    hook_factory: HookFactory, set_connection: SetConnection, refusing_url: str
) -> None:
    set_connection(login="k", password="s", host=refusing_url)
    ok, message = hook_factory(max_retries=0).test_connection()
    assert not ok
    assert message.startswith(
        f"VideoSDK API GET /v2/rooms failed (no HTTP response): could not connect to {refusing_url}"
    )


@pytest.mark.parametrize("missing", ["login", "password"])
def test_missing_credentials_name_the_connection(
    hook_factory: HookFactory,
    videosdk_emulator: VideoSDKEmulator,
    set_connection: SetConnection,
    missing: str,
) -> None:
    fields = {
        "login": videosdk_emulator.api_key,
        "password": videosdk_emulator.secret,
        "host": videosdk_emulator.url,
    }
    del fields[missing]
    set_connection(**fields)
    expected = {"login": "API key (login)", "password": "secret (password)"}[missing]
    with pytest.raises(
        AirflowNotFoundException, match=rf"connection 'videosdk_default' has no {re.escape(expected)}"
    ):
        hook_factory().create_room()
    assert videosdk_emulator.requests == []


def test_hook_reads_no_connection_until_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_VIDEOSDK_DEFAULT", raising=False)
    hook = VideoSDKHook()
    assert hook.videosdk_conn_id == "videosdk_default"


def test_repr_shows_no_secret(hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator) -> None:
    hook = hook_factory()
    token = hook.get_token()
    for text in (repr(hook), repr(hook.settings), str(hook.settings)):
        assert videosdk_emulator.secret not in text
        assert token not in text


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "https://api.videosdk.live"),
        ("", None, "https://api.videosdk.live"),
        ("api.videosdk.live", None, "https://api.videosdk.live"),
        ("http://127.0.0.1:8085/", None, "http://127.0.0.1:8085"),
        ("127.0.0.1", 8085, "https://127.0.0.1:8085"),
        ("http://127.0.0.1", 8085, "http://127.0.0.1:8085"),
    ],
)
def test_base_url_comes_from_the_connection_host(
    set_connection: SetConnection, host: str | None, port: int | None, expected: str
) -> None:
    set_connection(login="k", password="s", host=host, port=port)
    assert VideoSDKHook().base_url == expected


def test_arguments_override_extras_which_override_defaults(set_connection: SetConnection) -> None:
    set_connection(login="k", password="s", extra={"timeout": 5, "max_retries": 7, "token_ttl": 300})
    settings = VideoSDKHook(max_retries=1).settings
    assert settings.timeout == (10.0, 5.0)
    assert settings.max_retries == 1
    assert settings.token_ttl == 300
    assert settings.retry_deadline == 120.0


def test_extras_entered_as_text_are_read_as_numbers(set_connection: SetConnection) -> None:
    set_connection(login="k", password="s", extra={"timeout": "12.5", "max_retries": "2"})
    settings = VideoSDKHook().settings
    assert settings.timeout == (10.0, 12.5)
    assert settings.max_retries == 2


def test_timeout_may_be_a_connect_and_read_pair(set_connection: SetConnection) -> None:
    set_connection(login="k", password="s", extra={"timeout": [3, 45]})
    assert VideoSDKHook().settings.timeout == (3.0, 45.0)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"timeout": "fast"}, "timeout: expected a number of at least 0.001, got 'fast'"),
        ({"timeout": 0}, "timeout: expected a number of at least 0.001, got 0"),
        ({"timeout": [1, -1]}, "timeout[1]: expected a number of at least 0.001, got -1"),
        ({"token_ttl": 1}, "token_ttl: expected an integer of at least 2, got 1"),
        ({"max_retries": 1.5}, "max_retries: expected an integer of at least 0, got 1.5"),
        ({"max_retries": True}, "max_retries: expected an integer of at least 0, got True"),
        ({"retry_backoff": -1}, "retry_backoff: expected a number of at least 0, got -1"),
        ({"retry_deadline": "soon"}, "retry_deadline: expected a number of at least 0, got 'soon'"),
    ],
)
def test_a_bad_extra_is_refused_naming_the_connection_and_field(
    set_connection: SetConnection, videosdk_emulator: VideoSDKEmulator, extra: dict[str, Any], problem: str
) -> None:
    set_connection(login="k", password="s", host=videosdk_emulator.url, extra=extra)
    with pytest.raises(InvalidRequestError, match=re.escape(f"connection 'videosdk_default': {problem}")):
        VideoSDKHook().create_room()
    assert videosdk_emulator.requests == []


@pytest.mark.parametrize("host", ["ftp://files.example.com", "http://exa mple.com", "https://:8085"])
def test_a_host_that_is_no_web_url_is_refused_before_any_request(
    set_connection: SetConnection, host: str
) -> None:
    set_connection(login="k", password="s", host=host)
    with pytest.raises(InvalidRequestError, match="connection 'videosdk_default': host: expected an http"):
        VideoSDKHook().get_room("abcd-efgh-ijkl")
