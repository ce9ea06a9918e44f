"""VideoSDKHook's session calls: list (sync and async), get, participants, end, remove."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    InvalidRequestError,
    VideoSDKAuthError,
    VideoSDKConnectionError,
    VideoSDKNotFoundError,
    VideoSDKServerError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

HookFactory = Callable[..., VideoSDKHook]


@pytest.fixture
def two_sessions(videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """Hold one session that has ended, then start a second that is ongoing; return both."""
    room_id = room["roomId"]
    videosdk_emulator.join(room_id, "ada", "Ada")
    ended = videosdk_emulator.end_session(room_id)
    ongoing = videosdk_emulator.join(room_id, "grace", "Grace")
    return ended, ongoing


def test_iter_sessions_lists_every_session_of_the_room(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    room: dict[str, Any],
    two_sessions: tuple[dict[str, Any], ...],
) -> None:
    ended, ongoing = two_sessions
    assert list(hook.iter_sessions(room["roomId"], per_page=1)) == [ongoing, ended]
    pages = videosdk_emulator.requests_to("GET", "/v2/sessions")
    assert [r.query for r in pages] == [
        {"roomId": room["roomId"], "perPage": "1", "page": "1"},
        {"roomId": room["roomId"], "perPage": "1", "page": "2"},
    ]


@pytest.mark.parametrize(("status", "expected"), [("ongoing", 1), ("ended", 0)])
def test_iter_sessions_filters_by_status(
    hook: VideoSDKHook,
    room: dict[str, Any],
    two_sessions: tuple[dict[str, Any], ...],
    status: str,
    expected: int,
) -> None:
    assert list(hook.iter_sessions(room["roomId"], status=status)) == [two_sessions[expected]]


def test_aget_sessions_lists_what_iter_sessions_lists(
    hook_factory: HookFactory, room: dict[str, Any], two_sessions: tuple[dict[str, Any], ...]
) -> None:
    sessions = asyncio.run(hook_factory().aget_sessions(room["roomId"], per_page=1))
    assert sessions == list(hook_factory().iter_sessions(room["roomId"]))


def test_aget_sessions_signs_the_same_management_token(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    asyncio.run(hook_factory(token_ttl=900).aget_sessions(room["roomId"]))
    [poll] = videosdk_emulator.requests_to("GET", "/v2/sessions")
    claims = poll.token_claims
    assert (claims["roles"], claims["permissions"], claims["version"]) == (
        ["crawler"],
        ["allow_join", "allow_mod"],
        2,
    )
    assert claims["exp"] - claims["iat"] == 900
    assert not poll.headers["authorization"].lower().startswith("bearer")


def test_aget_sessions_retries_server_errors_like_the_sync_calls(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.fail_next(503, times=2, path="/v2/sessions")
    assert asyncio.run(hook_factory(max_retries=2).aget_sessions(room["roomId"])) == []
    assert [r.status for r in videosdk_emulator.requests_to("GET", "/v2/sessions")] == [503, 503, 200]


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (401, VideoSDKAuthError, "authentication failed: check the API key and secret"),
        (404, VideoSDKNotFoundError, r"GET /v2/sessions failed \(HTTP 404\): Room not found"),
        (500, VideoSDKServerError, r"GET /v2/sessions failed \(HTTP 500\): Room not found"),
    ],
)
def test_aget_sessions_raises_the_same_typed_errors(
    hook_factory: HookFactory,
    videosdk_emulator: VideoSDKEmulator,
    status: int,
    error: type[Exception],
    message: str,
) -> None:
    videosdk_emulator.fail_next(status, message="Room not found")
    with pytest.raises(error, match=message):
        asyncio.run(hook_factory(max_retries=0).aget_sessions("abcd-efgh-ijkl"))


def test_aget_sessions_reports_an_unreachable_server(
    hook_factory: HookFactory, set_connection: Callable[..., str], refusing_url: str
) -> None:
    set_connection(login="k", password="s", host=refusing_url)
    with pytest.raises(VideoSDKConnectionError, match=f"could not connect to {refusing_url}") as caught:
        asyncio.run(hook_factory(max_retries=0).aget_sessions("abcd-efgh-ijkl"))
    assert (caught.value.status, caught.value.method, caught.value.path) == (None, "GET", "/v2/sessions")


def test_get_session_fetches_one_session(
    hook: VideoSDKHook, two_sessions: tuple[dict[str, Any], ...]
) -> None:
    ended, _ = two_sessions
    assert hook.get_session(ended["id"]) == ended


def test_get_session_of_an_unknown_session_raises_not_found(hook: VideoSDKHook) -> None:
    with pytest.raises(VideoSDKNotFoundError, match="Session not found"):
        hook.get_session("no-such-session")


def test_iter_participants_follows_every_page(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    for person in ("ada", "grace", "linus"):
        session = videosdk_emulator.join(room["roomId"], person)
    participants = list(hook.iter_participants(session["id"], per_page=2))
    assert [p["participantId"] for p in participants] == ["ada", "grace", "linus"]
    assert len(videosdk_emulator.requests_to("GET", f"/v2/sessions/{session['id']}/participants")) == 2


def test_iter_active_participants_lists_only_who_is_in(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    for person in ("ada", "grace", "linus"):
        session = videosdk_emulator.join(room["roomId"], person)
    videosdk_emulator.leave(room["roomId"], "grace")
    active = list(hook.iter_active_participants(session["id"], per_page=1))
    assert [p["participantId"] for p in active] == ["ada", "linus"]


def test_end_session_ends_the_ongoing_session(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    room: dict[str, Any],
    two_sessions: tuple[dict[str, Any], ...],
) -> None:
    _, ongoing = two_sessions
    ended = hook.end_session(room["roomId"], session_id=ongoing["id"])
    assert (ended["id"], ended["status"]) == (ongoing["id"], "ended")
    [request] = videosdk_emulator.requests_to("POST", "/v2/sessions/end")
    assert request.body == {"roomId": room["roomId"], "sessionId": ongoing["id"]}


def test_end_session_is_not_retried_after_a_server_error(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.start_session(room["roomId"])
    videosdk_emulator.fail_next(502, path="/v2/sessions/end")
    with pytest.raises(VideoSDKServerError):
        hook_factory(max_retries=3).end_session(room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/sessions/end")) == 1


def test_end_session_is_not_repeated_after_a_lost_answer(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.start_session(room["roomId"])
    videosdk_emulator.drop_after_processing(path="/v2/sessions/end")
    with pytest.raises(VideoSDKConnectionError, match="may have taken effect, so it was not repeated"):
        hook_factory(max_retries=3).end_session(room["roomId"])
    assert len(videosdk_emulator.requests_to("POST", "/v2/sessions/end")) == 1


def test_remove_participant_removes_them_from_the_ongoing_session(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.join(room["roomId"], "ada")
    session = videosdk_emulator.join(room["roomId"], "grace")
    hook.remove_participant(room["roomId"], "grace", session_id=session["id"])
    assert [p["participantId"] for p in hook.iter_active_participants(session["id"])] == ["ada"]
    [request] = videosdk_emulator.requests_to("POST", "/v2/sessions/participants/remove")
    assert request.body == {"participantId": "grace", "roomId": room["roomId"], "sessionId": session["id"]}


def test_remove_participant_is_not_retried_after_a_server_error(
    hook_factory: HookFactory, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    videosdk_emulator.join(room["roomId"], "ada")
    videosdk_emulator.fail_next(500, path="/v2/sessions/participants/remove")
    with pytest.raises(VideoSDKServerError):
        hook_factory(max_retries=3).remove_participant(room["roomId"], "ada")
    assert len(videosdk_emulator.requests_to("POST", "/v2/sessions/participants/remove")) == 1


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        pytest.param(lambda hook: hook.iter_sessions(""), "room_id: expected a non-empty string", id="list"),
        pytest.param(
            lambda hook: hook.iter_sessions("r", status="live"),
            "status: 'live' is not allowed; allowed values: 'ongoing', 'ended'",
            id="list-status",
        ),
        pytest.param(
            lambda hook: asyncio.run(hook.aget_sessions("r", per_page=0)),
            "per_page: expected an integer of at least 1",
            id="async-list",
        ),
        pytest.param(lambda hook: hook.get_session(""), "session_id: expected a non-empty string", id="get"),
        pytest.param(
            lambda hook: hook.iter_participants(None),
            "session_id: expected a non-empty string",
            id="participants",
        ),
        pytest.param(
            lambda hook: hook.iter_active_participants(" "),
            "session_id: expected a non-empty string",
            id="active-participants",
        ),
        pytest.param(
            lambda hook: hook.end_session("r", session_id=""),
            "session_id: expected a non-empty string",
            id="end",
        ),
        pytest.param(
            lambda hook: hook.remove_participant("r", ""),
            "participant_id: expected a non-empty string",
            id="remove",
        ),
    ],
)
def test_session_calls_refuse_bad_arguments_before_any_request(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, call: Callable[[VideoSDKHook], Any], problem: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        call(hook)
    assert [p for p in caught.value.problems if p.startswith(problem)]
    assert videosdk_emulator.requests == []


# The latest sessions: what a wait polls, at a cost that does not grow with the room's history


def hold_sessions(emulator: VideoSDKEmulator, room_id: str, count: int) -> list[dict[str, Any]]:
    sessions = []
    for _ in range(count):
        emulator.start_session(room_id)
        sessions.append(emulator.end_session(room_id))
    return sessions


def test_latest_sessions_returns_the_ongoing_session_alone(
    hook: VideoSDKHook, room: dict[str, Any], two_sessions: tuple[dict[str, Any], ...]
) -> None:
    _, ongoing = two_sessions
    latest = hook.latest_sessions(room["roomId"])
    assert (latest.ongoing, latest.ended) == (ongoing, None)


def test_latest_sessions_returns_the_newest_ended_session_when_none_is_ongoing(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    held = hold_sessions(videosdk_emulator, room["roomId"], 3)
    latest = hook.latest_sessions(room["roomId"])
    assert (latest.ongoing, latest.ended) == (None, held[-1])


def test_latest_sessions_of_a_room_without_sessions_is_empty(
    hook: VideoSDKHook, room: dict[str, Any]
) -> None:
    assert tuple(hook.latest_sessions(room["roomId"])) == (None, None)


@pytest.mark.parametrize("history", [1, 40])
def test_latest_sessions_costs_two_one_item_requests_whatever_the_history(
    history: int, hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    hold_sessions(videosdk_emulator, room["roomId"], history)
    before = len(videosdk_emulator.requests)
    hook.latest_sessions(room["roomId"])
    polls = videosdk_emulator.requests[before:]
    assert [(r.path, r.query["status"], r.query["perPage"], r.query["page"]) for r in polls] == [
        ("/v2/sessions", "ongoing", "1", "1"),
        ("/v2/sessions", "ended", "1", "1"),
    ]


def test_alatest_sessions_answers_like_latest_sessions(
    hook_factory: Callable[..., VideoSDKHook], videosdk_emulator: VideoSDKEmulator, room: dict[str, Any]
) -> None:
    hold_sessions(videosdk_emulator, room["roomId"], 2)
    expected = hook_factory().latest_sessions(room["roomId"])
    assert asyncio.run(hook_factory().alatest_sessions(room["roomId"])) == expected
