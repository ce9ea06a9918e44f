#!/usr/bin/env bash
# Install what the browser tests (pytest -m browser) need: Debian's Chromium and its WebDriver
# (browsers cannot be downloaded here, only installed from the package registries), and the
# selenium package into the Python environment that runs the tests.
#
# Usage: scripts/install-browser.sh [PYTHON]   (default: $PYTHON, else python)
# Needs root for apt-get. Does nothing that is already done, so it is cheap to call every CI run.
set -euo pipefail

python="${1:-${PYTHON:-python}}"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        elif [ -n "${CI:-}" ]; then
            echo "install-browser: need root (or password-less sudo) to apt-get install chromium" >&2
            exit 1
        else
            echo "install-browser: not root: skipping Chromium; the browser tests will be skipped" >&2
            exit 0
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! "$python" -c "import selenium" 2>/dev/null; then
    if command -v uv >/dev/null; then
        uv pip install -q -p "$python" "selenium>=4.20"
    else
        "$python" -m pip install -q "selenium>=4.20"
    fi
fi

chromium --version
chromedriver --version
"$python" -c "import selenium; print('selenium', selenium.__version__)"
