"""
Participant and track recordings and their merges: ``/v2/recordings/participant[/track|/merge]``.

A participant (or one track ``kind`` of a participant) is recorded while they are in the room's
ongoing session, until ``/stop`` or the session's end; the recording is then ``completed`` with
``files`` served by the file server. A merge of a session's completed participant recordings is
``processing``, then ``completed`` with a ``file`` :attr:`ParticipantRecordings.merge_delay`
seconds later. Publishes ``participant-recording-*`` (``-stopped`` adds ``fileDetails``),
``participant-track-recording-*`` (``participantId``, ``kind``) and ``merge-recording-completed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from videosdk_provider.emulator.api import (
    ApiRequest,
    ApiResponse,
    Route,
    bad_params,
    optional_string,
    paginate,
    required_string,
)
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources, new_object_id, now_iso
from videosdk_provider.emulator.events import Event
from videosdk_provider.emulator.recording_checks import (
    check_merge,
    check_start_participant_recording,
    check_start_track_recording,
)
from videosdk_provider.emulator.resources.recordings import (
    Recordings,
    file_json,
    invalid_body,
    known_room_id,
    media_event_data,
    not_started,
    ongoing_session_id,
)
from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.resources.sessions import Sessions

#: Seconds from a merge request until the merged file is ready, unless set on the emulator.
DEFAULT_MERGE_DELAY = 0.2


@dataclass
class ParticipantRecording:
    """One participant recording, or one track recording when ``kind`` is set."""

    recording_id: str
    room_id: str
    session_id: str
    participant_id: str
    kind: str | None
    file_format: str
    webhook_url: str | None
    seq: int
    start: str
    status: str = "recording"
    end: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    @property
    def event_prefix(self) -> str:
        return "participant-track-recording" if self.kind is not None else "participant-recording"


@dataclass
class Merge:
    """A merge of a session's participant recordings into one file."""

    merge_id: str
    room_id: str
    session_id: str
    channels: dict[str, list[str]]
    webhook_url: str | None
    seq: int
    start: str
    status: str = "processing"
    end: str | None = None
    file: dict[str, Any] | None = None


class ParticipantRecordings(Resource):
    """Every participant and track recording (one running per participant and kind) and every merge."""

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.rooms = resources.get(Rooms)
        self.sessions = resources.get(Sessions)
        self.recordings = resources.get(Recordings)
        self._items: dict[str, ParticipantRecording] = {}
        self._running: dict[tuple[str, str, str | None], str] = {}
        self._merges: dict[str, Merge] = {}
        self.merge_delay = DEFAULT_MERGE_DELAY
        core.events.subscribe(self._on_event)

    def routes(self) -> Iterable[Route]:
        track = "/v2/recordings/participant/track"
        return (
            Route("POST", "/v2/recordings/participant/start", self.handle_start),
            Route("POST", "/v2/recordings/participant/stop", self.handle_stop),
            Route("GET", "/v2/recordings/participant", self.handle_list),
            Route("GET", "/v2/recordings/participant/{id}", self.handle_get),
            Route("DELETE", "/v2/recordings/participant/{id}", self.handle_delete),
            Route("POST", f"{track}/start", self.handle_start_track),
            Route("POST", f"{track}/stop", self.handle_stop_track),
            Route("GET", track, self.handle_list_tracks),
            Route("GET", f"{track}/{{id}}", self.handle_get_track),
            Route("DELETE", f"{track}/{{id}}", self.handle_delete_track),
            Route("POST", "/v2/recordings/participant/merge", self.handle_merge),
            Route("GET", "/v2/recordings/participant/merge", self.handle_list_merges),
            Route("GET", "/v2/recordings/participant/merge/{id}", self.handle_get_merge),
        )

    def reset(self) -> None:
        self._items.clear()
        self._running.clear()
        self._merges.clear()
        self.merge_delay = DEFAULT_MERGE_DELAY

    # --- state (the lock is held) ----------------------------------------------------------------

    def view(self, item: ParticipantRecording) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": item.recording_id,
            "roomId": item.room_id,
            "sessionId": item.session_id,
            "participantId": item.participant_id,
            "fileFormat": item.file_format,
            "status": item.status,
            "start": item.start,
            "end": item.end,
            "files": [dict(entry) for entry in item.files],
        }
        if item.kind is not None:
            view["kind"] = item.kind
        return view

    def merge_view(self, merge: Merge) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": merge.merge_id,
            "roomId": merge.room_id,
            "sessionId": merge.session_id,
            "status": merge.status,
            "start": merge.start,
            "end": merge.end,
            "channel1": [{"participantId": pid} for pid in merge.channels["channel1"]],
            "channel2": [{"participantId": pid} for pid in merge.channels.get("channel2", [])],
        }
        if merge.file is not None:
            view["file"] = dict(merge.file)
        return view

    def _publish(self, suffix: str, item: ParticipantRecording, **extra: Any) -> None:
        data = media_event_data(item.room_id, item.session_id, participantId=item.participant_id, **extra)
        if item.kind is not None:
            data["kind"] = item.kind
        else:
            data["fileFormat"] = item.file_format
        self.core.events.publish(
            f"{item.event_prefix}-{suffix}", data, room_id=item.room_id, webhook_url=item.webhook_url
        )

    def _finish(self, item: ParticipantRecording) -> None:
        self._running.pop((item.room_id, item.participant_id, item.kind), None)
        item.end = now_iso()
        self._publish("stopping", item)
        kind = item.kind or "video"
        name = f"{item.recording_id}-{kind}.{item.file_format}"
        path = f"recordings/{item.room_id}/participants/{item.participant_id}/{name}"
        stored = self.core.files.add(name, size=self.recordings.file_size, path=path)
        item.files = [file_json(stored) | {"type": kind}]
        item.status = "completed"
        self._publish("stopped", item, fileDetails=[dict(entry) for entry in item.files])

    def _on_event(self, event: Event) -> None:
        """Stop a participant's recordings when they leave and everyone's when the session ends."""
        if event.type not in ("session-ended", "participant-left"):
            return
        with self.core.lock:
            for key, recording_id in list(self._running.items()):
                room_id, participant_id, _ = key
                if room_id == event.room_id and (
                    event.type == "session-ended" or event.data.get("participantId") == participant_id
                ):
                    self._finish(self._items[recording_id])

    def _start(self, body: dict[str, Any], kind: str | None) -> ApiResponse:
        with self.core.lock:
            room_id = known_room_id(self.rooms, body)
            participant_id = required_string(body, "participantId")
            session_id = ongoing_session_id(self.sessions, room_id)
            session = self.sessions.get_session(session_id, active_only=True)
            if participant_id not in {person["participantId"] for person in session["participants"]}:
                raise bad_params(f"Participant {participant_id} is not in the ongoing session")
            key = (room_id, participant_id, kind)
            if key in self._running:
                raise bad_params("Recording already started for this participant")
            item = ParticipantRecording(
                recording_id=new_object_id(self._items),
                room_id=room_id,
                session_id=session_id,
                participant_id=participant_id,
                kind=kind,
                file_format=str(body.get("fileFormat", "webm")),
                webhook_url=body.get("webhookUrl"),
                seq=self.core.next_seq(),
                start=now_iso(),
            )
            self._items[item.recording_id] = item
            self._running[key] = item.recording_id
            self._publish("starting", item)
            self._publish("started", item)
        return ApiResponse(200, "Recording started successfully")

    def _stop(self, body: dict[str, Any], kind: str | None) -> ApiResponse:
        with self.core.lock:
            room_id = known_room_id(self.rooms, body)
            participant_id = required_string(body, "participantId")
            running = self._running.get((room_id, participant_id, kind))
            if running is None:
                raise not_started("Participant track recording" if kind else "Participant recording")
            self._finish(self._items[running])
        return ApiResponse(200, "Recording stopped successfully")

    def _list(self, request: ApiRequest, tracks: bool) -> ApiResponse:
        query = request.query
        with self.core.lock:
            items = sorted(self._items.values(), key=lambda item: item.seq, reverse=True)
            views = [
                self.view(item)
                for item in items
                if not item.deleted
                and (item.kind is not None) == tracks
                and query.get("roomId") in (None, item.room_id)
                and query.get("sessionId") in (None, item.session_id)
                and query.get("participantId") in (None, item.participant_id)
            ]
        info, page = paginate(views, query)
        return ApiResponse(200, {"pageInfo": info, "data": page})

    def _live(self, recording_id: str, tracks: bool) -> ParticipantRecording:
        item = self._items.get(recording_id)
        if item is None or item.deleted or (item.kind is not None) != tracks:
            raise NotFoundError("Recording not found")
        return item

    def _get(self, recording_id: str, tracks: bool) -> ApiResponse:
        with self.core.lock:
            return ApiResponse(200, self.view(self._live(recording_id, tracks)))

    def _delete(self, recording_id: str, tracks: bool) -> ApiResponse:
        with self.core.lock:
            item = self._live(recording_id, tracks)
            if item.status == "recording":
                raise bad_params("Recording is still running: stop it before deleting it")
            item.deleted = True
        return ApiResponse(200, "Recording deleted successfully")

    def _complete_merge(self, merge_id: str) -> None:
        with self.core.lock:
            merge = self._merges.get(merge_id)
            if merge is None or merge.status != "processing":
                return
            name = f"{merge.merge_id}-merged.mp4"
            path = f"recordings/{merge.room_id}/merged/{name}"
            merge.file = file_json(self.core.files.add(name, size=self.recordings.file_size, path=path))
            merge.status = "completed"
            merge.end = now_iso()
            data = media_event_data(merge.room_id, merge.session_id, id=merge.merge_id)
            self.core.events.publish(
                "merge-recording-completed", data, room_id=merge.room_id, webhook_url=merge.webhook_url
            )

    # --- endpoints -------------------------------------------------------------------------------

    def handle_start(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_start_participant_recording(body)
        if errors:
            raise invalid_body(errors)
        return self._start(body, None)

    def handle_start_track(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_start_track_recording(body)
        if errors:
            raise invalid_body(errors)
        return self._start(body, str(body["kind"]))

    def handle_stop(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._stop(body, None)

    def handle_stop_track(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        kind = required_string(body, "kind")
        return self._stop(body, kind)

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._list(request, tracks=False)

    def handle_list_tracks(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._list(request, tracks=True)

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._get(params["id"], tracks=False)

    def handle_get_track(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._get(params["id"], tracks=True)

    def handle_delete(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._delete(params["id"], tracks=False)

    def handle_delete_track(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        return self._delete(params["id"], tracks=True)

    def handle_merge(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_merge(body)
        if errors:
            raise invalid_body(errors)
        session_id = required_string(body, "sessionId")
        webhook_url = optional_string(body, "webhookUrl")
        with self.core.lock:
            session = self.sessions.get_session(session_id)
            channels = {
                name: [entry["participantId"] for entry in body[name]]
                for name in ("channel1", "channel2")
                if name in body
            }
            recorded = {
                item.participant_id
                for item in self._items.values()
                if item.session_id == session_id and item.kind is None and item.status == "completed"
            }
            missing = sorted({pid for pids in channels.values() for pid in pids} - recorded)
            if missing:
                raise bad_params(
                    f"No completed participant recording in this session for: {', '.join(missing)}"
                )
            merge = Merge(
                merge_id=new_object_id(self._merges),
                room_id=str(session["roomId"]),
                session_id=session_id,
                channels=channels,
                webhook_url=webhook_url,
                seq=self.core.next_seq(),
                start=now_iso(),
            )
            self._merges[merge.merge_id] = merge
            self.core.scheduler.call_later(self.merge_delay, lambda: self._complete_merge(merge.merge_id))
            return ApiResponse(200, self.merge_view(merge))

    def handle_list_merges(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        with self.core.lock:
            merges = sorted(self._merges.values(), key=lambda merge: merge.seq, reverse=True)
            views = [
                self.merge_view(merge)
                for merge in merges
                if query.get("roomId") in (None, merge.room_id)
                and query.get("sessionId") in (None, merge.session_id)
                and query.get("status") in (None, merge.status)
                and query.get("id") in (None, merge.merge_id)
            ]
        info, page = paginate(views, query)
        return ApiResponse(200, {"pageInfo": info, "recordings": page})

    def handle_get_merge(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            merge = self._merges.get(params["id"])
            if merge is None:
                raise NotFoundError("Merge not found")
            return ApiResponse(200, self.merge_view(merge))
