"""Realtime transcription endpoints of the hook: start and stop live captions of a room, find, list, fetch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from videosdk_provider.bodies.realtime_transcriptions import build_start_realtime_transcription_body
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _page_transcriptions, _send_stop, _stop_body
from videosdk_provider.models.realtime_transcriptions import RUNNING, RealtimeTranscription
from videosdk_provider.models.stops import StopResult

_PATH = "/ai/v1/realtime-transcriptions"
_AMBIGUOUS_TRANSCRIPTION_START = Ambiguity(
    hint="the realtime transcription may or may not have started, so the request was not repeated; "
    "get_active_realtime_transcription(room_id) tells whether it runs before starting it again"
)


class RealtimeTranscriptionsHookMixin(VideoSDKBaseHook):
    """The realtime transcriptions resource: ``/ai/v1/realtime-transcriptions``."""

    def start_realtime_transcription(
        self, room_id: str, *, webhook_url: str | None = None
    ) -> RealtimeTranscription:
        """
        Start transcribing the room's ongoing session live; return the transcription (status ``running``).

        Never repeated by the hook once sent: after a lost answer,
        :meth:`get_active_realtime_transcription` tells whether it runs.

        :param webhook_url: Where the API posts this transcription's events.
        """
        body = build_start_realtime_transcription_body(room_id, webhook_url=webhook_url)
        answer = self.request(
            "POST", f"{_PATH}/start", json_body=body, ambiguity=_AMBIGUOUS_TRANSCRIPTION_START
        )
        return cast("RealtimeTranscription", answer)

    def stop_realtime_transcription(self, room_id: str) -> StopResult:
        """
        Stop the room's realtime transcription (``POST .../end``); never repeated once sent.

        :return: ``stopped`` is False when none was running (the API's "not started").
        """
        return _send_stop(
            self,
            f"{_PATH}/end",
            _stop_body(room_id),
            what="realtime transcription",
            reread="get_active_realtime_transcription(room_id)",
        )

    def iter_realtime_transcriptions(
        self,
        *,
        room_id: str | None = None,
        session_id: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Iterator[RealtimeTranscription]:
        """Every realtime transcription (of a room or a session, if given), through all pages."""
        query = _media_query(room_id, session_id, per_page, room_required=False)
        return self._paged(_PATH, query, _page_transcriptions)

    def get_realtime_transcription(self, transcription_id: str) -> RealtimeTranscription:
        """Fetch one realtime transcription by its id."""
        path = self._path(_PATH + "/{transcription_id}", transcription_id=transcription_id)
        return cast("RealtimeTranscription", self.request("GET", path))

    def get_active_realtime_transcription(
        self, room_id: str, *, session_id: str | None = None
    ) -> RealtimeTranscription | None:
        """Return the room's running realtime transcription (searching one session, if given), or None."""
        transcriptions = self.iter_realtime_transcriptions(room_id=room_id, session_id=session_id)
        return next((item for item in transcriptions if item.get("status") == RUNNING), None)
