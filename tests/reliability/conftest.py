"""Fixtures of the reliability suite."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

ConnectionSetter = Callable[..., str]


@pytest.fixture
def set_connection(monkeypatch: pytest.MonkeyPatch) -> ConnectionSetter:
    """Define (or replace) a VideoSDK connection through its environment variable; return its id."""

    def set_(conn_id: str, *, host: str, login: str, password: str, **extra: Any) -> str:
        connection = {"conn_type": "videosdk", "host": host, "login": login, "password": password}
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({**connection, "extra": extra}))
        return conn_id

    return set_
