"""Room recording endpoints of the hook: start and stop a room's recording; list, fetch, delete them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from videosdk_provider.bodies.recordings import build_start_recording_body
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.hooks.core import Ambiguity, PageCheck, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _send_stop, _stop_body
from videosdk_provider.models.recordings import Recording
from videosdk_provider.models.stops import StopResult

_AMBIGUOUS_RECORDING_START = Ambiguity(
    hint="the recording may or may not have started, so the request was not repeated; "
    "iter_recordings(room_id=...) tells whether one runs before starting it again"
)


class RecordingsHookMixin(VideoSDKBaseHook):
    """The room recordings resource: ``/v2/recordings``."""

    def start_recording(
        self,
        room_id: str,
        *,
        config: Mapping[str, Any] | None = None,
        template_url: str | None = None,
        transcription: Mapping[str, Any] | None = None,
        webhook_url: str | None = None,
        aws_dir_path: str | None = None,
        pre_signed_url: str | None = None,
    ) -> str:
        """
        Start recording the room's ongoing session (``POST /v2/recordings/start``).

        The body is checked first (``config`` as in ``autoStartConfig``: ``layout.gridSize`` 1..4).
        The start is never repeated by the hook: after a lost answer, :meth:`iter_recordings` tells
        whether a recording runs.

        :param config: Output ``config``: layout, theme, mode, quality, orientation.
        :param template_url: A custom layout page.
        :param transcription: ``{enabled, summary{enabled, prompt}}``: a post-call transcription
            (and summary) once the recording stops.
        :param webhook_url: Where the recording's events are also sent.
        :param aws_dir_path: Your S3 bucket path for the file.
        :param pre_signed_url: A pre-signed URL the file is uploaded to.
        :return: The API's confirmation text.
        """
        body = build_start_recording_body(
            room_id,
            config=config,
            template_url=template_url,
            transcription=transcription,
            webhook_url=webhook_url,
            aws_dir_path=aws_dir_path,
            pre_signed_url=pre_signed_url,
        )
        answer = self.request(
            "POST", "/v2/recordings/start", json_body=body, ambiguity=_AMBIGUOUS_RECORDING_START
        )
        return str(answer)

    def stop_recording(self, room_id: str, *, recording_id: str | None = None) -> StopResult:
        """
        Stop the room's recording (``POST /v2/recordings/end``); never repeated once sent.

        :param recording_id: Stop only this recording.
        :return: ``stopped`` is False when no recording was running (the API's "not started").
        """
        return _send_stop(
            self,
            "/v2/recordings/end",
            _stop_body(room_id, recording_id, id_argument="recording_id"),
            what="recording",
            reread="iter_recordings(room_id=...)",
        )

    def iter_recordings(
        self, *, room_id: str, session_id: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Recording]:
        """Every recording of a room (``GET /v2/recordings``), or of one of its sessions, newest first."""
        return self._paged("/v2/recordings", _media_query(room_id, session_id, per_page, room_required=True))

    async def aget_recordings(
        self,
        *,
        room_id: str,
        session_id: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
        until: PageCheck | None = None,
    ) -> list[Recording]:
        """
        Every recording :meth:`iter_recordings` lists, without blocking the event loop.

        :param until: Told each page of recordings in turn but the last; True ends the listing there.
        """
        query = _media_query(room_id, session_id, per_page, room_required=True)
        return await self._apaged("/v2/recordings", query, until=until)

    def get_recording(self, recording_id: str) -> Recording:
        """Fetch one recording by its id."""
        path = self._path("/v2/recordings/{recording_id}", recording_id=recording_id)
        return cast("Recording", self.request("GET", path))

    def delete_recording(self, recording_id: str) -> str:
        """Delete a recording (``DELETE /v2/recordings/{id}``, a soft delete); return the confirmation."""
        path = self._path("/v2/recordings/{recording_id}", recording_id=recording_id)
        return str(self.request("DELETE", path))
