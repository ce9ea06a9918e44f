"""
Request-body checks for the recording endpoints (room, participant, track, merge), independent of the client.

They reuse the Create Room combinators and tables of :mod:`videosdk_provider.emulator.checks`; each
returns messages naming the offending field path.
"""

from __future__ import annotations

from typing import Any

from videosdk_provider.emulator.checks import (
    OUTPUT_CONFIG_RULES,
    TRANSCRIPTION_RULES,
    Checker,
    http_url,
    list_of,
    obj,
    one_of,
    string,
)

URL_MAX_LENGTH = 2048
FILE_FORMATS = ("webm",)
TRACK_KINDS = ("audio", "video", "screen_audio", "screen_video")

_ROOM_RECORDING_RULES: dict[str, Checker] = {
    "roomId": string(),
    "templateUrl": http_url(URL_MAX_LENGTH),
    "transcription": obj(TRANSCRIPTION_RULES),
    "config": obj(OUTPUT_CONFIG_RULES),
    "webhookUrl": http_url(URL_MAX_LENGTH),
    "awsDirPath": string(),
    "preSignedUrl": http_url(URL_MAX_LENGTH),
}
_PARTICIPANT_RECORDING_RULES: dict[str, Checker] = {
    "roomId": string(),
    "participantId": string(),
    "fileFormat": one_of(*FILE_FORMATS),
    "webhookUrl": http_url(URL_MAX_LENGTH),
    "bucketDirPath": string(),
}
_TRACK_RECORDING_RULES: dict[str, Checker] = {**_PARTICIPANT_RECORDING_RULES, "kind": one_of(*TRACK_KINDS)}


def _non_empty_channel() -> Checker:
    items = list_of(obj({"participantId": string()}, required=("participantId",)))

    def check(value: Any, path: str) -> list[str]:
        if isinstance(value, list) and not value:
            return [f"{path} must list at least one participant"]
        return items(value, path)

    return check


_MERGE_RULES: dict[str, Checker] = {
    "sessionId": string(),
    "channel1": _non_empty_channel(),
    "channel2": _non_empty_channel(),
    "webhookUrl": http_url(URL_MAX_LENGTH),
}

# Unknown keys pass (the API grows); the documented ones are checked.
_START_RECORDING = obj(_ROOM_RECORDING_RULES, allow_unknown=True)
_START_PARTICIPANT = obj(_PARTICIPANT_RECORDING_RULES, allow_unknown=True)
_START_TRACK = obj(_TRACK_RECORDING_RULES, required=("kind",), allow_unknown=True)
_MERGE = obj(_MERGE_RULES, required=("sessionId", "channel1"), allow_unknown=True)


def check_start_recording(body: Any) -> list[str]:
    """Problems of a ``POST /v2/recordings/start`` body (``config`` as in ``autoStartConfig``)."""
    return _START_RECORDING(body, "")


def check_start_participant_recording(body: Any) -> list[str]:
    """Problems of a ``POST /v2/recordings/participant/start`` body."""
    return _START_PARTICIPANT(body, "")


def check_start_track_recording(body: Any) -> list[str]:
    """Problems of a ``POST /v2/recordings/participant/track/start`` body (``kind`` required)."""
    return _START_TRACK(body, "")


def check_merge(body: Any) -> list[str]:
    """Problems of a ``POST /v2/recordings/participant/merge`` body."""
    return _MERGE(body, "")
