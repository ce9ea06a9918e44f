"""Rooms as the VideoSDK API returns them."""

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
