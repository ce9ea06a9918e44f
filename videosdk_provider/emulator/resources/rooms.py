"""Rooms: their records and the ``/v2/rooms`` endpoints (create, list, validate, get, deactivate)."""

from __future__ import annotations

import copy
import random
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from videosdk_provider.emulator.api import ApiError, ApiRequest, ApiResponse, Route, paginate, required_string
from videosdk_provider.emulator.checks import check_create_room
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources, new_object_id, now_iso

USER_ID = "5f7edbb14c938bcd42944527"
USER = {"id": USER_ID, "email": "emulator@videosdk.invalid", "name": "VideoSDK Emulator"}
RESERVED_ROOM_KEYS = frozenset(
    {"roomId", "customRoomId", "userId", "disabled", "createdAt", "updatedAt", "id", "links", "user"}
)
CUSTOM_ID_DEACTIVATION = "Room not found: deactivation takes the roomId, not a customRoomId"


def _room_id() -> str:
    return "-".join("".join(random.choices(string.ascii_lowercase, k=4)) for _ in range(3))


@dataclass
class Room:
    """A stored room; ``config`` holds the echoed body fields (webhook, autoCloseConfig, extras)."""

    room_id: str
    custom_room_id: str | None
    object_id: str
    created_at: str
    config: dict[str, Any]
    seq: int
    updated_at: str = ""
    disabled: bool = False

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at

    @property
    def auto_close(self) -> dict[str, Any] | None:
        value = self.config.get("autoCloseConfig")
        return value if isinstance(value, dict) else None


class Rooms(Resource):
    """
    Every room, findable by roomId, customRoomId or object id.

    Resources that hold per-room activity (sessions, recordings...) register with
    :meth:`on_deactivate` to stop it before a room is deactivated.
    """

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self._rooms: dict[str, Room] = {}
        self._by_custom: dict[str, str] = {}
        self._by_object: dict[str, str] = {}
        self._deactivation_listeners: list[Callable[[Room], None]] = []

    def routes(self) -> Iterable[Route]:
        return (
            Route("POST", "/v2/rooms", self.handle_create),
            Route("GET", "/v2/rooms", self.handle_list),
            Route("GET", "/v2/rooms/validate/{roomId}", self.handle_validate),
            Route("POST", "/v2/rooms/deactivate", self.handle_deactivate),
            Route("GET", "/v2/rooms/{roomId}", self.handle_get),
        )

    def reset(self) -> None:
        self._rooms.clear()
        self._by_custom.clear()
        self._by_object.clear()

    # --- state (the lock is taken here or already held by the caller) ----------------------------

    def view(self, room: Room, *, with_user: bool = False) -> dict[str, Any]:
        """Return the room as the API shows it (a copy)."""
        view: dict[str, Any] = {"roomId": room.room_id}
        if room.custom_room_id is not None:
            view["customRoomId"] = room.custom_room_id
        view.update(
            {
                "userId": USER_ID,
                "disabled": room.disabled,
                "createdAt": room.created_at,
                "updatedAt": room.updated_at,
                "id": room.object_id,
                "links": {
                    "get_room": f"{self.core.base_url}/v2/rooms/{room.room_id}",
                    "get_session": f"{self.core.base_url}/v2/sessions/",
                },
            }
        )
        for key, value in room.config.items():
            if key not in RESERVED_ROOM_KEYS:
                view[key] = copy.deepcopy(value)
        if with_user:
            view["user"] = dict(USER)
        return view

    def resolve(
        self, ref: str, *, room_id: bool = True, custom: bool = True, object_id: bool = False
    ) -> Room:
        """Return the stored room whose roomId / customRoomId / id (as enabled) is ``ref``; hold the lock."""
        if room_id and ref in self._rooms:
            return self._rooms[ref]
        if custom and ref in self._by_custom:
            return self._rooms[self._by_custom[ref]]
        if object_id and ref in self._by_object:
            return self._rooms[self._by_object[ref]]
        raise NotFoundError("Room not found")

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a room from a checked body; a known ``customRoomId`` returns the existing room."""
        config = {k: copy.deepcopy(v) for k, v in body.items() if k != "customRoomId"}
        custom = body.get("customRoomId")
        with self.core.lock:
            if isinstance(custom, str) and custom in self._by_custom:
                return self.view(self._rooms[self._by_custom[custom]])
            room_id = _room_id()
            while room_id in self._rooms or room_id in self._by_custom:
                room_id = _room_id()
            room = Room(
                room_id=room_id,
                custom_room_id=custom if isinstance(custom, str) else None,
                object_id=new_object_id(self._by_object),
                created_at=now_iso(),
                config=config,
                seq=self.core.next_seq(),
            )
            self._rooms[room_id] = room
            self._by_object[room.object_id] = room_id
            if room.custom_room_id is not None:
                self._by_custom[room.custom_room_id] = room_id
            return self.view(room)

    def get(
        self, ref: str, *, room_id: bool = True, custom: bool = True, object_id: bool = False
    ) -> dict[str, Any]:
        """Return the room whose roomId / customRoomId / id (as enabled) equals ``ref``."""
        with self.core.lock:
            return self.view(self.resolve(ref, room_id=room_id, custom=custom, object_id=object_id))

    def newest_first(self) -> list[dict[str, Any]]:
        """All rooms, newest first, each with its ``user``."""
        with self.core.lock:
            rooms = sorted(self._rooms.values(), key=lambda r: r.seq, reverse=True)
            return [self.view(r, with_user=True) for r in rooms]

    def snapshot(self) -> list[dict[str, Any]]:
        """All rooms, oldest first (the order they were created)."""
        with self.core.lock:
            return [self.view(r) for r in sorted(self._rooms.values(), key=lambda r: r.seq)]

    def on_deactivate(self, listener: Callable[[Room], None]) -> None:
        """Call ``listener(room)`` (lock held) whenever a room is about to be deactivated."""
        self._deactivation_listeners.append(listener)

    def disable(self, room: Room, at: str) -> None:
        """Mark a room deactivated at ``at``; an already deactivated room keeps its time. Hold the lock."""
        if not room.disabled:
            room.disabled = True
            room.updated_at = at

    def deactivate(self, room_id: str) -> dict[str, Any]:
        """Deactivate a room by its VideoSDK ``roomId`` only, ending its activity first."""
        with self.core.lock:
            room = self.resolve(room_id, custom=False)
            for listener in self._deactivation_listeners:
                listener(room)
            self.disable(room, now_iso())
            return self.view(room)

    def resolve_room_id(self, ref: str) -> str:
        """Return the roomId of the room with roomId or customRoomId ``ref``."""
        with self.core.lock:
            return self.resolve(ref).room_id

    def find_room_id(self, *, room_id: str | None = None, custom_room_id: str | None = None) -> str | None:
        """Return the roomId matching both given filters, or None."""
        with self.core.lock:
            found: str | None = None
            if room_id is not None:
                found = room_id if room_id in self._rooms else None
                if found is None:
                    return None
            if custom_room_id is not None:
                by_custom = self._by_custom.get(custom_room_id)
                if by_custom is None or (found is not None and by_custom != found):
                    return None
                found = by_custom
            return found

    # --- endpoints -------------------------------------------------------------------------------

    def handle_create(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_create_room(body)
        if errors:
            raise ApiError(422, "invalid_object", "; ".join(errors))
        return ApiResponse(200, self.create(body))

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        info, data = paginate(self.newest_first(), request.query)
        return ApiResponse(200, {"pageInfo": info, "data": data})

    def handle_validate(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.get(params["roomId"]))

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.get(params["roomId"], object_id=True))

    def handle_deactivate(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        room_id = required_string(body, "roomId")
        with self.core.lock:
            if room_id not in self._rooms and room_id in self._by_custom:
                raise ApiError(402, "resource_not_found", CUSTOM_ID_DEACTIVATION)
            return ApiResponse(200, self.deactivate(room_id))
