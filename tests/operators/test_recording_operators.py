"""StartRecordingOperator and StopRecordingOperator: parse-time checks and real DAG runs on the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.operators.recordings import StartRecordingOperator, StopRecordingOperator

RunDag = Callable[..., Any]
NO_CONTEXT: Any = {}


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"config": {"layout": {"gridSize": 9}}}, "config.layout.gridSize"),
        ({"config": {"mode": "video"}}, "config.mode"),
        ({"transcription": {"summary": {"enabled": "true"}}}, "transcription.summary.enabled"),
        ({"template_url": "layout.html"}, "templateUrl"),
        ({"webhook_url": "http://"}, "webhookUrl"),
        ({"room_id": ""}, "roomId"),
    ],
)
def test_start_literals_are_checked_when_the_dag_is_parsed(arguments: dict[str, Any], path: str) -> None:
    arguments = {"room_id": "abcd-efgh-ijkl"} | arguments
    with pytest.raises(InvalidRequestError, match=path.replace(".", r"\.")):
        StartRecordingOperator(task_id="start", **arguments)


def test_start_leaves_templated_values_for_execution_time() -> None:
    operator = StartRecordingOperator(
        task_id="start",
        room_id="{{ params.room_id }}",
        config={"layout": {"gridSize": "{{ params.grid }}"}},
        transcription={"enabled": "{{ params.transcribe }}"},
    )
    assert operator.config == {"layout": {"gridSize": "{{ params.grid }}"}}


def test_stop_literals_are_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(InvalidRequestError, match="recording_id: expected a non-empty string"):
        StopRecordingOperator(task_id="stop", room_id="r", recording_id="")


def test_start_and_stop_return_what_the_api_answers_and_stopping_twice_is_safe(
    run_dag: RunDag,
    hook_factory: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
) -> None:
    conf = {
        "room_id": joined_room["roomId"],
        "session_id": joined_room["session"]["id"],
        "prompt": "Decisions",
    }
    result = run_dag("recording_lifecycle_poke", run_conf=conf)
    started = result.xcom("start")
    [recording] = hook_factory().iter_recordings(room_id=joined_room["roomId"])
    assert started["message"] == "Recording started successfully"
    assert (started["id"], started["sessionId"]) == (recording["id"], joined_room["session"]["id"])
    assert started["status"] == "recording"
    assert result.xcom("stop") == {"stopped": True, "message": "Recording stopped successfully"}
    stopped_again = result.xcom("stop_again")
    assert stopped_again["stopped"] is False
    assert "not started" in stopped_again["message"]
    [sent] = videosdk_emulator.requests_to("POST", "/v2/recordings/start")
    assert sent.body == {
        "roomId": joined_room["roomId"],
        "config": {"layout": {"type": "GRID", "gridSize": 2}, "quality": "high"},
        "transcription": {"enabled": True, "summary": {"enabled": True, "prompt": "Decisions"}},
    }


def test_a_task_retry_after_a_lost_start_answer_finds_the_recording_instead_of_starting_twice(
    run_dag: RunDag,
    hook_factory: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
) -> None:
    videosdk_emulator.drop_after_processing(path="/v2/recordings/start")

    result = run_dag("recording_start_retried", run_conf={"room_id": joined_room["roomId"]})

    assert result.task_states == {"start": "success"}
    assert [sent.status for sent in videosdk_emulator.requests_to("POST", "/v2/recordings/start")] == [0]
    [recording] = hook_factory().iter_recordings(room_id=joined_room["roomId"])
    assert result.xcom("start") == recording


def test_start_returns_a_recording_already_running_without_starting_another(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook = hook_factory()
    hook.start_recording(joined_room["roomId"])
    [running] = hook.iter_recordings(room_id=joined_room["roomId"])

    returned = StartRecordingOperator(task_id="start", room_id=joined_room["roomId"]).execute(NO_CONTEXT)

    assert returned == running
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/start")) == 1


def test_a_recording_of_an_earlier_session_does_not_count_as_running(
    hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    hook_factory().start_recording(joined_room["roomId"])
    videosdk_emulator.end_session(joined_room["roomId"])
    session = videosdk_emulator.join(joined_room["roomId"], "ada")

    returned = StartRecordingOperator(task_id="start", room_id=joined_room["roomId"]).execute(NO_CONTEXT)

    assert (returned["sessionId"], returned["status"]) == (session["id"], "recording")
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/start")) == 2


def test_stop_fails_when_asked_to_and_nothing_records(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator, joined_room: dict[str, Any]
) -> None:
    result = run_dag("recording_stop_strict", run_conf={"room_id": joined_room["roomId"]})
    assert result.task_states == {"stop": "failed"}
    assert len(videosdk_emulator.requests_to("POST", "/v2/recordings/end")) == 1


def test_a_rendered_bad_room_id_fails_before_any_request(
    run_dag: RunDag, videosdk_emulator: VideoSDKEmulator
) -> None:
    result = run_dag("recording_stop_strict", run_conf={"room_id": " "})
    assert result.task_states == {"stop": "failed"}
    assert videosdk_emulator.requests_to("POST", "/v2/recordings/end") == []


def test_mapped_stop_stops_each_room(
    run_dag: RunDag, hook_factory: Callable[..., Any], videosdk_emulator: VideoSDKEmulator
) -> None:
    hook = hook_factory()
    room_ids = [hook.create_room()["roomId"] for _ in range(2)]
    for room_id in room_ids:
        videosdk_emulator.join(room_id, "ada")
        hook.start_recording(room_id)
    result = run_dag("recording_stop_mapped", run_conf={"room_ids": room_ids})
    assert result.task_states == {"rooms": "success", "stop_each[0]": "success", "stop_each[1]": "success"}
    for room_id in room_ids:
        assert next(hook.iter_recordings(room_id=room_id))["status"] == "completed"


def test_a_pre_signed_upload_url_is_sent_and_masked_in_rendered_fields_and_logs(
    run_dag: RunDag,
    videosdk_emulator: VideoSDKEmulator,
    joined_room: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    upload_url = "https://bucket.example.com/r.mp4?X-Amz-Signature=upload-secret-7c1e"
    monkeypatch.setenv("AIRFLOW_VAR_VIDEOSDK_TEST_UPLOAD_URL", upload_url)

    result = run_dag("recording_pre_signed", run_conf={"room_id": joined_room["roomId"]})

    assert result.task_states == {"start": "success"}
    [start] = videosdk_emulator.requests_to("POST", "/v2/recordings/start")
    assert start.body["preSignedUrl"] == upload_url
    assert result.rendered_fields("start")["pre_signed_url"] == "***"
    assert "upload-secret-7c1e" not in repr(result.xcom("start"))
    assert "upload-secret-7c1e" not in "".join(capfd.readouterr())
