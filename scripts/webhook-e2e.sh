#!/usr/bin/env bash
# The webhooks end to end (tests/webhooks/test_end_to_end.py): a real Airflow API server with the
# plugin, a scheduler and a DAG processor on loopback; the emulator records real recordings and
# delivers signed webhooks; the archive example must run once per recording and archive each file.
# Prints its figures (POSTs to the receiver, asset events, DAG runs, refusals, time). About two
# minutes per Airflow version on two busy cores.
#
#   scripts/webhook-e2e.sh                          the newest and the oldest supported Airflow
#   AIRFLOW_VERSIONS="3.3.2" scripts/webhook-e2e.sh  one version
#   scripts/webhook-e2e.sh -k burst                 extra pytest arguments
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"

versions=(${AIRFLOW_VERSIONS:-$LATEST_AIRFLOW $OLDEST_AIRFLOW})
failed=()
for version in "${versions[@]}"; do
    venv="$(make_venv "$version" test)"
    log "webhooks end to end against Airflow $version"
    if ! "$venv/bin/python" -m pytest -p no:cacheprovider tests/webhooks/test_end_to_end.py -m e2e -s -q "$@"; then
        failed+=("$version")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    log "webhooks end to end FAILED on Airflow ${failed[*]}"
    exit 1
fi
