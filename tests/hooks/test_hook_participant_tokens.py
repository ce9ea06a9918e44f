"""VideoSDKHook.participant_token: join tokens for end users, checked before signing and masked."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests
from airflow.sdk._shared.secrets_masker import redact

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.hooks.videosdk import VideoSDKHook


def claims_of(token: str, emulator: VideoSDKEmulator) -> dict[str, Any]:
    return jwt.decode(token, emulator.secret, algorithms=["HS256"])


def test_token_is_a_v2_rtc_token_for_the_room_and_participant(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    before = int(time.time())
    token = hook.participant_token(room_id="abcd-efgh-ijkl", participant_id="ada", ttl=900)
    claims = claims_of(token, videosdk_emulator)
    assert {key: claims[key] for key in ("apikey", "permissions", "version", "roles")} == {
        "apikey": videosdk_emulator.api_key,
        "permissions": ["allow_join"],
        "version": 2,
        "roles": ["rtc"],
    }
    assert (claims["roomId"], claims["participantId"]) == ("abcd-efgh-ijkl", "ada")
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 900


def test_token_without_a_room_or_participant_leaves_those_claims_out(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator
) -> None:
    claims = claims_of(hook.participant_token(), videosdk_emulator)
    assert "roomId" not in claims
    assert "participantId" not in claims
    assert claims["exp"] - claims["iat"] == 7200


@pytest.mark.parametrize("permissions", [["ask_join"], ["allow_join", "allow_mod"], ("allow_mod",)], ids=str)
def test_token_carries_the_permissions_asked_for(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, permissions: Any
) -> None:
    token = hook.participant_token(room_id="r", permissions=permissions)
    assert claims_of(token, videosdk_emulator)["permissions"] == list(permissions)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        pytest.param(
            {"permissions": ["ask_join", "allow_join"]},
            "permissions: 'ask_join' cannot be combined with 'allow_join' or 'allow_mod'",
            id="ask-and-allow-join",
        ),
        pytest.param(
            {"permissions": ["allow_mod", "ask_join"]},
            "permissions: 'ask_join' cannot be combined with 'allow_join' or 'allow_mod'",
            id="ask-join-and-allow-mod",
        ),
        pytest.param({"permissions": []}, "permissions: expected a non-empty list", id="no-permissions"),
        pytest.param(
            {"permissions": "allow_join"}, "permissions: expected a non-empty list", id="a-string-not-a-list"
        ),
        pytest.param(
            {"permissions": ["allow_joins"]},
            "permissions[0]: 'allow_joins' is not allowed; allowed values: 'allow_join', 'ask_join', "
            "'allow_mod' (did you mean 'allow_join'?)",
            id="unknown-permission",
        ),
        pytest.param({"ttl": 0}, "ttl: expected an integer of at least 1 (seconds), got 0", id="zero-ttl"),
        pytest.param({"ttl": "3600"}, "ttl: expected an integer of at least 1 (seconds)", id="string-ttl"),
        pytest.param({"room_id": ""}, "room_id: expected a non-empty string", id="empty-room"),
        pytest.param(
            {"participant_id": 7}, "participant_id: expected a non-empty string", id="numeric-person"
        ),
    ],
)
def test_bad_arguments_are_refused_before_signing(
    hook: VideoSDKHook, arguments: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        hook.participant_token(**arguments)
    [reported] = caught.value.problems
    assert reported.startswith(problem)


def test_token_is_masked_in_logs(hook: VideoSDKHook) -> None:
    token = hook.participant_token(room_id="abcd-efgh-ijkl", participant_id="ada")
    assert (
        redact(f"join at https://meet.example.com/?token={token}")
        == "join at https://meet.example.com/?token=***"
    )


def test_token_cannot_call_the_rest_api(hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator) -> None:
    token = hook.participant_token(room_id="abcd-efgh-ijkl")
    answer = requests.get(f"{videosdk_emulator.url}/v2/rooms", headers={"Authorization": token}, timeout=10)
    assert answer.status_code == 403
