"""Operators that start and stop realtime transcription (live captions) of a VideoSDK room's session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from videosdk_provider.bodies.realtime_transcriptions import build_start_realtime_transcription_body
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.utils.streams import StartStreamOperator, StopStreamOperator

if TYPE_CHECKING:
    from videosdk_provider.models.stops import StopResult


class StartRealtimeTranscriptionOperator(StartStreamOperator):
    """
    Start transcribing a VideoSDK room's ongoing session live; return the transcription.

    The task first looks for a transcription already running in the room's ongoing session (a
    previous try whose answer was lost, or anyone else's): if there is one it is returned and no
    second start is sent, so the task is safe to retry.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param webhook_url: ``webhookUrl``: where the API posts this transcription's events. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "realtime transcription"
    template_fields: Sequence[str] = ("room_id", "webhook_url", "videosdk_conn_id")

    def __init__(
        self,
        *,
        room_id: str,
        webhook_url: str | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(room_id=room_id, videosdk_conn_id=videosdk_conn_id, **kwargs)
        self.webhook_url = webhook_url
        self.check(at_parse_time=True)

    def check(self, *, at_parse_time: bool) -> None:
        build_start_realtime_transcription_body(
            self.room_id, webhook_url=self.webhook_url, at_parse_time=at_parse_time
        )

    def find_running(self) -> Mapping[str, Any] | None:
        session_id = self.ongoing_session_id()
        if session_id is None:
            return None  # nothing can run; the start then fails with the API's reason
        return self.hook.get_active_realtime_transcription(self.room_id, session_id=session_id)

    def start(self) -> Mapping[str, Any]:
        return self.hook.start_realtime_transcription(self.room_id, webhook_url=self.webhook_url)


class StopRealtimeTranscriptionOperator(StopStreamOperator):
    """
    Stop a VideoSDK room's realtime transcription; return ``{"stopped": bool, "message": str}``.

    The stop request is never repeated by the hook. When none runs (a retry after a lost answer,
    or the session already ended) the task succeeds with ``stopped: False``, unless
    ``fail_if_not_running`` asks for a failure.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param fail_if_not_running: Fail, rather than succeed, when no transcription runs.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "realtime transcription"

    def __init__(self, *, room_id: str, **kwargs: Any) -> None:
        super().__init__(room_id=room_id, **kwargs)
        self.check(at_parse_time=True)

    def stop(self) -> StopResult:
        return self.hook.stop_realtime_transcription(self.room_id)
