"""
Shapes of what the VideoSDK API returns.

They are typed dicts: plain JSON dicts at run time (so they go to XCom as they are), typed for
readers and checkers. Fields the API adds later are kept, never rejected.
"""

from __future__ import annotations

from typing import TypedDict


class RoomLinks(TypedDict, total=False):
    """URLs the API returns with a room."""

    get_room: str
    get_session: str


class Room(TypedDict, total=False):
    """A VideoSDK room (the Create Room response)."""

    roomId: str
    customRoomId: str
    userId: str
    disabled: bool
    createdAt: str
    updatedAt: str
    id: str
    links: RoomLinks


class ParticipantTimelog(TypedDict, total=False):
    """One stay of a participant in a session; ``end`` is None while they are still in."""

    start: str
    end: str | None


class Participant(TypedDict, total=False):
    """A participant of a session."""

    participantId: str
    name: str
    timelog: list[ParticipantTimelog]


class Session(TypedDict, total=False):
    """
    A session: one meeting held in a room, from the first join until it ends.

    ``status`` is ``"ongoing"`` or ``"ended"`` (a plain string, in case the API adds more); ``end``
    is None while the session is ongoing.
    """

    id: str
    roomId: str
    customRoomId: str
    start: str
    end: str | None
    status: str
    participants: list[Participant]
