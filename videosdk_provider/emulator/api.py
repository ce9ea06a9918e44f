"""The emulated VideoSDK REST API: routing, token and body checks, and the endpoint handlers."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from videosdk_provider.emulator.auth import AuthError, verify_authorization
from videosdk_provider.emulator.checks import check_create_room
from videosdk_provider.emulator.state import NotFoundError, Store

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
SESSION_STATUSES = ("ongoing", "ended")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
CUSTOM_ID_DEACTIVATION = "Room not found: deactivation takes the roomId, not a customRoomId"


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


def _optional_string(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise bad_params(f"{name} must be a non-empty string")
    return value


def _required_string(body: dict[str, Any], name: str) -> str:
    value = _optional_string(body, name)
    if value is None:
        raise bad_params(f"{name} is required")
    return value


Handler = Callable[[ApiRequest, dict[str, str], Any], ApiResponse]


class Api:
    """Routes requests to handlers after checking the token and, for bodies, the JSON object."""

    def __init__(self, store: Store, *, api_key: str, secret: str) -> None:
        self.store = store
        self.api_key = api_key
        self.secret = secret
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        for method, pattern, handler in (
            ("POST", "/v2/rooms", self.create_room),
            ("GET", "/v2/rooms", self.list_rooms),
            ("GET", "/v2/rooms/validate/{roomId}", self.validate_room),
            ("POST", "/v2/rooms/deactivate", self.deactivate_room),
            ("GET", "/v2/rooms/{roomId}", self.get_room),
            ("GET", "/v2/sessions", self.list_sessions),
            ("POST", "/v2/sessions/end", self.end_session),
            ("POST", "/v2/sessions/participants/remove", self.remove_participant),
            ("GET", "/v2/sessions/{sessionId}/participants/active", self.active_participants),
            ("GET", "/v2/sessions/{sessionId}/participants", self.session_participants),
            ("GET", "/v2/sessions/{sessionId}", self.get_session),
        ):
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

    # --- rooms -----------------------------------------------------------------------------------

    def create_room(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_create_room(body)
        if errors:
            raise ApiError(422, "invalid_object", "; ".join(errors))
        room, _created = self.store.create_room(body)
        return ApiResponse(200, room)

    def list_rooms(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        info, data = paginate(self.store.list_rooms(), request.query)
        return ApiResponse(200, {"pageInfo": info, "data": data})

    def validate_room(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.store.get_room(params["roomId"]))

    def get_room(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.store.get_room(params["roomId"], object_id=True))

    def deactivate_room(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        room_id = _required_string(body, "roomId")
        with self.store.lock:
            by_custom = self.store.find_room_id(custom_room_id=room_id)
            if by_custom is not None and self.store.find_room_id(room_id=room_id) is None:
                raise ApiError(402, "resource_not_found", CUSTOM_ID_DEACTIVATION)
            return ApiResponse(200, self.store.deactivate(room_id))

    # --- sessions --------------------------------------------------------------------------------

    def _room_from(self, source: dict[str, Any]) -> str:
        room_id = _optional_string(source, "roomId")
        custom = _optional_string(source, "customRoomId")
        if room_id is None and custom is None:
            raise bad_params("roomId or customRoomId is required")
        found = self.store.find_room_id(room_id=room_id, custom_room_id=custom)
        if found is None:
            raise not_found("Room not found")
        return found

    def list_sessions(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        if not query.get("roomId") and not query.get("customRoomId"):
            raise bad_params("roomId or customRoomId is required")
        status = query.get("status")
        if status is not None and status not in SESSION_STATUSES:
            raise bad_params("status must be one of ongoing, ended")
        room_id = self.store.find_room_id(
            room_id=query.get("roomId") or None, custom_room_id=query.get("customRoomId") or None
        )
        sessions = [] if room_id is None else self.store.list_sessions(room_id, status)
        info, data = paginate(sessions, query)
        return ApiResponse(200, {"pageInfo": info, "data": data})

    def get_session(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.store.get_session(params["sessionId"]))

    def session_participants(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        session = self.store.get_session(params["sessionId"])
        info, page = paginate(session["participants"], request.query)
        session["participants"] = page
        return ApiResponse(200, {"pageInfo": info, "data": session})

    def active_participants(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        session = self.store.get_session(params["sessionId"], active_only=True)
        info, page = paginate(session["participants"], request.query)
        session["participants"] = page
        return ApiResponse(200, {"pageInfo": info, "data": [session]})

    def end_session(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        session_id = _optional_string(body, "sessionId")
        room_id = self._room_from(body)
        return ApiResponse(200, self.store.end_session(room_id, session_id, custom=False))

    def remove_participant(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        participant_id = _required_string(body, "participantId")
        room_ref = _required_string(body, "roomId")
        session_id = _optional_string(body, "sessionId")
        room_id = self.store.find_room_id(room_id=room_ref)
        if room_id is None:
            raise not_found("Room not found")
        return ApiResponse(200, self.store.leave(room_id, participant_id, session_id))
