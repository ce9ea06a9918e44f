#!/usr/bin/env bash
# Build the documentation site (Sphinx, HTML) with every warning an error, then check that each
# link within the site leads to a page and anchor that exist. Prints how long the build took.
#
#   scripts/docs.sh              build into docs/_build/html
#   DOCS_OUT=/some/dir scripts/docs.sh   build elsewhere
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"

out="${DOCS_OUT:-$REPO_ROOT/docs/_build/html}"
venv="$(make_venv "$LATEST_AIRFLOW" docs)"
airflow_home="$(mktemp -d)"
trap 'rm -rf "$airflow_home"' EXIT

# From scratch every time: an incremental build would not repeat the warnings of unchanged pages,
# and pages left over from an earlier build could hide a broken link.
rm -rf "$out"
log "sphinx-build (warnings are errors) into $out"
TIMEFORMAT='docs built in %1R s (CPU: %1U s user, %1S s system)'
time AIRFLOW_HOME="$airflow_home" "$venv/bin/python" -m sphinx -b html -W --keep-going -q docs "$out"

log "checking the links within the site"
"$venv/bin/python" scripts/check_site_links.py "$out"
