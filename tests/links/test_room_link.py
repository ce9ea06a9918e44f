"""The "VideoSDK room" extra link: its URL rule, its registration, and what the UI gets after a run."""

from __future__ import annotations

import json
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.get_provider_info import get_provider_info
from videosdk_provider.links.videosdk import VideoSDKRoomLink, meeting_url
from videosdk_provider.operators.rooms import CreateRoomOperator

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


def test_create_room_operator_shows_the_link() -> None:
    assert [link.name for link in CreateRoomOperator.operator_extra_links] == [LINK]


def test_the_link_is_registered_with_its_template_field() -> None:
    info = get_provider_info()
    assert info["extra-links"] == [f"{VideoSDKRoomLink.__module__}.{VideoSDKRoomLink.__name__}"]
    field = info["connection-types"][0]["conn-fields"]["meeting_url_template"]
    assert "{room_id}" in field["description"]


def _connection(emulator: VideoSDKEmulator, *, secret: str, template: str) -> str:
    return json.dumps(
        {
            "conn_type": "videosdk",
            "login": emulator.api_key,
            "password": secret,
            "host": emulator.url,
            "extra": {"meeting_url_template": template},
        }
    )


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
    run_dag: Any, videosdk_emulator: VideoSDKEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_VIDEOSDK_MEETING",
        _connection(videosdk_emulator, secret=videosdk_emulator.secret, template=TEMPLATE),
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_VIDEOSDK_MEETING_BAD_SECRET",
        _connection(videosdk_emulator, secret="not-the-secret", template=TEMPLATE),
    )

    result = run_dag("videosdk_room_link")

    assert result.task_states == {
        "with_template": "success",
        "without_template": "success",
        "failed_create": "failed",
    }
    room_id = result.xcom("with_template")
    assert room_id in [room["roomId"] for room in videosdk_emulator.rooms]
    links = {
        task_id: _links_the_ui_gets(result.dag_id, result.run_id, task_id)
        for task_id in ("with_template", "without_template", "failed_create")
    }
    assert links == {
        "with_template": {LINK: f"https://meet.example.com/join/{room_id}?from=airflow"},
        "without_template": {LINK: None},
        "failed_create": {LINK: None},
    }
