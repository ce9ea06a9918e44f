"""
Unauthenticated ``/_emulator/`` endpoints to drive the emulator from another process.

Admin requests are never recorded, delayed or faulted. Bodies are JSON objects (any content type).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from videosdk_provider.emulator.api import ApiError, ApiRequest, ApiResponse, error_body, parse_json
from videosdk_provider.emulator.core import NotFoundError, RoomDisabledError

if TYPE_CHECKING:
    from videosdk_provider.emulator.server import VideoSDKEmulator

OK = {"status": "ok"}


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if not required and value in (None, ""):
        return None
    if not isinstance(value, str) or not value:
        raise ApiError(400, "invalid_params", f"{name} is required and must be a non-empty string")
    return value


class AdminApi:
    """Routes ``/_emulator/...`` requests to the emulator's Python API."""

    def __init__(self, emulator: VideoSDKEmulator) -> None:
        self.emulator = emulator
        self._routes: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
            ("POST", "/_emulator/reset"): self._reset,
            ("POST", "/_emulator/sessions/start"): self._start_session,
            ("POST", "/_emulator/sessions/end"): self._end_session,
            ("POST", "/_emulator/participants/join"): self._join,
            ("POST", "/_emulator/participants/leave"): self._leave,
            ("POST", "/_emulator/faults"): self._add_fault,
            ("POST", "/_emulator/latency"): self._set_latency,
            ("GET", "/_emulator/requests"): self._requests,
            ("GET", "/_emulator/rooms"): self._rooms,
        }

    def handle(self, request: ApiRequest) -> ApiResponse:
        route = self._routes.get((request.method, request.path.rstrip("/")))
        try:
            if route is None:
                raise ApiError(404, "resource_not_found", f"Cannot {request.method} {request.path}")
            body: Any = {}
            if request.raw_body.strip():
                try:
                    body = parse_json(request.raw_body)
                except ValueError as exc:
                    raise ApiError(400, "invalid_params", "Request body is not valid JSON") from exc
            if not isinstance(body, dict):
                raise ApiError(400, "invalid_params", "Request body must be a JSON object")
            return ApiResponse(200, route(body))
        except ApiError as exc:
            return ApiResponse(exc.status, error_body(exc.status, exc.code, exc.message))
        except NotFoundError as exc:
            return ApiResponse(404, error_body(404, "resource_not_found", exc.message))
        except RoomDisabledError as exc:
            return ApiResponse(409, error_body(409, "room_disabled", str(exc)))
        except (TypeError, ValueError) as exc:
            return ApiResponse(400, error_body(400, "invalid_params", str(exc)))

    def _reset(self, body: dict[str, Any]) -> Any:
        self.emulator.reset()
        return OK

    def _start_session(self, body: dict[str, Any]) -> Any:
        return self.emulator.start_session(str(_text(body, "roomId")))

    def _end_session(self, body: dict[str, Any]) -> Any:
        return self.emulator.end_session(str(_text(body, "roomId")))

    def _join(self, body: dict[str, Any]) -> Any:
        name = _text(body, "name", required=False) or ""
        return self.emulator.join(str(_text(body, "roomId")), str(_text(body, "participantId")), name)

    def _leave(self, body: dict[str, Any]) -> Any:
        self.emulator.leave(str(_text(body, "roomId")), str(_text(body, "participantId")))
        return OK

    def _add_fault(self, body: dict[str, Any]) -> Any:
        """Queue a fault: ``{"kind": "fail"|"delay"|"drop", "times"?, "path"?, "method"?, ...}``."""
        kind = body.get("kind")
        times = body.get("times", 1)
        if not isinstance(times, int) or isinstance(times, bool):
            raise ApiError(400, "invalid_params", "times must be an integer")
        path = _text(body, "path", required=False)
        method = _text(body, "method", required=False)
        if kind == "fail":
            status = body.get("status")
            if not isinstance(status, int) or isinstance(status, bool):
                raise ApiError(400, "invalid_params", "status must be an integer")
            self.emulator.fail_next(
                status,
                times=times,
                retry_after=_text(body, "retry_after", required=False),
                message=_text(body, "message", required=False),
                path=path,
                method=method,
            )
        elif kind == "delay":
            seconds = body.get("seconds")
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
                raise ApiError(400, "invalid_params", "seconds must be a number")
            self.emulator.delay_next(float(seconds), times=times, path=path, method=method)
        elif kind == "drop":
            self.emulator.drop_after_processing(times=times, path=path, method=method)
        else:
            raise ApiError(400, "invalid_params", "kind must be one of fail, delay, drop")
        return OK

    def _set_latency(self, body: dict[str, Any]) -> Any:
        seconds = body.get("seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise ApiError(400, "invalid_params", "seconds must be a number")
        self.emulator.latency = float(seconds)
        return OK

    def _requests(self, body: dict[str, Any]) -> Any:
        return [record.to_json() for record in self.emulator.requests]

    def _rooms(self, body: dict[str, Any]) -> Any:
        return self.emulator.rooms
