"""
Figures of the provider on a real deployment (``scripts/deployment.sh``), printed, never asserted.

For each executor asked for: runs per minute and the time from trigger to success of the five
example DAGs triggered at once through the REST API (``--runs`` of them, round-robin), and of a
one-task example DAG alone. With ``--waits N`` (on the first executor): the time for one triggerer
to hold N deferred session waits, its memory (RSS of the triggerer's processes) before and while
holding them, and the time for all of them to resume once the sessions end.

    python scripts/deployment_figures.py --executors local celery --runs 20 --waits 200
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.deployment.conftest import Deployment, Deployments, SessionDriver  # noqa: E402

EXAMPLE_DAGS = (
    "example_videosdk_auto_start",
    "example_videosdk_batch_rooms",
    "example_videosdk_class_lifecycle",
    "example_videosdk_daily_class",
    "example_videosdk_mapped_sessions",
)
TIMEOUT = 3600


def when(stamp: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def throughput(deployment: Deployment, label: str, dag_ids: list[str]) -> None:
    """Trigger one run per entry of ``dag_ids`` at once; print runs/minute and trigger-to-success."""
    driver = SessionDriver(deployment, "create_room", "wait_for_class_to_end")
    runs = [
        (dag_id, deployment.trigger(dag_id, {"class_name": f"c-{n}"} if "class" in dag_id else {}))
        for n, dag_id in enumerate(dag_ids)
    ]
    finished = deployment.wait_for_runs(runs, TIMEOUT, while_waiting=driver)
    failed = [key for key, run in finished.items() if run["state"] != "success"]
    first = min(when(run["queued_at"]) for run in finished.values())
    last = max(when(run["end_date"]) for run in finished.values() if run["end_date"])
    latencies = sorted(
        (when(r["end_date"]) - when(r["queued_at"])).total_seconds() for r in finished.values()
    )
    minutes = (last - first).total_seconds() / 60
    print(
        f"[{deployment.executor}] {label}: {len(runs)} runs in {minutes * 60:.0f} s = "
        f"{len(runs) / minutes:.1f} runs/min; trigger to success median "
        f"{statistics.median(latencies):.1f} s, max {latencies[-1]:.1f} s; failed: {len(failed)}",
        flush=True,
    )


def triggerer_rss(deployment: Deployment) -> float:
    """Resident memory of the triggerer and every process below it, in MiB."""
    import psutil

    leader = psutil.Process(deployment.pid("triggerer"))
    return sum(p.memory_info().rss for p in [leader, *leader.children(recursive=True)]) / 2**20


def held_waits(deployment: Deployment, count: int) -> None:
    """Hold ``count`` deferred waits in the one triggerer; print the time, its memory, the resume time."""
    driver = SessionDriver(deployment, "create_rooms", "wait_for_session_end", end_sessions=False)
    rss_idle = triggerer_rss(deployment)
    started = time.monotonic()
    run_id = deployment.trigger(
        "deployment_session_waits", {"batch": f"w-{uuid.uuid4().hex[:8]}", "count": count}
    )
    peak = rss_idle
    while len(driver.held) < count and time.monotonic() - started < TIMEOUT:
        driver()
        peak = max(peak, triggerer_rss(deployment))
        time.sleep(2)
    held_after = time.monotonic() - started
    time.sleep(30)  # a few poll rounds of every trigger while all are held
    rss_held = triggerer_rss(deployment)
    triggers = deployment.sql("SELECT count(*) FROM trigger WHERE triggerer_id IS NOT NULL")[0][0]
    ending = time.monotonic()
    driver.end_held()
    finished: dict[Any, Any] = deployment.wait_for_runs([("deployment_session_waits", run_id)], TIMEOUT)
    resumed = time.monotonic() - ending
    print(
        f"[{deployment.executor}] {count} deferred waits: all held by one triggerer after {held_after:.0f} s "
        f"({triggers} trigger rows claimed); triggerer RSS {rss_idle:.0f} MiB idle, {rss_held:.0f} MiB "
        f"holding them (peak seen {max(peak, rss_held):.0f} MiB); sessions ended -> run "
        f"{next(iter(finished.values()))['state']} after {resumed:.0f} s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--executors", nargs="+", default=["local", "celery"], choices=["local", "celery"])
    parser.add_argument("--runs", type=int, default=20, help="example DAG runs triggered at once")
    parser.add_argument("--waits", type=int, default=0, help="deferred waits held by one triggerer")
    args = parser.parse_args()
    pool = Deployments()
    try:
        for number, executor in enumerate(args.executors):
            started = time.monotonic()
            deployment = pool.get(executor)
            print(f"[{executor}] deployment up in {time.monotonic() - started:.0f} s", flush=True)
            throughput(deployment, "five example DAGs", [EXAMPLE_DAGS[n % 5] for n in range(args.runs)])
            throughput(deployment, "example_videosdk_auto_start alone", [EXAMPLE_DAGS[0]] * args.runs)
            if args.waits and number == 0:
                held_waits(deployment, args.waits)
    finally:
        pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
