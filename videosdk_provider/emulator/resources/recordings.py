"""
Room recordings: ``/v2/recordings`` (start, end, list, get, soft delete) and ``autoStartConfig.recording``.

A recording runs in the room's ongoing session (``status: "recording"``) until it is stopped or
the session ends; it is then ``completed`` with a ``file`` the file server serves (of
:attr:`Recordings.file_size` bytes), or ``failed`` after :meth:`Recordings.fail_next`. A room
created with ``autoStartConfig.recording`` records each session from its start. With
``transcription.enabled``, a post-call transcription follows. Publishes ``recording-starting``,
``-started``, ``-stopping``, ``-stopped`` (``filePath``, ``fileUrl``) and ``-failed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from videosdk_provider.emulator.api import (
    ApiError,
    ApiRequest,
    ApiResponse,
    Route,
    bad_params,
    not_found,
    optional_string,
    paginate,
    required_string,
)
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources, new_object_id, now_iso
from videosdk_provider.emulator.events import Event
from videosdk_provider.emulator.files import StoredFile
from videosdk_provider.emulator.recording_checks import check_start_recording
from videosdk_provider.emulator.resources.post_transcriptions import PostTranscriptions
from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.resources.sessions import Sessions

#: Bytes of each recording file, unless set on the emulator.
DEFAULT_RECORDING_FILE_SIZE = 64 * 1024
NO_SESSION = "No ongoing session found for this room: recording needs a live session"


def invalid_body(errors: list[str]) -> ApiError:
    """Return the 422 answer to a body that breaks the contract."""
    return ApiError(422, "invalid_object", "; ".join(errors))


def not_started(what: str) -> ApiError:
    """Return the 400 answer to stopping what is not running."""
    return bad_params(f"{what} not started for this room")


def seconds_between(start: str, end: str) -> float:
    """Seconds from one ``now_iso()`` time to another."""
    first = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return (datetime.fromisoformat(end.replace("Z", "+00:00")) - first).total_seconds()


def file_json(stored: StoredFile) -> dict[str, Any]:
    """Show a stored file as the recording APIs do."""
    return {"fileUrl": stored.url, "filePath": stored.path, "size": stored.size}


def ongoing_session_id(sessions: Sessions, room_id: str) -> str:
    """Return the id of the room's ongoing session; 400 when there is none."""
    ongoing = sessions.list_sessions(room_id, "ongoing")
    if not ongoing:
        raise bad_params(NO_SESSION)
    return str(ongoing[0]["id"])


def known_room_id(rooms: Rooms, body: dict[str, Any]) -> str:
    """Return the body's ``roomId`` (400 when missing), of a known room (else 404)."""
    room_id = rooms.find_room_id(room_id=required_string(body, "roomId"))
    if room_id is None:
        raise not_found("Room not found")
    return room_id


def media_event_data(room_id: str, session_id: str, **extra: Any) -> dict[str, Any]:
    """Return the ``data`` every media event carries, plus ``extra``."""
    return {"meetingId": room_id, "roomId": room_id, "sessionId": session_id, **extra}


@dataclass
class Recording:
    """One room recording; ``file`` is set once it is completed."""

    recording_id: str
    room_id: str
    session_id: str
    seq: int
    start: str
    transcription: dict[str, Any] | None
    webhook_url: str | None
    status: str = "recording"
    end: str | None = None
    file: dict[str, Any] | None = None
    deleted: bool = False


class Recordings(Resource):
    """Every room recording, at most one running per room."""

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.rooms = resources.get(Rooms)
        self.sessions = resources.get(Sessions)
        self.transcriptions = resources.get(PostTranscriptions)
        self._items: dict[str, Recording] = {}
        self._running: dict[str, str] = {}
        self.file_size = DEFAULT_RECORDING_FILE_SIZE
        self._failures = 0
        core.events.subscribe(self._on_event)

    def routes(self) -> Iterable[Route]:
        return (
            Route("POST", "/v2/recordings/start", self.handle_start),
            Route("POST", "/v2/recordings/end", self.handle_end),
            Route("GET", "/v2/recordings", self.handle_list),
            Route("GET", "/v2/recordings/{recordingId}", self.handle_get),
            Route("DELETE", "/v2/recordings/{recordingId}", self.handle_delete),
        )

    def reset(self) -> None:
        self._items.clear()
        self._running.clear()
        self.file_size = DEFAULT_RECORDING_FILE_SIZE
        self._failures = 0

    def fail_next(self, times: int = 1) -> None:
        """Make the next ``times`` recordings that stop end ``failed``, without a file."""
        with self.core.lock:
            self._failures += times

    # --- state (the lock is held) ----------------------------------------------------------------

    def view(self, item: Recording) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": item.recording_id,
            "roomId": item.room_id,
            "sessionId": item.session_id,
            "status": item.status,
            "start": item.start,
            "end": item.end,
        }
        if item.file is not None:
            view["file"] = dict(item.file, meta=dict(item.file["meta"]))
        if item.transcription is not None:
            view["transcription"] = item.transcription
        return view

    def _publish(self, event_type: str, item: Recording, **extra: Any) -> None:
        data = media_event_data(item.room_id, item.session_id, recordingId=item.recording_id, **extra)
        self.core.events.publish(event_type, data, room_id=item.room_id, webhook_url=item.webhook_url)

    def _begin(self, room_id: str, session_id: str, transcription: Any, webhook_url: str | None) -> Recording:
        item = Recording(
            recording_id=new_object_id(self._items),
            room_id=room_id,
            session_id=session_id,
            seq=self.core.next_seq(),
            start=now_iso(),
            transcription=dict(transcription) if isinstance(transcription, dict) else None,
            webhook_url=webhook_url,
        )
        self._items[item.recording_id] = item
        self._running[room_id] = item.recording_id
        self._publish("recording-starting", item)
        self._publish("recording-started", item)
        return item

    def _finish(self, item: Recording) -> None:
        """Stop a running recording: completed with its file (and a transcription), or failed."""
        self._running.pop(item.room_id, None)
        item.end = now_iso()
        self._publish("recording-stopping", item)
        if self._failures > 0:
            self._failures -= 1
            item.status = "failed"
            self._publish("recording-failed", item)
            return
        name = f"{item.recording_id}.mp4"
        stored = self.core.files.add(name, size=self.file_size, path=f"recordings/{item.room_id}/{name}")
        meta = {"resolution": "1280x720", "duration": round(seconds_between(item.start, item.end), 3)}
        item.file = file_json(stored) | {"meta": meta}
        item.status = "completed"
        self._publish("recording-stopped", item, filePath=stored.path, fileUrl=stored.url)
        if item.transcription is not None and item.transcription.get("enabled") is True:
            self.transcriptions.begin(
                room_id=item.room_id,
                session_id=item.session_id,
                recording_id=item.recording_id,
                config=item.transcription,
                webhook_url=item.webhook_url,
            )

    def _on_event(self, event: Event) -> None:
        """Record a session from its start (``autoStartConfig.recording``); stop recording when it ends."""
        with self.core.lock:
            if event.type == "session-started" and event.room_id not in self._running:
                auto_start = self.rooms.resolve(event.room_id, custom=False).config.get("autoStartConfig")
                recording = auto_start.get("recording") if isinstance(auto_start, dict) else None
                if isinstance(recording, dict):
                    self._begin(event.room_id, event.data["sessionId"], recording.get("transcription"), None)
            elif event.type == "session-ended":
                running = self._running.get(event.room_id)
                if running is not None:
                    self._finish(self._items[running])

    def _live(self, recording_id: str) -> Recording:
        item = self._items.get(recording_id)
        if item is None or item.deleted:
            raise NotFoundError("Recording not found")
        return item

    # --- endpoints -------------------------------------------------------------------------------

    def handle_start(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        errors = check_start_recording(body)
        if errors:
            raise invalid_body(errors)
        with self.core.lock:
            room_id = known_room_id(self.rooms, body)
            session_id = ongoing_session_id(self.sessions, room_id)
            if room_id in self._running:
                raise bad_params("Recording already started for this room")
            self._begin(room_id, session_id, body.get("transcription"), body.get("webhookUrl"))
        return ApiResponse(200, "Recording started successfully")

    def handle_end(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        recording_id = optional_string(body, "id")
        with self.core.lock:
            room_id = known_room_id(self.rooms, body)
            running = self._running.get(room_id)
            if running is None or recording_id not in (None, running):
                raise not_started("Recording")
            self._finish(self._items[running])
        return ApiResponse(200, "Recording stopped successfully")

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        if not query.get("roomId"):
            raise bad_params("roomId is required")
        with self.core.lock:
            items = sorted(self._items.values(), key=lambda item: item.seq, reverse=True)
            views = [
                self.view(item)
                for item in items
                if not item.deleted
                and item.room_id == query["roomId"]
                and query.get("sessionId") in (None, item.session_id)
            ]
        info, page = paginate(views, query)
        return ApiResponse(200, {"pageInfo": info, "data": page})

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            return ApiResponse(200, self.view(self._live(params["recordingId"])))

    def handle_delete(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            item = self._live(params["recordingId"])
            if item.status == "recording":
                raise bad_params("Recording is still running: stop it before deleting it")
            item.deleted = True
        return ApiResponse(200, "Recording deleted successfully")
