#!/usr/bin/env bash
# The full deployment suite: the provider on a real Airflow deployment (scripts/deployment.sh),
# PostgreSQL, API server, scheduler, DAG processor and triggerer, first on the LocalExecutor, then
# on the CeleryExecutor with Redis and two workers. Process logs stay in .deployment/pytest-*/logs.
#
#   scripts/deployment-tests.sh                    every deployment test, both executors
#   scripts/deployment-tests.sh -k local           one executor
#   scripts/deployment-tests.sh --figures [ARGS]   print the figures instead (deployment_figures.py)
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"

venv="$(make_venv "${AIRFLOW_VERSION:-$LATEST_AIRFLOW}" test deployment)"
if [ "${1:-}" = "--figures" ]; then
    shift
    exec "$venv/bin/python" scripts/deployment_figures.py "$@"
fi
exec "$venv/bin/python" -m pytest -p no:cacheprovider tests/deployment -m "deployment or not deployment" "$@"
