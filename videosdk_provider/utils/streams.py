"""
What the start and stop operators of recordings, HLS, livestreams and realtime transcriptions share.

A start is never blindly sent twice: the task first reads whether one already runs in the room
(a retry after a lost answer finds the one it started) and starts only when none does. A stop
that finds nothing running succeeds, reporting ``stopped: False``, so its retries are safe too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator
from airflow.sdk.log import mask_secret

from videosdk_provider._compat import AirflowFailException
from videosdk_provider.bodies.checking import Checker
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    import jinja2
    from airflow.sdk import Context

    from videosdk_provider.models.stops import StopResult

STREAM_COLOR = "#e8f6ec"
STOP_COLOR = "#fde9e6"


class StartStreamOperator(VideoSDKHookMixin, BaseOperator):
    """
    Start one thing (a recording, HLS, a livestream...) in a room's ongoing session unless one runs.

    Subclasses name it in :attr:`what`, check their arguments in :meth:`check` (called at the end
    of their ``__init__`` too), and implement :meth:`find_running`, :meth:`start`, and where needed
    :meth:`shown` (for what must not reach XCom) and :meth:`secrets` (masked once rendered).
    """

    #: What is started, for logs ("HLS").
    what = ""
    ui_color = STREAM_COLOR

    def __init__(self, *, room_id: str, videosdk_conn_id: str = DEFAULT_CONN_ID, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.videosdk_conn_id = videosdk_conn_id

    def check(self, *, at_parse_time: bool) -> None:
        """Check the arguments; raise :class:`~videosdk_provider.exceptions.InvalidRequestError`."""
        raise NotImplementedError

    def find_running(self) -> Mapping[str, Any] | None:
        """Return the one running in the room, or None."""
        raise NotImplementedError

    def ongoing_session_id(self) -> str | None:
        """Return the id of the room's ongoing session: what runs is looked for there; None if none."""
        ongoing = self.hook.latest_sessions(self.room_id).ongoing
        return None if ongoing is None else ongoing.get("id")

    def start(self) -> Mapping[str, Any]:
        """Start it and return it."""
        raise NotImplementedError

    def shown(self, started: Mapping[str, Any]) -> dict[str, Any]:
        """Return what the task returns (its XCom) and logs of ``started``."""
        return dict(started)

    def secrets(self) -> Iterable[str]:
        """Return the rendered arguments that are credentials (stream keys, upload URLs); none here."""
        return ()

    def _do_render_template_fields(
        self,
        parent: Any,
        template_fields: Iterable[str],
        context: Context,
        jinja_env: jinja2.Environment,
        seen_oids: set[int],
    ) -> None:
        """Render, then mask :meth:`secrets` before Airflow stores or logs the rendered fields."""
        super()._do_render_template_fields(parent, template_fields, context, jinja_env, seen_oids)
        for secret in self.secrets():
            mask_secret(secret)

    def execute(self, context: Context) -> dict[str, Any]:
        self.check(at_parse_time=False)
        running = self.find_running()
        if running is not None:
            self.log.warning(
                "%s %s already runs in VideoSDK room %s: not starting another (its settings stay unchanged)",
                self.what,
                running.get("id"),
                self.room_id,
            )
            return self.shown(running)
        started = self.shown(self.start())
        self.log.info("Started %s %s in VideoSDK room %s", self.what, started.get("id"), self.room_id)
        return started


class StopStreamOperator(VideoSDKHookMixin, BaseOperator):
    """
    Stop one thing (HLS, a livestream...) in a room; return ``{"stopped": bool, "message": str}``.

    Subclasses name it in :attr:`what`, implement :meth:`stop`, and end their ``__init__`` with
    ``self.check(at_parse_time=True)``.
    """

    what = ""
    template_fields: Sequence[str] = ("room_id", "videosdk_conn_id")
    ui_color = STOP_COLOR

    def __init__(
        self,
        *,
        room_id: str,
        fail_if_not_running: bool = False,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.fail_if_not_running = fail_if_not_running
        self.videosdk_conn_id = videosdk_conn_id

    def check(self, *, at_parse_time: bool) -> None:
        """Check the ids; subclasses with more of them extend it."""
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("room_id", self.room_id)
        self.check_more(check)
        check.raise_problems()

    def check_more(self, check: Checker) -> None:
        """Check further arguments on ``check``."""

    def stop(self) -> StopResult:
        raise NotImplementedError

    def execute(self, context: Context) -> dict[str, Any]:
        self.check(at_parse_time=False)
        result = self.stop()
        if result["stopped"]:
            self.log.info("Stopped %s in VideoSDK room %s", self.what, self.room_id)
        else:
            message = f"No {self.what} to stop in VideoSDK room {self.room_id} ({result['message']})"
            if self.fail_if_not_running:
                raise AirflowFailException(message)
            self.log.info("%s; nothing to do", message)
        return dict(result)
