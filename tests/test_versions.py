"""The supported Airflow versions: the check that refuses an older Airflow with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import videosdk_provider
from videosdk_provider import airflow_version_problem


@pytest.mark.parametrize(
    "version", ["3.1.0", "3.1.8", "3.1.0rc1", "3.2.0", "3.3.2", "3.4.0b2", "3.10.0", "4.0.0"]
)
def test_supported_versions_pass(version: str) -> None:
    assert airflow_version_problem(version) is None


@pytest.mark.parametrize("version", ["2.10.5", "2.11.0", "3.0.0", "3.0.6", "1.10.15"])
def test_older_versions_get_a_message_naming_both_versions_and_the_fix(version: str) -> None:
    message = airflow_version_problem(version)
    assert message == (
        f"airflow-provider-videosdk {videosdk_provider.__version__} needs Apache Airflow 3.1 or newer, "
        f"but Airflow {version} is installed. Upgrade Airflow (pip install 'apache-airflow>=3.1') "
        "or uninstall airflow-provider-videosdk."
    )


@pytest.mark.parametrize("version", [None, "", "unknown", "main"])
def test_an_unreadable_version_is_not_refused(version: str | None) -> None:
    assert airflow_version_problem(version) is None


def test_the_installed_airflow_is_read_without_importing_airflow() -> None:
    code = (
        "import sys, videosdk_provider as p; print(p._installed_airflow_version(), 'airflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import airflow

    assert out.split() == [airflow.__version__, "False"]


def test_importing_next_to_an_old_airflow_fails_with_the_message(tmp_path: Path) -> None:
    fake = tmp_path / "airflow"
    fake.mkdir()
    (fake / "__init__.py").write_text('__version__ = "2.10.5"\n')
    code = "import airflow, videosdk_provider"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == ("ImportError: " + str(airflow_version_problem("2.10.5")))
