"""
Shapes of what the VideoSDK API returns, and the rules read from them, one module per resource.

The shapes are typed dicts: plain JSON dicts at run time (so they go to XCom as they are), typed
for readers and checkers. Fields the API adds later are kept, never rejected.
"""

from __future__ import annotations

from videosdk_provider.models.rooms import Room, RoomLinks
from videosdk_provider.models.sessions import LatestSessions, Participant, ParticipantTimelog, Session

__all__ = ["LatestSessions", "Participant", "ParticipantTimelog", "Room", "RoomLinks", "Session"]
