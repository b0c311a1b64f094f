"""Shared test set-up: the quick default run and the full run.

Tests that drive programs outside Python — the real-browser test (``tests/browser``), LibreOffice opening
the downloads (``tests/kpi/write/test_export_libreoffice.py``) and the benchmark smoke run
(``tests/bench``) — carry the ``external`` mark. ``pytest`` alone skips them (the quick run, about a
minute on 2 cores); ``scripts/test.sh`` (the README's test
command, ``.ci/run``) runs everything with ``-m ""``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
EXTERNAL = (TESTS / "browser", TESTS / "bench", TESTS / "kpi" / "write" / "test_export_libreoffice.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path))
        if any(path == e or e in path.parents for e in EXTERNAL):
            item.add_marker(pytest.mark.external)
