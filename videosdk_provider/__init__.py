"""Apache Airflow provider for the VideoSDK (videosdk.live) REST API."""

from __future__ import annotations

import re
import sys

__version__ = "0.1.0"

#: Oldest Airflow minor the provider supports (it uses the Airflow 3 Task SDK, ``airflow.sdk``).
MIN_AIRFLOW_VERSION = (3, 1)


def airflow_version_problem(airflow_version: str | None) -> str | None:
    """Say why an installed Airflow version cannot run this provider; ``None`` when it can or is unknown."""
    match = re.match(r"(\d+)\.(\d+)", airflow_version or "")
    if match is None or (int(match[1]), int(match[2])) >= MIN_AIRFLOW_VERSION:
        return None
    minimum = ".".join(map(str, MIN_AIRFLOW_VERSION))
    return (
        f"airflow-provider-videosdk {__version__} needs Apache Airflow {minimum} or newer, but Airflow "
        f"{airflow_version} is installed. Upgrade Airflow (pip install 'apache-airflow>={minimum}') "
        "or uninstall airflow-provider-videosdk."
    )


def _installed_airflow_version() -> str | None:
    """Airflow's version, read from the imported module when there is one (free), else from metadata."""
    airflow = sys.modules.get("airflow")
    if airflow is not None:
        return getattr(airflow, "__version__", None)
    from importlib.metadata import PackageNotFoundError, version

    for distribution in ("apache-airflow-core", "apache-airflow"):
        try:
            return version(distribution)
        except PackageNotFoundError:
            continue
    return None


def _require_supported_airflow() -> None:
    """Fail the import with a clear message next to an older Airflow, instead of a missing-module error."""
    problem = airflow_version_problem(_installed_airflow_version())
    if problem is not None:
        raise ImportError(problem)


_require_supported_airflow()
