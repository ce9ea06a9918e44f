"""When a wait for a session is over: the rule the session sensor and its trigger share."""

from __future__ import annotations

from typing import Any

import pytest

from videosdk_provider.models.sessions import LatestSessions, find_session

WAITING_SINCE = 1_780_000_000.0  # 2026-05-28T20:26:40Z
BEFORE = "2026-05-28T20:00:00.000Z"
AFTER = "2026-05-28T21:00:00.000Z"


def session(status: str, start: str) -> dict[str, Any]:
    return {"id": f"{status}-{start}", "status": status, "start": start}


ONGOING_BEFORE = session("ongoing", BEFORE)
ONGOING_AFTER = session("ongoing", AFTER)
ENDED_BEFORE = session("ended", BEFORE)
ENDED_AFTER = session("ended", AFTER)
ENDED_UNREADABLE = session("ended", "not a date")


@pytest.mark.parametrize(
    ("target", "ongoing", "ended", "expected"),
    [
        pytest.param("started", None, None, None, id="started-no-session"),
        pytest.param("started", ONGOING_BEFORE, None, ONGOING_BEFORE, id="started-ongoing-since-before"),
        pytest.param("started", None, ENDED_BEFORE, None, id="started-only-earlier-sessions"),
        pytest.param("started", None, ENDED_AFTER, ENDED_AFTER, id="started-and-ended-between-polls"),
        pytest.param("started", None, ENDED_UNREADABLE, None, id="started-unreadable-start"),
        pytest.param("ended", None, None, None, id="ended-no-session"),
        pytest.param("ended", ONGOING_AFTER, None, None, id="ended-still-ongoing"),
        pytest.param("ended", None, ENDED_BEFORE, ENDED_BEFORE, id="ended-before-the-wait-counts"),
        pytest.param("ended", None, ENDED_AFTER, ENDED_AFTER, id="ended-after-the-wait-began"),
    ],
)
def test_find_session_rules(target: str, ongoing: Any, ended: Any, expected: Any) -> None:
    assert find_session(LatestSessions(ongoing, ended), target, WAITING_SINCE) is expected
