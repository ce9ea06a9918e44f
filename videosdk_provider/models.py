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
