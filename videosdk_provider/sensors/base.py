"""
What the sensors that wait for a session's media share: poke and deferrable modes over one decision.

A subclass polls once with the hook (:meth:`VideoSDKWaitSensor._poll`) and builds its trigger
(:meth:`VideoSDKWaitSensor._trigger`); both decide with the same pure function.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from airflow.sdk import BaseSensorOperator, PokeReturnValue
from airflow.sdk.exceptions import AirflowException

from videosdk_provider._compat import AirflowFailException, AirflowSensorTimeout, AirflowSkipException, conf
from videosdk_provider.constants import DEFAULT_CONN_ID, DEFERRAL_GRACE_SECONDS
from videosdk_provider.exceptions import TRANSIENT_ERRORS
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    from airflow.sdk import Context

    from videosdk_provider.triggers.base import VideoSDKWaitTrigger, WaitOutcome


class VideoSDKWaitSensor(VideoSDKHookMixin, BaseSensorOperator):
    """
    Wait until what a subclass polls is done; fail at once when it has failed (it will not heal).

    With ``deferrable=True`` (default: ``[operators] default_deferrable``) the wait runs in the
    triggerer and frees the worker slot; it polls every ``poke_interval`` seconds either way. After
    ``timeout`` seconds the task fails with ``AirflowSensorTimeout``; a failed recording or
    transcription fails it without retries (``soft_fail`` skips it instead). An API error that will
    not heal (401, 404...) fails it with the API's message; 5xx, 429 and lost answers (once the
    hook's retries are spent) cost one poke and are polled again, in every mode.
    """

    ui_color = "#e6f1f2"

    def __init__(
        self,
        *,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.deferrable = deferrable
        self.videosdk_conn_id = videosdk_conn_id

    def _check(self, *, at_parse_time: bool) -> None:
        """Check the (rendered) arguments; raise ``InvalidRequestError`` naming each bad one."""
        raise NotImplementedError

    def _poll(self) -> WaitOutcome:
        """Poll once with the hook and decide."""
        raise NotImplementedError

    def _trigger(self, timeout_at: float) -> VideoSDKWaitTrigger:
        """Build the trigger that goes on waiting until ``timeout_at`` (epoch seconds)."""
        raise NotImplementedError

    def execute(self, context: Context) -> Any:
        self._check(at_parse_time=False)
        started = time.time()
        if not self.deferrable:
            return super().execute(context)
        found = self.poke(context)
        if found:
            return found.xcom_value
        timeout_at = started + self.timeout
        self.defer(
            trigger=self._trigger(timeout_at),
            method_name="execute_complete",
            timeout=timedelta(seconds=max(0.0, timeout_at - time.time()) + DEFERRAL_GRACE_SECONDS),
        )

    def poke(self, context: Context) -> PokeReturnValue:
        try:
            outcome = self._poll()
        except TRANSIENT_ERRORS as error:
            self.log.warning("Polling VideoSDK failed; polling again: %s", error)
            return PokeReturnValue(is_done=False)
        if outcome.state == "failed":
            self._fail(outcome.message)
        self.log.info("%s", outcome.message)
        return PokeReturnValue(is_done=outcome.state == "done", xcom_value=outcome.value)

    def _fail(self, message: str) -> NoReturn:
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowFailException(message)

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> Any:
        """Resume after the trigger fired: return its value, or fail with its message."""
        status = event.get("status") if isinstance(event, dict) else None
        if status == "success" and event is not None:
            return event["value"]
        message = str(event.get("message")) if isinstance(event, dict) else ""
        if status == "failed":
            self._fail(message)
        if status == "timeout":
            raise AirflowSensorTimeout(f"Sensor has timed out: {message}")
        if status == "error":
            raise AirflowException(f"Waiting for VideoSDK failed: {message}")
        raise AirflowException(f"Unexpected event from the VideoSDK trigger: {event!r}")
