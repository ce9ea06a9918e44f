"""
Post-call transcriptions: made from a finished recording whose ``transcription.enabled`` was set.

A transcription is ``in-progress`` when its recording stops and ``completed`` :attr:`delay`
seconds later, with a transcript (``txt``, ``json``) and, when ``summary.enabled`` was set, a
summary (``txt``) served by the file server; ``transcription-completed`` is published then (or
``transcription-failed`` after :meth:`PostTranscriptions.fail_next`). Endpoints:
``GET /ai/v1/post-transcriptions[/{id}]``, listed under the key ``transcriptions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from videosdk_provider.emulator.api import ApiRequest, ApiResponse, Route, paginate
from videosdk_provider.emulator.core import Core, NotFoundError, Resource, Resources, new_object_id, now_iso
from videosdk_provider.emulator.resources.sessions import Sessions

#: Seconds from a recording's stop until its transcription completes, unless set on the emulator.
DEFAULT_TRANSCRIPTION_DELAY = 0.2


@dataclass
class PostTranscription:
    """One post-call transcription of a recording; ``summary`` holds ``summary{enabled, prompt}``."""

    transcription_id: str
    room_id: str
    session_id: str
    recording_id: str
    summary: dict[str, Any]
    webhook_url: str | None
    seq: int
    start: str
    status: str = "in-progress"
    end: str | None = None
    transcript_files: dict[str, str] = field(default_factory=dict)
    summary_files: dict[str, str] = field(default_factory=dict)


class PostTranscriptions(Resource):
    """Every post-call transcription; :meth:`begin` is called by the recordings that ask for one."""

    def __init__(self, core: Core, resources: Resources) -> None:
        super().__init__(core, resources)
        self.sessions = resources.get(Sessions)
        self._items: dict[str, PostTranscription] = {}
        self.delay = DEFAULT_TRANSCRIPTION_DELAY
        self._failures = 0

    def routes(self) -> Iterable[Route]:
        return (
            Route("GET", "/ai/v1/post-transcriptions", self.handle_list),
            Route("GET", "/ai/v1/post-transcriptions/{id}", self.handle_get),
        )

    def reset(self) -> None:
        self._items.clear()
        self.delay = DEFAULT_TRANSCRIPTION_DELAY
        self._failures = 0

    def fail_next(self, times: int = 1) -> None:
        """Make the next ``times`` transcriptions end ``failed``, without files."""
        with self.core.lock:
            self._failures += times

    def view(self, item: PostTranscription) -> dict[str, Any]:
        return {
            "id": item.transcription_id,
            "roomId": item.room_id,
            "sessionId": item.session_id,
            "recordingId": item.recording_id,
            "status": item.status,
            "start": item.start,
            "end": item.end,
            "transcriptionFilePaths": dict(item.transcript_files),
            "summarizedFilePaths": dict(item.summary_files),
        }

    def begin(
        self,
        *,
        room_id: str,
        session_id: str,
        recording_id: str,
        config: dict[str, Any],
        webhook_url: str | None,
    ) -> None:
        """Start transcribing a stopped recording (the lock is held); it completes after :attr:`delay`."""
        summary = config.get("summary")
        item = PostTranscription(
            transcription_id=new_object_id(self._items),
            room_id=room_id,
            session_id=session_id,
            recording_id=recording_id,
            summary=summary if isinstance(summary, dict) else {},
            webhook_url=webhook_url,
            seq=self.core.next_seq(),
            start=now_iso(),
        )
        self._items[item.transcription_id] = item
        self.core.scheduler.call_later(self.delay, lambda: self._finish(item.transcription_id))

    def finish_now(self, transcription_id: str) -> None:
        """End an in-progress transcription now, whatever :attr:`delay` is; unknown ids raise KeyError."""
        with self.core.lock:
            if transcription_id not in self._items:
                raise KeyError(transcription_id)
        self._finish(transcription_id)

    def _finish(self, transcription_id: str) -> None:
        with self.core.lock:
            item = self._items.get(transcription_id)
            if item is None or item.status != "in-progress":
                return
            item.end = now_iso()
            data = {"id": item.transcription_id, "meetingId": item.room_id, "roomId": item.room_id}
            data |= {"sessionId": item.session_id, "recordingId": item.recording_id}
            if self._failures > 0:
                self._failures -= 1
                item.status = "failed"
                self._publish("transcription-failed", item, data)
                return
            lines = self._transcript_lines(item)
            folder = f"transcriptions/{item.room_id}/{item.transcription_id}"
            text = "\n".join(f"[{line['start']}] {line['speaker']}: {line['text']}" for line in lines) + "\n"
            item.transcript_files = {
                "txt": self._store("transcript.txt", text, folder),
                "json": self._store("transcript.json", json.dumps({"segments": lines}, indent=2), folder),
            }
            if item.summary.get("enabled") is True:
                speakers = sorted({line["speaker"] for line in lines})
                summary = (
                    f"Summary of session {item.session_id}: {len(speakers)} speaker(s) "
                    f"({', '.join(speakers)}) met; {len(lines)} remark(s) were transcribed.\n"
                )
                prompt = item.summary.get("prompt")
                if isinstance(prompt, str):
                    summary += f"Prompt: {prompt}\n"
                item.summary_files = {"txt": self._store("summary.txt", summary, folder)}
            item.status = "completed"
            self._publish("transcription-completed", item, data | {"status": item.status})

    def _transcript_lines(self, item: PostTranscription) -> list[dict[str, str]]:
        """Return what each participant of the session said, in order of joining (one line each)."""
        try:
            participants = self.sessions.get_session(item.session_id)["participants"]
        except NotFoundError:
            participants = []
        speakers = [person["name"] for person in participants] or ["Speaker 1"]
        return [
            {
                "start": f"00:00:{index * 5:02d}",
                "speaker": name,
                "text": f"Hello from {name} in this session.",
            }
            for index, name in enumerate(speakers)
        ]

    def _store(self, name: str, text: str, folder: str) -> str:
        return self.core.files.add(name, content=text.encode(), path=f"{folder}/{name}").url

    def _publish(self, event_type: str, item: PostTranscription, data: dict[str, Any]) -> None:
        self.core.events.publish(event_type, data, room_id=item.room_id, webhook_url=item.webhook_url)

    # --- endpoints -------------------------------------------------------------------------------

    def handle_list(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        query = request.query
        with self.core.lock:
            items = sorted(self._items.values(), key=lambda item: item.seq, reverse=True)
            views = [
                self.view(item)
                for item in items
                if query.get("roomId") in (None, item.room_id)
                and query.get("sessionId") in (None, item.session_id)
            ]
        info, page = paginate(views, query)
        return ApiResponse(200, {"pageInfo": info, "transcriptions": page})

    def handle_get(self, request: ApiRequest, params: dict[str, str], body: Any) -> ApiResponse:
        with self.core.lock:
            item = self._items.get(params["id"])
            if item is None:
                raise NotFoundError("Transcription not found")
            return ApiResponse(200, self.view(item))
