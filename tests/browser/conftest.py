"""
A real Airflow API server (the Airflow 3 UI) and a real headless Chromium, for the browser tests.

The server runs in a subprocess with its own ``AIRFLOW_HOME`` and SQLite database, the simple auth
manager with every user an admin (no login page), and connection testing enabled. The Test button
of Airflow 3.1 to 3.3 runs the hook's ``test_connection`` in the API server itself (the UI calls
``POST /api/v2/connections/test``), so no scheduler or executor is needed; the server reaches the
test session's emulator on 127.0.0.1.

Chromium comes from Debian (``scripts/install-browser.sh``); it cannot be downloaded here. Without
it the tests skip, except under CI (``CI`` set), where a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
SERVER_START_TIMEOUT = 180.0


def _require(what: str, found: bool) -> None:
    """Skip without ``what`` on a developer machine; under CI its absence is a failure."""
    if found:
        return
    message = f"{what} is not installed: run scripts/install-browser.sh"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_binaries() -> tuple[str, str]:
    """Paths of Chromium and its WebDriver, and a check that selenium is importable."""
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    _require("chromium", chromium is not None)
    _require("chromium-driver", driver is not None)
    try:
        import selenium  # noqa: F401
    except ImportError:
        _require("the selenium package", False)
    return str(chromium), str(driver)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class AirflowServer:
    """A running Airflow API server: its base URL and a REST helper for test setup."""

    url: str
    token: str = ""

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return requests.request(method, f"{self.url}/api/v2{path}", headers=headers, timeout=30, **kwargs)


def _server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
    dags = home / "dags"
    dags.mkdir()
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__TEST_CONNECTION": "Enabled",
        }
    )
    return env


@pytest.fixture(scope="session")
def airflow_server(browser_binaries: tuple[str, str]) -> Iterator[AirflowServer]:
    """Migrate a fresh database and serve the UI on a free port until the session ends."""
    home = Path(tempfile.mkdtemp(prefix="videosdk-browser-airflow-home-"))
    env = _server_env(home)
    airflow = [sys.executable, "-m", "airflow"]
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log_path = home / "api-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*airflow, "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AirflowServer(url=f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"airflow api-server exited:\n{log_path.read_text()[-3000:]}")
            try:
                if server.api("GET", "/version").ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"airflow api-server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        # Every user is an admin, but Airflow 3.1's REST API still wants a token: ask for one.
        token = requests.get(f"{server.url}/auth/token", timeout=30)
        token.raise_for_status()
        yield AirflowServer(url=server.url, token=token.json()["access_token"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(browser_binaries: tuple[str, str]) -> Iterator[Any]:
    """One headless Chromium, driven through chromedriver, for the whole session."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = browser_binaries
    profile = tempfile.mkdtemp(prefix="videosdk-chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
