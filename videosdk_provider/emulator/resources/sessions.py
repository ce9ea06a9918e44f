"""
Sessions and participants: their records, the ``/v2/sessions`` endpoints and the session events.

Publishes ``session-started``, ``session-ended``, ``participant-joined`` and ``participant-left``
on the core's event bus, with ``meetingId`` (= roomId), ``roomId`` and ``sessionId``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from videosdk_provider.emulator.api import (
    ApiRequest,
    ApiResponse,
    Route,
    bad_params,
    not_found,
    optional_string,
    paginate,
    required_string,
)
from videosdk_provider.emulator.core import (
    Core,
    NotFoundError,
    Resource,
    Resources,
    RoomDisabledError,
    new_object_id,
    now_iso,
)
from videosdk_provider.emulator.resources.rooms import Room, Rooms

SESSION_STATUSES = ("ongoing", "ended")
DEFAULT_AUTO_CLOSE_MINUTES = 480
DEACTIVATE_ON_END = "session-end-and-deactivate"


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


class Sessions(Resource):
    """Every session, at most one ongoing per room; ending it closes every participant's timelog."""

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.rooms = resources.get(Rooms)
        self._sessions: dict[str, Session] = {}
        self._ongoing: dict[str, str] = {}
        self.rooms.on_deactivate(self._end_ongoing)

    def routes(self) -> Iterable[Route]:
        return (
            Route("GET", "/v2/sessions", self.handle_list),
            Route("POST", "/v2/sessions/end", self.handle_end),
            Route("POST", "/v2/sessions/participants/remove", self.handle_remove_participant),
            Route("GET", "/v2/sessions/{sessionId}/participants/active", self.handle_active_participants),
            Route("GET", "/v2/sessions/{sessionId}/participants", self.handle_participants),
            Route("GET", "/v2/sessions/{sessionId}", self.handle_get),
        )

    def reset(self) -> None:
        self._sessions.clear()
        self._ongoing.clear()

    # --- rendering and events (the lock is held) -------------------------------------------------

    @staticmethod
    def _participant_view(participant: Participant) -> dict[str, Any]:
        return {
            "participantId": participant.participant_id,
            "name": participant.name,
            "timelog": [dict(entry) for entry in participant.timelog],
        }

    def _view(self, session: Session, *, active_only: bool = False) -> dict[str, Any]:
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

    def _publish(self, event_type: str, session: Session, **extra: Any) -> None:
        data = {"meetingId": session.room_id, "roomId": session.room_id, "sessionId": session.session_id}
        self.core.events.publish(event_type, {**data, **extra}, room_id=session.room_id)

    def _participant_event(self, event_type: str, session: Session, participant: Participant) -> None:
        self._publish(
            event_type, session, participantId=participant.participant_id, participantName=participant.name
        )

    # --- state -----------------------------------------------------------------------------------

    def _begin(self, room: Room) -> Session:
        if room.disabled:
            raise RoomDisabledError(f"Room {room.room_id} is deactivated")
        current = self._ongoing.get(room.room_id)
        if current is not None:
            return self._sessions[current]
        session_id = new_object_id(self._sessions)
        session = Session(session_id, room.room_id, room.custom_room_id, now_iso(), self.core.next_seq())
        self._sessions[session_id] = session
        self._ongoing[room.room_id] = session_id
        auto_close = room.auto_close
        if auto_close is not None:
            minutes = auto_close.get("duration", DEFAULT_AUTO_CLOSE_MINUTES)
            self.core.scheduler.call_later(
                minutes * self.core.minute_seconds, lambda: self.end_session_by_id(session_id)
            )
        self._publish("session-started", session, start=session.start)
        return session

    def _finish(self, session: Session) -> None:
        if not session.ongoing:
            return
        ended = now_iso()
        session.end = ended
        for participant in session.participants.values():
            if participant.active:
                participant.timelog[-1]["end"] = ended
                self._participant_event("participant-left", session, participant)
        self._ongoing.pop(session.room_id, None)
        self._publish("session-ended", session, start=session.start, end=ended)
        room = self.rooms.resolve(session.room_id, custom=False)
        if room.auto_close is not None and room.auto_close.get("type") == DEACTIVATE_ON_END:
            self.rooms.disable(room, ended)

    def _end_ongoing(self, room: Room) -> None:
        session_id = self._ongoing.get(room.room_id)
        if session_id is not None:
            self._finish(self._sessions[session_id])

    def _ongoing_session(self, room: Room, session_id: str | None = None) -> Session:
        current = self._ongoing.get(room.room_id)
        if current is None or (session_id is not None and session_id != current):
            raise NotFoundError("No ongoing session found for this room")
        return self._sessions[current]

    def start_session(self, ref: str) -> dict[str, Any]:
        """Start (or return) the ongoing session of the room with roomId or customRoomId ``ref``."""
        with self.core.lock:
            return self._view(self._begin(self.rooms.resolve(ref)))

    def join(self, ref: str, participant_id: str, name: str = "") -> dict[str, Any]:
        """Join ``participant_id`` to the room's ongoing session, starting one if needed."""
        with self.core.lock:
            session = self._begin(self.rooms.resolve(ref))
            participant = session.participants.get(participant_id)
            if participant is None:
                participant = Participant(participant_id, name or participant_id)
                session.participants[participant_id] = participant
            elif name:
                participant.name = name
            if not participant.active:
                participant.timelog.append({"start": now_iso(), "end": None})
                self._participant_event("participant-joined", session, participant)
            return self._view(session)

    def leave(self, ref: str, participant_id: str, session_id: str | None = None) -> dict[str, Any]:
        """Close the open timelog entry of a currently joined participant."""
        with self.core.lock:
            session = self._ongoing_session(self.rooms.resolve(ref), session_id)
            participant = session.participants.get(participant_id)
            if participant is None or not participant.active:
                raise NotFoundError("Participant not found in the ongoing session")
            participant.timelog[-1]["end"] = now_iso()
            self._participant_event("participant-left", session, participant)
            return self._view(session)

    def end_session(self, ref: str, session_id: str | None = None, *, custom: bool = True) -> dict[str, Any]:
        """End the room's ongoing session (``session_id``, if given, must be that session)."""
        with self.core.lock:
            session = self._ongoing_session(self.rooms.resolve(ref, custom=custom), session_id)
            self._finish(session)
            return self._view(session)

    def end_session_by_id(self, session_id: str) -> None:
        """End a session if it still exists and is ongoing (used by timers)."""
        with self.core.lock:
            session = self._sessions.get(session_id)
            if session is not None:
                self._finish(session)

    def list_sessions(self, room_id: str, status: str | None = None) -> list[dict[str, Any]]:
        """Sessions of a room (by roomId), newest first, optionally only ``ongoing``/``ended``."""
        with self.core.lock:
            sessions = [
                s
                for s in self._sessions.values()
                if s.room_id == room_id and (status is None or (status == "ongoing") == s.ongoing)
            ]
            sessions.sort(key=lambda s: s.seq, reverse=True)
            return [self._view(s) for s in sessions]

    def get_session(self, session_id: str, *, active_only: bool = False) -> dict[str, Any]:
        with self.core.lock:
            session = self._sessions.get(session_id)
            if session is None:
                raise NotFoundError("Session not found")
            return self._view(session, active_only=active_only)

    # --- endpoints -------------------------------------------------------------------------------

    def _room_from(self, source: dict[str, Any]) -> str:
        room_id = optional_string(source, "roomId")
        custom = optional_string(source, "customRoomId")
        if room_id is None and custom is None:
            raise bad_params("roomId or customRoomId is required")
        found = self.rooms.find_room_id(room_id=room_id, custom_room_id=custom)
        if found is None:
            raise not_found("Room not found")
        return found

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        if not query.get("roomId") and not query.get("customRoomId"):
            raise bad_params("roomId or customRoomId is required")
        status = query.get("status")
        if status is not None and status not in SESSION_STATUSES:
            raise bad_params("status must be one of ongoing, ended")
        room_id = self.rooms.find_room_id(
            room_id=query.get("roomId") or None, custom_room_id=query.get("customRoomId") or None
        )
        sessions = [] if room_id is None else self.list_sessions(room_id, status)
        info, data = paginate(sessions, query)
        return ApiResponse(200, {"pageInfo": info, "data": data})

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return ApiResponse(200, self.get_session(params["sessionId"]))

    def handle_participants(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        session = self.get_session(params["sessionId"])
        info, page = paginate(session["participants"], request.query)
        session["participants"] = page
        return ApiResponse(200, {"pageInfo": info, "data": session})

    def handle_active_participants(
        self, request: ApiRequest, params: dict[str, str], body: Any
    ) -> ApiResponse:
        session = self.get_session(params["sessionId"], active_only=True)
        info, page = paginate(session["participants"], request.query)
        session["participants"] = page
        return ApiResponse(200, {"pageInfo": info, "data": [session]})

    def handle_end(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        session_id = optional_string(body, "sessionId")
        room_id = self._room_from(body)
        return ApiResponse(200, self.end_session(room_id, session_id, custom=False))

    def handle_remove_participant(
        self, request: ApiRequest, params: dict[str, str], body: Any
    ) -> ApiResponse:
        participant_id = required_string(body, "participantId")
        room_ref = required_string(body, "roomId")
        session_id = optional_string(body, "sessionId")
        room_id = self.rooms.find_room_id(room_id=room_ref)
        if room_id is None:
            raise not_found("Room not found")
        return ApiResponse(200, self.leave(room_id, participant_id, session_id))
