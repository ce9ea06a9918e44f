"""
Health probes for ``scripts/deployment.sh``: exit 0 when the deployment is ready, 1 when not yet.

    deployment_health.py API_URL COMPONENT...   each component healthy in /api/v2/monitor/health
                                                (metadatabase, scheduler, triggerer, dag_processor)
    deployment_health.py API_URL --dags DAG_ID...  the DAG processor has stored these DAGs (REST API)

The scheduler, triggerer and DAG processor count as healthy while their heartbeat is recent, so
these probes wait on the processes' own reports rather than on sleeps.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any


def get(url: str, token: str = "") -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return json.load(response)


def healthy(api_url: str, components: list[str]) -> bool:
    report = get(f"{api_url}/api/v2/monitor/health")
    return all((report.get(name) or {}).get("status") == "healthy" for name in components)


def dags_stored(api_url: str, dag_ids: list[str]) -> bool:
    token = get(f"{api_url}/auth/token")["access_token"]
    for dag_id in dag_ids:
        try:
            get(f"{api_url}/api/v2/dags/{dag_id}", token)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise
    return True


def main(argv: list[str]) -> int:
    api_url, *rest = argv
    try:
        ready = dags_stored(api_url, rest[1:]) if rest[:1] == ["--dags"] else healthy(api_url, rest)
    except (OSError, ValueError, KeyError):
        return 1
    return 0 if ready else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
