#!/usr/bin/env bash
# A real Airflow deployment on this machine, for the deployment tests: PostgreSQL as the metadata
# database, the API server, scheduler, DAG processor and triggerer, LocalExecutor or CeleryExecutor
# (Redis broker, two Celery workers), and the bundled emulator as the VideoSDK API. Every process
# binds 127.0.0.1 on a free port and logs to a file under the state directory.
#
#   scripts/deployment.sh up [local|celery]   install what is missing, start everything, wait for health
#   scripts/deployment.sh down                stop everything it started (and only that)
#   scripts/deployment.sh status              show each component's process and the health report
#   scripts/deployment.sh start COMPONENT     start one component again (after a test killed it)
#   scripts/deployment.sh stop COMPONENT      stop one component (SIGTERM, then SIGKILL)
#
# Components: postgres redis emulator api-server scheduler dag-processor triggerer worker-1 worker-2.
#
#   DEPLOYMENT_DIR       state directory (default .deployment/ in the repository)
#   DEPLOYMENT_PYTHON    Python of an existing venv to run Airflow from (default: make_venv latest)
#   AIRFLOW_VERSION      Airflow version of the venv built when DEPLOYMENT_PYTHON is unset
#   DEPLOYMENT_DAGS      DAG ids to wait for at "up", besides the example DAGs
set -euo pipefail
source "$(dirname "$0")/_env.sh"

STATE="${DEPLOYMENT_DIR:-$REPO_ROOT/.deployment}"
RUN="$STATE/run"
LOGS="$STATE/logs"
HEALTH_TIMEOUT="${DEPLOYMENT_HEALTH_TIMEOUT:-600}"

die() { log "ERROR: $*"; exit 1; }

pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }

alive() {  # alive COMPONENT: its recorded process still runs
    local pid
    pid="$(pid_of "$1")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ensure_debian_packages() {  # ensure_debian_packages EXECUTOR: PostgreSQL, and Redis for Celery
    local missing=()
    [ -n "$(pg_bindir)" ] || missing+=(postgresql)
    [ "$1" != celery ] || command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || die "install ${missing[*]} (apt-get install ${missing[*]}) and run again"
    log "installing ${missing[*]} from Debian"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

pg_bindir() {  # the newest PostgreSQL server binaries Debian installed
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_db_owner() {  # PostgreSQL refuses to run as root: run it as the postgres user then
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups "$@"
    else
        "$@"
    fi
}

# start_process NAME COMMAND...: run COMMAND in its own session (process group), log to logs/NAME.log.
start_process() {
    local name="$1"
    shift
    alive "$name" && { log "$name already runs (pid $(pid_of "$name"))"; return; }
    setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN/$name.pid"
    log "$name started (pid $!), log: $LOGS/$name.log"
}

descendants() {  # descendants PID: every process below PID, children first
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        descendants "$child"
        echo "$child"
    done
}

stop_process() {  # stop_process NAME: SIGTERM its process group, SIGKILL after 30 s
    local name="$1" pid below
    pid="$(pid_of "$name")"
    [ -n "$pid" ] || return 0
    # Task processes may run in sessions of their own: note them before their parents go.
    below="$(descendants "$pid")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    kill -KILL -- "-$pid" 2>/dev/null || true
    # shellcheck disable=SC2086
    [ -z "$below" ] || kill -KILL $below 2>/dev/null || true
    rm -f "$RUN/$name.pid"
    log "$name stopped"
}

wait_for() {  # wait_for WHAT NAME COMMAND...: until COMMAND succeeds; fail if NAME's process died
    local what="$1" name="$2"
    shift 2
    local deadline=$((SECONDS + HEALTH_TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ -n "$name" ] && ! alive "$name"; then
            tail -n 40 "$LOGS/$name.log" >&2 || true
            die "$name exited before $what"
        fi
        [ $SECONDS -lt $deadline ] || { tail -n 40 "$LOGS/$name.log" >&2 || true; die "timed out waiting for $what"; }
        sleep 0.5
    done
    log "$what"
}

health_check() {  # health_check COMPONENT...: the API server reports each component healthy
    "$PYTHON" "$REPO_ROOT/scripts/deployment_health.py" "$API_URL" "$@"
}

write_settings() {  # the ports and secrets of this deployment, chosen once at "up"
    local executor="$1"
    local pg_port redis_port api_port jwt_secret fernet_key
    pg_port="$(free_port)"
    redis_port="$(free_port)"
    api_port="$(free_port)"
    jwt_secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
    fernet_key="$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
    cat >"$STATE/settings.sh" <<EOF
EXECUTOR=$executor
PARALLELISM=8
PYTHON=$PYTHON
PG_PORT=$pg_port
REDIS_PORT=$redis_port
API_PORT=$api_port
JWT_SECRET=$jwt_secret
FERNET_KEY=$fernet_key
EMULATOR_API_KEY=deployment-api-key
EMULATOR_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
EOF
}

load_settings() {
    [ -f "$STATE/settings.sh" ] || die "no deployment in $STATE: run 'scripts/deployment.sh up' first"
    source "$STATE/settings.sh"
    API_URL="http://127.0.0.1:$API_PORT"
    DB_URL="postgresql+psycopg2://airflow:airflow@127.0.0.1:$PG_PORT/airflow"
}

airflow_env() {  # export the configuration every Airflow process of this deployment shares
    local bundle="airflow.dag_processing.bundles.local.LocalDagBundle"
    local emulator_url
    emulator_url="$(cat "$RUN/emulator.url" 2>/dev/null || true)"
    export AIRFLOW_HOME="$STATE/airflow-home"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$DB_URL"
    export AIRFLOW__CORE__EXECUTOR="$([ "$EXECUTOR" = celery ] && echo CeleryExecutor || echo LocalExecutor)"
    export AIRFLOW__CORE__FERNET_KEY="$FERNET_KEY"
    export AIRFLOW__CORE__LOAD_EXAMPLES=False
    export AIRFLOW__CORE__DAGS_FOLDER="$REPO_ROOT/example_dags"
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
    export AIRFLOW__CORE__MAX_ACTIVE_RUNS_PER_DAG=250
    export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=250
    export AIRFLOW__CORE__PARALLELISM="$PARALLELISM"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$API_URL/execution/"
    export AIRFLOW__API__BASE_URL="$API_URL"
    export AIRFLOW__API_AUTH__JWT_SECRET="$JWT_SECRET"
    export AIRFLOW__API__MAXIMUM_PAGE_LIMIT=1000
    export AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST="[{\"name\": \"videosdk_examples\", \"classpath\": \"$bundle\", \"kwargs\": {\"path\": \"$REPO_ROOT/example_dags\"}}, {\"name\": \"videosdk_test_dags\", \"classpath\": \"$bundle\", \"kwargs\": {\"path\": \"$REPO_ROOT/tests/dags\"}}]"
    export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=5
    # Only the runs the tests trigger: no scheduled runs of the example DAGs.
    export AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=False
    # A killed worker's task is found (and retried) within seconds, not the default five minutes.
    export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=20
    export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL=5
    export AIRFLOW__LOGGING__BASE_LOG_FOLDER="$LOGS/tasks"
    export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql+psycopg2://airflow:airflow@127.0.0.1:$PG_PORT/airflow"
    export AIRFLOW__CELERY__WORKER_CONCURRENCY=4
    export AIRFLOW_CONN_VIDEOSDK_DEFAULT
    AIRFLOW_CONN_VIDEOSDK_DEFAULT="$(python3 -c 'import json, sys
print(json.dumps({"conn_type": "videosdk", "login": sys.argv[1], "password": sys.argv[2], "host": sys.argv[3]}))' \
        "$EMULATOR_API_KEY" "$EMULATOR_SECRET" "$emulator_url")"
    unset AIRFLOW__CORE__SQL_ALCHEMY_CONN
}

# Where the PostgreSQL cluster lives: in the state directory, unless PostgreSQL runs as the postgres
# user (the script runs as root) and that user cannot reach it (a parent folder is private, as
# mktemp -d makes it); then in a folder of /tmp named after the state directory.
pg_data_dir() {
    if [ "$(id -u)" -eq 0 ] && ! as_db_owner test -x "$STATE"; then
        echo "/tmp/videosdk-deployment-postgres-$(printf %s "$STATE" | sha256sum | cut -c1-16)"
    else
        echo "$STATE/postgres"
    fi
}

start_postgres() {
    local bindir data
    data="$(pg_data_dir)"
    bindir="$(pg_bindir)"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a PostgreSQL cluster in $data"
        mkdir -p "$data"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
        as_db_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >"$LOGS/initdb.log" 2>&1 \
            || { cat "$LOGS/initdb.log" >&2; die "initdb failed"; }
    fi
    local owner=()
    [ "$(id -u)" -eq 0 ] && owner=(setpriv --reuid=postgres --regid=postgres --init-groups)
    start_process postgres "${owner[@]}" "$bindir/postgres" -D "$data" -p "$PG_PORT" \
        -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c fsync=off
    wait_for "PostgreSQL accepts connections on port $PG_PORT" postgres \
        "$bindir/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -U postgres
    if ! "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='airflow'" | grep -q 1; then
        "$bindir/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres \
            -c "CREATE ROLE airflow LOGIN PASSWORD 'airflow'" -c "CREATE DATABASE airflow OWNER airflow" >&2
    fi
}

start_component() {  # start_component NAME [--no-wait]: start it, then wait for its health
    local name="$1"
    local airflow
    airflow="$(dirname "$PYTHON")/airflow"
    case "$name" in
        postgres) start_postgres ;;
        redis)
            start_process redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
                --appendonly no --dir "$STATE/redis"
            ;;
        emulator)
            rm -f "$RUN/emulator.url"
            start_process emulator "$PYTHON" -u -m videosdk_provider.emulator --port 0 \
                --api-key "$EMULATOR_API_KEY" --secret "$EMULATOR_SECRET"
            ;;
        api-server)
            airflow_env
            start_process api-server "$airflow" api-server --host 127.0.0.1 --port "$API_PORT" --workers 1
            ;;
        scheduler | dag-processor | triggerer)
            airflow_env
            start_process "$name" "$airflow" "$name"
            ;;
        worker-1 | worker-2)
            [ "$EXECUTOR" = celery ] || die "$name: workers belong to the Celery executor"
            airflow_env
            start_process "$name" "$airflow" celery worker --celery-hostname "$name@%h" \
                --queues "default,$name" --skip-serve-logs
            ;;
        *) die "unknown component: $name" ;;
    esac
    [ "${2:-}" = --no-wait ] || await_component "$name"
}

await_component() {  # await_component NAME: wait on the component's own health report
    local name="$1"
    case "$name" in
        postgres) ;;
        redis) wait_for "Redis answers on port $REDIS_PORT" redis redis-cli -p "$REDIS_PORT" ping ;;
        emulator)
            wait_for "the VideoSDK emulator listens" emulator grep -q "listening on" "$LOGS/emulator.log"
            grep -o 'http://[^ ]*' "$LOGS/emulator.log" | tail -n 1 >"$RUN/emulator.url"
            ;;
        api-server) wait_for "the API server is up at $API_URL" api-server health_check metadatabase ;;
        scheduler | dag-processor | triggerer)
            wait_for "the $name is healthy" "$name" health_check "${name//-/_}"
            ;;
        worker-1 | worker-2) wait_for "celery $name is ready" "$name" grep -q " ready\." "$LOGS/$name.log" ;;
    esac
}

components() {
    echo postgres redis emulator api-server scheduler dag-processor triggerer
    [ "$EXECUTOR" = celery ] && echo worker-1 worker-2
    true
}

up() {
    local executor="${1:-local}"
    case "$executor" in local | celery) ;; *) die "executor must be local or celery, not $executor" ;; esac
    if [ -f "$STATE/settings.sh" ]; then
        die "a deployment is already in $STATE: run 'scripts/deployment.sh down' first"
    fi
    ensure_debian_packages "$executor"
    PYTHON="${DEPLOYMENT_PYTHON:-$(make_venv "${AIRFLOW_VERSION:-$LATEST_AIRFLOW}" deployment)/bin/python}"
    "$PYTHON" -c "import psycopg2, asyncpg, airflow.providers.celery" 2>/dev/null \
        || die "$PYTHON lacks the deployment packages: make_venv VERSION deployment"
    rm -rf "$STATE"
    mkdir -p "$RUN" "$LOGS/tasks" "$STATE/redis"
    [ "$(id -u)" -eq 0 ] && chmod 755 "$STATE" "$LOGS"
    rm -rf "$(pg_data_dir)"  # a cluster outside the state directory is this deployment's too
    write_settings "$executor"
    load_settings
    trap 'status=$?; [ $status -eq 0 ] || { log "start-up failed: stopping what started"; down; }' EXIT
    start_component postgres
    [ "$EXECUTOR" = celery ] && start_component redis
    start_component emulator
    airflow_env
    log "migrating the Airflow database"
    "$(dirname "$PYTHON")/airflow" db migrate >"$LOGS/db-migrate.log" 2>&1 \
        || { tail -n 40 "$LOGS/db-migrate.log" >&2; die "airflow db migrate failed"; }
    start_component api-server
    # The rest start together (two cores: their start-up is mostly waiting), then each is awaited.
    local name rest=(scheduler dag-processor triggerer)
    [ "$EXECUTOR" = celery ] && rest+=(worker-1 worker-2)
    for name in "${rest[@]}"; do start_component "$name" --no-wait; done
    for name in "${rest[@]}"; do await_component "$name"; done
    # Each example DAG file holds the DAG of the same name; DEPLOYMENT_DAGS adds more to wait for.
    local dags
    dags="$(cd "$REPO_ROOT/example_dags" && ls ./*.py | sed 's|^\./||; s|\.py$||' | tr '\n' ' ')"
    # shellcheck disable=SC2086
    wait_for "the DAGs are parsed" dag-processor \
        "$PYTHON" "$REPO_ROOT/scripts/deployment_health.py" "$API_URL" --dags $dags ${DEPLOYMENT_DAGS:-}
    trap - EXIT
    log "deployment up ($EXECUTOR executor): API $API_URL, logs in $LOGS"
}

down() {
    [ -f "$STATE/settings.sh" ] || { log "nothing to stop in $STATE"; return 0; }
    load_settings
    local name
    # Airflow's processes stop together; then the emulator, Redis and PostgreSQL they used.
    for name in $(components | tr ' ' '\n' | tac | grep -Ev '^(postgres|redis|emulator)$'); do
        stop_process "$name" &
    done
    wait
    for name in emulator redis postgres; do stop_process "$name"; done
    rm -f "$STATE/settings.sh"
    log "deployment down; logs kept in $LOGS"
}

status() {
    load_settings
    for name in $(components); do
        if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
    done
    echo "API server: $API_URL"
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
        "$API_URL/api/v2/monitor/health" 2>/dev/null || echo "(health report unavailable)"
}

case "${1:-}" in
    up) up "${2:-local}" ;;
    down) down ;;
    status) status ;;
    start) load_settings; start_component "${2:?component}" ;;
    stop) load_settings; stop_process "${2:?component}" ;;
    *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
