"""
Shared fixtures: the bundled VideoSDK emulator, a throwaway Airflow home, and real DAG runs.

Airflow reads its configuration when first imported, so the environment is set here, before any
test module imports it: a temporary ``AIRFLOW_HOME`` with a SQLite database, and two DAG bundles
(``example_dags/`` and ``tests/dags/``) so that ``dag.test()`` can serialise the DAGs it runs.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # importing the provider here would read Airflow's settings before they are set below
    from videosdk_provider.emulator import VideoSDKEmulator
    from videosdk_provider.hooks.videosdk import VideoSDKHook

pytest_plugins = ["videosdk_provider.emulator.pytest_plugin"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DAGS = REPO / "example_dags"
TEST_DAGS = REPO / "tests" / "dags"
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="videosdk-tests-airflow-home-"))
_BUNDLE = "airflow.dag_processing.bundles.local.LocalDagBundle"

os.environ.update(
    {
        "AIRFLOW_HOME": str(_AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(EXAMPLE_DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST": json.dumps(
            [
                {"name": "videosdk_examples", "classpath": _BUNDLE, "kwargs": {"path": str(EXAMPLE_DAGS)}},
                {"name": "videosdk_test_dags", "classpath": _BUNDLE, "kwargs": {"path": str(TEST_DAGS)}},
            ]
        ),
    }
)
os.environ.pop("AIRFLOW_CONN_VIDEOSDK_DEFAULT", None)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Create the Airflow metadata database once per test session."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, timeout=300
    )
    return _AIRFLOW_HOME


@dataclass
class DagRunResult:
    """What a test needs from a finished DAG run: states and XCom values."""

    dag_id: str
    run_id: str
    state: str
    task_states: dict[str, str]

    def xcom(self, task_id: str, key: str = "return_value", map_index: int = -1) -> Any:
        from airflow.models.xcom import XComModel
        from airflow.utils.session import create_session

        with create_session() as session:
            row = (
                session.query(XComModel)
                .filter_by(
                    dag_id=self.dag_id, run_id=self.run_id, task_id=task_id, key=key, map_index=map_index
                )
                .one_or_none()
            )
            return None if row is None else XComModel.deserialize_value(row)

    def rendered_fields(self, task_id: str, map_index: int = -1) -> dict[str, Any]:
        from airflow.models.renderedtifields import RenderedTaskInstanceFields
        from airflow.utils.session import create_session

        with create_session() as session:
            row = (
                session.query(RenderedTaskInstanceFields)
                .filter_by(dag_id=self.dag_id, run_id=self.run_id, task_id=task_id, map_index=map_index)
                .one()
            )
            return dict(row.rendered_fields)


@pytest.fixture(scope="session")
def _one_execution_api_per_session() -> Iterator[None]:
    """
    Build ``dag.test()``'s in-process Execution API once, as Airflow 3.2 and later do.

    Airflow 3.1 builds a new one (every versioned route) for each task it runs, which is most of
    what a DAG test costs there; caching it changes no behaviour, only the time.
    """
    from airflow.sdk.execution_time import supervisor

    with pytest.MonkeyPatch.context() as patch:
        if not hasattr(supervisor.in_process_api_server, "cache_info"):
            patch.setattr(
                supervisor,
                "in_process_api_server",
                functools.lru_cache(maxsize=1)(supervisor.in_process_api_server),
            )
        yield


@pytest.fixture(scope="session")
def dag_bag(airflow_db: Path, _one_execution_api_per_session: None) -> Any:
    """Every DAG of ``example_dags/`` and ``tests/dags/``, parsed once; import errors fail here."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow 3.1
        from airflow.models.dagbag import DagBag  # type: ignore[no-redef]

    bags = [DagBag(dag_folder=str(folder)) for folder in (EXAMPLE_DAGS, TEST_DAGS)]
    errors = {path: error for bag in bags for path, error in bag.import_errors.items()}
    assert errors == {}
    return {dag_id: dag for bag in bags for dag_id, dag in bag.dags.items()}


@pytest.fixture
def run_dag(dag_bag: Any, videosdk_connection: str) -> Callable[..., DagRunResult]:
    """Run a DAG end to end with ``dag.test()`` against the emulator; return its result."""

    def run(dag_id: str, **test_kwargs: Any) -> DagRunResult:
        dag_run = dag_bag[dag_id].test(**test_kwargs)
        return DagRunResult(
            dag_id=dag_id,
            run_id=dag_run.run_id,
            state=str(dag_run.state),
            task_states={
                ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]": str(ti.state)
                for ti in dag_run.get_task_instances()
            },
        )

    return run


@pytest.fixture
def hook_factory(videosdk_connection: str) -> Iterator[Callable[..., Any]]:
    """Build hooks on the emulator's connection, with fast retries unless told otherwise."""
    from videosdk_provider.hooks.videosdk import VideoSDKHook

    hooks: list[VideoSDKHook] = []

    def make(**kwargs: Any) -> VideoSDKHook:
        kwargs.setdefault("retry_backoff", 0.01)
        kwargs.setdefault("retry_backoff_max", 0.05)
        hook = VideoSDKHook(videosdk_connection, **kwargs)
        hooks.append(hook)
        return hook

    yield make
    for hook in hooks:
        hook.session.close()


@pytest.fixture
def set_connection(monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """
    Define (or replace) a ``videosdk`` connection through its environment variable; return its id.

    Keyword arguments are the connection's fields (``host``, ``login``, ``password``, ``port``,
    ``extra`` as a dict); the connection id defaults to the hook's, ``videosdk_default``.
    """

    def set_(conn_id: str = "videosdk_default", **fields: Any) -> str:
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({"conn_type": "videosdk", **fields}))
        return conn_id

    return set_


@pytest.fixture
def no_retries_connection(set_connection: Callable[..., str], videosdk_emulator: VideoSDKEmulator) -> str:
    """Define ``videosdk_no_retries``, the emulator's connection with retries off; return its id."""
    return set_connection(
        "videosdk_no_retries",
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        host=videosdk_emulator.url,
        extra={"max_retries": 0},
    )


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """Return a loopback URL on a port that is bound but not listening: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class WebhookSink:
    """A loopback webhook endpoint: keeps each POST's body and signature; answers ``statuses``, then 200."""

    url: str
    received: list[tuple[bytes, str]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def event_types(self) -> list[str]:
        """Return the ``webhookType`` of each body received, in arrival order."""
        return [json.loads(body)["webhookType"] for body, _ in self.received]


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    """Serve a :class:`WebhookSink` on 127.0.0.1 for one test."""
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                sink.received.append((body, self.headers.get("videosdk-signature", "")))
                status = sink.statuses.pop(0) if sink.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink = WebhookSink(f"http://127.0.0.1:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield sink
    server.shutdown()
    server.server_close()
    thread.join(5)


# Hooks, rooms, and emulator actions while a DAG run waits

WATCH_TIMEOUT = 60.0


class Watcher(threading.Thread):
    """Run ``action`` once ``condition`` holds (checked every 20 ms); ``fired`` tells whether it did."""

    def __init__(self, condition: Callable[[], bool], action: Callable[[], Any]) -> None:
        super().__init__(name="lifecycle-test-watcher", daemon=True)
        self.condition = condition
        self.action = action
        self.fired = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + WATCH_TIMEOUT
        while not self.stopped.is_set() and time.monotonic() < deadline:
            if self.condition():
                self.action()
                self.fired.set()
                return
            time.sleep(0.02)


Watch = Callable[[Callable[[], bool], Callable[[], Any]], Watcher]


@pytest.fixture
def watch() -> Iterator[Watch]:
    """Start :class:`Watcher` threads; they are all stopped when the test ends."""
    watchers: list[Watcher] = []

    def start(condition: Callable[[], bool], action: Callable[[], Any]) -> Watcher:
        watcher = Watcher(condition, action)
        watchers.append(watcher)
        watcher.start()
        return watcher

    yield start
    for watcher in watchers:
        watcher.stopped.set()
        watcher.join(5)


@pytest.fixture
def on_first_poll(
    videosdk_emulator: VideoSDKEmulator, watch: Watch
) -> Callable[[str, Callable[[], Any]], Watcher]:
    """
    Run an action as soon as anyone first asks the emulator for a room's sessions.

    Scheduling a session from there makes it start after a sensor began waiting, however long the
    DAG run took to get there.
    """

    def start(room_id: str, action: Callable[[], Any]) -> Watcher:
        def polled() -> bool:
            return any(
                request.path == "/v2/sessions" and request.query.get("roomId") == room_id
                for request in videosdk_emulator.requests
            )

        return watch(polled, action)

    return start


@pytest.fixture
def hook(hook_factory: Callable[..., VideoSDKHook]) -> VideoSDKHook:
    return hook_factory()


@pytest.fixture
def room(hook: VideoSDKHook) -> dict[str, Any]:
    """Create a fresh room with a customRoomId through the API."""
    return dict(hook.create_room(customRoomId="lifecycle-room"))


@pytest.fixture
def joined_room(hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator) -> dict[str, Any]:
    """Create a room where Ada is in an ongoing session; ``session`` holds that session."""
    room = dict(hook.create_room())
    room["session"] = videosdk_emulator.join(room["roomId"], "ada", "Ada")
    return room


@pytest.fixture
def wait_until() -> Callable[[Callable[[], bool]], bool]:
    """Return a function that polls a predicate every 20 ms until it holds (True) or 5 s pass (False)."""

    def wait(predicate: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + 5.0
        while not predicate():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    return wait


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """
    Return the documentation site, built as HTML with every Sphinx warning an error.

    ``scripts/test.sh`` builds it once with ``scripts/docs.sh`` and names it in
    ``VIDEOSDK_DOCS_SITE``; otherwise it is built here, which needs the ``docs`` dependency group.
    """
    prebuilt = os.environ.get("VIDEOSDK_DOCS_SITE")
    if prebuilt:
        site = Path(prebuilt)
        assert (site / "objects.inv").is_file(), f"VIDEOSDK_DOCS_SITE={prebuilt} holds no built site"
        return site
    if importlib.util.find_spec("sphinx") is None:
        message = "Sphinx is not installed: build the venv with the docs group, or run scripts/docs.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    site = tmp_path_factory.mktemp("docs-site")
    completed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", REPO / "docs", site],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    return site
