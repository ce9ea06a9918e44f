"""Operators that start and stop a VideoSDK room's recording."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from videosdk_provider._compat import AirflowFailException
from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.recordings import build_start_recording_body
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.models.recordings import is_recording_running
from videosdk_provider.utils.mixins import VideoSDKHookMixin
from videosdk_provider.utils.streams import StartStreamOperator

if TYPE_CHECKING:
    from airflow.sdk import Context

_RECORDING_COLOR = "#fdf1e6"


class StartRecordingOperator(StartStreamOperator):
    """
    Record a VideoSDK room's ongoing session unless it already records; return the recording.

    Each argument is one field of the ``POST /v2/recordings/start`` body, with the API's own
    camelCase keys inside the dicts; unset arguments are left out. Values without Jinja are checked
    when the DAG is parsed, rendered values before the request (``config`` as in
    ``autoStartConfig``: ``layout.gridSize`` 1..4).

    The task first looks for a recording running in the room's ongoing session (started by a
    previous try whose answer was lost, by ``autoStartConfig`` or by anyone else): if there is one
    it is returned as it is and no second start is sent, so the task is safe to retry. Otherwise it
    sends the start and reads the recording back: the return value is the recording as listed
    (``id``, ``roomId``, ``sessionId``, ``status``...) plus ``message``, the API's confirmation
    text; only ``roomId`` and ``message`` when the recording cannot be found.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param config: ``config``: ``{"layout": {...}, "theme", "mode", "quality", "orientation"}``. (templated)
    :param template_url: ``templateUrl``: a custom layout page. (templated)
    :param transcription: ``transcription``: ``{"enabled": true, "summary": {"enabled": true,
        "prompt": ...}}`` for a post-call transcription and summary. (templated)
    :param webhook_url: ``webhookUrl``: where the recording's events are also sent. (templated)
    :param aws_dir_path: ``awsDirPath``: your S3 bucket path for the file. (templated)
    :param pre_signed_url: ``preSignedUrl``: a pre-signed upload URL for the file: a credential, so
        it is masked in logs and rendered fields once rendered. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    what = "recording"
    template_fields: Sequence[str] = (
        "room_id",
        "config",
        "template_url",
        "transcription",
        "webhook_url",
        "aws_dir_path",
        "pre_signed_url",
        "videosdk_conn_id",
    )
    template_fields_renderers = {"config": "json", "transcription": "json"}
    ui_color = _RECORDING_COLOR

    def __init__(
        self,
        *,
        room_id: str,
        config: dict[str, Any] | None = None,
        template_url: str | None = None,
        transcription: dict[str, Any] | None = None,
        webhook_url: str | None = None,
        aws_dir_path: str | None = None,
        pre_signed_url: str | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(room_id=room_id, videosdk_conn_id=videosdk_conn_id, **kwargs)
        self.config = config
        self.template_url = template_url
        self.transcription = transcription
        self.webhook_url = webhook_url
        self.aws_dir_path = aws_dir_path
        self.pre_signed_url = pre_signed_url
        self.check(at_parse_time=True)

    def secrets(self) -> Iterable[str]:
        return [self.pre_signed_url] if isinstance(self.pre_signed_url, str) and self.pre_signed_url else []

    def _arguments(self) -> dict[str, Any]:
        """Return the start's arguments, as the hook's keyword arguments."""
        return {
            "config": self.config,
            "template_url": self.template_url,
            "transcription": self.transcription,
            "webhook_url": self.webhook_url,
            "aws_dir_path": self.aws_dir_path,
            "pre_signed_url": self.pre_signed_url,
        }

    def check(self, *, at_parse_time: bool) -> None:
        build_start_recording_body(self.room_id, **self._arguments(), at_parse_time=at_parse_time)

    def find_running(self) -> Mapping[str, Any] | None:
        session_id = self.ongoing_session_id()
        if session_id is None:
            return None  # nothing can record; the start then fails with the API's reason
        recordings = self.hook.iter_recordings(room_id=self.room_id, session_id=session_id)
        return next((recording for recording in recordings if is_recording_running(recording)), None)

    def start(self) -> Mapping[str, Any]:
        answer = self.hook.start_recording(self.room_id, **self._arguments())
        started = self.find_running() or {"roomId": self.room_id}
        return {**started, "message": answer}


class StopRecordingOperator(VideoSDKHookMixin, BaseOperator):
    """
    Stop a VideoSDK room's recording (``POST /v2/recordings/end``); return ``{"stopped", "message"}``.

    The stop is never repeated by the hook (it may have taken effect). A room with nothing
    recording answers "not started": the task succeeds with ``stopped: False``, so a retry after a
    lost answer is safe, unless ``fail_if_not_recording`` asks for a failure.

    :param room_id: The room's VideoSDK roomId. (templated)
    :param recording_id: Stop only this recording. (templated)
    :param fail_if_not_recording: Fail, rather than succeed, when nothing was recording.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("room_id", "recording_id", "videosdk_conn_id")
    ui_color = _RECORDING_COLOR

    def __init__(
        self,
        *,
        room_id: str,
        recording_id: str | None = None,
        fail_if_not_recording: bool = False,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.recording_id = recording_id
        self.fail_if_not_recording = fail_if_not_recording
        self.videosdk_conn_id = videosdk_conn_id
        self._check(at_parse_time=True)

    def _check(self, *, at_parse_time: bool) -> None:
        check = Checker(at_parse_time=at_parse_time)
        check.identifier("room_id", self.room_id)
        check.identifier("recording_id", self.recording_id, optional=True)
        check.raise_problems()

    def execute(self, context: Context) -> dict[str, Any]:
        self._check(at_parse_time=False)
        result = self.hook.stop_recording(self.room_id, recording_id=self.recording_id)
        if not result["stopped"]:
            message = f"VideoSDK room {self.room_id} had no recording to stop: {result['message']}"
            if self.fail_if_not_recording:
                raise AirflowFailException(message)
            self.log.info("%s; nothing to do", message)
        else:
            self.log.info("Stopped the recording of VideoSDK room %s", self.room_id)
        return dict(result)
