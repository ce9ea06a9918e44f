"""
The generic part of the emulated REST API: requests, answers, errors, paging, body fields, routing.

The endpoint handlers live with their state in ``resources/``; :class:`Api` routes to them after
checking the token and, for requests with a body, that it is a JSON object.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote

from videosdk_provider.emulator.auth import AuthError, verify_authorization
from videosdk_provider.emulator.core import NotFoundError

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ApiError(Exception):
    """An error answer: HTTP ``status``, API error ``code`` and ``message``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_params(message: str) -> ApiError:
    return ApiError(400, "invalid_params", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "resource_not_found", message)


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """Build the JSON body of every error answer."""
    return {"statusCode": status, "error": code, "message": message}


@dataclass(frozen=True)
class ApiRequest:
    """A parsed API request as the transport received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_body: bytes


@dataclass
class ApiResponse:
    """An answer: HTTP status, JSON-serialisable body and extra headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def parse_json(raw: bytes) -> Any:
    """Parse strict JSON (no NaN/Infinity); raises ``ValueError``."""

    def reject_constant(name: str) -> Any:
        raise ValueError(f"invalid JSON constant {name}")

    return json.loads(raw.decode("utf-8"), parse_constant=reject_constant)


def _positive_int(query: dict[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]+", value) or int(value) < 1:
        raise bad_params(f"{name} must be a positive integer")
    return int(value)


def paginate(items: list[Any], query: dict[str, str]) -> tuple[dict[str, int], list[Any]]:
    """Slice ``items`` by ``page``/``perPage`` (defaults 1 and 20, perPage clamped to 100)."""
    page = _positive_int(query, "page", 1)
    per_page = min(_positive_int(query, "perPage", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    last_page = max(1, math.ceil(len(items) / per_page))
    start = (page - 1) * per_page
    info = {"currentPage": page, "perPage": per_page, "lastPage": last_page, "total": len(items)}
    return info, items[start : start + per_page]


def optional_string(body: dict[str, Any], name: str) -> str | None:
    """Return the body's ``name``: None if absent or null, else it must be a non-empty string (400)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise bad_params(f"{name} must be a non-empty string")
    return value


def required_string(body: dict[str, Any], name: str) -> str:
    """Return the body's ``name``, which must be a non-empty string (else a 400)."""
    value = optional_string(body, name)
    if value is None:
        raise bad_params(f"{name} is required")
    return value


Handler = Callable[[ApiRequest, dict[str, str], Any], ApiResponse]


class Route(NamedTuple):
    """An endpoint: method, path pattern with ``{name}`` parameters (one path segment each), handler."""

    method: str
    pattern: str
    handler: Handler


class Api:
    """
    Routes requests to handlers after checking the token and, for bodies, the JSON object.

    A path matches literal routes before parameterised ones (``/v2/rooms/deactivate`` before
    ``/v2/rooms/{roomId}``), whatever order the resources registered them in.
    """

    def __init__(self, routes: Iterable[Route], *, api_key: str, secret: str) -> None:
        self.api_key = api_key
        self.secret = secret
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        for method, pattern, handler in sorted(routes, key=lambda route: route.pattern.count("{")):
            regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$"
            self._routes.append((method, re.compile(regex), handler))

    def authenticate(self, headers: dict[str, str]) -> dict[str, Any]:
        """Return the verified claims of the request's token; raises ``AuthError``."""
        return verify_authorization(headers.get("authorization"), api_key=self.api_key, secret=self.secret)

    def _route(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        for route_method, regex, handler in self._routes:
            found = regex.match(path)
            if found is not None and route_method == method:
                return handler, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def handle(self, request: ApiRequest, auth: dict[str, Any] | AuthError) -> ApiResponse:
        """Answer one API request, given the outcome of :meth:`authenticate`."""
        try:
            routed = self._route(request.method, request.path)
            if routed is None:
                raise not_found(f"Cannot {request.method} {request.path}")
            if isinstance(auth, AuthError):
                raise ApiError(auth.status, auth.code, auth.message)
            handler, params = routed
            body: Any = None
            if request.method in BODY_METHODS:
                body = self._json_object(request)
            return handler(request, params, body)
        except ApiError as exc:
            return ApiResponse(exc.status, error_body(exc.status, exc.code, exc.message))
        except NotFoundError as exc:
            return ApiResponse(404, error_body(404, "resource_not_found", exc.message))

    @staticmethod
    def _json_object(request: ApiRequest) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type != "application/json":
            raise bad_params("Content-Type must be application/json")
        try:
            body = parse_json(request.raw_body)
        except ValueError as exc:
            raise bad_params("Request body is not valid JSON") from exc
        if not isinstance(body, dict):
            raise bad_params("Request body must be a JSON object")
        return body
