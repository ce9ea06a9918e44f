"""The class lifecycle example runs end to end against the emulator, with a simulated class."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from videosdk_provider.emulator import VideoSDKEmulator

DAG_ID = "example_videosdk_class_lifecycle"
RUN_AFTER = datetime.datetime(2026, 11, 25, 14, 0, tzinfo=datetime.timezone.utc)
CUSTOM_ROOM_ID = "design-review-2026-11-25"
HOST = "turing"
ATTENDEES = ["ada", "grace"]
CLASS_SECONDS = 1.0


def invitation_claims(outbox: Path, person: str, secret: str) -> tuple[dict[str, list[str]], dict[str, Any]]:
    [path] = outbox.glob(f"*/{person}.txt")
    link = path.read_text().split(": ", 1)[1].strip()
    query = parse_qs(urlsplit(link).query)
    return query, jwt.decode(query["token"][0], secret, algorithms=["HS256"])


def test_class_lifecycle_runs_from_room_to_report_to_retired_room(
    run_dag: Callable[..., Any],
    videosdk_emulator: VideoSDKEmulator,
    watch: Callable[..., Any],
    dag_bag: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dag_bag[DAG_ID].get_task("wait_for_class_to_end"), "poke_interval", 0.1)
    simulated_class = watch(
        # The class starts once the sensor has looked and found none, so the wait always defers.
        lambda: any(request.path == "/v2/sessions" for request in videosdk_emulator.requests),
        lambda: videosdk_emulator.schedule_session(
            CUSTOM_ROOM_ID, start_in=0.2, duration=CLASS_SECONDS, participants=[HOST, *ATTENDEES]
        ),
    )

    result = run_dag(
        DAG_ID,
        run_after=RUN_AFTER,
        logical_date=RUN_AFTER,
        run_conf={"invite_outbox": str(tmp_path), "host": HOST, "attendees": ATTENDEES},
    )

    assert simulated_class.fired.is_set()
    assert result.state == "success", result.task_states
    [room] = videosdk_emulator.rooms
    room_id = room["roomId"]
    assert room["customRoomId"] == CUSTOM_ROOM_ID
    assert result.xcom("create_room") == room_id

    # Join links: one per person, each token for this room and this person only.
    assert result.xcom("send_join_links") == [HOST, *ATTENDEES]
    tokens = []
    for person in [HOST, *ATTENDEES]:
        query, claims = invitation_claims(tmp_path, person, videosdk_emulator.secret)
        tokens.append(query["token"][0])
        assert query["roomId"] == [room_id]
        assert (claims["roomId"], claims["participantId"], claims["roles"]) == (room_id, person, ["rtc"])
        assert claims["exp"] - claims["iat"] == 4 * 3600
        expected = ["allow_join", "allow_mod"] if person == HOST else ["allow_join"]
        assert claims["permissions"] == expected

    # The wait was deferred (the trigger polls with httpx), then resumed with the ended session;
    # the report has its duration and attendance.
    polls = videosdk_emulator.requests_to("GET", "/v2/sessions")
    assert any(r.headers.get("user-agent", "").startswith("python-httpx") for r in polls)
    session = result.xcom("wait_for_class_to_end")
    assert (session["roomId"], session["status"]) == (room_id, "ended")
    summary = result.xcom("summarise_class")
    assert summary["sessionId"] == session["id"]
    assert CLASS_SECONDS * 0.5 < summary["durationSeconds"] < CLASS_SECONDS + 5
    assert [p["participantId"] for p in summary["participants"]] == [HOST, *ATTENDEES]
    assert all(0 < p["secondsPresent"] <= summary["durationSeconds"] for p in summary["participants"])

    # The room is retired, and no join token went to XCom.
    assert videosdk_emulator.rooms[0]["disabled"] is True
    assert len(videosdk_emulator.requests_to("POST", "/v2/rooms/deactivate")) == 1
    pushed = " ".join(str(result.xcom(task_id)) for task_id in result.task_states)
    assert not [token for token in tokens if token in pushed]
