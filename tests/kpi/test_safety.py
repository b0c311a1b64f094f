"""Issue 5, safety: downloads carry no live formula, uploads stay in memory, logs hold nothing personal,
a client named ``<script>`` stays text, and the limits live in one place.

The UI's share (two sessions, content-keyed caches, escaping on the page) is tested with the app; these
are the package's promises the UI builds on.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import subprocess
import sys
import tomllib
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from kpi.cli import main
from kpi.compute.silent import export_frame, silent_clients
from kpi.pipeline import connect_view, read_files
from kpi.read.recognise import read_export
from kpi.settings import LIMITS, Limits
from kpi.write import export
from tests import make_corpus as mc

ROOT = Path(__file__).resolve().parents[2]
#: Text a spreadsheet would run as a formula (OWASP "CSV injection"), plus the CR/tab variants.
DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://evil.example","x")',
             "=cmd|' /C calc'!A0", "-", "+7 912 000-11-22"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCRIPT = "<script>alert(1)</script>"
PERSONAL = ["ООО «Ромашка»", "Петров Пётр", "+7 912 000-11-22", "7701234567", "romashka@example.ru", SCRIPT]


def _frame(values: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"Клиент": values, "ИНН": [f"77{i:08d}" for i in range(len(values))],
                         "Сумма": [-5] * len(values)})


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [row[0] for row in ws.iter_rows(min_row=2)]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _no_formula_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


# --- downloads -----------------------------------------------------------------------------------------

def test_xlsx_download_keeps_formula_like_text_as_text():
    data = export.to_xlsx_bytes(_frame(DANGEROUS), sheet_name="Молчащие клиенты")
    _no_formula_parts(data)
    cells = _xlsx_cells(data)
    assert [c.value for c in cells] == DANGEROUS  # unchanged: the xlsx holds them as text, no quote added
    assert all(c.data_type == "s" for c in cells)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["C2"].value == -5 and ws["C2"].data_type == "n"  # a real negative number stays a number


def test_csv_download_neutralises_formula_like_text():
    rows = _csv_rows(export.to_csv_bytes(_frame(DANGEROUS)))
    assert rows[0] == ["Клиент", "ИНН", "Сумма"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]
    assert {r[2] for r in rows[1:]} == {"-5"}  # numbers are not text: no quote


def test_csv_download_neutralises_a_formula_like_header():
    rows = _csv_rows(export.to_csv_bytes(pd.DataFrame({"=Клиент": ["ООО А"], "@x": ["б"]})))
    assert rows[0] == ["'=Клиент", "'@x"]


def test_uploaded_formulas_stay_text_through_the_whole_flow(tmp_path):
    """From an upload to the silent-client download, by the CLI and by the library the app uses."""
    rows = [["Клиент", "ИНН", "Тип клиента", "Телефон"],
            *[[v, f"77{i:08d}", "Клиенты 1С", "@SUM(1+1)"] for i, v in enumerate([*DANGEROUS, SCRIPT])]]
    upload = mc.csv_text(rows, title=["Клиенты ИТС по состоянию на 01.11.2026"]).encode("utf-8-sig")
    log = mc.csv_text([["Дата и время", "Клиент", "Вид коммуникации"], ["15.10.2026 10:00:00", "Не из базы", "Чат"]],
                      ).encode("utf-8-sig")  # communication data is needed; this client is outside the base
    parsed = read_files([("clients.csv", upload), ("log.csv", log)])
    view = connect_view(parsed, pd.Period("2026-11", "M"))
    frame = export_frame(silent_clients(view.data, view.month, "month", "1c"), view.data)
    expected = sorted([*DANGEROUS, SCRIPT])  # source columns travel as they were written, tab and CR included
    xlsx = export.to_xlsx_bytes(frame)
    _no_formula_parts(xlsx)
    assert sorted(c.value for c in _xlsx_cells(xlsx)) == expected
    assert all(c.data_type == "s" for c in _xlsx_cells(xlsx))

    (tmp_path / "clients.csv").write_bytes(upload)
    (tmp_path / "log.csv").write_bytes(log)
    out = tmp_path / "silent.csv"
    assert main(["connect", str(tmp_path / "clients.csv"), str(tmp_path / "log.csv"), "--month", "2026-11",
                 "--silent", str(out)]) == 0
    got = _csv_rows(out.read_bytes())
    names = sorted(r[0] for r in got[1:])
    assert names == sorted("'" + v if v.startswith(FORMULA_STARTS) else v for v in expected)
    assert {r[got[0].index("Телефон")] for r in got[1:]} == {"'@SUM(1+1)"}


def test_a_script_tag_name_stays_plain_text_in_both_downloads():
    df = _frame([SCRIPT, "ООО «Ромашка» & <b>сын</b>"])
    (first, second) = (c.value for c in _xlsx_cells(export.to_xlsx_bytes(df)))
    assert (first, second) == (SCRIPT, "ООО «Ромашка» & <b>сын</b>")
    with zipfile.ZipFile(io.BytesIO(export.to_xlsx_bytes(df))) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist())
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml  # escaped in the file, intact when opened
    rows = _csv_rows(export.to_csv_bytes(df))
    assert rows[1][0] == SCRIPT and rows[2][0] == "ООО «Ромашка» & <b>сын</b>"


def test_a_script_tag_name_is_read_as_plain_text():
    upload = mc.csv_text([["Клиент", "ИНН"], [SCRIPT, "7701234567"]]).encode("utf-8")
    parsed = read_export("c.csv", upload)
    assert parsed.table["_client"].tolist() == [SCRIPT] and parsed.table["Клиент"].tolist() == [SCRIPT]


# --- uploads stay in memory ----------------------------------------------------------------------------

_AUDIT = r"""
import json, os, sys
sys.dont_write_bytecode = True
import pandas, python_calamine, openpyxl  # imports read files; the audit starts after them
import kpi.cli, kpi.write.export, kpi.read.recognise, kpi.pipeline, kpi.compute.silent, kpi.compute.buhfon
from kpi.read.recognise import read_export

WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {"os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.link", "os.symlink",
           "os.chmod", "os.chown", "os.utime", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree",
           "tempfile.mkstemp", "tempfile.mkdtemp", "sqlite3.connect", "socket.connect", "socket.bind"}
seen, reads = [], []

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and set(mode) & set("wax+")) or (isinstance(flags, int) and flags & WRITE):
            seen.append(["open", str(path), str(mode)])
        else:
            reads.append(str(path))
    elif event in CHANGES:
        seen.append([event, repr(args)[:200]])

corpus = sys.argv[1]
names = sorted(os.listdir(corpus))
blobs = {n: open(os.path.join(corpus, n), "rb").read() for n in names}
sys.addaudithook(hook)
for n, data in blobs.items():
    read_export(n, data)
rc = [kpi.cli.main(["connect", os.path.join(corpus, n), "--month", "2026-11", "--json"]) for n in sys.argv[2:]]
print(json.dumps({"writes": seen, "reads": reads, "rc": rc}))
"""


def test_uploads_are_parsed_in_memory_and_never_written(tmp_path):
    """Every corpus file through ``read_export`` and good and bad ones through the CLI's read path, in a
    process that audits every open-for-writing, rename, delete, temp file and socket (Python's audit hooks
    see these calls from any Python code, pandas' included). The readers get bytes: calamine and pandas
    read from ``BytesIO``. The temp and working folders stay empty as a second, independent check."""
    work, temp = tmp_path / "cwd", tmp_path / "tmp"
    work.mkdir()
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", _AUDIT, str(mc.CORPUS), "utf16.csv", "old_binary.xls",
                           "password.xlsx", "zip_bomb.xlsx", "bad_flags.csv"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["writes"] == []
    assert result["rc"] == [0, 0, 2, 2, 0]
    # the only files opened are the inputs named on the command line and the package's own reference data
    opened = {Path(p).name for p in result["reads"] if str(mc.CORPUS) in p}
    assert opened == {"utf16.csv", "old_binary.xls", "password.xlsx", "zip_bomb.xlsx", "bad_flags.csv"}
    assert list(work.iterdir()) == [] and list(temp.iterdir()) == []


# --- nothing personal in logs ------------------------------------------------------------------------

def test_nothing_personal_is_logged_or_printed(caplog, capsys, tmp_path):
    rows = [["Клиент", "ИНН", "Тип клиента", "Телефон", "Email", "Контактное лицо"],
            ["ООО «Ромашка»", "7701234567", "Клиенты 1С", "+7 912 000-11-22", "romashka@example.ru", "Петров Пётр"],
            [SCRIPT, "7702345678", "Клиенты 1С", "", "", ""],
            ["ООО «Ромашка»", "7701234567", "Клиенты 1С", "", "", ""]]  # a duplicate: merged, reported by row
    upload = mc.csv_text(rows).encode("cp1251", errors="replace")
    log = mc.csv_text([["Дата и время", "Клиент", "Вид коммуникации"],
                       ["02.11.2026 10:00:00", "ООО «Ромашка»", "Чат"],
                       ["не дата", "Петров Пётр", "Звонок"]]).encode("utf-8")
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parsed = read_files([("clients.csv", upload), ("log.csv", log)])
        view = connect_view(parsed, pd.Period("2026-11", "M"))
        frame = export_frame(silent_clients(view.data, view.month, "quarter", "all"), view.data)
        export.to_xlsx_bytes(frame)
        export.to_csv_bytes(frame)
    out, err = capsys.readouterr()
    assert out == "" and err == ""  # the library prints nothing; only the CLI talks, to its own user
    texts = [caplog.text, *(str(w.message) for w in caught)]
    leaked = [p for p in PERSONAL for t in texts if p in t]
    assert leaked == []
    # the report points at rows, not at people: skipped and merged rows carry numbers, not names
    notes = [str(n) for p in parsed for n in p.report.notes] + [str(n) for n in view.data.notes]
    assert notes and not [p for p in PERSONAL[:4] for n in notes if p in n]


# --- limits in one place ------------------------------------------------------------------------------

def test_every_limit_is_a_setting_with_a_sensible_default():
    fields = {f.name for f in dataclasses.fields(Limits)}
    assert fields == {"max_file_bytes", "max_rows", "max_unzipped_bytes", "max_zip_members", "max_cell_chars"}
    d = Limits()
    assert 50 * 2**20 <= d.max_file_bytes <= 1024 * 2**20
    assert 100_000 <= d.max_rows <= 10_000_000
    assert d.max_file_bytes < d.max_unzipped_bytes <= 4 * 2**30
    assert 1_000 <= d.max_zip_members <= 100_000
    assert d.max_cell_chars == 32_767  # Excel's own cell limit: a longer cell cannot come from Excel
    assert d == LIMITS


def test_limits_are_overridden_from_the_environment():
    code = ("from kpi.settings import LIMITS as L; "
            "print(L.max_rows, L.max_file_bytes, L.max_unzipped_bytes, L.max_zip_members, L.max_cell_chars)")
    env = {**os.environ, "KPI_MAX_ROWS": "10", "KPI_MAX_FILE_BYTES": "1000", "KPI_MAX_UNZIPPED_BYTES": "2000",
           "KPI_MAX_ZIP_MEMBERS": "30", "KPI_MAX_CELL_CHARS": "nonsense"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.split() == ["10", "1000", "2000", "30", "32767"]  # a bad value keeps the default


def test_file_size_limit_refuses_before_reading():
    err = read_export("big.csv", b"x" * 2000, limits=Limits(max_file_bytes=1000)).report.error
    assert err is not None and err.code == "file-too-large" and err.file == "big.csv"


def test_streamlit_config_matches_the_settings():
    """The browser-side upload limit equals the server-side one; XSRF on; no usage statistics sent."""
    path = ROOT / ".streamlit" / "config.toml"
    cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    assert cfg["server"]["maxUploadSize"] == LIMITS.max_file_bytes // 2**20
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["browser"]["gatherUsageStats"] is False
