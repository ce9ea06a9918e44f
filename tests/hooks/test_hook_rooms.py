"""VideoSDKHook's room calls: validate, get, list through every page, deactivate safely."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKNotFoundError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

HookFactory = Callable[..., VideoSDKHook]


@pytest.mark.parametrize("key", ["roomId", "customRoomId", "id"])
def test_get_room_accepts_any_of_the_rooms_ids(hook: VideoSDKHook, room: dict[str, Any], key: str) -> None:
    assert hook.get_room(room[key]) == room


def test_get_room_of_an_unknown_room_raises_not_found(hook: VideoSDKHook) -> None:
    with pytest.raises(VideoSDKNotFoundError, match=r"GET /v2/rooms/no-such-room failed \(HTTP 404\)"):
        hook.get_room("no-such-room")


@pytest.mark.parametrize("key", ["roomId", "customRoomId"])
def test_validate_room_returns_an_active_room(hook: VideoSDKHook, room: dict[str, Any], key: str) -> None:
    assert hook.validate_room(room[key]) == room


def test_validate_room_reads_a_deactivated_room_as_invalid(hook: VideoSDKHook, room: dict[str, Any]) -> None:
    hook.deactivate_room(room["roomId"])
    assert hook.validate_room(room["roomId"]) is None


@pytest.mark.parametrize("status", [400, 402, 404])
def test_validate_room_reads_the_not_valid_answers_as_invalid(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, status: int
) -> None:
    videosdk_emulator.fail_next(status, message="Room is invalid")
    assert hook.validate_room("abcd-efgh-ijkl") is None
    assert videosdk_emulator.requests_to("GET", "/v2/rooms/validate/abcd-efgh-ijkl")


@pytest.mark.parametrize(("status", "error"), [(422, VideoSDKValidationError), (500, VideoSDKServerError)])
def test_validate_room_raises_other_failures(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, status: int, error: type[Exception]
) -> None:
    videosdk_emulator.fail_next(status)
    with pytest.raises(error):
        hook_factory(max_retries=0).validate_room("abcd-efgh-ijkl")


def test_iter_rooms_follows_page_info_through_every_page(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    created = [hook.create_room(customRoomId=f"room-{index}")["roomId"] for index in range(5)]
    listed = [room["roomId"] for room in hook.iter_rooms(per_page=2)]
    assert listed == created[::-1]
    pages = videosdk_emulator.requests_to("GET", "/v2/rooms")
    assert [(r.query["page"], r.query["perPage"]) for r in pages] == [("1", "2"), ("2", "2"), ("3", "2")]


def test_iter_rooms_requests_a_page_only_when_it_is_reached(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    for index in range(3):
        hook.create_room(customRoomId=f"room-{index}")
    next(hook.iter_rooms(per_page=1))
    assert len(videosdk_emulator.requests_to("GET", "/v2/rooms")) == 1


def test_iter_rooms_of_an_empty_account_makes_one_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    assert list(hook.iter_rooms()) == []
    assert len(videosdk_emulator.requests_to("GET", "/v2/rooms")) == 1


def test_deactivate_room_deactivates_by_room_id(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    deactivated = hook.deactivate_room(room["roomId"])
    assert deactivated["disabled"] is True
    [request] = videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")
    assert request.body == {"roomId": room["roomId"]}


@pytest.mark.parametrize("key", ["customRoomId", "id"])
def test_deactivate_room_refuses_another_id_and_names_the_room_id(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any], key: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        hook.deactivate_room(room[key])
    [problem] = caught.value.problems
    assert problem.startswith(f"room_id: {room[key]!r} is not a VideoSDK roomId")
    assert f"so pass {room['roomId']!r}" in problem
    assert not videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")
    assert videosdk_emulator.rooms[0]["disabled"] is False


def test_deactivate_room_recognises_a_custom_room_id_shaped_like_a_room_id(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    room = hook.create_room(customRoomId="abcd-efgh-ijkl")
    with pytest.raises(InvalidRequestError, match=f"so pass {room['roomId']!r}"):
        hook.deactivate_room("abcd-efgh-ijkl")
    assert not videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")


def test_deactivating_a_deactivated_room_sends_no_second_deactivation(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    hook.deactivate_room(room["roomId"])
    again = hook.deactivate_room(room["roomId"])
    assert again["disabled"] is True
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")) == 1


def test_deactivate_room_is_not_retried_after_a_server_error(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.fail_next(503, path="/v2/rooms/deactivate")
    with pytest.raises(VideoSDKServerError, match="may have taken effect, so it was not repeated"):
        hook_factory(max_retries=3).deactivate_room(room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")) == 1


@pytest.mark.parametrize("room_id", ["", "   ", None, 42])
@pytest.mark.parametrize("call", ["get_room", "validate_room", "deactivate_room"])
def test_room_calls_refuse_a_bad_room_id_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, call: str, room_id: Any
) -> None:
    with pytest.raises(InvalidRequestError, match=r"room_id: expected a non-empty string, got "):
        getattr(hook, call)(room_id)
    assert videosdk_emulator.requests == []


@pytest.mark.parametrize("per_page", [0, -1, "20", 2.5])
def test_iter_rooms_refuses_a_bad_page_size_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, per_page: Any
) -> None:
    with pytest.raises(InvalidRequestError, match="per_page: expected an integer of at least 1"):
        hook.iter_rooms(per_page=per_page)
    assert videosdk_emulator.requests == []


def test_create_rooms_checks_each_body_once(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import videosdk_provider.hooks.rooms as rooms_module

    single_checks: list[Any] = []
    check_one = rooms_module.validate_room_body
    monkeypatch.setattr(
        rooms_module, "validate_room_body", lambda body: single_checks.append(check_one(body))
    )
    created = hook.create_rooms([{"customRoomId": f"once-{n}"} for n in range(3)])
    assert [room["customRoomId"] for room in created] == ["once-0", "once-1", "once-2"]
    assert single_checks == []


def test_create_room_alone_still_checks_its_body_before_sending(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    with pytest.raises(InvalidRequestError, match="autoCloseConfig.type"):
        hook.create_room(autoCloseConfig={"duration": 5})
    assert videosdk_emulator.requests == []
