#!/usr/bin/env bash
# Install what the tests need (Python packages; Debian's chromium for the real-browser test) and run them.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
  # Playwright cannot download its own browsers here: the browser test drives Debian's chromium.
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

python -m ruff check .
python -m pytest "$@"
