"""
Participant recording endpoints of the hook: participants and tracks recorded on their own, merges.

Start and stop one participant's (or one of their tracks') recording; list, fetch and delete
those recordings; merge a session's participant recordings into one file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.participant_recordings import (
    build_merge_body,
    build_participant_recording_body,
    build_participant_stop_body,
)
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _send_stop
from videosdk_provider.models.participant_recordings import MergedRecording, ParticipantRecording
from videosdk_provider.models.stops import StopResult

_PARTICIPANT = "/v2/recordings/participant"
_TRACK = "/v2/recordings/participant/track"
_MERGE = "/v2/recordings/participant/merge"
_LIST_HINT = "iter_participant_recordings(room_id=..., participant_id=...)"
_AMBIGUOUS_PARTICIPANT_START = Ambiguity(
    hint="the recording may or may not have started, so the request was not repeated; "
    f"{_LIST_HINT} or iter_track_recordings(...) tells whether one runs before starting it again"
)
_AMBIGUOUS_MERGE = Ambiguity(
    hint="the merge may or may not have been requested, so the request was not repeated; "
    "iter_merged_recordings(session_id=...) tells whether it exists before asking again"
)


def _participant_query(
    room_id: object, session_id: object, participant_id: object, per_page: object
) -> dict[str, Any]:
    query = _media_query(room_id, session_id, per_page, room_required=False)
    check = Checker()
    check.identifier("participant_id", participant_id, optional=True)
    check.raise_problems()
    return query | ({"participantId": participant_id} if participant_id is not None else {})


def page_recordings(answer: Any) -> list[Any] | None:
    """Items of a ``{pageInfo, recordings: [...]}`` page (the merge list); None for another shape."""
    items = answer.get("recordings") if isinstance(answer, dict) else None
    return items if isinstance(items, list) else None


class ParticipantRecordingsHookMixin(VideoSDKBaseHook):
    """The participant, track and merged recordings resource: ``/v2/recordings/participant``."""

    def start_participant_recording(
        self,
        room_id: str,
        participant_id: str,
        *,
        file_format: str = "webm",
        webhook_url: str | None = None,
        bucket_dir_path: str | None = None,
    ) -> str:
        """
        Record one participant of the room's ongoing session on their own; never repeated once sent.

        :param file_format: ``webm``.
        :param webhook_url: Where the recording's events are also sent.
        :param bucket_dir_path: Your bucket path for the files.
        :return: The API's confirmation text.
        """
        body = build_participant_recording_body(
            room_id,
            participant_id,
            file_format=file_format,
            webhook_url=webhook_url,
            bucket_dir_path=bucket_dir_path,
        )
        return str(
            self.request(
                "POST", f"{_PARTICIPANT}/start", json_body=body, ambiguity=_AMBIGUOUS_PARTICIPANT_START
            )
        )

    def stop_participant_recording(self, room_id: str, participant_id: str) -> StopResult:
        """Stop a participant's recording; never repeated; "not started" gives ``stopped: False``."""
        body = build_participant_stop_body(room_id, participant_id)
        return _send_stop(self, f"{_PARTICIPANT}/stop", body, what="participant recording", reread=_LIST_HINT)

    def start_track_recording(
        self,
        room_id: str,
        participant_id: str,
        kind: str,
        *,
        file_format: str = "webm",
        webhook_url: str | None = None,
        bucket_dir_path: str | None = None,
    ) -> str:
        """
        Record one track of a participant of the room's ongoing session; never repeated once sent.

        ``kind`` is ``audio``, ``video``, ``screen_audio`` or ``screen_video``; the other arguments
        are those of :meth:`start_participant_recording`.
        """
        body = build_participant_recording_body(
            room_id,
            participant_id,
            kind=kind,
            file_format=file_format,
            webhook_url=webhook_url,
            bucket_dir_path=bucket_dir_path,
        )
        return str(
            self.request("POST", f"{_TRACK}/start", json_body=body, ambiguity=_AMBIGUOUS_PARTICIPANT_START)
        )

    def stop_track_recording(self, room_id: str, participant_id: str, kind: str) -> StopResult:
        """Stop a participant's track recording; "not started" gives ``stopped: False``."""
        body = build_participant_stop_body(room_id, participant_id, kind=kind)
        return _send_stop(
            self, f"{_TRACK}/stop", body, what="track recording", reread="iter_track_recordings(...)"
        )

    def iter_participant_recordings(
        self,
        *,
        room_id: str | None = None,
        session_id: str | None = None,
        participant_id: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Iterator[ParticipantRecording]:
        """Every participant recording, filtered by room, session and participant when given."""
        return self._paged(_PARTICIPANT, _participant_query(room_id, session_id, participant_id, per_page))

    def iter_track_recordings(
        self,
        *,
        room_id: str | None = None,
        session_id: str | None = None,
        participant_id: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Iterator[ParticipantRecording]:
        """Every track recording, filtered by room, session and participant when given."""
        return self._paged(_TRACK, _participant_query(room_id, session_id, participant_id, per_page))

    def get_participant_recording(self, recording_id: str) -> ParticipantRecording:
        """Fetch one participant recording by its id."""
        path = self._path(_PARTICIPANT + "/{recording_id}", recording_id=recording_id)
        return cast("ParticipantRecording", self.request("GET", path))

    def delete_participant_recording(self, recording_id: str) -> str:
        """Delete a participant recording (a soft delete); return the API's confirmation."""
        return str(
            self.request("DELETE", self._path(_PARTICIPANT + "/{recording_id}", recording_id=recording_id))
        )

    def get_track_recording(self, recording_id: str) -> ParticipantRecording:
        """Fetch one track recording by its id."""
        path = self._path(_TRACK + "/{recording_id}", recording_id=recording_id)
        return cast("ParticipantRecording", self.request("GET", path))

    def delete_track_recording(self, recording_id: str) -> str:
        """Delete a track recording (a soft delete); return the API's confirmation."""
        return str(self.request("DELETE", self._path(_TRACK + "/{recording_id}", recording_id=recording_id)))

    def merge_participant_recordings(
        self,
        session_id: str,
        channel1: Sequence[Mapping[str, Any]],
        channel2: Sequence[Mapping[str, Any]] | None = None,
        *,
        webhook_url: str | None = None,
    ) -> MergedRecording:
        """
        Merge a session's participant recordings into one file (``POST .../participant/merge``).

        Each channel is a non-empty list of ``{"participantId": ...}``; the merge is not repeated
        by the hook (see :meth:`iter_merged_recordings`).
        """
        body = build_merge_body(session_id, channel1, channel2, webhook_url=webhook_url)
        return cast(
            "MergedRecording", self.request("POST", _MERGE, json_body=body, ambiguity=_AMBIGUOUS_MERGE)
        )

    def iter_merged_recordings(
        self,
        *,
        room_id: str | None = None,
        session_id: str | None = None,
        status: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Iterator[MergedRecording]:
        """Every merge, filtered by room, session and ``status`` when given (listed under ``recordings``)."""
        query = _media_query(room_id, session_id, per_page, room_required=False)
        check = Checker()
        check.identifier("status", status, optional=True)
        check.raise_problems()
        return self._paged(
            _MERGE, query | ({"status": status} if status is not None else {}), page_recordings
        )

    def get_merged_recording(self, merge_id: str) -> MergedRecording:
        """Fetch one merge by its id."""
        return cast(
            "MergedRecording", self.request("GET", self._path(_MERGE + "/{merge_id}", merge_id=merge_id))
        )
