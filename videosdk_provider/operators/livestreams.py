"""
Operators that start and stop RTMP livestreams of a VideoSDK room's session.

Stream keys are secrets: they are masked in logs and rendered fields (as soon as the task renders
them) and replaced with ``***`` in what the task returns. Pass them through templates from a
secret store (``{{ conn.youtube.password }}``, a Variable), not as literals in the DAG file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.livestreams import build_start_livestream_body
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.models.livestreams import stream_keys, without_stream_keys
from videosdk_provider.utils.streams import StartStreamOperator, StopStreamOperator

if TYPE_CHECKING:
    from videosdk_provider.models.stops import StopResult


class StartLivestreamOperator(StartStreamOperator):
    """
    Livestream a VideoSDK room's ongoing session to RTMP destinations; return the livestream.

    The task first looks for a livestream already running in the room's ongoing session (started
    by a previous try whose answer was lost, or by anyone else): if there is one it is returned
    and no second start is sent, so the task is safe to retry. Otherwise it sends
    ``POST /v2/livestreams/start`` and reads the livestream back, for its ``id``.

    The returned livestream (the XCom) shows each stream key as ``***``.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param outputs: ``[{"url": "rtmp://...", "streamKey": ...}, ...]``, at least one; URLs are
        ``rtmp://`` or ``rtmps://``. (templated; keys are masked once rendered)
    :param config: ``{layout, theme}``. (templated)
    :param template_url: ``templateUrl``: a custom layout page. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "livestream"
    template_fields: Sequence[str] = ("room_id", "outputs", "config", "template_url", "videosdk_conn_id")
    template_fields_renderers = {"outputs": "json", "config": "json"}

    def __init__(
        self,
        *,
        room_id: str,
        outputs: list[dict[str, Any]],
        config: dict[str, Any] | None = None,
        template_url: str | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(room_id=room_id, videosdk_conn_id=videosdk_conn_id, **kwargs)
        self.outputs = outputs
        self.config = config
        self.template_url = template_url
        self.check(at_parse_time=True)

    def secrets(self) -> Iterable[str]:
        return stream_keys({"outputs": self.outputs})

    def check(self, *, at_parse_time: bool) -> None:
        build_start_livestream_body(
            self.room_id,
            self.outputs,
            config=self.config,
            template_url=self.template_url,
            at_parse_time=at_parse_time,
        )

    def find_running(self) -> Mapping[str, Any] | None:
        session_id = self.ongoing_session_id()
        if session_id is None:
            return None  # nothing can run; the start then fails with the API's reason
        return self.hook.get_active_livestream(self.room_id, session_id=session_id)

    def start(self) -> Mapping[str, Any]:
        answer = self.hook.start_livestream(
            self.room_id, self.outputs, config=self.config, template_url=self.template_url
        )
        if isinstance(answer, Mapping) and "id" in answer:
            return answer
        session_id = self.ongoing_session_id()
        started = self.hook.get_active_livestream(self.room_id, session_id=session_id) if session_id else None
        return started if started is not None else {"roomId": self.room_id, "message": answer}

    def shown(self, started: Mapping[str, Any]) -> dict[str, Any]:
        return without_stream_keys(started)


class StopLivestreamOperator(StopStreamOperator):
    """
    Stop a VideoSDK room's livestream; return ``{"stopped": bool, "message": str}``.

    The stop request is never repeated by the hook. When no livestream runs (a retry after a
    lost answer, or the session already ended) the task succeeds with ``stopped: False``,
    unless ``fail_if_not_running`` asks for a failure.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param livestream_id: Stop only this livestream (``StartLivestreamOperator``'s ``id``). (templated)
    :param fail_if_not_running: Fail, rather than succeed, when no livestream runs.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "livestream"
    template_fields: Sequence[str] = ("room_id", "livestream_id", "videosdk_conn_id")

    def __init__(self, *, room_id: str, livestream_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(room_id=room_id, **kwargs)
        self.livestream_id = livestream_id
        self.check(at_parse_time=True)

    def check_more(self, check: Checker) -> None:
        check.identifier("livestream_id", self.livestream_id, optional=True)

    def stop(self) -> StopResult:
        return self.hook.stop_livestream(self.room_id, livestream_id=self.livestream_id)
