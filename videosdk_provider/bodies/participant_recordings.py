"""
Participant, track and merge recording bodies (``/v2/recordings/participant/...``), checked before sending.

Participant and track recordings name the room and the participant; a track adds its ``kind``.
A merge names a session and one or two channels, each a non-empty list of ``{participantId}``.
"""

from __future__ import annotations

from typing import Any

from videosdk_provider.bodies.checking import Checker, shown

#: Formats a participant recording can be written in.
FILE_FORMATS = ("webm",)
#: Tracks of a participant that can be recorded on their own.
TRACK_KINDS = ("audio", "video", "screen_audio", "screen_video")


def build_participant_recording_body(
    room_id: object,
    participant_id: object,
    *,
    kind: object = None,
    file_format: object = None,
    webhook_url: object = None,
    bucket_dir_path: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """
    Build a participant (or, with ``kind``, a track) recording start body; unset arguments are left out.

    Raises :class:`~videosdk_provider.exceptions.InvalidRequestError` naming the body field.
    """
    check = Checker(at_parse_time=at_parse_time)
    body = _participant_target(check, room_id, participant_id, kind)
    if file_format is not None:
        check.choice("fileFormat", file_format, FILE_FORMATS)
        body["fileFormat"] = file_format
    if webhook_url is not None:
        check.url("webhookUrl", webhook_url)
        body["webhookUrl"] = webhook_url
    if bucket_dir_path is not None:
        check.string("bucketDirPath", bucket_dir_path)
        body["bucketDirPath"] = bucket_dir_path
    check.raise_problems()
    return body


def build_participant_stop_body(
    room_id: object, participant_id: object, *, kind: object = None
) -> dict[str, Any]:
    """Build ``{roomId, participantId, kind?}``, the body of a participant or track recording stop."""
    check = Checker()
    body = _participant_target(check, room_id, participant_id, kind)
    check.raise_problems()
    return body


def _participant_target(
    check: Checker, room_id: object, participant_id: object, kind: object
) -> dict[str, Any]:
    check.identifier("roomId", room_id)
    check.identifier("participantId", participant_id)
    body: dict[str, Any] = {"roomId": room_id, "participantId": participant_id}
    if kind is not None:
        check.choice("kind", kind, TRACK_KINDS)
        body["kind"] = kind
    return body


def _check_channel(check: Checker, path: str, value: object) -> None:
    if check.skip(value):
        return
    if not isinstance(value, (list, tuple)) or not value:
        check.fail(path, f"expected a non-empty list of {{'participantId': ...}} objects, got {shown(value)}")
        return
    for index, item in enumerate(value):
        entry = check.mapping(f"{path}[{index}]", item, ("participantId",), required=("participantId",))
        if entry is not None and "participantId" in entry:
            check.identifier(f"{path}[{index}].participantId", entry["participantId"])


def build_merge_body(
    session_id: object,
    channel1: object,
    channel2: object = None,
    *,
    webhook_url: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """Build the merge body ``{sessionId, channel1, channel2?, webhookUrl?}``, every field checked."""
    check = Checker(at_parse_time=at_parse_time)
    check.identifier("sessionId", session_id)
    _check_channel(check, "channel1", channel1)
    body: dict[str, Any] = {"sessionId": session_id, "channel1": channel1}
    if channel2 is not None:
        _check_channel(check, "channel2", channel2)
        body["channel2"] = channel2
    if webhook_url is not None:
        check.url("webhookUrl", webhook_url)
        body["webhookUrl"] = webhook_url
    check.raise_problems()
    return body
