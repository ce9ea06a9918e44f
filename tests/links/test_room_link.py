"""The "VideoSDK room" extra link: its URL rule, its registration, and what the UI gets after a run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.get_provider_info import get_provider_info
from videosdk_provider.links.videosdk import VideoSDKRoomLink, meeting_url
from videosdk_provider.operators.rooms import (
    CreateRoomOperator,
    CreateRoomsOperator,
    DeactivateRoomOperator,
    GetRoomOperator,
    ListRoomsOperator,
    ValidateRoomOperator,
)
from videosdk_provider.operators.sessions import EndSessionOperator

LINK = "VideoSDK room"
TEMPLATE = "https://meet.example.com/join/{room_id}?from=airflow"


@pytest.mark.parametrize(
    ("template", "room_id", "url"),
    [
        (TEMPLATE, "abcd-efgh-ijkl", "https://meet.example.com/join/abcd-efgh-ijkl?from=airflow"),
        ("https://meet.example.com/{room_id}", "a b/c?d", "https://meet.example.com/a%20b%2Fc%3Fd"),
        ("https://meet.example.com/{room_id}/{room_id}", "r1", "https://meet.example.com/r1/r1"),
        (None, "abcd-efgh-ijkl", ""),
        ("", "abcd-efgh-ijkl", ""),
        (TEMPLATE, None, ""),
        (TEMPLATE, "", ""),
        (TEMPLATE, {"roomId": "r1"}, ""),
        (42, "abcd-efgh-ijkl", ""),
    ],
)
def test_meeting_url_fills_the_template_or_is_empty(template: Any, room_id: Any, url: str) -> None:
    assert meeting_url(template, room_id) == url


def test_a_template_without_the_placeholder_gives_no_link_and_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert meeting_url("https://meet.example.com/lobby", "abcd-efgh-ijkl") == ""
    assert "meeting_url_template extra has no {room_id} placeholder" in caplog.text


@pytest.mark.parametrize("operator", [CreateRoomOperator, ValidateRoomOperator, GetRoomOperator])
def test_operators_that_return_one_room_show_the_link(operator: type[Any]) -> None:
    assert [link.name for link in operator.operator_extra_links] == [LINK]


@pytest.mark.parametrize(
    "operator", [CreateRoomsOperator, ListRoomsOperator, DeactivateRoomOperator, EndSessionOperator]
)
def test_operators_that_return_no_usable_room_show_no_link(operator: type[Any]) -> None:
    assert list(operator.operator_extra_links) == []


def test_the_link_is_registered_with_its_template_field() -> None:
    info = get_provider_info()
    assert f"{VideoSDKRoomLink.__module__}.{VideoSDKRoomLink.__name__}" in info["extra-links"]
    field = info["connection-types"][0]["conn-fields"]["meeting_url_template"]
    assert "{room_id}" in field["description"]


def _links_the_ui_gets(dag_id: str, run_id: str, task_id: str) -> dict[str, str | None]:
    """Resolve the task's links as the API server does: serialised task, stored XCom."""
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        dag = SerializedDagModel.get_dag(dag_id, session=session)
        assert dag is not None
        task = dag.get_task(task_id)
        ti = session.query(TaskInstance).filter_by(dag_id=dag_id, run_id=run_id, task_id=task_id).one()
        return {name: task.get_extra_links(ti, name) or None for name in task.extra_links}


def test_a_dag_run_links_each_room_to_its_meeting_page_when_the_connection_has_a_template(
    run_dag: Any, videosdk_emulator: VideoSDKEmulator, set_connection: Callable[..., str]
) -> None:
    emulator = {"login": videosdk_emulator.api_key, "host": videosdk_emulator.url}
    with_template = {"meeting_url_template": TEMPLATE}
    set_connection("videosdk_meeting", **emulator, password=videosdk_emulator.secret, extra=with_template)
    set_connection("videosdk_meeting_bad_secret", **emulator, password="not-the-secret", extra=with_template)

    result = run_dag("videosdk_room_link")

    assert result.task_states == {
        "with_template": "success",
        "without_template": "success",
        "failed_create": "failed",
        "validated": "success",
        "fetched": "success",
    }
    room_id = result.xcom("with_template")
    assert room_id in [room["roomId"] for room in videosdk_emulator.rooms]
    assert (result.xcom("validated"), result.xcom("fetched")["roomId"]) == (room_id, room_id)
    links = {
        task_id: _links_the_ui_gets(result.dag_id, result.run_id, task_id) for task_id in result.task_states
    }
    meeting_page = f"https://meet.example.com/join/{room_id}?from=airflow"
    assert links == {
        "with_template": {LINK: meeting_page},
        "without_template": {LINK: None},
        "failed_create": {LINK: None},
        "validated": {LINK: meeting_page},
        "fetched": {LINK: meeting_page},
    }
