#!/usr/bin/env bash
# Run every check of the project on a fresh machine: lint (ruff), types (mypy --strict), and the
# whole test suite against the oldest and the newest supported Airflow, each in its own venv.
#
#   AIRFLOW_VERSIONS="3.3.2"   test one version only
#   PYTEST_ARGS="-k hook"      extra pytest arguments
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"

versions=(${AIRFLOW_VERSIONS:-$LATEST_AIRFLOW $OLDEST_AIRFLOW})
failed=()

latest_venv="$(make_venv "${versions[0]}" test lint)"
log "ruff check and ruff format --check"
"$latest_venv/bin/ruff" check .
"$latest_venv/bin/ruff" format --check .
log "mypy --strict"
"$latest_venv/bin/mypy"

for version in "${versions[@]}"; do
    venv="$(make_venv "$version" test)"
    log "browser for the connection-form test"
    bash scripts/install-browser.sh "$venv/bin/python" >&2
    log "pytest against Airflow $version"
    if ! "$venv/bin/python" -m pytest -p no:cacheprovider ${PYTEST_ARGS:-}; then
        failed+=("$version")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    log "FAILED: the tests failed against Airflow ${failed[*]}"
    exit 1
fi
log "all checks passed against Airflow ${versions[*]}"
