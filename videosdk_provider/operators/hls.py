"""Operators that start and stop HLS streaming of a VideoSDK room's session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.hls import build_start_hls_body
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.links.hls import VideoSDKHlsPlaybackLink
from videosdk_provider.utils.streams import StartStreamOperator, StopStreamOperator

if TYPE_CHECKING:
    from videosdk_provider.models.stops import StopResult


class StartHlsOperator(StartStreamOperator):
    """
    Start HLS in a VideoSDK room's ongoing session; return the stream (ids and playback URLs).

    Arguments are the fields of ``POST /v2/hls/start`` with the API's camelCase keys inside the
    dicts. Values without Jinja are checked when the DAG is parsed, rendered values before any
    request. The task first reads the room's active stream: if one runs (started by a previous
    try whose answer was lost, by ``autoStartConfig`` or by anyone else) it is returned as it is
    and no second start is sent, so the task is safe to retry. The room needs an ongoing session
    (wait for it with ``VideoSDKSessionSensor``).

    The return value has ``id``, ``roomId``, ``sessionId``, ``playbackHlsUrl`` (from the start,
    seekable) and ``livestreamUrl`` (live edge); the "HLS playback" link opens ``playbackHlsUrl``.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param config: ``config``: layout (``gridSize`` up to 25), theme, mode, quality, orientation,
        ``recording{enabled}``. (templated)
    :param template_url: ``templateUrl``: a custom layout page. (templated)
    :param transcription: ``transcription{enabled, summary}``: post-call transcription. (templated)
    :param summary: ``summary{enabled, prompt}``. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "HLS"
    template_fields: Sequence[str] = (
        "room_id",
        "config",
        "template_url",
        "transcription",
        "summary",
        "videosdk_conn_id",
    )
    template_fields_renderers = {"config": "json", "transcription": "json", "summary": "json"}
    operator_extra_links = (VideoSDKHlsPlaybackLink(),)

    def __init__(
        self,
        *,
        room_id: str,
        config: dict[str, Any] | None = None,
        template_url: str | None = None,
        transcription: dict[str, Any] | None = None,
        summary: dict[str, Any] | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(room_id=room_id, videosdk_conn_id=videosdk_conn_id, **kwargs)
        self.config = config
        self.template_url = template_url
        self.transcription = transcription
        self.summary = summary
        self.check(at_parse_time=True)

    def check(self, *, at_parse_time: bool) -> None:
        build_start_hls_body(
            self.room_id,
            config=self.config,
            template_url=self.template_url,
            transcription=self.transcription,
            summary=self.summary,
            at_parse_time=at_parse_time,
        )

    def find_running(self) -> Mapping[str, Any] | None:
        return self.hook.get_active_hls(self.room_id)

    def start(self) -> Mapping[str, Any]:
        hls = self.hook.start_hls(
            self.room_id,
            config=self.config,
            template_url=self.template_url,
            transcription=self.transcription,
            summary=self.summary,
        )
        self.log.info("HLS playback URL: %s", hls.get("playbackHlsUrl"))
        return hls


class StopHlsOperator(StopStreamOperator):
    """
    Stop HLS in a VideoSDK room; return ``{"stopped": bool, "message": str}``.

    The stop request is never repeated by the hook (it may have taken effect). When no HLS runs
    (a retry after a lost answer, or the session already ended) the task succeeds with
    ``stopped: False``, unless ``fail_if_not_running`` asks for a failure.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param hls_id: Stop only this stream (``StartHlsOperator``'s ``id``). (templated)
    :param fail_if_not_running: Fail, rather than succeed, when no HLS runs.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "HLS"
    template_fields: Sequence[str] = ("room_id", "hls_id", "videosdk_conn_id")

    def __init__(self, *, room_id: str, hls_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(room_id=room_id, **kwargs)
        self.hls_id = hls_id
        self.check(at_parse_time=True)

    def check_more(self, check: Checker) -> None:
        check.identifier("hls_id", self.hls_id, optional=True)

    def stop(self) -> StopResult:
        return self.hook.stop_hls(self.room_id, hls_id=self.hls_id)
