"""
The release artifacts: what the sdist and the wheel contain, and the wheel working once installed.

``uv build`` makes the sdist and then the wheel *from the sdist* (so the sdist is proven complete);
``twine check`` validates both. The wheel is installed, with its declared dependencies, into a
fresh virtual environment. To keep that fast and reproducible, every package version of the test
environment is a constraint: uv then links the packages from its cache instead of resolving and
downloading, and the fresh environment runs the same Airflow as the rest of the suite. Only the
project itself comes from the wheel; nothing of the source tree is on that environment's path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import videosdk_provider
from videosdk_provider.get_provider_info import get_provider_info

REPO = Path(__file__).resolve().parents[2]
DISTRIBUTION = "airflow-provider-videosdk"
VERSION = videosdk_provider.__version__
TIMEOUT = 600


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=TIMEOUT
    )
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def uv() -> str:
    path = shutil.which("uv")
    assert path is not None, "uv is needed to build and install the package"
    return path


@pytest.fixture(scope="module")
def dist(uv: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sdist, and the wheel from it, into a fresh folder."""
    out = tmp_path_factory.mktemp("dist")
    _run(uv, "build", "--quiet", "--out-dir", out, REPO)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    return dist / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}-py3-none-any.whl"


@pytest.fixture(scope="module")
def sdist(dist: Path) -> Path:
    return dist / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.tar.gz"


def test_the_build_makes_one_wheel_and_one_sdist_named_after_the_single_sourced_version(
    dist: Path, wheel: Path, sdist: Path
) -> None:
    assert sorted(path for path in dist.iterdir() if not path.name.startswith(".")) == sorted([wheel, sdist])
    assert get_provider_info()["versions"] == [VERSION]


def test_twine_accepts_both(uv: str, wheel: Path, sdist: Path) -> None:
    output = _run(uv, "tool", "run", "--quiet", "twine", "check", "--strict", wheel, sdist)
    assert output.count("PASSED") == 2


def test_the_wheel_ships_the_typed_package_and_no_tests_or_example_dags(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "videosdk_provider/py.typed" in names
    assert "videosdk_provider/hooks/videosdk.py" in names
    assert "videosdk_provider/links/videosdk.py" in names
    assert not [name for name in names if name.startswith(("tests/", "example_dags/", "docs/"))]


def test_the_wheel_metadata_is_that_of_an_airflow_provider(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        info = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
    assert (metadata["Name"], metadata["Version"], metadata["License-Expression"]) == (
        DISTRIBUTION,
        VERSION,
        "Apache-2.0",
    )
    classifiers = metadata.get_all("Classifier")
    assert {"Framework :: Apache Airflow", "Framework :: Apache Airflow :: Provider"} <= set(classifiers)
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL")} >= {
        "Documentation",
        "Changelog",
        "Bug Tracker",
        "Source Code",
    }
    assert any(req.startswith("apache-airflow>=3.1") for req in metadata.get_all("Requires-Dist"))
    assert "[apache_airflow_provider]" in entry_points
    assert "Apache License" in license_text


def test_the_sdist_ships_tests_example_dags_and_the_changelog(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "CHANGELOG.md",
        "LICENSE",
        "README.md",
        "pyproject.toml",
        "videosdk_provider/py.typed",
        "tests/conftest.py",
        "example_dags/example_videosdk_daily_class.py",
    } <= names


def _constraints(uv: str, folder: Path) -> Path:
    """Pin every package of the test environment except the project itself."""
    frozen = _run(uv, "pip", "freeze", "--python", sys.executable)
    pins = [line for line in frozen.splitlines() if line and not line.startswith(("-e ", DISTRIBUTION))]
    path = folder / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def test_airflow_lists_the_provider_installed_from_the_wheel(uv: str, wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    _run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    _run(uv, "pip", "install", "--quiet", "--python", python, "-c", _constraints(uv, tmp_path), wheel)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYTHONPATH"))}
    env["AIRFLOW_HOME"] = str(tmp_path / "airflow-home")

    location = _run(
        python, "-c", "import videosdk_provider; print(videosdk_provider.__file__)", cwd=tmp_path, env=env
    )
    listing = _run(python, "-m", "airflow", "providers", "list", "--output", "json", cwd=tmp_path, env=env)

    assert Path(location.strip()).is_relative_to(venv)
    providers = {entry["package_name"]: entry for entry in json.loads(listing)}
    assert providers[DISTRIBUTION]["version"] == VERSION
    # Airflow's listing shows the description without its closing period.
    assert providers[DISTRIBUTION]["description"] == get_provider_info()["description"].rstrip(".")
