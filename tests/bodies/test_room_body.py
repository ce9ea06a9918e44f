"""The Create Room body contract: what is built, what is rejected, and how the error reads."""

from __future__ import annotations

from typing import Any

import pytest

from videosdk_provider.bodies.pieces import KNOWN_WEBHOOK_EVENTS
from videosdk_provider.bodies.rooms import (
    build_room_body,
    check_room_arguments_at_parse_time,
    validate_room_body,
)
from videosdk_provider.exceptions import InvalidRequestError

LAYOUT = {"type": "GRID", "priority": "SPEAKER", "gridSize": 4}
FULL_OUTPUT_CONFIG = {
    "layout": LAYOUT,
    "theme": "DARK",
    "mode": "video-and-audio",
    "quality": "high",
    "orientation": "portrait",
}
FULL_BODY: dict[str, Any] = {
    "customRoomId": "class-2026-11-26",
    "webhook": {"endPoint": "https://hooks.example.com/v", "events": ["session-started", "recording-*"]},
    "autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 60},
    "autoStartConfig": {
        "recording": {
            "templateUrl": "https://layouts.example.com/rec",
            "transcription": {"enabled": True, "summary": {"enabled": True, "prompt": "Summarise"}},
            "config": FULL_OUTPUT_CONFIG,
            "awsDirPath": "bucket/path",
        },
        "hls": {
            "templateUrl": "https://layouts.example.com/hls",
            "transcription": {"enabled": False},
            "config": {**FULL_OUTPUT_CONFIG, "recording": {"enabled": True}},
        },
    },
}


def rejection(body: dict[str, Any]) -> str:
    with pytest.raises(InvalidRequestError) as caught:
        validate_room_body(body)
    return str(caught.value)


def test_no_arguments_build_an_empty_body() -> None:
    assert build_room_body() == {}


def test_arguments_map_one_to_one_onto_the_body() -> None:
    body = build_room_body(
        custom_room_id=FULL_BODY["customRoomId"],
        webhook=FULL_BODY["webhook"],
        auto_close_config=FULL_BODY["autoCloseConfig"],
        auto_start_config=FULL_BODY["autoStartConfig"],
    )
    assert body == FULL_BODY


def test_unset_arguments_are_left_out() -> None:
    assert build_room_body(auto_close_config={"type": "session-ends"}) == {
        "autoCloseConfig": {"type": "session-ends"}
    }


def test_extra_body_passes_newer_fields_through_unchanged() -> None:
    extra = {"geoFence": "in002", "allowedParticipantIds": ["a", "b"], "multiComposition": {"x": 1}}
    assert build_room_body(custom_room_id="r", extra_body=extra) == {"customRoomId": "r", **extra}


@pytest.mark.parametrize(
    ("field", "argument"),
    [
        ("customRoomId", "custom_room_id"),
        ("webhook", "webhook"),
        ("autoCloseConfig", "auto_close_config"),
        ("autoStartConfig", "auto_start_config"),
    ],
)
def test_extra_body_may_not_set_a_field_that_has_its_own_argument(field: str, argument: str) -> None:
    with pytest.raises(InvalidRequestError, match=rf"extra_body\.{field}: set it through the '{argument}'"):
        build_room_body(extra_body={field: {}})


def test_extra_body_must_be_an_object() -> None:
    with pytest.raises(InvalidRequestError, match="extra_body: expected an object"):
        build_room_body(extra_body=["geoFence"])


def test_full_documented_body_is_valid() -> None:
    validate_room_body(FULL_BODY)


@pytest.mark.parametrize("event", KNOWN_WEBHOOK_EVENTS)
def test_every_known_event_is_accepted(event: str) -> None:
    validate_room_body({"webhook": {"endPoint": "https://h.example.com", "events": [event]}})


@pytest.mark.parametrize("pattern", ["*", "recording-*", "*-failed", "participant-*-stopped", "hls-*"])
def test_event_patterns_matching_a_known_event_are_accepted(pattern: str) -> None:
    validate_room_body({"webhook": {"endPoint": "https://h.example.com", "events": [pattern]}})


# (body, field path, words the message must contain)
INVALID_BODIES: list[tuple[dict[str, Any], str, str]] = [
    ({"customRoomId": ""}, "customRoomId", "non-empty string"),
    ({"customRoomId": 42}, "customRoomId", "non-empty string, got 42"),
    ({"webhook": "https://h.example.com"}, "webhook", "expected an object with keys 'endPoint', 'events'"),
    ({"webhook": {"events": ["session-started"]}}, "webhook.endPoint", "is required when webhook is given"),
    ({"webhook": {"endPoint": "ftp://h.example.com"}}, "webhook.endPoint", "http:// or https:// URL"),
    ({"webhook": {"endPoint": "not a url"}}, "webhook.endPoint", "http:// or https:// URL"),
    ({"webhook": {"endPoint": "https://h.example.com/" + "a" * 600}}, "webhook.endPoint", "at most 512"),
    (
        {"webhook": {"endPoint": "https://h.example.com", "events": "session-started"}},
        "webhook.events",
        "list of event names",
    ),
    (
        {"webhook": {"endPoint": "https://h.example.com", "events": ["session-started", "sesion-ended"]}},
        "webhook.events[1]",
        "did you mean 'session-ended'",
    ),
    (
        {"webhook": {"endPoint": "https://h.example.com", "events": ["meeting-*"]}},
        "webhook.events[0]",
        "matches no known event",
    ),
    ({"webhook": {"endPoint": "https://h.example.com", "events": [7]}}, "webhook.events[0]", "event name"),
    (
        {"webhook": {"endPoint": "https://h.example.com", "event": []}},
        "webhook.event",
        "did you mean 'events'",
    ),
    ({"autoCloseConfig": {"duration": 60}}, "autoCloseConfig.type", "is required"),
    (
        {"autoCloseConfig": {"type": "session-end"}},
        "autoCloseConfig.type",
        "allowed values: 'session-ends', 'session-end-and-deactivate'",
    ),
    (
        {"autoCloseConfig": {"type": "session-ends", "duration": 0}},
        "autoCloseConfig.duration",
        "integer of at least 1 (minutes)",
    ),
    ({"autoCloseConfig": {"type": "session-ends", "duration": -5}}, "autoCloseConfig.duration", "at least 1"),
    ({"autoCloseConfig": {"type": "session-ends", "duration": 1.5}}, "autoCloseConfig.duration", "integer"),
    ({"autoCloseConfig": {"type": "session-ends", "duration": True}}, "autoCloseConfig.duration", "integer"),
    (
        {"autoCloseConfig": {"type": "session-ends", "duration": "60"}},
        "autoCloseConfig.duration",
        "render_template_as_native_obj",
    ),
    ({"autoStartConfig": {"recordings": {}}}, "autoStartConfig.recordings", "did you mean 'recording'"),
    (
        {"autoStartConfig": {"recording": {"config": {"layout": {"type": "MOSAIC"}}}}},
        "autoStartConfig.recording.config.layout.type",
        "'GRID', 'SPOTLIGHT', 'SIDEBAR'",
    ),
    (
        {"autoStartConfig": {"hls": {"config": {"layout": {"priority": "speaker"}}}}},
        "autoStartConfig.hls.config.layout.priority",
        "did you mean 'SPEAKER'",
    ),
    (
        {"autoStartConfig": {"recording": {"config": {"layout": {"gridSize": 5}}}}},
        "autoStartConfig.recording.config.layout.gridSize",
        "integer from 1 to 4, got 5",
    ),
    (
        {"autoStartConfig": {"hls": {"config": {"layout": {"gridSize": 0}}}}},
        "autoStartConfig.hls.config.layout.gridSize",
        "from 1 to 4",
    ),
    (
        {"autoStartConfig": {"recording": {"config": {"layout": {"gridsize": 2}}}}},
        "autoStartConfig.recording.config.layout.gridsize",
        "did you mean 'gridSize'",
    ),
    (
        {"autoStartConfig": {"recording": {"config": {"theme": "dark"}}}},
        "autoStartConfig.recording.config.theme",
        "'DARK', 'LIGHT', 'DEFAULT'",
    ),
    (
        {"autoStartConfig": {"recording": {"config": {"mode": "video"}}}},
        "autoStartConfig.recording.config.mode",
        "'video-and-audio', 'audio'",
    ),
    (
        {"autoStartConfig": {"hls": {"config": {"quality": "medium"}}}},
        "autoStartConfig.hls.config.quality",
        "'low', 'med', 'high'",
    ),
    (
        {"autoStartConfig": {"hls": {"config": {"orientation": "square"}}}},
        "autoStartConfig.hls.config.orientation",
        "'portrait', 'landscape'",
    ),
    (
        {"autoStartConfig": {"recording": {"transcription": {"enabled": "true"}}}},
        "autoStartConfig.recording.transcription.enabled",
        "JSON boolean",
    ),
    (
        {"autoStartConfig": {"hls": {"transcription": {"summary": {"enabled": 1}}}}},
        "autoStartConfig.hls.transcription.summary.enabled",
        "true or false",
    ),
    (
        {"autoStartConfig": {"hls": {"transcription": {"summary": {"prompt": ""}}}}},
        "autoStartConfig.hls.transcription.summary.prompt",
        "non-empty string",
    ),
    (
        {"autoStartConfig": {"hls": {"config": {"recording": {"enabled": "true"}}}}},
        "autoStartConfig.hls.config.recording.enabled",
        "true or false",
    ),
    (
        {"autoStartConfig": {"recording": {"config": {"recording": {"enabled": True}}}}},
        "autoStartConfig.recording.config.recording",
        "unknown key",
    ),
    ({"autoStartConfig": {"hls": {"awsDirPath": "bucket"}}}, "autoStartConfig.hls.awsDirPath", "unknown key"),
    (
        {"autoStartConfig": {"recording": {"templateUrl": "layouts"}}},
        "autoStartConfig.recording.templateUrl",
        "URL",
    ),
    ({"autoStartConfig": []}, "autoStartConfig", "expected an object"),
    ({"customRoomID": "x"}, "customRoomID", "looks like 'customRoomId'"),
    ({"autoclose_config": {}}, "autoclose_config", "looks like 'autoCloseConfig'"),
    ({"geoFence": {1, 2}}, "geoFence", "JSON-serialisable"),
    ({"geoFence": float("nan")}, "geoFence", "NaN and infinity are not JSON"),
    ({"webhook": {"endPoint": "http://[::1/x"}}, "webhook.endPoint", "http:// or https:// URL"),
    ({"webhook": {"endPoint": "http://:80/x"}}, "webhook.endPoint", "with a host"),
    ({"webhook": {"endPoint": "https://h.example.com/a b"}}, "webhook.endPoint", "http:// or https:// URL"),
    (
        {"webhook": {"endPoint": "https://h.example.com:99999/x"}},
        "webhook.endPoint",
        "http:// or https:// URL",
    ),
]


@pytest.mark.parametrize(
    ("body", "path", "words"),
    INVALID_BODIES,
    ids=[f"{path}:{words[:24]}" for _, path, words in INVALID_BODIES],
)
def test_invalid_body_is_rejected_naming_the_field_path(body: dict[str, Any], path: str, words: str) -> None:
    message = rejection(body)
    assert f"{path}: " in message
    assert words in message


def test_every_problem_is_reported_at_once() -> None:
    error = pytest.raises(
        InvalidRequestError,
        validate_room_body,
        {"autoCloseConfig": {"type": "never"}, "webhook": {"endPoint": "x"}},
    ).value
    assert len(error.problems) == 2
    assert str(error).startswith("invalid VideoSDK request (2 problems): ")


def test_rejection_fails_the_task_without_retries() -> None:
    from videosdk_provider._compat import AirflowFailException

    assert issubclass(InvalidRequestError, AirflowFailException)
    assert issubclass(InvalidRequestError, ValueError)


@pytest.mark.parametrize(
    "body",
    [
        {"webhook": {"endPoint": "{{ params.url }}"}},
        {"webhook": "{{ params.webhook }}"},
        {"webhook": {"endPoint": "{{ var.value.hook_url }}", "events": ["{{ params.event }}"]}},
        {"autoCloseConfig": {"type": "session-ends", "duration": "{{ params.minutes }}"}},
        {"autoStartConfig": {"recording": {"config": {"layout": {"gridSize": "{% if x %}2{% endif %}"}}}}},
    ],
)
def test_templated_values_wait_for_rendering_at_parse_time(body: dict[str, Any]) -> None:
    validate_room_body(body, at_parse_time=True)
    with pytest.raises(InvalidRequestError):
        validate_room_body(body)


def test_untemplated_mistakes_are_caught_at_parse_time_next_to_templated_values() -> None:
    body = {"customRoomId": "{{ ds }}", "autoCloseConfig": {"type": "session-ends", "duration": 0}}
    with pytest.raises(InvalidRequestError, match=r"autoCloseConfig\.duration"):
        validate_room_body(body, at_parse_time=True)


def test_values_resolved_at_run_time_wait_at_parse_time() -> None:
    class LazyReference:
        """Stands for an XCom reference or a mapped argument."""

    validate_room_body({"customRoomId": LazyReference()}, at_parse_time=True)
    with pytest.raises(InvalidRequestError, match="customRoomId: expected a non-empty string"):
        validate_room_body({"customRoomId": LazyReference()})


# Parse-time checks: each distinct configuration is checked once, mistakes are never remembered

WEBHOOK = {"endPoint": "https://hooks.example.com/videosdk", "events": ["session-started"]}


def test_a_remembered_configuration_still_refuses_a_blank_custom_room_id() -> None:
    check_room_arguments_at_parse_time(custom_room_id="fine", webhook=WEBHOOK)
    with pytest.raises(InvalidRequestError, match="customRoomId: expected a non-empty string"):
        check_room_arguments_at_parse_time(custom_room_id="  ", webhook=WEBHOOK)


def test_a_remembered_configuration_still_refuses_a_custom_room_id_of_another_type() -> None:
    check_room_arguments_at_parse_time(custom_room_id="fine", webhook=WEBHOOK)
    with pytest.raises(InvalidRequestError, match="customRoomId"):
        check_room_arguments_at_parse_time(custom_room_id=42, webhook=WEBHOOK)


def test_an_invalid_configuration_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(InvalidRequestError, match=r"autoCloseConfig.type: 'never' is not allowed"):
            check_room_arguments_at_parse_time(auto_close_config={"type": "never"})


def test_parse_time_checks_leave_templates_for_later() -> None:
    check_room_arguments_at_parse_time(custom_room_id="{{ run_id }}", auto_close_config="{{ params.close }}")


def test_a_configuration_that_differs_only_in_a_nested_value_is_checked_again() -> None:
    check_room_arguments_at_parse_time(auto_close_config={"type": "session-ends", "duration": 5})
    with pytest.raises(InvalidRequestError, match="autoCloseConfig.duration"):
        check_room_arguments_at_parse_time(auto_close_config={"type": "session-ends", "duration": 0})
