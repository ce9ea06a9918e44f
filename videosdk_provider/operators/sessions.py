"""Operators that act on VideoSDK sessions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from videosdk_provider._compat import AirflowFailException
from videosdk_provider.bodies.checking import Checker
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    from airflow.sdk import Context


class EndSessionOperator(VideoSDKHookMixin, BaseOperator):
    """
    End the ongoing session of a VideoSDK room; return the ended session, or ``None``.

    Ending a session is not repeatable, so the task reads the state first: the room (an unknown
    room fails), then its ongoing session. Only when there is one is ``POST /v2/sessions/end``
    sent, naming that session so that a session starting in between is never ended by mistake.
    With no ongoing session (or only another one than ``session_id``) there is nothing to end: the
    task succeeds with ``None``, so a retry after a lost answer is safe, unless
    ``fail_if_no_session`` asks for a failure.

    :param room_id: roomId or customRoomId of the room. (templated)
    :param session_id: End only this session. (templated)
    :param fail_if_no_session: Fail, rather than succeed, when there is no session to end.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("room_id", "session_id", "videosdk_conn_id")
    ui_color = "#fde9e6"

    def __init__(
        self,
        *,
        room_id: str,
        session_id: str | None = None,
        fail_if_no_session: bool = False,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.session_id = session_id
        self.fail_if_no_session = fail_if_no_session
        self.videosdk_conn_id = videosdk_conn_id
        self._check(at_parse_time=True)

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("room_id", self.room_id)
        check.identifier("session_id", self.session_id, optional=True)
        check.raise_problems()

    def execute(self, context: Context) -> dict[str, Any] | None:
        self._check(at_parse_time=False)
        room_id = self.hook.get_room(self.room_id)["roomId"]
        ongoing = self.hook.latest_sessions(room_id).ongoing
        if ongoing is None or (self.session_id is not None and ongoing.get("id") != self.session_id):
            wanted = f"session {self.session_id!r}" if self.session_id is not None else "session"
            message = f"VideoSDK room {room_id} has no ongoing {wanted} to end"
            if self.fail_if_no_session:
                raise AirflowFailException(message)
            self.log.info("%s; nothing to do", message)
            return None
        session = self.hook.end_session(room_id, session_id=ongoing["id"])
        self.log.info("Ended session %s of VideoSDK room %s", ongoing["id"], room_id)
        return dict(session)
