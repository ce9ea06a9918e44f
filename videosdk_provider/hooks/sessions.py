"""Sessions endpoints of the hook: list and fetch sessions and participants, end a session, join tokens."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from airflow.sdk.log import mask_secret

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.sessions import check_permissions
from videosdk_provider.constants import (
    DEFAULT_PARTICIPANT_PERMISSIONS,
    DEFAULT_PARTICIPANT_TOKEN_TTL,
    DEFAULT_PER_PAGE,
)
from videosdk_provider.hooks.core import PageCheck, VideoSDKBaseHook, page_data, sign_token
from videosdk_provider.models.sessions import SESSION_STATUSES, LatestSessions, Participant, Session


def _page_participants(answer: Any) -> list[Any] | None:
    """Participants of a ``…/participants`` page, whose ``data`` is the session."""
    data = answer.get("data") if isinstance(answer, dict) else None
    participants = data.get("participants") if isinstance(data, dict) else None
    return participants if isinstance(participants, list) else None


def _page_active_participants(answer: Any) -> list[Any] | None:
    """Participants of a ``…/participants/active`` page, whose ``data`` lists sessions."""
    sessions = page_data(answer)
    if sessions is None:
        return None
    return [
        person
        for session in sessions
        if isinstance(session, dict)
        for person in session.get("participants") or []
    ]


def _sessions_query(room_id: str, status: str | None, per_page: int) -> dict[str, Any]:
    check = Checker()
    check.identifier("room_id", room_id)
    if status is not None:
        check.choice("status", status, SESSION_STATUSES)
    check.integer("per_page", per_page, low=1, high=None)
    check.raise_problems()
    query: dict[str, Any] = {"roomId": room_id, "perPage": per_page}
    if status is not None:
        query["status"] = status
    return query


def _check_per_page(per_page: int) -> None:
    check = Checker()
    check.integer("per_page", per_page, low=1, high=None)
    check.raise_problems()


class SessionsHookMixin(VideoSDKBaseHook):
    """The sessions resource: ``/v2/sessions`` and its participants, and participant join tokens."""

    def iter_sessions(
        self, room_id: str, *, status: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Session]:
        """
        Every session of a room (``GET /v2/sessions``), newest first, through all pages.

        :param room_id: The room's VideoSDK roomId.
        :param status: Only ``"ongoing"`` or only ``"ended"`` sessions; all by default.
        """
        return self._paged("/v2/sessions", _sessions_query(room_id, status, per_page))

    async def aget_sessions(
        self,
        room_id: str,
        *,
        status: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
        until: PageCheck | None = None,
    ) -> list[Session]:
        """
        Every session of a room, as :meth:`iter_sessions` lists them, without blocking the event loop.

        :param until: Told each page of sessions in turn but the last; True ends the listing there.
        """
        return await self._apaged("/v2/sessions", _sessions_query(room_id, status, per_page), until=until)

    def latest_sessions(self, room_id: str) -> LatestSessions:
        """
        Return the room's ongoing session and, when there is none, its most recent ended one.

        At most two requests of one session each, however many sessions the room has held: the
        API lists sessions newest first, filtered by status.
        """
        ongoing = next(self._paged("/v2/sessions", _sessions_query(room_id, "ongoing", 1), limit=1), None)
        if ongoing is not None:
            return LatestSessions(ongoing, None)
        ended = next(self._paged("/v2/sessions", _sessions_query(room_id, "ended", 1), limit=1), None)
        return LatestSessions(None, ended)

    async def alatest_sessions(self, room_id: str) -> LatestSessions:
        """:meth:`latest_sessions`, without blocking the event loop."""
        ongoing = await self._apaged("/v2/sessions", _sessions_query(room_id, "ongoing", 1), limit=1)
        if ongoing:
            return LatestSessions(ongoing[0], None)
        ended = await self._apaged("/v2/sessions", _sessions_query(room_id, "ended", 1), limit=1)
        return LatestSessions(None, ended[0] if ended else None)

    def get_session(self, session_id: str) -> Session:
        """Fetch one session by its id (``GET /v2/sessions/{sessionId}``)."""
        return cast(
            "Session", self.request("GET", self._path("/v2/sessions/{session_id}", session_id=session_id))
        )

    def iter_participants(
        self, session_id: str, *, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Participant]:
        """Everyone who took part in a session, following ``pageInfo`` through all pages."""
        path = self._path("/v2/sessions/{session_id}/participants", session_id=session_id)
        _check_per_page(per_page)
        return self._paged(path, {"perPage": per_page}, _page_participants)

    def iter_active_participants(
        self, session_id: str, *, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Participant]:
        """Who is in a session right now, following ``pageInfo`` through all pages."""
        path = self._path("/v2/sessions/{session_id}/participants/active", session_id=session_id)
        _check_per_page(per_page)
        return self._paged(path, {"perPage": per_page}, _page_active_participants)

    def end_session(self, room_id: str, *, session_id: str | None = None) -> Session:
        """
        End the room's ongoing session (``POST /v2/sessions/end``); never retried once sent.

        :param room_id: The room's roomId.
        :param session_id: End only this session (the API refuses if it is not the ongoing one).
        :return: The session; its ``status`` may still read ``ongoing`` for a moment.
        """
        check = Checker()
        check.identifier("room_id", room_id)
        check.identifier("session_id", session_id, optional=True)
        check.raise_problems()
        body = {"roomId": room_id} | ({"sessionId": session_id} if session_id is not None else {})
        return cast("Session", self.request("POST", "/v2/sessions/end", json_body=body))

    def remove_participant(
        self, room_id: str, participant_id: str, *, session_id: str | None = None
    ) -> Session | str:
        """
        Remove a participant from the room's ongoing session; never retried once sent.

        :return: The session (the API reference), or the API's bare confirmation text (the Node SDK).
        """
        check = Checker()
        check.identifier("room_id", room_id)
        check.identifier("participant_id", participant_id)
        check.identifier("session_id", session_id, optional=True)
        check.raise_problems()
        body = {"participantId": participant_id, "roomId": room_id}
        if session_id is not None:
            body["sessionId"] = session_id
        return cast("Session | str", self.request("POST", "/v2/sessions/participants/remove", json_body=body))

    def participant_token(
        self,
        room_id: str | None = None,
        participant_id: str | None = None,
        *,
        permissions: Sequence[str] = DEFAULT_PARTICIPANT_PERMISSIONS,
        ttl: int = DEFAULT_PARTICIPANT_TOKEN_TTL,
    ) -> str:
        """
        Sign a join token for an end user of a client SDK (role ``rtc``: it cannot call the REST API).

        The token is masked in logs; hand it to the participant, never to XCom.

        :param room_id: Restrict the token to this room.
        :param participant_id: Restrict the token to this participant id.
        :param permissions: ``allow_join`` (join directly), ``ask_join`` (ask to be admitted) and/or
            ``allow_mod`` (moderate others); ``ask_join`` never goes with the other two.
        :param ttl: Lifetime in seconds.
        """
        check = Checker()
        check.identifier("room_id", room_id, optional=True)
        check.identifier("participant_id", participant_id, optional=True)
        check_permissions(check, "permissions", permissions)
        check.integer("ttl", ttl, low=1, high=None, unit=" (seconds)")
        check.raise_problems()
        settings = self.settings
        token, _ = sign_token(
            settings.api_key,
            settings.secret,
            ttl=ttl,
            permissions=permissions,
            roles=("rtc",),
            room_id=room_id,
            participant_id=participant_id,
        )
        mask_secret(token)
        return token
