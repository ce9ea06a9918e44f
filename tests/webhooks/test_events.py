"""Parsing the webhook envelope into a typed event that keeps every field."""

from __future__ import annotations

import json

import pytest

from videosdk_provider.webhooks import WebhookPayloadError, parse_event


def test_the_envelope_gives_type_room_session_and_every_data_field() -> None:
    body = {
        "webhookType": "recording-stopped",
        "data": {
            "meetingId": "abcd-efgh-ijkl",
            "sessionId": "s-1",
            "filePath": "recordings/abcd/r.mp4",
            "fileUrl": "https://cdn.example/r.mp4",
            "newField": {"kept": True},
        },
        "deliveredAt": "2026-01-01T00:00:00Z",
    }
    event = parse_event(json.dumps(body).encode())
    assert event.event_type == "recording-stopped"
    assert event.room_id == "abcd-efgh-ijkl"
    assert event.session_id == "s-1"
    assert event.data == body["data"]
    assert event.envelope["deliveredAt"] == "2026-01-01T00:00:00Z"


def test_type_is_read_when_webhook_type_is_missing() -> None:
    event = parse_event(b'{"type": "session-started", "data": {"roomId": "r-2"}}')
    assert event.event_type == "session-started"
    assert event.room_id == "r-2"


def test_missing_data_is_empty() -> None:
    event = parse_event(b'{"webhookType": "session-ended"}')
    assert event.data == {}
    assert event.room_id is None
    assert event.session_id is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b'{"webhookType": "session-ended"', "not valid JSON"),
        (b"[1, 2]", "JSON object expected, got list"),
        (b'{"webhookType": NaN}', "not valid JSON"),
        (b'{"data": {}}', "webhookType: a string expected"),
        (b'{"webhookType": 7}', "webhookType: a string expected"),
        (b'{"webhookType": "Session Ended"}', "not an event name"),
        (b'{"webhookType": "' + b"a" * 101 + b'"}', "not an event name"),
        (b'{"webhookType": "session-ended", "data": []}', "data: a JSON object expected, got list"),
        (b'{"webhookType": "session-ended", "data": ' + b"[" * 40 + b"]" * 40 + b"}", "deeper than 32"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
    ids=[
        "not-utf8",
        "truncated",
        "array",
        "nan",
        "no-type",
        "numeric-type",
        "not-a-name",
        "long-name",
        "data-list",
        "deep",
        "very-deep",
    ],
)
def test_a_body_that_is_not_an_envelope_is_refused_with_a_reason(body: bytes, message: str) -> None:
    with pytest.raises(WebhookPayloadError, match=message):
        parse_event(body)
