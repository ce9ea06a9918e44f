"""The generic API layer: JSON bodies and content type, routing, unknown routes."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from videosdk_provider.emulator import DEFAULT_API_KEY, DEFAULT_SECRET
from videosdk_provider.emulator.api import Api, ApiRequest, ApiResponse, Route

# --- content type and body framing ------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_post_without_json_content_type_is_400(api: requests.Session, content_type: str | None) -> None:
    response = api.post("/v2/rooms", data=b"{}", headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_params"
    assert "Content-Type" in response.json()["message"]


def test_json_content_type_with_charset_is_accepted(api: requests.Session) -> None:
    response = api.post("/v2/rooms", data=b"{}", headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b'"room"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
    ],
    ids=["empty", "truncated", "nan", "not-utf8", "array", "string", "null"],
)
def test_body_that_is_not_a_json_object_is_400(api: requests.Session, data: bytes, fragment: str) -> None:
    response = api.post("/v2/rooms", data=data, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert fragment in response.json()["message"]


def test_chunked_body_is_read(api: requests.Session) -> None:
    chunks = iter([b'{"customRoomId":', b' "chunked"}'])
    response = api.post("/v2/rooms", data=chunks, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["customRoomId"] == "chunked"


# --- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/v1/rooms"),
        ("DELETE", "/v2/rooms"),
        ("PUT", "/v2/rooms"),
        ("POST", "/v2/rooms/validate/abc"),
        ("GET", "/v2/recordings"),
        ("POST", "/v2/unknown"),
    ],
)
def test_unknown_route_is_404_json(api: requests.Session, method: str, path: str) -> None:
    response = api.request(method, path, json={})
    assert response.status_code == 404
    assert response.json()["error"] == "resource_not_found"
    assert response.headers["x-request-id"]


def test_trailing_slash_is_tolerated(api: requests.Session) -> None:
    assert api.get("/v2/rooms/").status_code == 200


def _answer_with(name: str) -> Any:
    def handler(request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, {"route": name, "params": params})

    return handler


@pytest.mark.parametrize("registration", ["literal-first", "parameter-first"])
def test_literal_route_wins_over_a_parameter_in_any_registration_order(registration: str) -> None:
    routes = [
        Route("GET", "/v2/things/{thingId}", _answer_with("by-id")),
        Route("GET", "/v2/things/active", _answer_with("active")),
    ]
    if registration == "literal-first":
        routes.reverse()
    router = Api(routes, api_key=DEFAULT_API_KEY, secret=DEFAULT_SECRET)

    def get(path: str) -> Any:
        request = ApiRequest(method="GET", path=path, query={}, headers={}, raw_body=b"")
        return router.handle(request, {}).body

    assert get("/v2/things/active") == {"route": "active", "params": {}}
    assert get("/v2/things/t%201") == {"route": "by-id", "params": {"thingId": "t 1"}}
