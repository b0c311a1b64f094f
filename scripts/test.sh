#!/usr/bin/env bash
# Install what the tests need (Python packages; Debian's chromium for the real-browser test) and run them.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian packages the tests drive: chromium (Playwright cannot download its own browsers here) for the
# real-browser test, LibreOffice Calc (headless) to open the downloads as an office does.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python -m ruff check .
python -m pytest -m "" "$@"  # -m "": every test, the external ones too (the quick run is plain `pytest`)
