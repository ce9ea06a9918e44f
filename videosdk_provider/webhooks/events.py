"""Parse a VideoSDK webhook envelope into a typed event that keeps every field it carries."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, TypedDict, cast

#: What an event type may look like: VideoSDK's names are lower-case words joined by dashes.
EVENT_TYPE_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_EVENT_TYPE_LENGTH = 100
#: Deepest JSON nesting a delivery may have; VideoSDK's are three or four levels deep.
MAX_DEPTH = 32


class WebhookPayloadError(ValueError):
    """A delivery whose body is not a VideoSDK webhook envelope."""


class FileDetails(TypedDict, total=False):
    """One file of a participant recording (``participant-recording-stopped``)."""

    fileUrl: str
    filePath: str
    size: int
    type: str


class WebhookEventData(TypedDict, total=False):
    """
    The ``data`` of a webhook: the room, the session, and the event's own fields.

    A plain JSON dict at run time; fields not listed here are kept as they are.
    """

    meetingId: str
    roomId: str
    sessionId: str
    start: str
    end: str
    participantId: str
    participantName: str
    id: str
    filePath: str
    fileUrl: str
    fileFormat: str
    fileDetails: list[FileDetails]
    kind: str
    playbackHlsUrl: str
    livestreamUrl: str
    message: str


@dataclass(frozen=True)
class WebhookEvent:
    """
    One webhook delivery, parsed.

    :param event_type: ``webhookType`` (or ``type``), such as ``"recording-stopped"``.
    :param data: The event's ``data``, every field kept.
    :param envelope: The whole JSON body, for fields outside ``data``.
    """

    event_type: str
    data: WebhookEventData
    envelope: dict[str, Any]

    @property
    def room_id(self) -> str | None:
        """The room: ``data.meetingId``, else ``data.roomId``."""
        value = self.data.get("meetingId") or self.data.get("roomId")
        return value if isinstance(value, str) else None

    @property
    def session_id(self) -> str | None:
        value = self.data.get("sessionId")
        return value if isinstance(value, str) else None


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, stopping once it passes :data:`MAX_DEPTH`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return depth
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _reject_constant(name: str) -> Any:
    raise WebhookPayloadError(f"body: {name} is not JSON")


def parse_event(raw_body: bytes) -> WebhookEvent:
    """
    Parse a delivery's body: ``{"webhookType": ..., "data": {...}}``.

    ``webhookType`` falls back to ``type`` (as VideoSDK's Node SDK reads it); it must be a string
    like ``recording-stopped``. ``data`` must be an object when present (an absent one is empty).
    Raises :class:`WebhookPayloadError` naming what is wrong.
    """
    try:
        text = raw_body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebhookPayloadError("body: not UTF-8 text") from error
    try:
        envelope = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise WebhookPayloadError("body: not valid JSON") from error
    if not isinstance(envelope, dict):
        raise WebhookPayloadError(f"body: a JSON object expected, got {type(envelope).__name__}")
    if _depth(envelope) > MAX_DEPTH:
        raise WebhookPayloadError(f"body: nested deeper than {MAX_DEPTH} levels")
    event_type = envelope.get("webhookType", envelope.get("type"))
    if not isinstance(event_type, str):
        raise WebhookPayloadError("webhookType: a string expected (or type)")
    if len(event_type) > MAX_EVENT_TYPE_LENGTH or not EVENT_TYPE_PATTERN.fullmatch(event_type):
        raise WebhookPayloadError("webhookType: not an event name (lower-case words joined by dashes)")
    data = envelope.get("data", {})
    if not isinstance(data, dict):
        raise WebhookPayloadError(f"data: a JSON object expected, got {type(data).__name__}")
    return WebhookEvent(event_type=event_type, data=cast("WebhookEventData", data), envelope=envelope)
