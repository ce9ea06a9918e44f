"""
What DAG parsing pays to import the operators and sensors: no HTTP, JWT or retry library.

A DAG file imports these modules on every parse, so they load the hook (and ``requests``,
``jwt``, ``tenacity``, ``httpx``) only when a task runs. ``benchmarks/run.py`` measures the cost;
this test checks the rule, in a fresh interpreter that has imported only ``airflow.sdk`` (which
loads ``httpx`` and ``tenacity`` itself, so ``requests``, ``jwt`` and the hook are what it catches).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "videosdk_provider"
PARSE_TIME_MODULES = sorted(
    f"videosdk_provider.{path.parent.name}.{path.stem}"
    for folder in ("operators", "sensors")
    for path in (PACKAGE / folder).glob("[!_]*.py")
)
LAZY_DEPENDENCIES = ("requests", "jwt", "tenacity", "httpx", "videosdk_provider.hooks")
#: Imports each module in turn and prints, for each, the modules its import added.
PROBE = """
import json, sys
import airflow.sdk
added = {}
for module in sys.argv[1:]:
    before = set(sys.modules)
    __import__(module)
    added[module] = sorted(set(sys.modules) - before)
print(json.dumps(added))
"""


@pytest.fixture(scope="module")
def modules_added_by_import() -> dict[str, list[str]]:
    """Import every parse-time module in one fresh interpreter; return what each import added."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *PARSE_TIME_MODULES],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    added: dict[str, list[str]] = json.loads(probe.stdout.splitlines()[-1])
    return added


def test_the_probe_imports_every_operator_and_sensor_module(
    modules_added_by_import: dict[str, list[str]],
) -> None:
    loaded = {name for added in modules_added_by_import.values() for name in added}
    assert {
        "videosdk_provider.operators.rooms",
        "videosdk_provider.operators.sessions",
        "videosdk_provider.sensors.sessions",
    } <= set(PARSE_TIME_MODULES)
    assert set(PARSE_TIME_MODULES) <= loaded


@pytest.mark.parametrize("module", PARSE_TIME_MODULES)
def test_importing_an_operator_or_sensor_module_loads_no_http_jwt_or_retry_library(
    module: str, modules_added_by_import: dict[str, list[str]]
) -> None:
    added = modules_added_by_import[module]
    assert [name for name in added if name.startswith(LAZY_DEPENDENCIES)] == []
