"""The asset each event type updates, and reading an event's data from either source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from airflow.sdk import Asset

from videosdk_provider.webhooks import (
    event_asset_name,
    event_asset_uri,
    videosdk_event_asset,
    videosdk_event_data,
)


def test_each_event_type_has_a_documented_asset() -> None:
    asset = videosdk_event_asset("recording-stopped")
    assert isinstance(asset, Asset)
    assert asset.uri == "videosdk://events/recording-stopped" == event_asset_uri("recording-stopped")
    assert asset.name == "videosdk/recording-stopped" == event_asset_name("recording-stopped")
    assert asset.group == "videosdk"


def test_an_unknown_event_type_is_refused_naming_the_closest() -> None:
    with pytest.raises(
        ValueError, match=r"event_type: 'recording-stoped' .*did you mean 'recording-stopped'"
    ):
        videosdk_event_asset("recording-stoped")


@dataclass
class AssetEvent:
    extra: dict[str, Any] | None


def test_data_of_a_webhook_event_is_its_extra() -> None:
    data = {"meetingId": "r", "sessionId": "s", "fileUrl": "u"}
    assert videosdk_event_data(AssetEvent(extra=data)) == data


def test_data_of_a_watcher_event_is_the_trigger_payload() -> None:
    data = {"meetingId": "r", "sessionId": "s", "fileUrl": "u"}
    assert videosdk_event_data(AssetEvent(extra={"from_trigger": True, "payload": data})) == data


def test_an_event_without_extra_has_empty_data() -> None:
    assert videosdk_event_data(AssetEvent(extra=None)) == {}


def test_dag_files_importing_the_helpers_load_no_client_server_or_crypto_library() -> None:
    import subprocess
    import sys

    heavy = (
        "requests",
        "jwt",
        "fastapi",
        "starlette",
        "cryptography",
        "sqlalchemy",
        "videosdk_provider.hooks",
    )
    code = (
        "import sys, airflow.sdk; before = set(sys.modules); "
        "import videosdk_provider.webhooks, videosdk_provider.triggers.events; "
        f"print(sorted(m for m in set(sys.modules) - before if m.startswith({heavy!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
