"""Wait for a VideoSDK room's session to start or end."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseSensorOperator, PokeReturnValue
from airflow.sdk.exceptions import AirflowException

from videosdk_provider._compat import AirflowFailException, AirflowSensorTimeout, AirflowSkipException, conf
from videosdk_provider.bodies.checking import Checker
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.exceptions import TRANSIENT_ERRORS
from videosdk_provider.models.sessions import SESSION_TARGETS, find_session
from videosdk_provider.triggers.sessions import VideoSDKSessionTrigger
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    from airflow.sdk import Context

#: Extra time the triggerer allows a deferred wait past the sensor's timeout, as a safety net:
#: the trigger reports the timeout itself, with a clearer message.
_DEFERRAL_GRACE_SECONDS = 60


class VideoSDKSessionSensor(VideoSDKHookMixin, BaseSensorOperator):
    """
    Wait until a session of a VideoSDK room starts or ends; return that session (a plain dict).

    - ``target="started"`` succeeds once the room has an ongoing session, or a session that started
      after the sensor began waiting (so a short session held between two polls still counts).
      Sessions held before the wait do not count, so a room reused across runs works too.
    - ``target="ended"`` succeeds once the room's latest session has ended; a room that has had no
      session yet keeps it waiting. The latest session counts even if it ended before the wait
      began (the sensor may start late): for a room reused across runs, wait for ``"started"``
      first.

    Before waiting, the sensor reads the room: an unknown room fails at once, a customRoomId is
    resolved to the roomId, and waiting for ``"started"`` in a deactivated room fails at once (or
    is skipped with ``soft_fail``), since no session can start there.

    With ``deferrable=True`` (default: ``[operators] default_deferrable``) the wait runs in the
    triggerer and frees the worker slot; the room's sessions are polled every ``poke_interval``
    seconds either way. After ``timeout`` seconds the task fails with ``AirflowSensorTimeout``
    (skipped with ``soft_fail``); an API error that will not heal (such as 401 or 404) fails it at
    once with the API's message, while 5xx, 429 and lost answers (once the hook's retries are
    spent) cost one poke and are polled again, in every mode.

    Each poll asks for the room's ongoing session and, when there is none, its latest ended one:
    two requests of one session at most, however many sessions a reused room has held.

    :param room_id: roomId or customRoomId of the room. (templated)
    :param target: ``"started"`` or ``"ended"``. (templated)
    :param deferrable: Wait in the triggerer instead of a worker slot.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("room_id", "target", "videosdk_conn_id")
    ui_color = "#e6f1f2"

    def __init__(
        self,
        *,
        room_id: str,
        target: str = "started",
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.target = target
        self.deferrable = deferrable
        self.videosdk_conn_id = videosdk_conn_id
        self._check(at_parse_time=True)
        self._resolved_room_id = ""
        self._waiting_since = 0.0

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("room_id", self.room_id)
        check.choice("target", self.target, SESSION_TARGETS)
        check.raise_problems()

    def execute(self, context: Context) -> Any:
        self._check(at_parse_time=False)
        self._waiting_since = self._wait_began(context)
        room = self.hook.get_room(self.room_id)
        self._resolved_room_id = room["roomId"]
        if self.target == "started" and room.get("disabled"):
            message = f"VideoSDK room {self._resolved_room_id} is deactivated: no session can start in it"
            if self.soft_fail:
                raise AirflowSkipException(message)
            raise AirflowFailException(message)
        if not self.deferrable:
            return super().execute(context)
        found = self.poke(context)
        if found:
            return found.xcom_value
        timeout_at = self._waiting_since + self.timeout
        self.defer(
            trigger=VideoSDKSessionTrigger(
                room_id=self._resolved_room_id,
                target=self.target,
                waiting_since=self._waiting_since,
                poll_interval=self.poke_interval,
                timeout_at=timeout_at,
                videosdk_conn_id=self.videosdk_conn_id,
            ),
            method_name="execute_complete",
            timeout=timedelta(seconds=max(0.0, timeout_at - time.time()) + _DEFERRAL_GRACE_SECONDS),
        )

    def _wait_began(self, context: Context) -> float:
        """Return when the wait began: now, or in reschedule mode when the first poke was rescheduled."""
        if self.reschedule:
            first = context["ti"].get_first_reschedule_date(context)
            if first is not None:
                return first.timestamp()
        return time.time()

    def poke(self, context: Context) -> PokeReturnValue:
        try:
            latest = self.hook.latest_sessions(self._resolved_room_id)
        except TRANSIENT_ERRORS as error:
            self.log.warning(
                "Polling the sessions of VideoSDK room %s failed; polling again: %s",
                self._resolved_room_id,
                error,
            )
            return PokeReturnValue(is_done=False)
        session = find_session(latest, self.target, self._waiting_since)
        if session is None:
            self.log.info("No session %s yet in VideoSDK room %s", self.target, self._resolved_room_id)
            return PokeReturnValue(is_done=False)
        self.log.info(
            "Session %s %s in VideoSDK room %s", session.get("id"), self.target, self._resolved_room_id
        )
        return PokeReturnValue(is_done=True, xcom_value=dict(session))

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> dict[str, Any]:
        """Resume after the trigger fired: return the session, or fail with the trigger's message."""
        status = event.get("status") if isinstance(event, dict) else None
        if status == "success" and event is not None:
            session: dict[str, Any] = event["session"]
            self.log.info("Session %s %s in VideoSDK room %s", session.get("id"), self.target, self.room_id)
            return session
        message = event.get("message") if isinstance(event, dict) else None
        if status == "timeout":
            raise AirflowSensorTimeout(f"Sensor has timed out: {message}")
        if status == "error":
            raise AirflowException(f"Waiting for a session of VideoSDK room {self.room_id} failed: {message}")
        raise AirflowException(f"Unexpected event from the VideoSDK session trigger: {event!r}")
