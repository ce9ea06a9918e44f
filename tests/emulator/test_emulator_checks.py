"""Create Room body rules: every documented field, valid and invalid, checked over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.checks import CREATE_ROOM_PAGE_EVENTS, KNOWN_WEBHOOK_EVENTS, NEWER_ROOM_EVENTS

LAYOUT = "autoStartConfig.recording.config.layout"


def _recording(value: dict[str, Any]) -> dict[str, Any]:
    return {"autoStartConfig": {"recording": value}}


def _hls(value: dict[str, Any]) -> dict[str, Any]:
    return {"autoStartConfig": {"hls": value}}


def _config(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"autoStartConfig": {kind: {"config": config}}}


VALID_BODIES: list[Any] = [
    pytest.param({}, id="empty"),
    pytest.param({"customRoomId": "team-standup"}, id="customRoomId"),
    pytest.param({"customRoomId": "with spaces / and ünïcode"}, id="customRoomId-free-text"),
    pytest.param({"webhook": {"endPoint": "https://example.com/hook"}}, id="webhook-endpoint-only"),
    pytest.param({"webhook": {"endPoint": "http://localhost:8080/h"}}, id="webhook-http-localhost"),
    pytest.param({"webhook": {"endPoint": "https://e.com/" + "a" * 498}}, id="webhook-512-chars"),
    pytest.param({"webhook": {"endPoint": "https://e.com/h", "events": []}}, id="webhook-no-events"),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": ["session-started", "recording-*"]}},
        id="webhook-name-and-glob",
    ),
    pytest.param({"webhook": {"endPoint": "https://e.com/h", "events": ["*"]}}, id="webhook-star"),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": ["*-failed"]}}, id="webhook-suffix-glob"
    ),
    pytest.param({"autoCloseConfig": {"type": "session-ends"}}, id="autoClose-type-only"),
    pytest.param(
        {"autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 60}}, id="autoClose-full"
    ),
    pytest.param({"autoCloseConfig": {"type": "session-ends", "duration": 1}}, id="autoClose-duration-1"),
    pytest.param({"autoStartConfig": {}}, id="autoStart-empty"),
    pytest.param({"autoStartConfig": {"recording": {}, "hls": {}}}, id="autoStart-empty-both"),
    pytest.param(
        _recording(
            {
                "templateUrl": "https://e.com/layout",
                "transcription": {"enabled": True, "summary": {"enabled": True, "prompt": "Summarise"}},
                "config": {
                    "layout": {"type": "GRID", "priority": "SPEAKER", "gridSize": 4},
                    "theme": "DARK",
                    "mode": "video-and-audio",
                    "quality": "high",
                    "orientation": "landscape",
                },
                "awsDirPath": "bucket/dir",
            }
        ),
        id="recording-everything",
    ),
    pytest.param(
        _hls(
            {
                "templateUrl": "https://e.com/layout",
                "transcription": {"enabled": False, "summary": {"enabled": False}},
                "config": {
                    "layout": {"type": "SIDEBAR", "priority": "PIN", "gridSize": 1},
                    "theme": "LIGHT",
                    "mode": "audio",
                    "quality": "low",
                    "orientation": "portrait",
                    "recording": {"enabled": True},
                },
            }
        ),
        id="hls-everything",
    ),
    *[
        pytest.param(_config("recording", {"layout": {"type": v}}), id=f"layout-{v}")
        for v in ("GRID", "SPOTLIGHT")
    ],
    *[pytest.param(_config("hls", {"layout": {"gridSize": n}}), id=f"gridSize-{n}") for n in (1, 2, 3, 4)],
    *[
        pytest.param(_config("recording", {"theme": v}), id=f"theme-{v}")
        for v in ("DARK", "LIGHT", "DEFAULT")
    ],
    pytest.param(_config("recording", {"quality": "med"}), id="quality-med"),
    pytest.param(
        {"geoFence": "eu", "multiComposition": {"a": 1}, "allowedParticipantIds": ["p"]}, id="newer-top"
    ),
]


@pytest.mark.parametrize("body", VALID_BODIES)
def test_valid_body_creates_room(api: requests.Session, emu: VideoSDKEmulator, body: dict[str, Any]) -> None:
    response = api.post("/v2/rooms", json=body)
    assert response.status_code == 200, response.text
    assert len(emu.rooms) == 1


@pytest.mark.parametrize("event", KNOWN_WEBHOOK_EVENTS)
def test_every_known_webhook_event_is_accepted(api: requests.Session, event: str) -> None:
    response = api.post("/v2/rooms", json={"webhook": {"endPoint": "https://e.com/h", "events": [event]}})
    assert response.status_code == 200, response.text


def test_known_event_table_has_31_page_events_and_11_newer() -> None:
    assert len(CREATE_ROOM_PAGE_EVENTS) == 31
    assert len(NEWER_ROOM_EVENTS) == 11
    assert len(set(KNOWN_WEBHOOK_EVENTS)) == 42


INVALID_BODIES: list[Any] = [
    # customRoomId
    pytest.param({"customRoomId": 123}, "customRoomId must be a string", id="customRoomId-int"),
    pytest.param({"customRoomId": None}, "customRoomId must be a string", id="customRoomId-null"),
    # webhook
    pytest.param({"webhook": "https://e.com"}, "webhook must be an object", id="webhook-string"),
    pytest.param({"webhook": {}}, "webhook.endPoint is required", id="webhook-no-endpoint"),
    pytest.param(
        {"webhook": {"events": ["session-started"]}}, "webhook.endPoint is required", id="webhook-events-only"
    ),
    pytest.param({"webhook": {"endPoint": 5}}, "webhook.endPoint must be a string", id="endpoint-int"),
    pytest.param(
        {"webhook": {"endPoint": "example.com/h"}}, "webhook.endPoint must be an http(s) URL", id="no-scheme"
    ),
    pytest.param(
        {"webhook": {"endPoint": "ftp://e.com/h"}}, "webhook.endPoint must be an http(s) URL", id="ftp"
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://"}}, "webhook.endPoint must be an http(s) URL", id="no-host"
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/a b"}}, "webhook.endPoint must be an http(s) URL", id="space"
    ),
    pytest.param(
        {"webhook": {"endPoint": ""}}, "webhook.endPoint must be an http(s) URL", id="endpoint-empty"
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com:99999/h"}},
        "webhook.endPoint must be an http(s) URL",
        id="port",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://[::1/h"}}, "webhook.endPoint must be an http(s) URL", id="bad-ipv6"
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/" + "a" * 499}},
        "webhook.endPoint must be at most 512 characters",
        id="endpoint-513-chars",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": "session-started"}},
        "webhook.events must be a list",
        id="events-string",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": ["session-started", "session-strated"]}},
        "webhook.events[1] 'session-strated' is not a known webhook event (did you mean 'session-started'?)",
        id="events-typo",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": [7]}},
        "webhook.events[0] must be a string",
        id="events-int",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": ["call-*"]}},
        "webhook.events[0] pattern 'call-*' matches no known webhook event",
        id="events-glob-no-match",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "events": ["batchcall-started"]}},
        "webhook.events[0] 'batchcall-started' is not a known webhook event (did you mean 'hls-started'?)",
        id="events-non-room",
    ),
    pytest.param(
        {"webhook": {"endPoint": "https://e.com/h", "secret": "x"}},
        "webhook.secret is not an allowed field",
        id="webhook-unknown-key",
    ),
    # autoCloseConfig
    pytest.param({"autoCloseConfig": {}}, "autoCloseConfig.type is required", id="autoClose-no-type"),
    pytest.param(
        {"autoCloseConfig": {"duration": 5}}, "autoCloseConfig.type is required", id="autoClose-dur-only"
    ),
    pytest.param(
        {"autoCloseConfig": {"type": "session-end"}},
        "autoCloseConfig.type must be one of session-ends, session-end-and-deactivate",
        id="autoClose-bad-type",
    ),
    *[
        pytest.param(
            {"autoCloseConfig": {"type": "session-ends", "duration": value}},
            "autoCloseConfig.duration must be a positive integer",
            id=f"duration-{name}",
        )
        for name, value in [
            ("0", 0),
            ("negative", -5),
            ("float", 1.5),
            ("int-float", 60.0),
            ("bool", True),
            ("string", "60"),
            ("null", None),
        ]
    ],
    pytest.param(
        {"autoCloseConfig": "session-ends"}, "autoCloseConfig must be an object", id="autoClose-string"
    ),
    pytest.param(
        {"autoCloseConfig": {"type": "session-ends", "timeout": 3}},
        "autoCloseConfig.timeout is not an allowed field",
        id="autoClose-unknown-key",
    ),
    # autoStartConfig
    pytest.param({"autoStartConfig": []}, "autoStartConfig must be an object", id="autoStart-list"),
    pytest.param(
        {"autoStartConfig": {"composite": {}}},
        "autoStartConfig.composite is not an allowed field",
        id="composite",
    ),
    pytest.param(
        _recording({"templateUrl": 1}), "autoStartConfig.recording.templateUrl must be a string", id="tpl"
    ),
    pytest.param(
        _recording({"transcription": {"enabled": "true"}}),
        "autoStartConfig.recording.transcription.enabled must be a boolean",
        id="transcription-enabled-string",
    ),
    pytest.param(
        _hls({"transcription": {"summary": {"enabled": 1}}}),
        "autoStartConfig.hls.transcription.summary.enabled must be a boolean",
        id="summary-enabled-int",
    ),
    pytest.param(
        _hls({"transcription": {"summary": {"prompt": ["a"]}}}),
        "autoStartConfig.hls.transcription.summary.prompt must be a string",
        id="summary-prompt-list",
    ),
    pytest.param(
        _recording({"transcription": {"language": "en"}}),
        "autoStartConfig.recording.transcription.language is not an allowed field",
        id="transcription-unknown-key",
    ),
    pytest.param(
        _config("recording", {"layout": {"type": "grid"}}),
        f"{LAYOUT}.type must be one of GRID, SPOTLIGHT, SIDEBAR",
        id="layout-lowercase",
    ),
    pytest.param(
        _config("recording", {"layout": {"priority": "SPEAKERS"}}),
        f"{LAYOUT}.priority must be one of SPEAKER, PIN",
        id="priority",
    ),
    *[
        pytest.param(
            _config("recording", {"layout": {"gridSize": value}}),
            f"{LAYOUT}.gridSize must be an integer from 1 to 4",
            id=f"gridSize-{name}",
        )
        for name, value in [("0", 0), ("5", 5), ("25", 25), ("float", 2.0), ("string", "4"), ("bool", True)]
    ],
    pytest.param(
        _config("hls", {"layout": {"gridSize": 5}}),
        "autoStartConfig.hls.config.layout.gridSize must be an integer from 1 to 4",
        id="hls-gridSize-5",
    ),
    pytest.param(
        _config("recording", {"theme": "dark"}),
        "autoStartConfig.recording.config.theme must be one of DARK, LIGHT, DEFAULT",
        id="theme",
    ),
    pytest.param(
        _config("recording", {"mode": "video"}),
        "autoStartConfig.recording.config.mode must be one of video-and-audio, audio",
        id="mode",
    ),
    pytest.param(
        _config("hls", {"quality": "medium"}),
        "autoStartConfig.hls.config.quality must be one of low, med, high",
        id="quality",
    ),
    pytest.param(
        _config("hls", {"orientation": "LANDSCAPE"}),
        "autoStartConfig.hls.config.orientation must be one of portrait, landscape",
        id="orientation",
    ),
    pytest.param(
        _config("recording", {"layout": "GRID"}),
        "autoStartConfig.recording.config.layout must be an object",
        id="layout-string",
    ),
    pytest.param(
        _config("recording", {"layout": {"columns": 2}}),
        f"{LAYOUT}.columns is not an allowed field",
        id="layout-unknown-key",
    ),
    pytest.param(
        _config("recording", {"recording": {"enabled": True}}),
        "autoStartConfig.recording.config.recording is not an allowed field",
        id="recording-config-recording-is-hls-only",
    ),
    pytest.param(
        _hls({"awsDirPath": "bucket"}),
        "autoStartConfig.hls.awsDirPath is not an allowed field",
        id="awsDirPath-is-recording-only",
    ),
    pytest.param(
        _recording({"awsDirPath": 3}),
        "autoStartConfig.recording.awsDirPath must be a string",
        id="awsDirPath-int",
    ),
    pytest.param(
        _config("hls", {"recording": {"enabled": "true"}}),
        "autoStartConfig.hls.config.recording.enabled must be a boolean",
        id="hls-recording-enabled-string",
    ),
    pytest.param(
        _config("hls", {"recording": {"enabled": True, "format": "mp4"}}),
        "autoStartConfig.hls.config.recording.format is not an allowed field",
        id="hls-recording-unknown-key",
    ),
]


@pytest.mark.parametrize(("body", "message"), INVALID_BODIES)
def test_invalid_body_is_422_naming_the_field(
    api: requests.Session, emu: VideoSDKEmulator, body: dict[str, Any], message: str
) -> None:
    response = api.post("/v2/rooms", json=body)
    assert response.status_code == 422
    assert response.json() == {"statusCode": 422, "error": "invalid_object", "message": message}
    assert emu.rooms == []


def test_every_violation_is_reported(api: requests.Session) -> None:
    body = {"customRoomId": 1, "autoCloseConfig": {"duration": 0}}
    message = api.post("/v2/rooms", json=body).json()["message"]
    assert message.split("; ") == [
        "customRoomId must be a string",
        "autoCloseConfig.type is required",
        "autoCloseConfig.duration must be a positive integer",
    ]


def test_unknown_top_level_keys_are_accepted_and_stored(api: requests.Session, emu: VideoSDKEmulator) -> None:
    body = {"geoFence": "eu-west", "allowedParticipantIds": ["alice"], "brandNewField": {"x": 1}}
    room = api.post("/v2/rooms", json=body).json()
    assert room["geoFence"] == "eu-west"
    assert room["allowedParticipantIds"] == ["alice"]
    assert emu.rooms[0]["brandNewField"] == {"x": 1}


def test_unknown_top_level_key_cannot_override_room_fields(api: requests.Session) -> None:
    room = api.post("/v2/rooms", json={"roomId": "mine", "disabled": True, "id": "x"}).json()
    assert room["roomId"] != "mine"
    assert room["disabled"] is False
    assert room["id"] != "x"
