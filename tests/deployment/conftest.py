"""
A real Airflow deployment for the deployment tests, brought up and down by ``scripts/deployment.sh``.

PostgreSQL, the API server, scheduler, DAG processor and triggerer (and, for the Celery executor,
Redis and two Celery workers) run as separate processes from this test session's own venv; the
bundled emulator serves the VideoSDK API. Tests drive Airflow only through its REST API, read the
metadata database over SQL, and script VideoSDK sessions through the emulator's admin endpoints.

One deployment runs at a time (the machine has two cores): asking for the other executor stops
the current one first. Each executor's logs stay in ``.deployment/pytest-<executor>/logs``. With
``DEPLOYMENT_RUNNING`` set to the state directory of a deployment already up, the tests use that
one (those on its executor only) and leave it running.

:class:`SessionDriver` plays the other side of a deferred session wait: for each session sensor
in the ``deferred`` state it checks the metadata database for the proof that the wait really
deferred (a row of the session trigger, claimed by a running triggerer: no worker slot is held),
then starts and ends the room's session in the emulator so the wait can resume.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "deployment.sh"
EXECUTORS = ("local", "celery")
FINISHED = {"success", "failed"}
UP_TIMEOUT = 900
# The test DAGs (tests/dags/deployment_cases.py) that "up" waits for, with the example DAGs.
TEST_DAGS = " ".join(
    f"deployment_{name}" for name in ("session_wait", "session_waits", "room_batch", "same_rooms_twice")
)


def _read_settings(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def _script(state: Path, *args: str, timeout: float = UP_TIMEOUT) -> None:
    """Run ``scripts/deployment.sh`` on this session's venv; fail the test with its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
    env.update(
        {"DEPLOYMENT_DIR": str(state), "DEPLOYMENT_PYTHON": sys.executable, "DEPLOYMENT_DAGS": TEST_DAGS}
    )
    env.pop("AIRFLOW_HOME", None)
    done = subprocess.run(
        ["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"scripts/deployment.sh {' '.join(args)} failed:\n{done.stderr[-4000:]}")


@dataclass
class Deployment:
    """A running deployment: REST, SQL and emulator-admin helpers, and its processes to kill."""

    executor: str
    state: Path
    settings: dict[str, str]
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.settings['API_PORT']}"

    @property
    def emulator_url(self) -> str:
        return (self.state / "run" / "emulator.url").read_text().strip()

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    def login(self) -> None:
        """Get a token from the simple auth manager (every user is an admin on this loopback bed)."""
        answer = self.http.get(f"{self.api_url}/auth/token", timeout=30)
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.http.request(method, f"{self.api_url}/api/v2{path}", timeout=60, **kwargs)
        if not answer.ok:
            raise AssertionError(f"{method} {path}: {answer.status_code} {answer.text[:500]}")
        return answer.json()

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        """Trigger a DAG run through the REST API; return its run id."""
        run = self.api("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
        return str(run["dag_run_id"])

    def run(self, dag_id: str, run_id: str) -> dict[str, Any]:
        return dict(self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}"))

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return list(self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")["task_instances"])

    def xcom(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> Any:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value"
        return self.api("GET", path, params={"map_index": map_index, "deserialize": True})["value"]

    def wait_for_runs(
        self,
        runs: Iterable[tuple[str, str]],
        timeout: float,
        while_waiting: Callable[[], Any] | None = None,
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Poll the runs until every one has finished (or the timeout); return each run's last state."""
        pending = set(runs)
        finished: dict[tuple[str, str], dict[str, Any]] = {}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            if while_waiting is not None:
                while_waiting()
            for dag_id, run_id in sorted(pending):
                run = self.run(dag_id, run_id)
                if run["state"] in FINISHED:
                    finished[(dag_id, run_id)] = run
                    pending.discard((dag_id, run_id))
            time.sleep(1)
        for key in pending:
            finished[key] = self.run(*key)
        return finished

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Run one query on the metadata database (PostgreSQL)."""
        import psycopg2

        port = self.settings["PG_PORT"]
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="airflow", password="airflow")
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(query, args)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            conn.close()

    def emulator(self, method: str, path: str, **body: Any) -> Any:
        """Call the emulator's admin API (``/_emulator/...``)."""
        answer = requests.request(method, f"{self.emulator_url}/_emulator/{path}", json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def rooms(self) -> list[dict[str, Any]]:
        return list(self.emulator("GET", "rooms"))

    def pid(self, component: str) -> int:
        return int((self.state / "run" / f"{component}.pid").read_text())

    def kill(self, component: str) -> None:
        """SIGKILL a component and every process below it, as a crash or the OOM killer would."""
        import psutil

        leader = psutil.Process(self.pid(component))
        processes = [leader, *leader.children(recursive=True)]
        for process in processes:
            process.kill()
        psutil.wait_procs(processes, timeout=30)

    def crash_task_worker(self, ti: dict[str, Any]) -> None:
        """
        SIGKILL the worker running a task instance, in the middle of its work.

        On Celery that is the whole ``airflow celery worker`` the task runs in, with every process
        below it; on the LocalExecutor, the task process and the executor's worker processes above
        it (the scheduler lives on).
        """
        import psutil

        task = psutil.Process(int(ti["pid"]))
        owners = {self.pid(name): name for name in self.components()}
        above = task.parents()
        owner = next(owners[process.pid] for process in above if process.pid in owners)
        if owner.startswith("worker-"):
            self.kill(owner)
            return
        assert owner == "scheduler", f"task process {task.pid} runs under the {owner}"
        crashed = [task]
        for process in above:
            if process.pid in owners:
                break
            crashed.append(process)
        for process in crashed:
            process.kill()
        psutil.wait_procs(crashed, timeout=30)

    def components(self) -> list[str]:
        return sorted(path.stem for path in (self.state / "run").glob("*.pid"))

    def restore(self) -> None:
        """Start again every Celery worker a test killed."""
        for worker in ("worker-1", "worker-2") if self.executor == "celery" else ():
            try:
                os.kill(self.pid(worker), 0)
            except (ProcessLookupError, FileNotFoundError):
                self.start(worker)

    def start(self, component: str) -> None:
        """Start a stopped or killed component again and wait for its health."""
        _script(self.state, "start", component)

    def stop(self, component: str) -> None:
        _script(self.state, "stop", component)

    def log_tail(self, component: str, lines: int = 40) -> str:
        text = (self.logs / f"{component}.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


# How long a wait stays deferred before its session ends. A session ending seconds after the
# deferral can beat the scheduler to the executor's "deferred" exit event; Airflow 3.3.2 then fails
# the resumed task as "state changed externally" (apache/airflow#67287, #72716). Real classes last
# far longer than this, so the tests hold each wait past that window.
MIN_HOLD = 30.0
TRIGGER_CLASS = "videosdk_provider.triggers.sessions.VideoSDKSessionTrigger"
HELD_TRIGGER = """
    SELECT t.classpath, t.triggerer_id
    FROM task_instance ti JOIN trigger t ON t.id = ti.trigger_id
    WHERE ti.dag_id = %s AND ti.run_id = %s AND ti.task_id = %s AND ti.map_index = %s
      AND ti.state = 'deferred'
"""


@dataclass
class SessionDriver:
    """Start and end the session of every room whose sensor waits deferred in a real triggerer."""

    deployment: Deployment
    room_task: str
    wait_task: str
    end_sessions: bool = True
    held: dict[tuple[str, str, int], str] = field(default_factory=dict)
    held_since: dict[tuple[str, str, int], float] = field(default_factory=dict)
    ended: set[tuple[str, str, int]] = field(default_factory=set)

    def deferred(self) -> list[dict[str, Any]]:
        """Every deferred instance of the wait task, over all DAG runs."""
        answer = self.deployment.api(
            "GET", "/dags/~/dagRuns/~/taskInstances", params={"state": "deferred", "limit": 1000}
        )
        return [ti for ti in answer["task_instances"] if ti["task_id"] == self.wait_task]

    def room_of(self, ti: dict[str, Any]) -> str:
        created = self.deployment.xcom(ti["dag_id"], ti["dag_run_id"], self.room_task)
        return str(created[ti["map_index"]] if ti["map_index"] >= 0 else created)

    def __call__(self) -> None:
        """Check each newly deferred wait's trigger; end its room's session once a triggerer holds it."""
        for ti in self.deferred():
            key = (ti["dag_id"], ti["dag_run_id"], ti["map_index"])
            rows = self.deployment.sql(HELD_TRIGGER, *key[:2], self.wait_task, key[2])
            if key in self.held or not rows or rows[0][1] is None:
                continue
            assert rows[0][0] == TRIGGER_CLASS
            self.held[key] = self.room_of(ti)
            self.held_since[key] = time.monotonic()
        if self.end_sessions:
            self.end_held(wait=False)

    def end_held(self, wait: bool = True) -> None:
        """Start and end the session of every held wait, once held ``MIN_HOLD`` seconds (or wait)."""
        for key in sorted(self.held, key=self.held_since.__getitem__):
            if key in self.ended:
                continue
            hold = self.held_since[key] + MIN_HOLD - time.monotonic()
            if hold > 0 and not wait:
                continue
            time.sleep(max(hold, 0))
            self.deployment.emulator("POST", "sessions/start", roomId=self.held[key])
            self.deployment.emulator("POST", "sessions/end", roomId=self.held[key])
            self.ended.add(key)


class Deployments:
    """At most one live deployment; asking for another executor stops the current one first."""

    def __init__(self) -> None:
        self.current: Deployment | None = None
        self.running: Deployment | None = None

    def get(self, executor: str) -> Deployment:
        if self.current is not None and self.current.executor == executor:
            return self.current
        self.close()
        running = os.environ.get("DEPLOYMENT_RUNNING")
        if running:
            settings = _read_settings(Path(running) / "settings.sh")
            if settings["EXECUTOR"] != executor:
                pytest.skip(f"the running deployment in {running} is on the {settings['EXECUTOR']} executor")
            self.current = self.running = Deployment(executor, Path(running), settings)
            self.current.login()
            return self.current
        state = REPO / ".deployment" / f"pytest-{executor}"
        _script(state, "down")
        shutil.rmtree(state, ignore_errors=True)
        _script(state, "up", executor)
        self.current = Deployment(executor, state, _read_settings(state / "settings.sh"))
        self.current.login()
        return self.current

    def close(self) -> None:
        if self.current is not None and self.current is not self.running:
            _script(self.current.state, "down")
            self.current = None


@pytest.fixture(scope="session")
def deployments() -> Iterator[Deployments]:
    """Hand out deployments; stop whichever is up when the session ends."""
    pool = Deployments()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session", params=EXECUTORS)
def deployment(request: pytest.FixtureRequest, deployments: Deployments) -> Deployment:
    """Bring up the deployment on each executor in turn (LocalExecutor, then CeleryExecutor)."""
    return deployments.get(str(request.param))


@pytest.fixture
def session_driver(deployment: Deployment) -> Callable[..., SessionDriver]:
    """Build a :class:`SessionDriver` on the deployment for a room task and a wait task."""

    def make(room_task: str, wait_task: str, end_sessions: bool = True) -> SessionDriver:
        return SessionDriver(deployment, room_task, wait_task, end_sessions)

    return make


@pytest.fixture(scope="session")
def local_deployment(deployments: Deployments) -> Deployment:
    """Bring up the deployment on the LocalExecutor."""
    return deployments.get("local")
