"""The app uses public Streamlit API only: no script-run context, pages manager or server internals, which
any Streamlit upgrade may change without notice (issue 10 §1)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"streamlit\.runtime|streamlit\.web|get_script_run_ctx|run_with_active_hash|PagesManager|runpy")


def test_app_ui_and_pages_use_public_streamlit_api_only():
    files = [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
    hits = [f"{f.relative_to(ROOT)}:{n}" for f in files
            for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if INTERNAL.search(line)]
    assert hits == []
