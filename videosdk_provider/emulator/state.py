"""Thread-safe in-memory store of rooms, sessions and participants; every read returns a copy."""

from __future__ import annotations

import copy
import itertools
import random
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from videosdk_provider.emulator.scheduler import Scheduler

USER_ID = "5f7edbb14c938bcd42944527"
USER = {"id": USER_ID, "email": "emulator@videosdk.invalid", "name": "VideoSDK Emulator"}
DEFAULT_AUTO_CLOSE_MINUTES = 480
DEACTIVATE_ON_END = "session-end-and-deactivate"
RESERVED_ROOM_KEYS = frozenset(
    {"roomId", "customRoomId", "userId", "disabled", "createdAt", "updatedAt", "id", "links", "user"}
)


class NotFoundError(KeyError):
    """A room, session or participant that does not exist (the API answers 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RoomDisabledError(ValueError):
    """An operation that needs an active room was asked of a deactivated one."""


def now_iso() -> str:
    """Return the current UTC time as ISO-8601 with milliseconds and ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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


@dataclass
class Participant:
    """A participant of one session; ``timelog`` holds ``{"start", "end"}`` entries (end None while in)."""

    participant_id: str
    name: str
    timelog: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.timelog) and self.timelog[-1]["end"] is None


@dataclass
class Session:
    """One session of a room; ``end`` is None while it is ongoing."""

    session_id: str
    room_id: str
    custom_room_id: str | None
    start: str
    seq: int
    end: str | None = None
    participants: dict[str, Participant] = field(default_factory=dict)

    @property
    def ongoing(self) -> bool:
        return self.end is None


class Store:
    """
    All emulator state behind one re-entrant lock.

    ``minute_seconds`` scales ``autoCloseConfig.duration``; auto-close deadlines and scripted
    timelines run on ``scheduler``. ``base_url`` is used for the rooms' ``links``.
    """

    def __init__(self, scheduler: Scheduler, *, minute_seconds: float = 60.0, base_url: str = "") -> None:
        self.lock = threading.RLock()
        self._scheduler = scheduler
        self.minute_seconds = minute_seconds
        self.base_url = base_url
        self._seq = itertools.count()
        self._rooms: dict[str, Room] = {}
        self._by_custom: dict[str, str] = {}
        self._by_object: dict[str, str] = {}
        self._sessions: dict[str, Session] = {}
        self._ongoing: dict[str, str] = {}

    # --- rendering (callers hold the lock) -------------------------------------------------------

    def _room_view(self, room: Room, *, with_user: bool = False) -> dict[str, Any]:
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
                    "get_room": f"{self.base_url}/v2/rooms/{room.room_id}",
                    "get_session": f"{self.base_url}/v2/sessions/",
                },
            }
        )
        for key, value in room.config.items():
            if key not in RESERVED_ROOM_KEYS:
                view[key] = copy.deepcopy(value)
        if with_user:
            view["user"] = dict(USER)
        return view

    @staticmethod
    def _participant_view(participant: Participant) -> dict[str, Any]:
        return {
            "participantId": participant.participant_id,
            "name": participant.name,
            "timelog": [dict(entry) for entry in participant.timelog],
        }

    def _session_view(self, session: Session, *, active_only: bool = False) -> dict[str, Any]:
        view: dict[str, Any] = {"id": session.session_id, "roomId": session.room_id}
        if session.custom_room_id is not None:
            view["customRoomId"] = session.custom_room_id
        view.update(
            {
                "start": session.start,
                "end": session.end,
                "status": "ongoing" if session.ongoing else "ended",
                "participants": [
                    self._participant_view(p)
                    for p in session.participants.values()
                    if p.active or not active_only
                ],
            }
        )
        return view

    # --- rooms -----------------------------------------------------------------------------------

    def _resolve(
        self, ref: str, *, room_id: bool = True, custom: bool = True, object_id: bool = False
    ) -> Room:
        if room_id and ref in self._rooms:
            return self._rooms[ref]
        if custom and ref in self._by_custom:
            return self._rooms[self._by_custom[ref]]
        if object_id and ref in self._by_object:
            return self._rooms[self._by_object[ref]]
        raise NotFoundError("Room not found")

    def create_room(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Create a room from a checked body; a known ``customRoomId`` returns the existing room."""
        config = {k: copy.deepcopy(v) for k, v in body.items() if k != "customRoomId"}
        custom = body.get("customRoomId")
        with self.lock:
            if isinstance(custom, str) and custom in self._by_custom:
                return self._room_view(self._rooms[self._by_custom[custom]]), False
            room_id = _room_id()
            while room_id in self._rooms or room_id in self._by_custom:
                room_id = _room_id()
            object_id = secrets.token_hex(12)
            while object_id in self._by_object:
                object_id = secrets.token_hex(12)
            room = Room(
                room_id=room_id,
                custom_room_id=custom if isinstance(custom, str) else None,
                object_id=object_id,
                created_at=now_iso(),
                config=config,
                seq=next(self._seq),
            )
            self._rooms[room_id] = room
            self._by_object[object_id] = room_id
            if room.custom_room_id is not None:
                self._by_custom[room.custom_room_id] = room_id
            return self._room_view(room), True

    def get_room(
        self, ref: str, *, room_id: bool = True, custom: bool = True, object_id: bool = False
    ) -> dict[str, Any]:
        """Return the room whose roomId / customRoomId / id (as enabled) equals ``ref``."""
        with self.lock:
            return self._room_view(self._resolve(ref, room_id=room_id, custom=custom, object_id=object_id))

    def list_rooms(self) -> list[dict[str, Any]]:
        """All rooms, newest first, each with its ``user``."""
        with self.lock:
            rooms = sorted(self._rooms.values(), key=lambda r: r.seq, reverse=True)
            return [self._room_view(r, with_user=True) for r in rooms]

    def rooms_snapshot(self) -> list[dict[str, Any]]:
        """All rooms, oldest first (the order they were created)."""
        with self.lock:
            return [self._room_view(r) for r in sorted(self._rooms.values(), key=lambda r: r.seq)]

    def deactivate(self, room_id: str) -> dict[str, Any]:
        """Deactivate a room by its VideoSDK ``roomId`` only, ending its ongoing session."""
        with self.lock:
            room = self._resolve(room_id, custom=False)
            session_id = self._ongoing.get(room.room_id)
            if session_id is not None:
                self._finish(self._sessions[session_id])
            if not room.disabled:
                room.disabled = True
                room.updated_at = now_iso()
            return self._room_view(room)

    # --- sessions --------------------------------------------------------------------------------

    def _begin(self, room: Room) -> Session:
        if room.disabled:
            raise RoomDisabledError(f"Room {room.room_id} is deactivated")
        current = self._ongoing.get(room.room_id)
        if current is not None:
            return self._sessions[current]
        session_id = secrets.token_hex(12)
        while session_id in self._sessions:
            session_id = secrets.token_hex(12)
        session = Session(session_id, room.room_id, room.custom_room_id, now_iso(), next(self._seq))
        self._sessions[session_id] = session
        self._ongoing[room.room_id] = session_id
        auto_close = room.auto_close
        if auto_close is not None:
            minutes = auto_close.get("duration", DEFAULT_AUTO_CLOSE_MINUTES)
            self._scheduler.call_later(
                minutes * self.minute_seconds, lambda: self.end_session_by_id(session_id)
            )
        return session

    def _finish(self, session: Session) -> None:
        if not session.ongoing:
            return
        ended = now_iso()
        session.end = ended
        for participant in session.participants.values():
            if participant.active:
                participant.timelog[-1]["end"] = ended
        self._ongoing.pop(session.room_id, None)
        room = self._rooms.get(session.room_id)
        if (
            room is not None
            and room.auto_close is not None
            and room.auto_close.get("type") == DEACTIVATE_ON_END
        ):
            room.disabled = True
            room.updated_at = ended

    def start_session(self, ref: str) -> dict[str, Any]:
        """Start (or return) the ongoing session of the room with roomId or customRoomId ``ref``."""
        with self.lock:
            return self._session_view(self._begin(self._resolve(ref)))

    def join(self, ref: str, participant_id: str, name: str = "") -> dict[str, Any]:
        """Join ``participant_id`` to the room's ongoing session, starting one if needed."""
        with self.lock:
            session = self._begin(self._resolve(ref))
            participant = session.participants.get(participant_id)
            if participant is None:
                participant = Participant(participant_id, name or participant_id)
                session.participants[participant_id] = participant
            elif name:
                participant.name = name
            if not participant.active:
                participant.timelog.append({"start": now_iso(), "end": None})
            return self._session_view(session)

    def _ongoing_session(self, room: Room, session_id: str | None = None) -> Session:
        current = self._ongoing.get(room.room_id)
        if current is None or (session_id is not None and session_id != current):
            raise NotFoundError("No ongoing session found for this room")
        return self._sessions[current]

    def leave(self, ref: str, participant_id: str, session_id: str | None = None) -> dict[str, Any]:
        """Close the open timelog entry of a currently joined participant."""
        with self.lock:
            session = self._ongoing_session(self._resolve(ref), session_id)
            participant = session.participants.get(participant_id)
            if participant is None or not participant.active:
                raise NotFoundError("Participant not found in the ongoing session")
            participant.timelog[-1]["end"] = now_iso()
            return self._session_view(session)

    def end_session(self, ref: str, session_id: str | None = None, *, custom: bool = True) -> dict[str, Any]:
        """End the room's ongoing session (``session_id``, if given, must be that session)."""
        with self.lock:
            session = self._ongoing_session(self._resolve(ref, custom=custom), session_id)
            self._finish(session)
            return self._session_view(session)

    def end_session_by_id(self, session_id: str) -> None:
        """End a session if it still exists and is ongoing (used by timers)."""
        with self.lock:
            session = self._sessions.get(session_id)
            if session is not None:
                self._finish(session)

    def resolve_room_id(self, ref: str) -> str:
        """Return the roomId of the room with roomId or customRoomId ``ref``."""
        with self.lock:
            return self._resolve(ref).room_id

    def find_room_id(self, *, room_id: str | None = None, custom_room_id: str | None = None) -> str | None:
        """Return the roomId matching both given filters, or None."""
        with self.lock:
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

    def list_sessions(self, room_id: str, status: str | None = None) -> list[dict[str, Any]]:
        """Sessions of a room (by roomId), newest first, optionally only ``ongoing``/``ended``."""
        with self.lock:
            sessions = [
                s
                for s in self._sessions.values()
                if s.room_id == room_id and (status is None or (status == "ongoing") == s.ongoing)
            ]
            sessions.sort(key=lambda s: s.seq, reverse=True)
            return [self._session_view(s) for s in sessions]

    def get_session(self, session_id: str, *, active_only: bool = False) -> dict[str, Any]:
        with self.lock:
            session = self._sessions.get(session_id)
            if session is None:
                raise NotFoundError("Session not found")
            return self._session_view(session, active_only=active_only)

    # --- housekeeping ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every room and session."""
        with self.lock:
            self._rooms.clear()
            self._by_custom.clear()
            self._by_object.clear()
            self._sessions.clear()
            self._ongoing.clear()
