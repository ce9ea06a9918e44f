#!/usr/bin/env bash
# The main job, on a fresh machine: install Airflow and the provider, then run the daily-class
# example DAG end to end and print the roomId it created.
#
# With VIDEOSDK_API_KEY and VIDEOSDK_SECRET_KEY set, it talks to the real VideoSDK API;
# otherwise it starts the bundled VideoSDK emulator on 127.0.0.1 and uses that.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
cd "$REPO_ROOT"

venv="$(make_venv "$LATEST_AIRFLOW")"
workdir="$REPO_ROOT/.quickstart"
mkdir -p "$workdir"
export AIRFLOW_HOME="$workdir/airflow-home"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO_ROOT/example_dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST="[{\"name\": \"videosdk_examples\", \"classpath\": \"airflow.dag_processing.bundles.local.LocalDagBundle\", \"kwargs\": {\"path\": \"$REPO_ROOT/example_dags\"}}]"

log "preparing the Airflow database in $AIRFLOW_HOME"
"$venv/bin/airflow" db migrate >"$workdir/db-migrate.log" 2>&1 || { cat "$workdir/db-migrate.log"; exit 1; }

connection() {  # connection JSON for AIRFLOW_CONN_VIDEOSDK_DEFAULT: login, password, [host]
    "$venv/bin/python" -c 'import json, sys
conn = {"conn_type": "videosdk", "login": sys.argv[1], "password": sys.argv[2]}
conn.update({"host": sys.argv[3]} if len(sys.argv) > 3 else {})
print(json.dumps(conn))' "$@"
}

if [ -n "${VIDEOSDK_API_KEY:-}" ] && [ -n "${VIDEOSDK_SECRET_KEY:-}" ]; then
    log "using the real VideoSDK API with the key in VIDEOSDK_API_KEY"
    AIRFLOW_CONN_VIDEOSDK_DEFAULT="$(connection "$VIDEOSDK_API_KEY" "$VIDEOSDK_SECRET_KEY")"
else
    log "VIDEOSDK_API_KEY / VIDEOSDK_SECRET_KEY not set: starting the bundled VideoSDK emulator"
    api_key="quickstart-api-key"
    secret="$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
    "$venv/bin/python" -m videosdk_provider.emulator --port 0 --api-key "$api_key" --secret "$secret" \
        >"$workdir/emulator.out" 2>"$workdir/emulator.err" &
    emulator_pid=$!
    trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do
        grep -q "listening on" "$workdir/emulator.out" 2>/dev/null && break
        kill -0 "$emulator_pid" 2>/dev/null || { cat "$workdir/emulator.err"; exit 1; }
        sleep 0.1
    done
    url="$(grep -o 'http://[^ ]*' "$workdir/emulator.out")"
    log "emulator listening on $url"
    AIRFLOW_CONN_VIDEOSDK_DEFAULT="$(connection "$api_key" "$secret" "$url")"
fi
export AIRFLOW_CONN_VIDEOSDK_DEFAULT

log "running the example DAG example_videosdk_daily_class end to end"
"$venv/bin/python" "$REPO_ROOT/scripts/run_example.py" example_videosdk_daily_class create_room \
    >"$workdir/dag-run.log" 2>&1 || { tail -n 60 "$workdir/dag-run.log"; exit 1; }
grep -E '^(roomId|invite|DAG run):' "$workdir/dag-run.log"
