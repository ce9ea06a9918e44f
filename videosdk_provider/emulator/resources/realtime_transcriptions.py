"""
Realtime transcriptions: ``/ai/v1/realtime-transcriptions`` start, end, list (key ``transcriptions``), get.

A start answers the transcription (status ``running``) and publishes ``transcription-started``; a
stop answers it stopped and publishes ``transcription-stopped``. Both events also go to the
start's ``webhookUrl``, when given.
"""

from __future__ import annotations

from typing import Any

from videosdk_provider.emulator.resources.streams import Stream, StreamResource
from videosdk_provider.emulator.stream_checks import check_start_realtime_transcription


class RealtimeTranscriptions(StreamResource):
    """Live transcriptions of room sessions."""

    kind = "Realtime transcription"
    prefix = "/ai/v1/realtime-transcriptions"
    event_prefix = "transcription"
    start_steps = ("running",)
    list_key = "transcriptions"
    list_needs_room = False

    def check_start(self, body: Any) -> list[str]:
        return check_start_realtime_transcription(body)

    def fields_for(self, stream_id: str, room_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"webhookUrl": body.get("webhookUrl")}

    def _publish(self, stream: Stream, step: str) -> None:
        super()._publish(stream, "started" if step == "running" else step)

    def stop_answer(self, stream: Stream) -> Any:
        return self.view(stream)
