"""Benchmark: the full pipeline against a bare pandas read of the same file, in fresh processes.

    python bench/run.py                          # every size found in bench/data, 3 repeats, writes bench/RESULTS.md
    python bench/run.py --sizes 10000 100000     # some sizes only
    python bench/run.py --quick --data DIR --sizes 300 --out /tmp/RESULTS.md   # a smoke run: 1 repeat

Inputs are made by ``bench/generate.py``. For every size N (clients) and every input file:

* **pipeline** — read the bytes, ``kpi.read.ingest.read_table`` + ``kpi.read.recognise.recognise`` (what
  ``kpi.pipeline.read_files`` does), then: per-client export → ``connect_view`` (quarter summary),
  ``silent_clients`` and the download's bytes (xlsx for an .xlsx input, csv for a .csv one, built as the app's
  download button builds them); 1С-Бухфон → ``buhfon_view``, the «not launched» list and its download;
  communication log (10 rows a client) → ``connect_view`` with the base typed (N) → quarter summary.
* **bare** — ``pandas.read_csv`` with the file's encoding, separator and title rows skipped, or
  ``pandas.read_excel(engine="calamine")`` with the title rows skipped.

Each run is a fresh ``python`` process with the same setup (interpreter start and the same imports), so the
two are compared like for like. The parent measures the process's wall time; the child reports its own
work time (after the imports), the time of each stage and its peak RSS (``VmHWM``, as ``ru_maxrss`` would give it
were it not kept across ``exec``).
Medians over ``--repeats`` runs, bare and pipeline alternating so that a busy neighbour hurts both alike.

The app: a child process drives ``app.py`` with ``streamlit.testing.v1.AppTest``, uploads the per-client
export (``--app-size`` clients), then changes a filter and times both runs, counting how many times a file
was parsed (``ui.data.read_files`` calls from ``parse_file``) during the filter change: zero means the cached
parse was reused.

Limits (``KPI_MAX_FILE_BYTES``, ``KPI_MAX_ROWS``) are raised in the children so the 10-million-row log
(868 MB) is accepted: an office with such files raises them the same way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "bench" / "data"
DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
LOG_ROWS_PER_CLIENT = 10

#: Targets of issue 4.
TARGET_RATIO = 1.5  # pipeline ≤ 1.5 × bare read (CSV and xlsx, 100 k and 1 M clients)
TARGET_XLSX_100K_S = 3.0  # 100 k-client .xlsx end to end
TARGET_LOG_10M_S = 10.0  # 10 M-row log to the quarter summary
TARGET_RSS_RATIO = 3.0  # peak RSS ≤ 3 × the bare read's
#: Targets of issue 10 §7 for the CLI (``python -m kpi connect FILE --json``) against a bare read in a fresh process:
#: (input, smallest data rows it applies to) → most the CLI may take, in multiples of the bare read's process time.
CLI_TARGETS = {("connect_clients.csv", 1_000_000): 1.5, ("connect_log.csv", 10_000_000): 2.0,
               ("connect_clients.xlsx", 100_000): 1.2}
CLI_AIM = {("connect_clients.csv", 1_000_000): 1.0}
CLI_INPUTS = ("connect_clients.csv", "connect_log.csv", "connect_clients.xlsx")

#: The children accept files as large as the benchmark's (the 1 M-client log is 868 MB, 10 M rows).
CHILD_ENV = {"KPI_MAX_FILE_BYTES": str(8 * 2**30), "KPI_MAX_ROWS": str(50_000_000)}
CHILD_TIMEOUT_S = 3600
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


# --------------------------------------------------------------------------------------------------
# What is measured


@dataclass(frozen=True)
class Case:
    """One input file: its kind (connect / buhfon / log), format and the layout a bare read needs."""

    name: str  # e.g. "connect_clients.xlsx"
    kind: str  # "connect", "buhfon" or "log"
    path: Path
    clients: int
    fmt: str  # "csv" or "xlsx"

    @property
    def label(self) -> str:
        return f"{self.name} · {_n(self.clients)}"


def cases_for(data: Path, sizes: list[int]) -> list[Case]:
    out = []
    for n in sizes:
        for stem, kind, fmt in (("connect_clients", "connect", "csv"), ("connect_clients", "connect", "xlsx"),
                                ("buhfon", "buhfon", "csv"), ("buhfon", "buhfon", "xlsx"),
                                ("connect_log", "log", "csv")):
            path = data / f"{stem}_{n}.{fmt}"
            if path.exists():
                out.append(Case(f"{stem}.{fmt}", kind, path, n, fmt))
            else:
                print(f"missing {path}: run bench/generate.py --sizes {n}", file=sys.stderr)
    return out


def bare_layout(path: Path) -> dict[str, Any]:
    """Encoding, separator and title rows of a file, for a bare read (judged from its first lines)."""
    if path.suffix == ".xlsx":  # openpyxl streams the top rows (calamine would load the whole sheet here)
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(wb.worksheets[0].iter_rows(max_row=60, values_only=True))
        finally:
            wb.close()
        skip = next((i for i, r in enumerate(rows) if sum(1 for c in r if c not in (None, "")) >= 3), 0)
        return {"skiprows": skip}
    head = path.read_bytes()[:65536]
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1251"
    lines = head.decode(encoding, errors="replace").splitlines()
    sep = max((";", ",", "\t"), key=lambda s: max((ln.count(s) for ln in lines[:60]), default=0))
    skip = next((i for i, ln in enumerate(lines) if ln.count(sep) >= 2), 0)
    return {"encoding": encoding, "sep": sep, "skiprows": skip}


# --------------------------------------------------------------------------------------------------
# Child processes


def _setup() -> float:
    """The imports every child makes (pipeline and bare alike); returns their time."""
    start = time.perf_counter()
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import python_calamine  # noqa: F401

    import ui.downloads  # noqa: F401
    return time.perf_counter() - start


def _rss_mb() -> float:
    """Peak resident memory of this process in MB: the kernel's high-water mark of its address space.

    ``VmHWM`` rather than ``ru_maxrss``: Linux keeps ``ru_maxrss`` across ``exec``, so a child forked from a
    big parent would report the parent's size. Where ``/proc`` is missing, ``ru_maxrss`` it is.
    """
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_bare(path: Path, layout: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    start = time.perf_counter()
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, engine="calamine", skiprows=layout["skiprows"])
    else:
        frame = pd.read_csv(path, encoding=layout["encoding"], sep=layout["sep"], skiprows=layout["skiprows"])
    return {"work": time.perf_counter() - start, "rows": len(frame), "columns": frame.shape[1]}


def child_pipeline(path: Path, kind: str, clients: int) -> dict[str, Any]:
    from datetime import date

    from kpi.compute.buhfon import BuhfonFilter, apply_buhfon_filter
    from kpi.compute.silent import silent_clients
    from kpi.pipeline import buhfon_view, connect_view
    from kpi.read.ingest import read_table
    from kpi.read.recognise import Parsed, ReadReport, recognise
    from ui import downloads

    stages: dict[str, float] = {}
    out: dict[str, Any] = {"stages": stages}
    start = last = time.perf_counter()

    def tick(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - last
        last = now

    data = path.read_bytes()
    tick("read bytes")
    raw = read_table(path.name, data)  # read_files = read_export = read_table + recognise
    tick("ingest")
    parsed: Parsed = recognise(raw, report=ReadReport(file=path.name))
    out["rows"] = parsed.report.rows_used
    del raw
    tick("recognise")
    if kind == "buhfon":
        bdata, result = buhfon_view([parsed], today=date(2026, 11, 25))
        tick("compute")
        rows = apply_buhfon_filter(result.table, BuhfonFilter())
        tick("list")
        blob = downloads.buhfon_xlsx(rows, bdata, result) if path.suffix == ".xlsx" else \
            downloads.buhfon_csv(rows, bdata)
        tick("export")
        out |= {"list_rows": len(rows), "export_bytes": len(blob), "users": result.users}
    elif kind == "connect":
        view = connect_view([parsed])
        tick("compute")
        rows = silent_clients(view.data, view.month)
        tick("list")
        blob = downloads.silent_xlsx(rows, view.data, view.summary) if path.suffix == ".xlsx" else \
            downloads.silent_csv(rows, view.data)
        tick("export")
        out |= {"list_rows": len(rows), "export_bytes": len(blob), "summary": view.summary.to_json()}
    else:  # the communication log: to the quarter summary, the base typed as in the sidebar
        view = connect_view([parsed], base=clients)
        out["summary"] = view.summary.to_json()
        tick("compute")
    out["work"] = time.perf_counter() - start
    return out


def child_cli(path: Path, kind: str, clients: int) -> dict[str, Any]:
    """``python -m kpi connect FILE --json`` (``--base N`` for a log), in this process: read + compute + JSON."""
    import contextlib
    import io

    from kpi import cli

    cli.reuse_freed_memory()  # as `python -m kpi` does before calling main
    argv = ["connect", str(path), "--json", *(["--base", str(clients)] if kind == "log" else [])]
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    work = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"python -m kpi {' '.join(argv)} exited {code}: {err.getvalue()[-2000:]}")
    return {"work": work, "summary": json.loads(out.getvalue())}


def child_app(path: Path) -> dict[str, Any]:
    """Upload ``path`` into the app (AppTest), then change filters: time each run, count file parses."""
    from streamlit.testing.v1 import AppTest

    import ui.data

    parses = {"n": 0}
    read_files = ui.data.read_files

    def counting(*args: Any, **kwargs: Any) -> Any:
        parses["n"] += 1
        return read_files(*args, **kwargs)

    ui.data.read_files = counting  # parse_file's cache key is its arguments, not this global
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=CHILD_TIMEOUT_S)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    mime = XLSX_MIME if path.suffix == ".xlsx" else CSV_MIME
    at.file_uploader(key="uploads").set_value([(path.name, path.read_bytes(), mime)])
    before = parses["n"]
    start = time.perf_counter()
    at.run()
    upload = time.perf_counter() - start
    upload_parses = parses["n"] - before
    _check(at)
    found_upload = _found(at)
    filters = []
    for action in (lambda: at.checkbox(key="f_no_comm_quarter").check(),
                   lambda: at.checkbox(key="f_no_comm_month").uncheck(),
                   lambda: at.text_input(key="f_search").input("1")):
        action()
        before = parses["n"]
        start = time.perf_counter()
        at.run()
        filters.append({"seconds": time.perf_counter() - start, "parses": parses["n"] - before,
                        "found": _found(at)})
        _check(at)
    shown = max((len(df.value) for df in at.dataframe), default=0)
    return {"work": upload, "first_run": first, "upload": upload, "upload_parses": upload_parses,
            "found_after_upload": found_upload, "filters": filters, "rows_drawn": shown}


def _check(at: Any) -> None:
    if at.exception:
        raise RuntimeError(f"the app failed: {at.exception}")


def _found(at: Any) -> int | None:
    """The total in «Найдено: 71 396 клиентов…» (thousands separated by a space of some kind)."""
    for c in at.caption:
        m = re.match(r"Найдено: (\d[\d\s]*)", c.value)
        if m:
            return int(re.sub(r"\s", "", m.group(1)))
    return None


def run_child(argv: list[str]) -> int:
    """``--child MODE ...``: one measured run; prints one JSON line."""
    p = argparse.ArgumentParser()
    p.add_argument("--child", choices=("bare", "bare-plain", "pipeline", "cli", "app"), required=True)
    p.add_argument("--file", type=Path, required=True)
    p.add_argument("--kind", default="connect")
    p.add_argument("--clients", type=int, default=0)
    p.add_argument("--layout", default="{}")
    a = p.parse_args(argv)
    if a.child in ("cli", "bare-plain"):  # each imports only what it needs, as `python -m kpi` does
        start = time.perf_counter()
        import pandas  # noqa: F401
        setup = time.perf_counter() - start
    else:
        setup = _setup()
    if a.child in ("bare", "bare-plain"):
        out = child_bare(a.file, json.loads(a.layout))
    elif a.child == "pipeline":
        out = child_pipeline(a.file, a.kind, a.clients)
    elif a.child == "cli":
        out = child_cli(a.file, a.kind, a.clients)
    else:
        out = child_app(a.file)
    out |= {"setup": setup, "rss_mb": _rss_mb()}
    print("RESULT " + json.dumps(out, default=str), flush=True)
    if a.child == "cli":
        from kpi import cli

        cli.finish(0)  # as `python -m kpi` ends
    return 0


# --------------------------------------------------------------------------------------------------
# The parent: run, collect, report


@dataclass
class Runs:
    """Measurements of one (case, mode) over the repeats."""

    wall: list[float] = field(default_factory=list)
    work: list[float] = field(default_factory=list)
    setup: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    last: dict[str, Any] = field(default_factory=dict)
    stages: list[dict[str, float]] = field(default_factory=list)

    def add(self, wall: float, result: dict[str, Any]) -> None:
        self.wall.append(wall)
        self.work.append(result["work"])
        self.setup.append(result["setup"])
        self.rss.append(result["rss_mb"])
        self.stages.append(result.get("stages", {}))
        self.last = result

    @property
    def ok(self) -> bool:
        return bool(self.wall)

    def med(self, what: str) -> float:
        return statistics.median(getattr(self, what)) if getattr(self, what) else math.nan

    def stage_medians(self) -> dict[str, float]:
        names = list(dict.fromkeys(k for s in self.stages for k in s))
        return {k: statistics.median(s.get(k, 0.0) for s in self.stages) for k in names}


def spawn(args: list[str], verbose: bool) -> tuple[float, dict[str, Any]]:
    env = {**os.environ, **CHILD_ENV, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT_S, cwd=ROOT)
    wall = time.perf_counter() - start
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"child {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    if verbose:
        print(f"    {args[1]:<8} {wall:7.2f} s", flush=True)
    return wall, json.loads(line[len("RESULT "):])


def _alternate(case: Case, bare_mode: str, other_mode: str, repeats: int, verbose: bool) -> tuple[Runs, Runs]:
    """``repeats`` fresh processes of each mode, in turns (A B, B A, …) so a drift of the machine hits both."""
    layout = json.dumps(bare_layout(case.path))
    bare, other = Runs(), Runs()
    common = ["--file", str(case.path), "--kind", case.kind, "--clients", str(case.clients)]
    for i in range(repeats):
        order = ((bare_mode, bare), (other_mode, other)) if i % 2 == 0 else ((other_mode, other), (bare_mode, bare))
        for mode, runs in order:
            extra = ["--layout", layout] if mode == bare_mode else []
            wall, result = spawn(["--child", mode, *common, *extra], verbose)
            runs.add(wall, result)
    return bare, other


def measure(case: Case, repeats: int, verbose: bool) -> tuple[Runs, Runs]:
    """The whole pipeline (read, compute, list, download) against a bare read with the same setup."""
    return _alternate(case, "bare", "pipeline", repeats, verbose)


def measure_cli(case: Case, repeats: int, verbose: bool) -> tuple[Runs, Runs]:
    """The CLI (``python -m kpi connect FILE --json``) against a bare read in a process that imports only pandas."""
    return _alternate(case, "bare-plain", "cli", repeats, verbose)


def measure_app(path: Path, repeats: int, verbose: bool) -> dict[str, Any] | None:
    results = []
    for _ in range(repeats):
        _wall, result = spawn(["--child", "app", "--file", str(path)], verbose)
        results.append(result)
    if not results:
        return None
    med = statistics.median
    return {
        "file": path.name, "upload_s": med(r["upload"] for r in results),
        "first_run_s": med(r["first_run"] for r in results),
        "filter_s": med(f["seconds"] for r in results for f in r["filters"]),
        "filter_max_s": max(f["seconds"] for r in results for f in r["filters"]),
        "upload_parses": results[-1]["upload_parses"],
        "filter_parses": sum(f["parses"] for r in results for f in r["filters"]),
        "found_after_upload": results[-1]["found_after_upload"],
        "found_after_filters": [f["found"] for f in results[-1]["filters"]],
        "rows_drawn": results[-1]["rows_drawn"], "rss_mb": med(r["rss_mb"] for r in results),
        "repeats": len(results),
    }


def versions() -> dict[str, str]:
    from importlib import metadata

    import numpy
    import pandas
    import pyarrow

    try:
        import streamlit
        st_version = streamlit.__version__
    except ImportError:  # pragma: no cover
        st_version = "—"
    return {"python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
            "pyarrow": pyarrow.__version__, "python-calamine": metadata.version("python-calamine"),
            "streamlit": st_version}


def _n(x: int | float | None) -> str:
    """1234567 → «1 234 567»."""
    return "—" if x is None else f"{x:,.0f}".replace(",", " ")


def _s(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def _mb(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:,.0f}".replace(",", " ")


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def _slope(t_small: float, t_big: float, n_small: int, n_big: int) -> float:
    """Exponent k of time ∝ size^k between two sizes (1.0 = linear)."""
    if min(t_small, t_big) <= 0 or n_small == n_big:
        return math.nan
    return math.log(t_big / t_small) / math.log(n_big / n_small)


def _cli_target(case: Case) -> tuple[float | None, float | None]:
    """The CLI's target and aim for this input (None where none applies)."""
    rows = case.clients * (LOG_ROWS_PER_CLIENT if case.kind == "log" else 1)
    target = aim = None
    for (name, least), ratio in CLI_TARGETS.items():
        if case.name == name and rows >= least:
            target, aim = ratio, CLI_AIM.get((name, least))
    return target, aim


def cli_report(cli: list[tuple[Case, Runs, Runs]]) -> list[str]:
    lines = ["## The CLI against a bare read (issue 10 §7)", "",
             "`python -m kpi connect FILE --json` (`--base N` for a log: read, recognise, identity, quarter summary, "
             "JSON) in a fresh process, against a fresh process that imports pandas and reads the file bare: "
             "`pd.read_csv(path, sep=…, encoding=…, skiprows=…)` with the C engine, or `pd.read_excel(path, "
             "engine=\"calamine\", skiprows=…)`. Wall time of the whole process (interpreter start and imports "
             "included), peak RSS (`VmHWM`).", "",
             "| input | data rows | file MB | bare s | CLI s | **ratio** | target | bare RSS MB | CLI RSS MB "
             "| **RSS ratio** |", "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    for case, bare, run in cli:
        ratio = run.med("wall") / bare.med("wall")
        rss = run.med("rss") / bare.med("rss")
        target, aim = _cli_target(case)
        verdict = "—" if target is None else f"≤ {target}× {_verdict(ratio <= target)}" + (
            f" (aim ≤ {aim}× {_verdict(ratio <= aim)})" if aim else "")
        rows = case.clients * (LOG_ROWS_PER_CLIENT if case.kind == "log" else 1)
        lines.append(f"| {case.name} | {_n(rows)} | {case.path.stat().st_size / 1e6:.1f} | {_s(bare.med('wall'))} "
                     f"| {_s(run.med('wall'))} | **{ratio:.2f}** | {verdict} | {_mb(bare.med('rss'))} "
                     f"| {_mb(run.med('rss'))} | **{rss:.2f}** {_verdict(rss <= TARGET_RSS_RATIO)} |")
    return [*lines, ""]


def report(results: list[tuple[Case, Runs, Runs]], app: dict[str, Any] | None, meta: dict[str, Any],
           cli: list[tuple[Case, Runs, Runs]] | None = None) -> str:
    lines = [
        "# Benchmark results (issues 4 and 10)",
        "",
        f"Made by `python bench/run.py {meta['argv']}` on {meta['date']}: {meta['cores']} CPU cores, "
        f"{meta['memory_gb']:.0f} GiB RAM, load average {meta['load_before']} before and {meta['load_after']} after "
        f"(other people's tests share the machine, so every figure is a median of {meta['repeats']} run(s)).",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        "",
        "Each run is a fresh process with the same setup (interpreter start + the same imports, "
        f"~{_s(meta['setup_s'])} s). **process** = wall time of the whole process; **work** = time after the imports "
        "(reading the file and everything after it). RSS = peak resident memory of the process "
        "(`VmHWM` of the process, interpreter and imports included).",
        "",
        *cli_report(cli or []),
        "## Pipeline against a bare read",
        "",
        "| input | clients | data rows | file MB | bare process s | pipeline process s | **ratio** | bare work s "
        "| pipeline work s | work ratio | bare RSS MB | pipeline RSS MB | **RSS ratio** |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case, bare, pipe in results:
        ratio = pipe.med("wall") / bare.med("wall")
        wratio = pipe.med("work") / bare.med("work")
        rss = pipe.med("rss") / bare.med("rss")
        lines.append(
            f"| {case.name} | {_n(case.clients)} | {_n(bare.last.get('rows', 0))} "
            f"| {case.path.stat().st_size / 1e6:.1f} | {_s(bare.med('wall'))} | {_s(pipe.med('wall'))} "
            f"| **{ratio:.2f}** | {_s(bare.med('work'))} | {_s(pipe.med('work'))} | {wratio:.2f} "
            f"| {_mb(bare.med('rss'))} | {_mb(pipe.med('rss'))} | **{rss:.2f}** |")
    lines += ["", "## What the pipeline produced", "", "Last run: data rows used, rows of the list (silent clients, "
              "1С-Бухфон users without a start), size of the download, the quarter summary.", "",
              "| input | clients | rows used | list rows | export MB | summary |", "|---|---:|---:|---:|---:|---|"]
    for case, _bare, pipe in results:
        r = pipe.last
        summary = r.get("summary") or {}
        brief = (f"base {_n(summary.get('base'))}, active QTD {_n(summary.get('active_qtd'))}, window "
                 f"{_n(summary.get('active_window'))}") if summary else f"users {_n(r.get('users'))}"
        lines.append(f"| {case.name} | {_n(case.clients)} | {_n(r.get('rows', 0))} | {_n(r.get('list_rows'))} "
                     f"| {r.get('export_bytes', 0) / 1e6:.1f} | {brief} |")

    lines += ["", "## Where the pipeline's time goes (median seconds per stage)", "",
              "| input | clients | read bytes | ingest | recognise | compute | list | export | total work |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for case, _bare, pipe in results:
        st = pipe.stage_medians()
        cells = " | ".join(_s(st.get(k, math.nan)) if k in st else "—"
                           for k in ("read bytes", "ingest", "recognise", "compute", "list", "export"))
        lines.append(f"| {case.name} | {_n(case.clients)} | {cells} | {_s(pipe.med('work'))} |")

    lines += ["", "## Growth with size (pipeline work time)", "",
              "Exponent k in time ∝ size^k between consecutive sizes: 1.0 is linear (fixed costs make it lower at "
              "small sizes).", "", "| input | " + " | ".join(f"{_n(n)} s" for n in meta["sizes"])
              + " | k per step |", "|---|" + "---:|" * (len(meta["sizes"]) + 1)]
    by_name: dict[str, dict[int, float]] = {}
    for case, _bare, pipe in results:
        by_name.setdefault(case.name, {})[case.clients] = pipe.med("work")
    for name, times in by_name.items():
        sizes = [n for n in meta["sizes"] if n in times]
        ks = [_slope(times[a], times[b], a, b) for a, b in itertools.pairwise(sizes)]
        lines.append(f"| {name} | " + " | ".join(_s(times.get(n, math.nan)) for n in meta["sizes"]) + " | "
                     + ", ".join(f"{k:.2f}" for k in ks if not math.isnan(k)) + " |")

    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    for case, bare, pipe in results:
        if case.kind == "log" or case.clients < 100_000:
            continue
        ratio = pipe.med("wall") / bare.med("wall")
        wratio = pipe.med("work") / bare.med("work")
        lines.append(f"| {case.name} {_n(case.clients)}: pipeline ≤ {TARGET_RATIO}× bare read | process "
                     f"{ratio:.2f}×, work only {wratio:.2f}× | {_verdict(ratio <= TARGET_RATIO)} process, "
                     f"{_verdict(wratio <= TARGET_RATIO)} work |")
    for case, _bare, pipe in results:
        if case.name == "connect_clients.xlsx" and case.clients == 100_000:
            lines.append(f"| 100 000-client .xlsx end to end ≤ {TARGET_XLSX_100K_S:.0f} s | process "
                         f"{_s(pipe.med('wall'))} s, work {_s(pipe.med('work'))} s | "
                         f"{_verdict(pipe.med('wall') <= TARGET_XLSX_100K_S)} process, "
                         f"{_verdict(pipe.med('work') <= TARGET_XLSX_100K_S)} work |")
        if case.kind == "log" and case.clients * LOG_ROWS_PER_CLIENT >= 10_000_000:
            lines.append(f"| {_n(case.clients * LOG_ROWS_PER_CLIENT)}-row log to the quarter summary ≤ "
                         f"{TARGET_LOG_10M_S:.0f} s | process {_s(pipe.med('wall'))} s, work {_s(pipe.med('work'))} s "
                         f"| {_verdict(pipe.med('wall') <= TARGET_LOG_10M_S)} process, "
                         f"{_verdict(pipe.med('work') <= TARGET_LOG_10M_S)} work |")
    worst = max(((pipe.med("rss") / bare.med("rss"), case) for case, bare, pipe in results), default=None,
                key=lambda x: x[0])
    if worst:
        lines.append(f"| peak RSS ≤ {TARGET_RSS_RATIO:.0f}× the bare read's (every input) | worst "
                     f"{worst[0]:.2f}× ({worst[1].label}) | {_verdict(worst[0] <= TARGET_RSS_RATIO)} |")
    if app:
        lines.append(f"| app: a filter change does not re-read the file | {app['filter_parses']} parses in "
                     f"{3 * app['repeats']} filter changes | {_verdict(app['filter_parses'] == 0)} |")

    if app:
        lines += ["", "## The app (AppTest)", "",
                  f"Upload of `{app['file']}` into `app.py`, then three filter changes (quarter, month, search); "
                  f"median of {app['repeats']} fresh process(es).", "",
                  "| step | seconds | files parsed |", "|---|---:|---:|",
                  f"| first run (demo data) | {_s(app['first_run_s'])} | — |",
                  f"| upload → page with figures and list | {_s(app['upload_s'])} | {app['upload_parses']} |",
                  f"| filter change (median / max) | {_s(app['filter_s'])} / {_s(app['filter_max_s'])} | "
                  f"{app['filter_parses']} |", "",
                  f"Found after upload: {app['found_after_upload']}; after the filter changes: "
                  f"{app['found_after_filters']}. Rows drawn into the page's list: {app['rows_drawn']} (the rest "
                  f"are in the download). Peak RSS of the app process: {_mb(app['rss_mb'])} MB."]
    if meta.get("notes"):
        lines += ["", meta["notes"].rstrip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--child" in argv:
        return run_child(argv)
    p = argparse.ArgumentParser(description="Pipeline vs bare read benchmark (issue 4).")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of bench/generate.py's files")
    p.add_argument("--sizes", type=int, nargs="+", help="numbers of clients (default: every size in --data)")
    p.add_argument("--repeats", type=int, default=3, help="runs per measurement; medians are reported")
    p.add_argument("--quick", action="store_true", help="one run each (a smoke run)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the results table")
    p.add_argument("--app-size", type=int, help="clients of the file uploaded in the app (default: 100 000, or "
                                                "the largest size ≤ 100 000 measured)")
    p.add_argument("--inputs", nargs="+", metavar="NAME", help="only these inputs, e.g. connect_clients.csv "
                                                               "connect_log.csv (default: all five)")
    p.add_argument("--no-app", action="store_true", help="skip the app (AppTest) measurement")
    p.add_argument("--cli-only", action="store_true", help="only the CLI against the bare read (issue 10 §7)")
    p.add_argument("--no-cli", action="store_true", help="skip the CLI measurement")
    p.add_argument("--notes", type=Path, help="a Markdown file appended to the results (analysis, profiles)")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    repeats = 1 if a.quick else max(1, a.repeats)
    sizes = a.sizes or sorted({int(f.stem.rsplit("_", 1)[1]) for f in a.data.glob("connect_clients_*.csv")}) \
        or list(DEFAULT_SIZES)
    found = cases_for(a.data, sizes)
    cases = [] if a.cli_only else [c for c in found if not a.inputs or c.name in a.inputs]
    cli_cases = [] if a.no_cli else [c for c in found if c.name in (a.inputs or CLI_INPUTS)]
    if not cases and not cli_cases:
        p.error(f"no inputs in {a.data}: run bench/generate.py first")
    load_before = os.getloadavg()
    cli = []
    for case in cli_cases:
        if not a.quiet:
            print(f"CLI {case.label} ({case.path.stat().st_size / 1e6:.1f} MB)", flush=True)
        bare, run = measure_cli(case, repeats, not a.quiet)
        cli.append((case, bare, run))
        if not a.quiet:
            print(f"  bare {bare.med('wall'):.2f} s, CLI {run.med('wall'):.2f} s "
                  f"(ratio {run.med('wall') / bare.med('wall'):.2f}), "
                  f"RSS {bare.med('rss'):.0f} / {run.med('rss'):.0f} MB", flush=True)
    results = []
    for case in cases:
        if not a.quiet:
            print(f"{case.label} ({case.path.stat().st_size / 1e6:.1f} MB)", flush=True)
        bare, pipe = measure(case, repeats, not a.quiet)
        results.append((case, bare, pipe))
        if not a.quiet:
            print(f"  bare {bare.med('wall'):.2f} s, pipeline {pipe.med('wall'):.2f} s "
                  f"(ratio {pipe.med('wall') / bare.med('wall'):.2f}; work {pipe.med('work'):.2f} s), "
                  f"RSS {bare.med('rss'):.0f} / {pipe.med('rss'):.0f} MB", flush=True)
    app = None
    if not a.no_app and not a.cli_only:
        app_sizes = [n for n in sizes if n <= (a.app_size or 100_000)]
        size = a.app_size or (max(app_sizes) if app_sizes else min(sizes))
        path = a.data / f"connect_clients_{size}.xlsx"
        if path.exists():
            if not a.quiet:
                print(f"app: upload {path.name}", flush=True)
            app = measure_app(path, repeats, not a.quiet)
    meta = {
        "argv": " ".join(argv), "date": datetime.now().strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
        "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
        "load_before": " ".join(f"{x:.1f}" for x in load_before),
        "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg()), "repeats": repeats, "sizes": sizes,
        "versions": versions(),
        "setup_s": statistics.median([s for _c, b, pl in results or cli for s in b.setup + pl.setup] or [0.0]),
        "notes": a.notes.read_text(encoding="utf-8") if a.notes else "",
    }
    text = report(results, app, meta, cli)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    if not a.quiet:
        print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
