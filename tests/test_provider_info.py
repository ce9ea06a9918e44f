"""The provider registers with Airflow: entry point, provider-info schema, connection type and form."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from importlib.metadata import entry_points
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

import videosdk_provider
from videosdk_provider.exceptions import InvalidRequestError
from videosdk_provider.get_provider_info import get_provider_info
from videosdk_provider.hooks.videosdk import VideoSDKHook


@pytest.fixture
def connection_type() -> dict[str, Any]:
    [conn_type] = get_provider_info()["connection-types"]
    return conn_type  # type: ignore[no-any-return]


def test_entry_point_returns_the_provider_info() -> None:
    [entry_point] = [
        ep for ep in entry_points(group="apache_airflow_provider") if ep.value.startswith("videosdk")
    ]
    assert entry_point.load()() == get_provider_info()


def test_provider_info_validates_against_airflows_schema() -> None:
    schema = json.loads(files("airflow").joinpath("provider_info.schema.json").read_text())
    jsonschema.validate(get_provider_info(), schema)


def test_package_name_is_the_distribution_name_and_version_is_single_sourced() -> None:
    info = get_provider_info()
    assert info["package-name"] == "airflow-provider-videosdk"
    assert info["versions"] == [videosdk_provider.__version__]


def test_airflow_loads_the_declared_connection_form() -> None:
    from airflow import __version__ as airflow_version
    from airflow.providers_manager import ProvidersManager

    if tuple(int(part) for part in airflow_version.split(".")[:2]) < (3, 2):
        pytest.skip("Airflow reads conn-fields and ui-field-behaviour from provider info from 3.2 on")
    manager = ProvidersManager()
    assert "airflow-provider-videosdk" in manager.providers
    assert manager.field_behaviours["videosdk"]["relabeling"]["password"] == "Secret"
    assert "extra__videosdk__timeout" in manager.connection_form_widgets


def test_connection_type_matches_the_hook(connection_type: dict[str, Any]) -> None:
    assert connection_type["connection-type"] == VideoSDKHook.conn_type == "videosdk"
    assert connection_type["hook-name"] == VideoSDKHook.hook_name
    assert connection_type["hook-class-name"] == f"{VideoSDKHook.__module__}.{VideoSDKHook.__name__}"
    assert VideoSDKHook.default_conn_name == "videosdk_default"
    assert VideoSDKHook.conn_name_attr == "videosdk_conn_id"


def test_form_relabels_login_and_password_and_hides_the_schema(connection_type: dict[str, Any]) -> None:
    behaviour = connection_type["ui-field-behaviour"]
    assert behaviour["relabeling"]["login"] == "API key"
    assert behaviour["relabeling"]["password"] == "Secret"
    assert "schema" in behaviour["hidden-fields"]
    assert behaviour["placeholders"]["host"] == "https://api.videosdk.live"


def test_the_form_shows_the_port_since_the_hook_uses_it(connection_type: dict[str, Any]) -> None:
    behaviour = connection_type["ui-field-behaviour"]
    assert "port" not in behaviour["hidden-fields"]
    assert "non-standard port" in behaviour["placeholders"]["port"]


def test_the_form_fields_are_exactly_the_extras_the_hook_and_the_room_link_read(
    connection_type: dict[str, Any],
) -> None:
    # Each hook argument but the connection id and the pool size falls back to the extra of its name.
    settings = set(inspect.signature(VideoSDKHook).parameters) - {"videosdk_conn_id", "pool_size"}
    assert settings | {"meeting_url_template"} == set(connection_type["conn-fields"])
    for field in connection_type["conn-fields"].values():
        assert field["label"]
        assert "type" in field["schema"]


def test_declared_modules_import() -> None:
    import importlib

    info = get_provider_info()
    for section in ("hooks", "operators", "sensors", "triggers"):
        for item in info.get(section, []):
            for module in item["python-modules"]:
                importlib.import_module(module)


def _numeric_fields(connection_type: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    fields = connection_type["conn-fields"].items()
    return [(name, field["schema"]) for name, field in fields if "minimum" in field["schema"]]


def test_every_numeric_form_field_has_a_minimum(connection_type: dict[str, Any]) -> None:
    assert [name for name, _ in _numeric_fields(connection_type)] == [
        "timeout",
        "token_ttl",
        "max_retries",
        "retry_backoff",
        "retry_backoff_max",
        "retry_deadline",
    ]


def test_the_hook_accepts_each_form_minimum(
    connection_type: dict[str, Any], set_connection: Callable[..., str]
) -> None:
    extra = {name: schema["minimum"] for name, schema in _numeric_fields(connection_type)}
    set_connection(login="k", password="s", extra=extra)
    settings = VideoSDKHook().settings
    assert (settings.timeout[1], settings.token_ttl, settings.max_retries) == (
        extra["timeout"],
        extra["token_ttl"],
        extra["max_retries"],
    )


@pytest.mark.parametrize("name", ["timeout", "token_ttl", "retry_backoff", "retry_deadline"])
def test_the_hook_refuses_a_value_below_the_form_minimum(
    name: str, connection_type: dict[str, Any], set_connection: Callable[..., str]
) -> None:
    minimum = connection_type["conn-fields"][name]["schema"]["minimum"]
    below = minimum - 1 if isinstance(minimum, int) and minimum >= 1 else minimum / 2 - 1
    set_connection(login="k", password="s", extra={name: below})
    with pytest.raises(
        InvalidRequestError, match=rf"connection 'videosdk_default': {name}: expected .* at least"
    ):
        _ = VideoSDKHook().settings
