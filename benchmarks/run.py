"""
Benchmark the provider against the bundled emulator: per-call overhead, import, DAG parsing, batches.

Run ``python benchmarks/run.py`` (about 90 s on two cores) or ``--quick`` (about 35 s). It
prints a table, then as its last line one JSON object with ``hook_vs_raw``, ``import_ms``,
``parse_ratio`` and ``batch_speedup``. ``benchmarks/README.md`` explains each figure.

The emulator runs in a subprocess, so that its request handling never competes with the measured
client for the GIL. Import and parse figures come from fresh interpreters with bytecode caching on
(as in a deployed Airflow), in a private pycache directory and a throwaway ``AIRFLOW_HOME``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

WORK_DIR = Path(tempfile.mkdtemp(prefix="videosdk-benchmarks-"))
os.environ["AIRFLOW_HOME"] = str(WORK_DIR / "airflow-home")  # before anything imports Airflow
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"

import requests  # noqa: E402

from videosdk_provider.emulator import DEFAULT_API_KEY, DEFAULT_SECRET  # noqa: E402
from videosdk_provider.hooks.videosdk import VideoSDKHook  # noqa: E402
from videosdk_provider.operators.rooms import DEFAULT_MAX_CONCURRENCY  # noqa: E402

CONN_ID = "videosdk_benchmark"
#: The body every timed create sends: what a daily-class DAG sends.
BODY: dict[str, Any] = {
    "customRoomId": "benchmark-room",
    "webhook": {
        "endPoint": "https://hooks.example.com/videosdk",
        "events": ["session-started", "session-ended", "recording-*"],
    },
    "autoCloseConfig": {"type": "session-end-and-deactivate", "duration": 90},
}
BATCH_LATENCY = 0.05
BATCH_CONCURRENCY = DEFAULT_MAX_CONCURRENCY
PARSE_TASKS = 200
#: Fresh interpreters share this bytecode cache, so only the first one compiles.
PYCACHE = Path(tempfile.gettempdir()) / "videosdk-benchmarks-pycache"


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run, or ``--quick``."""

    latency_posts: int
    capacity_seconds: float
    overhead_calls: int
    import_processes: int
    parse_rounds: int
    batch_rooms: int


FULL = Settings(2000, 3.0, 2000, 9, 21, 1000)
QUICK = Settings(500, 1.5, 600, 5, 9, 200)


@dataclass
class Row:
    """One line of the table: a figure, its value and what it means."""

    figure: str
    value: str
    note: str = ""


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def child_env() -> dict[str, str]:
    """Environment for fresh interpreters: bytecode cached (as when installed), a throwaway home."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run_child(code: str, *, cwd: Path | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; return the JSON object it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=child_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark child failed ({result.returncode}):\n{result.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


# The emulator, in its own process


@contextmanager
def emulator_process() -> Iterator[str]:
    """Start ``python -m videosdk_provider.emulator`` on a free port; yield its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "videosdk_provider.emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"the emulator did not start: {line}{process.communicate(timeout=10)[1]}")
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


def admin(url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call one of the emulator's ``/_emulator/`` endpoints (reset, latency, requests, rooms)."""
    response = requests.request(method, f"{url}/_emulator/{path}", json=body or {}, timeout=60)
    response.raise_for_status()
    return response.json()


def connect(url: str) -> None:
    """Point the benchmark connection at the emulator."""
    connection = {"conn_type": "videosdk", "login": DEFAULT_API_KEY, "password": DEFAULT_SECRET, "host": url}
    os.environ[f"AIRFLOW_CONN_{CONN_ID.upper()}"] = json.dumps(connection)


def raw_post(url: str, token: str) -> Callable[[], float]:
    """Return a function that POSTs the body over one kept-alive ``http.client`` connection, timed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
    payload = json.dumps(BODY).encode()
    headers = {"Authorization": token, "Content-Type": "application/json"}

    def post() -> float:
        start = time.perf_counter()
        connection.request("POST", "/v2/rooms", body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"the emulator answered {response.status}")
        return elapsed

    return post


def measure_emulator(url: str, token: str, settings: Settings) -> list[Row]:
    """Measure the emulator's own latency and capacity, so that it is never the unnoticed bottleneck."""
    admin(url, "POST", "reset")
    post = raw_post(url, token)
    for _ in range(100):
        post()
    latencies = [post() for _ in range(settings.latency_posts)]
    latency_ms = median_ms(latencies)

    admin(url, "POST", "reset")
    deadline = time.perf_counter() + settings.capacity_seconds
    counts: list[int] = []

    def load() -> None:
        send, sent = raw_post(url, token), 0
        while time.perf_counter() < deadline:
            send()
            sent += 1
        counts.append(sent)

    start = time.perf_counter()
    clients = [threading.Thread(target=load) for _ in range(8)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    capacity = sum(counts) / (time.perf_counter() - start)
    verdict = "ok: no delayed-ACK stall" if latency_ms < 1.0 else "TOO SLOW: every ratio below is suspect"
    return [
        Row("emulator median latency, keep-alive POST", f"{latency_ms * 1e3:.0f} µs", verdict),
        Row(
            "emulator capacity, 8 keep-alive clients",
            f"{capacity:,.0f} req/s",
            "a floor: the clients share the CPU with it",
        ),
    ]


# hook_vs_raw


def measure_overhead(url: str, settings: Settings) -> tuple[float, list[Row]]:
    """Median ``VideoSDKHook.create_room`` call against a bare ``requests.Session`` POST."""
    admin(url, "POST", "reset")
    hook = VideoSDKHook(CONN_ID)
    token = hook.get_token()
    raw = requests.Session()
    raw.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
    timeout = hook.settings.timeout
    rooms_url = f"{url}/v2/rooms"

    def hook_call() -> None:
        hook.create_room(**BODY)

    def raw_call() -> None:
        response = raw.post(rooms_url, json=BODY, headers={"Authorization": token}, timeout=timeout)
        response.raise_for_status()
        response.json()

    timings: dict[str, list[float]] = {"hook": [], "raw": []}
    calls = {"hook": hook_call, "raw": raw_call}
    for call in calls.values():
        for _ in range(200):
            call()
    block = 50
    for _ in range(settings.overhead_calls // block):
        for name, call in calls.items():
            samples = timings[name]
            for _ in range(block):
                start = time.perf_counter()
                call()
                samples.append(time.perf_counter() - start)
    hook_ms, raw_ms = median_ms(timings["hook"]), median_ms(timings["raw"])
    tokens = {record["headers"].get("authorization") for record in admin(url, "GET", "requests")}
    ratio = hook_ms / raw_ms
    rows = [
        Row("hook.create_room, median per call", f"{hook_ms * 1e3:.0f} µs"),
        Row("bare requests.Session POST, median", f"{raw_ms * 1e3:.0f} µs", "same body and headers"),
        Row("hook_vs_raw", f"{ratio:.3f}", f"goal ≤ 1.05; {hook_ms * 1e3 - raw_ms * 1e3:+.0f} µs per call"),
        Row(
            "tokens signed for those calls",
            str(len(tokens)),
            f"{len(timings['hook']) + 200} hook calls; signed once per lifetime",
        ),
    ]
    return ratio, rows


# import_ms

IMPORT_CHILD = """
    import json, sys, time
    import airflow.sdk
    before = set(sys.modules)
    start = time.perf_counter()
    import videosdk_provider.operators.rooms
    provider = time.perf_counter() - start
    added = set(sys.modules) - before
    start = time.perf_counter()
    import requests, jwt
    client_libraries = time.perf_counter() - start
    heavy = sorted(added & {"requests", "jwt", "tenacity", "httpx", "videosdk_provider.hooks.videosdk"})
    print(json.dumps({"provider": provider, "client_libraries": client_libraries, "heavy": heavy}))
"""


def measure_import(settings: Settings) -> tuple[float, list[Row]]:
    """Extra milliseconds to import the operators in a fresh interpreter that has ``airflow.sdk``."""
    run_child(IMPORT_CHILD)  # compiles the bytecode cache
    runs = [run_child(IMPORT_CHILD) for _ in range(settings.import_processes)]
    provider_ms = median_ms([run["provider"] for run in runs])
    libraries_ms = median_ms([run["client_libraries"] for run in runs])
    heavy = sorted({name for run in runs for name in run["heavy"]})
    return provider_ms, [
        Row(
            "import_ms (operators.rooms after airflow.sdk)",
            f"{provider_ms:.1f} ms",
            f"goal ≤ 10; median of {len(runs)} processes",
        ),
        Row(
            "  heavy modules it imported", ", ".join(heavy) or "none", "requests, jwt, tenacity, httpx, hook"
        ),
        Row(
            "  for scale: import requests, jwt", f"{libraries_ms:.1f} ms", "what a task pays, not the parser"
        ),
    ]


# parse_ratio

DAG_FILE = '''
from __future__ import annotations

import datetime

from airflow.sdk import DAG, BaseOperator
{import_line}


class SameShapeOperator(BaseOperator):
    """The floor: CreateRoomOperator's six template fields, stored, and nothing else."""

    template_fields = (
        "custom_room_id", "webhook", "auto_close_config", "auto_start_config", "extra_body",
        "videosdk_conn_id",
    )

    def __init__(self, *, custom_room_id=None, webhook=None, auto_close_config=None,
                 auto_start_config=None, extra_body=None, videosdk_conn_id="videosdk_default", **kwargs):
        super().__init__(**kwargs)
        self.custom_room_id = custom_room_id
        self.webhook = webhook
        self.auto_close_config = auto_close_config
        self.auto_start_config = auto_start_config
        self.extra_body = extra_body
        self.videosdk_conn_id = videosdk_conn_id

    def execute(self, context):
        pass


with DAG(
    dag_id="parse_{name}",
    schedule="0 9 * * 1-5",
    start_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    catchup=False,
):
    for number in range({tasks}):
        {operator}
'''
ROOM_ARGUMENTS = (
    'custom_room_id=f"class-{number}-{{{{ dag_run.run_after | ds }}}}", '
    'webhook={"endPoint": "https://hooks.example.com/videosdk", '
    '"events": ["session-started", "session-ended", "recording-*"]}, '
    'auto_close_config={"type": "session-end-and-deactivate", "duration": 90}'
)
PARSED_FILES = {
    "empty": (
        "from airflow.providers.standard.operators.empty import EmptyOperator",
        'EmptyOperator(task_id=f"task_{number}")',
    ),
    "create_room": (
        "from videosdk_provider.operators.rooms import CreateRoomOperator",
        f'CreateRoomOperator(task_id=f"task_{{number}}", {ROOM_ARGUMENTS})',
    ),
    "same_shape": ("", f'SameShapeOperator(task_id=f"task_{{number}}", {ROOM_ARGUMENTS})'),
}
PARSE_CHILD = """
    import json, statistics, sys, time
    from airflow.dag_processing.dagbag import DagBag

    folders, rounds, tasks = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    timings = {name: [] for name in folders}
    for round_number in range(rounds + 1):
        for name, folder in folders.items():
            start = time.perf_counter()
            bag = DagBag(dag_folder=folder)
            elapsed = time.perf_counter() - start
            assert not bag.import_errors, bag.import_errors
            assert len(bag.dags["parse_" + name].tasks) == tasks
            if round_number:  # the first round imports the operator modules
                timings[name].append(elapsed)
    print(json.dumps({name: statistics.median(values) for name, values in timings.items()}))
"""


def measure_parse(settings: Settings) -> tuple[float, float, list[Row]]:
    """
    Time DagBag parsing 200 CreateRoomOperators, 200 EmptyOperators and 200 same-shape operators.

    The do-nothing operators with the same fields are the floor: what any operator of this shape
    costs. In a fresh interpreter; returns ``parse_ratio``, ``parse_floor_ratio`` and the rows.
    """
    folders: dict[str, str] = {}
    for name, (import_line, operator) in PARSED_FILES.items():
        folder = WORK_DIR / "dags" / name
        folder.mkdir(parents=True)
        source = DAG_FILE.format(import_line=import_line, name=name, tasks=PARSE_TASKS, operator=operator)
        (folder / f"parse_{name}.py").write_text(source)
        folders[name] = str(folder)
    code = PARSE_CHILD.replace("sys.argv[1]", repr(json.dumps(folders)))
    code = code.replace("sys.argv[2]", str(settings.parse_rounds)).replace("sys.argv[3]", str(PARSE_TASKS))
    medians = run_child(code)
    empty, rooms, floor = medians["empty"], medians["create_room"], medians["same_shape"]
    ratio = rooms / empty
    floor_ratio = rooms / floor

    def per_task(seconds: float) -> str:
        return f"{seconds / PARSE_TASKS * 1e6:.0f} µs per task"

    rounds = f"median of {settings.parse_rounds} parses"
    return (
        ratio,
        floor_ratio,
        [
            Row(
                f"DagBag, {PARSE_TASKS} EmptyOperators",
                f"{empty * 1e3:.1f} ms",
                f"{per_task(empty)}; {rounds}",
            ),
            Row(
                f"DagBag, {PARSE_TASKS} CreateRoomOperators",
                f"{rooms * 1e3:.1f} ms",
                f"{per_task(rooms)}; templated id, webhook, auto-close",
            ),
            Row("parse_ratio", f"{ratio:.3f}", "against EmptyOperator; informative"),
            Row(
                f"DagBag, {PARSE_TASKS} do-nothing operators, same 6 fields",
                f"{floor * 1e3:.1f} ms",
                f"{per_task(floor)}: any BaseOperator of this shape costs that ({floor / empty:.3f}x empty)",
            ),
            Row("parse_floor_ratio", f"{floor_ratio:.3f}", "goal ≤ 1.05: what our checks add"),
        ],
    )


# batch_speedup


def measure_batch(url: str, settings: Settings) -> tuple[float, list[Row]]:
    """Create rooms one by one, then as one batch, with 50 ms of emulator latency per request."""
    admin(url, "POST", "reset")
    admin(url, "POST", "latency", {"seconds": BATCH_LATENCY})
    count = settings.batch_rooms

    def bodies(prefix: str) -> list[dict[str, Any]]:
        return [{**BODY, "customRoomId": f"{prefix}-{number}"} for number in range(count)]

    one_by_one = VideoSDKHook(CONN_ID)
    start = time.perf_counter()
    for body in bodies("one-by-one"):
        one_by_one.create_room(**body)
    sequential = time.perf_counter() - start

    batch_hook = VideoSDKHook(CONN_ID, pool_size=BATCH_CONCURRENCY)
    start = time.perf_counter()
    rooms = batch_hook.create_rooms(bodies("batch"), max_concurrency=BATCH_CONCURRENCY)
    batch = time.perf_counter() - start
    admin(url, "POST", "latency", {"seconds": 0})
    stored = len(admin(url, "GET", "rooms"))
    if len(rooms) != count or stored != 2 * count:
        raise RuntimeError(f"expected {2 * count} rooms in the emulator, found {stored}")
    speedup = sequential / batch
    scope = f"{count} rooms" + ("" if count == FULL.batch_rooms else " (--quick; full run: 1,000)")
    return speedup, [
        Row(f"one by one, {scope}", f"{sequential:.1f} s", f"{sequential / count * 1e3:.1f} ms per room"),
        Row(
            f"hook.create_rooms, max_concurrency={BATCH_CONCURRENCY}",
            f"{batch:.2f} s",
            f"{count / batch:.0f} rooms/s",
        ),
        Row("batch_speedup", f"{speedup:.1f}", f"goal ≥ 10; ideal {BATCH_CONCURRENCY} at this concurrency"),
    ]


# Report


def machine() -> list[Row]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), cpu)
    import airflow

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        Row("machine", f"{os.cpu_count()} CPUs, {cpu}", f"load average {load}"),
        Row("versions", f"Python {platform.python_version()}, Airflow {airflow.__version__}"),
    ]


def print_table(sections: list[tuple[str, list[Row]]]) -> None:
    rows = [row for _, section in sections for row in section]
    width = max(len(row.figure) for row in rows)
    value_width = max(len(row.value) for row in rows)
    for title, section in sections:
        print(f"\n{title}")
        for row in section:
            print(f"  {row.figure:<{width}}  {row.value:>{value_width}}  {row.note}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples; under two minutes on 2 cores")
    settings = QUICK if parser.parse_args().quick else FULL
    started = time.perf_counter()
    sections: list[tuple[str, list[Row]]] = [("Machine", machine())]
    with emulator_process() as url:
        connect(url)
        sections.append(
            ("Emulator (own process)", measure_emulator(url, VideoSDKHook(CONN_ID).get_token(), settings))
        )
        hook_vs_raw, rows = measure_overhead(url, settings)
        sections.append(("Per-call overhead", rows))
        batch_speedup, rows = measure_batch(url, settings)
        sections.append((f"Batch create, {BATCH_LATENCY * 1e3:.0f} ms emulator latency per request", rows))
    import_ms, rows = measure_import(settings)
    sections.append(("Import (fresh interpreters)", rows))
    parse_ratio, parse_floor_ratio, rows = measure_parse(settings)
    sections.append(("DAG parsing (fresh interpreter, airflow.dag_processing.dagbag.DagBag)", rows))
    print_table(sections)
    print(f"\n({'quick' if settings is QUICK else 'full'} run, {time.perf_counter() - started:.0f} s)")
    figures = {
        "hook_vs_raw": round(hook_vs_raw, 3),
        "import_ms": round(import_ms, 1),
        "parse_ratio": round(parse_ratio, 3),
        "parse_floor_ratio": round(parse_floor_ratio, 3),
        "batch_speedup": round(batch_speedup, 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(WORK_DIR, ignore_errors=True)
