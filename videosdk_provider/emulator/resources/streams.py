"""
What HLS, livestreams and realtime transcriptions share: one running per room, within its ongoing session.

A :class:`StreamResource` starts only in a room's ongoing session (else 400), runs one at a time
per room (a second start answers 400), stops on its ``/end`` call or when the session ends
(stopping what is not running answers 400 "... not started"), lists its records newest first
(paged, filtered by room and session) and publishes ``<prefix>-<step>`` events as it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from videosdk_provider.emulator.api import (
    ApiError,
    ApiRequest,
    ApiResponse,
    Route,
    bad_params,
    optional_string,
    paginate,
    required_string,
)
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources, new_object_id, now_iso
from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.resources.sessions import Session, Sessions

STOPPED = "stopped"


@dataclass
class Stream:
    """One started stream; ``fields`` are the resource's own fields of its view (URLs, outputs...)."""

    stream_id: str
    room_id: str
    session_id: str
    seq: int
    start: str
    status: str
    fields: dict[str, Any] = field(default_factory=dict)
    webhook_url: str | None = None
    end: str | None = None
    deleted: bool = False


class StreamResource(Resource):
    """
    The shared behaviour; subclasses set the class attributes and :meth:`check_start`, :meth:`fields_for`.

    ``start_steps`` are the statuses a start goes through (one event each; the last one stays),
    ``stop_steps`` those of a stop (the last is :data:`STOPPED`).
    """

    #: Name in messages ("HLS").
    kind = ""
    #: Path prefix (``/v2/hls``).
    prefix = ""
    #: Event name prefix (``hls`` -> ``hls-started``).
    event_prefix = ""
    start_steps: tuple[str, ...] = ()
    stop_steps: tuple[str, ...] = (STOPPED,)
    #: Key of the items in a list answer.
    list_key = "data"
    #: Whether listing needs ``roomId``.
    list_needs_room = True

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.rooms = resources.get(Rooms)
        self.sessions = resources.get(Sessions)
        self._streams: dict[str, Stream] = {}
        self._running: dict[str, str] = {}
        self.sessions.on_end(self._stop_with_session)

    def routes(self) -> Iterable[Route]:
        return (
            Route("POST", f"{self.prefix}/start", self.handle_start),
            Route("POST", f"{self.prefix}/end", self.handle_end),
            Route("GET", self.prefix, self.handle_list),
            Route("GET", self.prefix + "/{streamId}", self.handle_get),
        )

    def reset(self) -> None:
        self._streams.clear()
        self._running.clear()

    # --- what subclasses define ------------------------------------------------------------------

    def check_start(self, body: Any) -> list[str]:
        """Return the start body's rule violations."""
        raise NotImplementedError

    def fields_for(self, stream_id: str, room_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Return the resource's own view fields of a stream started with ``body``."""
        raise NotImplementedError

    def event_fields(self, stream: Stream, step: str) -> dict[str, Any]:
        """Return what an event adds to ``meetingId``, ``roomId``, ``sessionId`` and ``id``."""
        return {}

    def start_answer(self, stream: Stream) -> Any:
        return self.view(stream)

    def stop_answer(self, stream: Stream) -> Any:
        return f"{self.kind} stopped successfully"

    # --- state (the lock is held) ----------------------------------------------------------------

    def view(self, stream: Stream) -> dict[str, Any]:
        return {
            "id": stream.stream_id,
            "roomId": stream.room_id,
            "sessionId": stream.session_id,
            **stream.fields,
            "status": stream.status,
            "start": stream.start,
            "end": stream.end,
        }

    def _publish(self, stream: Stream, step: str) -> None:
        data = {
            "meetingId": stream.room_id,
            "roomId": stream.room_id,
            "sessionId": stream.session_id,
            "id": stream.stream_id,
            **self.event_fields(stream, step),
        }
        self.core.events.publish(
            f"{self.event_prefix}-{step}", data, room_id=stream.room_id, webhook_url=stream.webhook_url
        )

    def begin(self, room_id: str, session_id: str, body: dict[str, Any]) -> Stream:
        """Start a stream in a session known to be ongoing, with no other stream running in the room."""
        stream_id = new_object_id(self._streams)
        stream = Stream(
            stream_id=stream_id,
            room_id=room_id,
            session_id=session_id,
            seq=self.core.next_seq(),
            start=now_iso(),
            status=self.start_steps[0],
            fields=self.fields_for(stream_id, room_id, body),
            webhook_url=body.get("webhookUrl"),
        )
        self._streams[stream_id] = stream
        self._running[room_id] = stream_id
        for step in self.start_steps:
            stream.status = step
            self._publish(stream, step)
        return stream

    def finish(self, stream: Stream) -> None:
        """Stop a running stream, through its stop steps."""
        self._running.pop(stream.room_id, None)
        for step in self.stop_steps:
            stream.status = step
            if step == STOPPED:
                stream.end = now_iso()
            self._publish(stream, step)

    def _stop_with_session(self, session: Session) -> None:
        stream_id = self._running.get(session.room_id)
        if stream_id is not None:
            self.finish(self._streams[stream_id])

    def running_in(self, room_id: str) -> Stream | None:
        stream_id = self._running.get(room_id)
        return None if stream_id is None else self._streams[stream_id]

    def _find(self, stream_id: str) -> Stream:
        stream = self._streams.get(stream_id)
        if stream is None or stream.deleted:
            raise NotFoundError(f"{self.kind} not found")
        return stream

    # --- endpoints -------------------------------------------------------------------------------

    def handle_start(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        room_ref = required_string(body, "roomId")
        errors = self.check_start(body)
        if errors:
            raise ApiError(422, "invalid_object", "; ".join(errors))
        with self.core.lock:
            room_id = self.rooms.resolve(room_ref, custom=False).room_id
            session_id = self.sessions.ongoing_session_id(room_id)
            if session_id is None:
                raise bad_params(
                    f"No ongoing session in room {room_id}: {self.kind} starts once someone joined"
                )
            if room_id in self._running:
                raise bad_params(f"{self.kind} is already running in this room")
            return ApiResponse(200, self.start_answer(self.begin(room_id, session_id, body)))

    def handle_end(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        room_ref = required_string(body, "roomId")
        stream_id = optional_string(body, "id")
        with self.core.lock:
            stream = self.running_in(self.rooms.resolve(room_ref, custom=False).room_id)
            if stream is None or (stream_id is not None and stream_id != stream.stream_id):
                raise bad_params(f"{self.kind} not started in this room")
            self.finish(stream)
            return ApiResponse(200, self.stop_answer(stream))

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        room_id = query.get("roomId") or None
        session_id = query.get("sessionId") or None
        if room_id is None and self.list_needs_room:
            raise bad_params("roomId is required")
        with self.core.lock:
            streams = sorted(
                (
                    stream
                    for stream in self._streams.values()
                    if not stream.deleted
                    and room_id in (None, stream.room_id)
                    and session_id in (None, stream.session_id)
                ),
                key=lambda stream: stream.seq,
                reverse=True,
            )
            views = [self.view(stream) for stream in streams]
        info, page = paginate(views, query)
        return ApiResponse(200, {"pageInfo": info, self.list_key: page})

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            return ApiResponse(200, self.view(self._find(params["streamId"])))
