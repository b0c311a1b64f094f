"""The AppTest steps every page test takes: start the app, run, upload, change page — each asserting that the
run raised nothing, so a test reads as what a manager does."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
#: Seconds per AppTest run: generous for a loaded 2-core CI machine (AppTest's own default is 3 s).
TIMEOUT = 60


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def new_app(timeout: float = TIMEOUT) -> AppTest:
    """The app as a fresh browser session opens it (the demonstration data until something is uploaded)."""
    return run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout))


def upload(at: AppTest, files: list[tuple[str, bytes, str]], key: str = "uploads") -> AppTest:
    at.file_uploader(key=key).set_value(files)
    return run(at)


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    return run(at)
