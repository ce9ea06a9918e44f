"""Token checks: every request needs a bare HS256 JWT with the V2 REST claims."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests

from videosdk_provider.emulator import DEFAULT_API_KEY, VideoSDKEmulator

TokenFactory = Callable[..., str]
CRAWLER_MESSAGE = "Your role must be a CRAWLER in token payload to use V2 API."


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned_token() -> str:
    now = int(time.time())
    claims = {"apikey": DEFAULT_API_KEY, "permissions": ["allow_join"], "version": 2, "roles": ["crawler"]}
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({**claims, 'iat': now, 'exp': now + 600})}."


def _get_rooms(api: requests.Session, authorization: str | None) -> requests.Response:
    return api.get("/v2/rooms", headers={"Authorization": authorization})


def test_valid_token_is_accepted(api: requests.Session) -> None:
    assert api.get("/v2/rooms").status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"permissions": ["ask_join"]}, id="ask-join-only"),
        pytest.param({"permissions": ["allow_join", "allow_mod", "ask_join"]}, id="all-permissions"),
        pytest.param({"roles": ["crawler", "observer"]}, id="crawler-among-other-roles"),
        pytest.param({"roomId": "abcd-efgh-ijkl", "participantId": "p1"}, id="extra-claims"),
    ],
)
def test_valid_claim_variants_are_accepted(
    api: requests.Session, make_token: TokenFactory, claims: dict[str, Any]
) -> None:
    assert _get_rooms(api, make_token(**claims)).status_code == 200


@pytest.mark.parametrize("authorization", [None, ""], ids=["absent", "empty"])
def test_missing_token_is_401(api: requests.Session, authorization: str | None) -> None:
    response = _get_rooms(api, authorization)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert "missing" in response.json()["message"]


@pytest.mark.parametrize("prefix", ["Bearer ", "Basic ", "bearer ", "BEARER "])
def test_prefixed_token_is_401_saying_no_prefix(
    api: requests.Session, make_token: TokenFactory, prefix: str
) -> None:
    response = _get_rooms(api, prefix + make_token())
    assert response.status_code == 401
    assert "without any prefix" in response.json()["message"]


def test_token_signed_with_wrong_secret_is_401(api: requests.Session, make_token: TokenFactory) -> None:
    response = _get_rooms(api, make_token(secret="another-secret-that-is-long-enough-for-hs256"))
    assert response.status_code == 401
    assert "signature" in response.json()["message"]


def test_token_with_other_algorithm_is_401(api: requests.Session, emu: VideoSDKEmulator) -> None:
    now = int(time.time())
    claims = {"apikey": emu.api_key, "permissions": ["allow_join"], "version": 2, "roles": ["crawler"]}
    token = jwt.encode({**claims, "iat": now, "exp": now + 600}, emu.secret * 5, algorithm="HS512")
    response = _get_rooms(api, token)
    assert response.status_code == 401
    assert "HS256" in response.json()["message"]


@pytest.mark.parametrize(
    "authorization",
    [_unsigned_token(), "not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.!!!"],
    ids=["alg-none", "no-dots", "garbage-segments", "bad-signature-encoding"],
)
def test_malformed_token_is_401(api: requests.Session, authorization: str) -> None:
    response = _get_rooms(api, authorization)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


@pytest.mark.parametrize(
    ("claims", "omit", "fragment"),
    [
        pytest.param({"apikey": "someone-else"}, (), "apikey", id="wrong-apikey"),
        pytest.param({}, ("apikey",), "apikey", id="no-apikey"),
        pytest.param({"permissions": []}, (), "permissions", id="empty-permissions"),
        pytest.param({}, ("permissions",), "permissions", id="no-permissions"),
        pytest.param({"permissions": ["admin"]}, (), "permissions", id="unknown-permission"),
        pytest.param({"permissions": "allow_join"}, (), "permissions", id="permissions-not-a-list"),
        pytest.param({}, ("exp",), "exp", id="no-exp"),
        pytest.param({}, ("iat",), "iat", id="no-iat"),
        pytest.param({"exp": "9999999999"}, (), "exp", id="exp-string"),
        pytest.param({"exp": time.time() + 600}, (), "exp", id="exp-float"),
        pytest.param(
            {"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, (), "iat", id="iat-future"
        ),
    ],
)
def test_bad_claims_are_401(
    api: requests.Session,
    make_token: TokenFactory,
    claims: dict[str, Any],
    omit: tuple[str, ...],
    fragment: str,
) -> None:
    response = _get_rooms(api, make_token(omit=omit, **claims))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert fragment in response.json()["message"]


@pytest.mark.parametrize("seconds_ago", [1, 3600])
def test_expired_token_is_401_token_expired(
    api: requests.Session, make_token: TokenFactory, seconds_ago: int
) -> None:
    now = int(time.time())
    response = _get_rooms(api, make_token(iat=now - 7200, exp=now - seconds_ago))
    assert response.status_code == 401
    assert response.json()["message"] == "token expired"


@pytest.mark.parametrize(
    ("claims", "omit"),
    [
        pytest.param({"version": 1}, (), id="version-1"),
        pytest.param({"version": "2"}, (), id="version-string"),
        pytest.param({}, ("version",), id="no-version"),
    ],
)
def test_wrong_version_is_403(
    api: requests.Session, make_token: TokenFactory, claims: dict[str, Any], omit: tuple[str, ...]
) -> None:
    response = _get_rooms(api, make_token(omit=omit, **claims))
    assert response.status_code == 403
    assert response.json()["error"] == "unauthorized_token"
    assert "version" in response.json()["message"]


@pytest.mark.parametrize(
    ("claims", "omit"),
    [
        pytest.param({"roles": ["rtc"]}, (), id="rtc"),
        pytest.param({"roles": ["crawler", "rtc"]}, (), id="crawler-and-rtc"),
        pytest.param({"roles": []}, (), id="empty-roles"),
        pytest.param({"roles": "crawler"}, (), id="roles-not-a-list"),
        pytest.param({}, ("roles",), id="no-roles"),
    ],
)
def test_token_without_crawler_role_is_403(
    api: requests.Session, make_token: TokenFactory, claims: dict[str, Any], omit: tuple[str, ...]
) -> None:
    response = _get_rooms(api, make_token(omit=omit, **claims))
    assert response.status_code == 403
    assert response.json()["error"] == "unauthorized_token"
    assert CRAWLER_MESSAGE in response.json()["message"]


def test_error_body_shape_and_request_id(api: requests.Session) -> None:
    response = _get_rooms(api, None)
    assert set(response.json()) == {"statusCode", "error", "message"}
    assert response.json()["statusCode"] == 401
    assert response.headers["x-request-id"]


def test_auth_is_checked_before_the_body(api: requests.Session) -> None:
    response = api.post("/v2/rooms", data="not json", headers={"Authorization": None})
    assert response.status_code == 401


def test_rejected_request_creates_nothing(api: requests.Session, emu: VideoSDKEmulator) -> None:
    api.post("/v2/rooms", json={"customRoomId": "nope"}, headers={"Authorization": None})
    assert emu.rooms == []


def test_emulator_with_custom_credentials_checks_them(make_token: TokenFactory) -> None:
    secret = "a-project-secret-long-enough-for-hs256!"
    with VideoSDKEmulator(api_key="project-key", secret=secret) as emulator:
        url = f"{emulator.url}/v2/rooms"
        good = make_token(secret=secret, apikey="project-key")
        assert requests.get(url, headers={"Authorization": good}, timeout=10).status_code == 200
        default = make_token()
        assert requests.get(url, headers={"Authorization": default}, timeout=10).status_code == 401
