"""The Airflow plugin: registered by entry point and provider info, mounted lazily in the API server."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from typing import Any

from videosdk_provider.get_provider_info import get_provider_info
from videosdk_provider.plugins.videosdk import URL_PREFIX, LazyReceiverApp, VideoSDKPlugin

PLUGIN_CLASS = "videosdk_provider.plugins.videosdk.VideoSDKPlugin"


def test_the_plugin_is_an_airflow_plugins_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="airflow.plugins") if ep.name == "videosdk"]
    assert entry_point.value == PLUGIN_CLASS.rpartition(".")[0] + ":VideoSDKPlugin"
    assert entry_point.load() is VideoSDKPlugin


def test_the_provider_info_names_the_plugin() -> None:
    assert get_provider_info()["plugins"] == [{"name": "videosdk", "plugin-class": PLUGIN_CLASS}]


def test_the_plugin_mounts_the_receiver_under_videosdk() -> None:
    [app] = VideoSDKPlugin.fastapi_apps
    assert app["url_prefix"] == URL_PREFIX == "/videosdk"
    assert isinstance(app["app"], LazyReceiverApp)


def test_loading_the_plugin_imports_neither_the_receiver_nor_fastapi() -> None:
    code = (
        "import sys; import airflow.plugins_manager; before = set(sys.modules); "
        "import videosdk_provider.plugins.videosdk; "
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.startswith(('fastapi', 'starlette', 'videosdk_provider.webhooks', 'cryptography'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"


def test_airflow_plugins_lists_the_plugin_with_its_app(airflow_db: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "airflow", "plugins", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    [plugin] = [plugin for plugin in json.loads(result.stdout) if plugin["name"] == "videosdk"]
    [app] = plugin["fastapi_apps"]
    assert (app["name"], app["url_prefix"]) == ("VideoSDK webhook receiver", "/videosdk")
