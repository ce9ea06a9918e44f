#!/usr/bin/env bash
# Run every check of the project on a fresh machine: lint (ruff), types (mypy --strict), the docs
# build (warnings are errors, links within the site checked), and the whole test suite against the
# oldest and the newest supported Airflow, each in its own venv; the tests also check the built site.
#
#   AIRFLOW_VERSIONS="3.3.2"   test one version only
#   PYTEST_ARGS="-k hook"      extra pytest arguments
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"
# Here, not only inside make_venv's command substitution: the tests (the wheel build) need uv on PATH.
ensure_uv

versions=(${AIRFLOW_VERSIONS:-$LATEST_AIRFLOW $OLDEST_AIRFLOW})
failed=()
results="$REPO_ROOT/.test-results"
rm -rf "$results"
mkdir -p "$results"

latest_venv="$(make_venv "${versions[0]}" test lint)"
log "ruff check and ruff format --check"
"$latest_venv/bin/ruff" check .
"$latest_venv/bin/ruff" format --check .
log "mypy --strict"
"$latest_venv/bin/mypy"

bash scripts/docs.sh
export VIDEOSDK_DOCS_SITE="$REPO_ROOT/docs/_build/html"

for version in "${versions[@]}"; do
    venv="$(make_venv "$version" test deployment)"
    log "browser for the connection-form test"
    bash scripts/install-browser.sh "$venv/bin/python" >&2
    log "pytest against Airflow $version"
    if ! "$venv/bin/python" -m pytest -p no:cacheprovider --junitxml="$results/junit-$version.xml" \
        ${PYTEST_ARGS:-}; then
        failed+=("$version")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    log "FAILED: the tests failed against Airflow ${failed[*]}"
else
    log "all checks passed against Airflow ${versions[*]}"
fi

# The closing line, over every Airflow version's run, from the JUnit reports.
"$latest_venv/bin/python" - "$results"/junit-*.xml <<'PY'
import sys
import xml.etree.ElementTree as ET

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print(f"tests: {passed} passed, {failed} failed, {totals['skipped']} skipped", flush=True)
PY
[ ${#failed[@]} -eq 0 ]
