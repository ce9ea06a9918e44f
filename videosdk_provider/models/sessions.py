"""
Sessions and participants as the VideoSDK API returns them, and when a wait for a session is over.

The session sensor (on a worker) and its trigger (in the triggerer) both decide with
:func:`find_session`, so the two modes cannot disagree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import NamedTuple, TypedDict

#: Session statuses the sessions list can be filtered by.
SESSION_STATUSES = ("ongoing", "ended")
#: What a session sensor or trigger can wait for.
SESSION_TARGETS = ("started", "ended")


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


class LatestSessions(NamedTuple):
    """A room's ongoing session and its most recent ended one; either may be None."""

    ongoing: Session | None
    ended: Session | None


def started_at(session: Session) -> float | None:
    """Return the session's ``start`` in epoch seconds, or None when it is missing or unreadable."""
    value = session.get("start")
    if not isinstance(value, str):
        return None
    try:
        started = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if started.tzinfo is None:
        started = started.replace(tzinfo=timezone.utc)
    return started.timestamp()


def find_session(latest: LatestSessions, target: str, waiting_since: float) -> Session | None:
    """
    Return the session that meets ``target``, or None to keep waiting.

    ``"started"``: the ongoing session; else the latest ended session if it started at or after
    ``waiting_since`` (epoch seconds), so that a session that began and ended between two polls
    still counts, while sessions held before the wait (a reused room) do not.
    ``"ended"``: with no session ongoing, the latest ended one (whenever it was held: the wait
    may begin late).
    """
    if latest.ongoing is not None:
        return latest.ongoing if target == "started" else None
    if latest.ended is None:
        return None
    if target == "ended":
        return latest.ended
    started = started_at(latest.ended)
    return latest.ended if started is not None and started >= waiting_since else None
