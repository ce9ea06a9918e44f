"""The realtime transcription start contract (``POST /ai/v1/realtime-transcriptions/start``)."""

from __future__ import annotations

from typing import Any

from videosdk_provider.bodies.checking import Checker


def build_start_realtime_transcription_body(
    room_id: object, *, webhook_url: object = None, at_parse_time: bool = False
) -> dict[str, Any]:
    """
    Build the realtime transcription start body: the room, and a webhook URL for its events.

    Raises :class:`~videosdk_provider.exceptions.InvalidRequestError` before any request is made.
    """
    check = Checker(at_parse_time=at_parse_time)
    check.identifier("roomId", room_id)
    body: dict[str, Any] = {"roomId": room_id}
    if webhook_url is not None:
        check.url("webhookUrl", webhook_url)
        body["webhookUrl"] = webhook_url
    check.raise_problems()
    return body
