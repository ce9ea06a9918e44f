# Shared set-up for the project's scripts: find or install uv, and build a virtual environment
# with a given Airflow version and this package (editable) in it. Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LATEST_AIRFLOW="3.3.2"
OLDEST_AIRFLOW="3.1.8"

log() { printf '\n==> %s\n' "$*" >&2; }

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then
        return
    fi
    if ! python3 -c "import uv" 2>/dev/null; then
        log "installing uv (fast Python package installer)"
        python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    fi
    PATH="$(dirname "$(python3 -c 'import uv; print(uv.find_uv_bin())')"):$PATH"
    export PATH
}

# make_venv AIRFLOW_VERSION [GROUP...]: print the path of a ready venv for that Airflow version.
make_venv() {
    local version="$1"
    shift
    local venv="$REPO_ROOT/.venvs/airflow-$version"
    ensure_uv
    if [ ! -x "$venv/bin/python" ]; then
        log "creating $venv"
        uv venv --quiet --python "$(command -v python3)" "$venv" >&2
    fi
    local groups=()
    for group in "$@"; do groups+=(--group "$group"); done
    log "installing apache-airflow==$version and airflow-provider-videosdk into $venv"
    uv pip install --quiet --python "$venv/bin/python" "apache-airflow==$version" \
        --editable "$REPO_ROOT" "${groups[@]}" >&2
    echo "$venv"
}
