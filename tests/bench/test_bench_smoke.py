"""A tiny smoke run of the benchmark: the generator and ``bench/run.py`` work end to end.

Timings are never asserted (the benchmark is not a test and the machine is shared); only that the run
finishes, writes its table where it is told (not over ``bench/RESULTS.md``) and that the numbers in it
are sane: positive times and memory, and the pipeline's figures agree between the .csv and .xlsx inputs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N = 300


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def _table(text: str, heading: str) -> list[list[str]]:
    """The rows of the Markdown table under ``## heading`` (header and rule left out)."""
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in rows[2:]]


def _number(cell: str) -> float:
    return float(cell.replace("*", "").replace("\u00a0", "").replace(" ", ""))


def test_generate_and_benchmark_a_tiny_size(tmp_path):
    data = tmp_path / "data"
    _run("bench/generate.py", "--sizes", str(N), "--out", str(data))
    names = sorted(p.name for p in data.iterdir())
    assert names == sorted(f"{stem}_{N}.{ext}" for stem, ext in (
        ("connect_clients", "xlsx"), ("connect_clients", "csv"), ("connect_log", "csv"), ("buhfon", "xlsx"),
        ("buhfon", "csv")))

    out = tmp_path / "RESULTS.md"
    before = (ROOT / "bench" / "RESULTS.md").read_bytes() if (ROOT / "bench" / "RESULTS.md").exists() else None
    _run("bench/run.py", "--quick", "--quiet", "--data", str(data), "--sizes", str(N), "--out", str(out))
    after = (ROOT / "bench" / "RESULTS.md").read_bytes() if (ROOT / "bench" / "RESULTS.md").exists() else None
    assert before == after, "the smoke run must not overwrite bench/RESULTS.md"

    text = out.read_text(encoding="utf-8")
    assert re.search(r"\b\d+ CPU cores\b", text) and re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "pandas 3." in text and "python 3." in text

    main = _table(text, "Pipeline against a bare read")
    assert [r[0] for r in main] == ["connect_clients.csv", "connect_clients.xlsx", "buhfon.csv", "buhfon.xlsx",
                                    "connect_log.csv"]
    for row in main:
        assert _number(row[1]) == N
        times = [_number(c) for c in row[4:10]]  # process and work seconds, ratios
        assert all(t >= 0 for t in times) and _number(row[4]) > 0 and _number(row[5]) > 0, row
        rss = [_number(c) for c in row[10:13]]
        assert all(50 < m < 5000 for m in rss[:2]) and rss[2] > 0, row
    assert _number(main[4][2]) == N * 10  # the log: ten rows a client

    produced = {r[0]: r for r in _table(text, "Where the pipeline's time goes (median seconds per stage)")}
    assert set(produced) == {r[0] for r in main}
    by_name = {r[0]: r for r in _table(text, "What the pipeline produced")}
    # the same export as .csv and .xlsx gives the same list and the same quarter summary
    assert by_name["connect_clients.csv"][3] == by_name["connect_clients.xlsx"][3] != "0"
    assert by_name["connect_clients.csv"][5] == by_name["connect_clients.xlsx"][5]
    assert by_name["buhfon.csv"][3] == by_name["buhfon.xlsx"][3]
    assert "base 300" in by_name["connect_log.csv"][5]

    app = _table(text, "The app (AppTest)")
    steps = {r[0]: r for r in app}
    assert steps["upload → page with figures and list"][2] == "1"  # the upload is parsed once
    assert steps["filter change (median / max)"][2] == "0"  # a filter change reuses the parsed file
    assert "filter change does not re-read the file" in text
