"""Issue 5: every broken, renamed or hostile export gets a clear Russian answer that names the file.

The committed corpus (``tests/corpus/``, built by ``tests/make_corpus.py``) holds the small cases; the big
ones (a 50 MB cell, zip bombs, an archive of 200 000 members) are built here at run time. For each: the
reader returns an error or notes (never raises), the message says what is wrong and what to do, the
command line exits 2 with the same message on stderr and no traceback, and nothing takes more than a
few seconds or blows up memory. Where rows are skipped, they are listed with their source row numbers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from kpi.cli import main
from kpi.errors import InputError
from kpi.pipeline import read_files
from kpi.read.recognise import read_export
from kpi.read.schema import Kind
from kpi.settings import Limits
from tests import make_corpus as mc

ROOT = Path(__file__).resolve().parents[2]
BY_NAME = {c.file: c for c in mc.CASES}
REFUSED = [c for c in mc.CASES if c.outcome in ("error", "too_many_rows")]
#: Every refusal tells the person what to do, in one of these words.
WHAT_TO_DO = re.compile(r"загрузите|выгрузите|откройте|сохраните|сформируйте|проверьте|выберите|исправьте", re.I)
MONTH = ["--month", "2026-11"]


def corpus(name: str) -> bytes:
    return (mc.CORPUS / name).read_bytes()


def limits_for(case: mc.Case) -> Limits:
    return Limits(max_rows=mc.MANY_ROWS_LIMIT) if case.outcome == "too_many_rows" else Limits()


def timed_read(name: str, data: bytes, limits: Limits | None = None):
    start = time.perf_counter()
    parsed = read_export(name, data, limits=limits or Limits())
    return parsed, time.perf_counter() - start


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_corpus_is_complete_small_and_current():
    """The committed files are exactly what the generator makes (so nobody edits them by hand)."""
    pytest.importorskip("msoffcrypto")  # the generator's own needs (requirements-dev.txt)
    pytest.importorskip("xlwt")
    built = mc.corpus_files()
    committed = {p.name for p in mc.CORPUS.iterdir() if p.name != "README.md"}
    assert committed == set(built) == set(BY_NAME)
    assert sum(len(d) for d in built.values()) < 100_000
    stale = [n for n, d in built.items() if corpus(n) != d]
    assert not stale, f"run `python -m tests.make_corpus`: {stale}"


# --- refusals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.file)
def test_refused_with_a_message_naming_the_file(case):
    parsed, seconds = timed_read(case.file, corpus(case.file), limits_for(case))
    err = parsed.report.error
    assert not parsed.ok and isinstance(err, InputError)
    assert err.code == case.code, (err.code, err.message)
    assert err.file == case.file and str(err).startswith(f"файл «{case.file}»")
    assert WHAT_TO_DO.search(err.message), err.message
    assert seconds < 3


@pytest.mark.parametrize("case", [c for c in REFUSED if c.outcome == "error"], ids=lambda c: c.file)
def test_cli_exits_2_with_the_same_message(case, capsys):
    expected = read_export(case.file, corpus(case.file)).report.error
    assert main(["connect", str(mc.CORPUS / case.file), *MONTH, "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == {"error": expected.problem.to_json()}  # --json: the error as JSON on stdout
    assert err == f"Ошибка: {expected}\n"


@pytest.mark.parametrize(
    ("file", "args", "env"),
    [("empty.csv", MONTH, None), ("password.xlsx", MONTH, None), ("zip_bomb.xlsx", MONTH, None),
     ("no_period.csv", [], None), ("many_rows.csv", MONTH, {"KPI_MAX_ROWS": str(mc.MANY_ROWS_LIMIT)})],
)
def test_cli_subprocess_exit_2_without_traceback(file, args, env):
    """The real entry point, for representative cases; the row limit comes from the environment."""
    proc = run_cli("connect", str(mc.CORPUS / file), *args, "--json", env=env)
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["error"]["file"] == file
    assert proc.stderr.startswith(f"Ошибка: файл «{file}»: ")
    assert "Traceback" not in proc.stderr


def test_other_files_are_still_read_beside_a_bad_one():
    parsed = read_files([("password.xlsx", corpus("password.xlsx")), ("utf16.csv", corpus("utf16.csv")),
                         ("empty.csv", b"")])
    assert [p.ok for p in parsed] == [False, True, False]
    assert parsed[1].report.rows_used == 4


def test_text_file_with_a_known_table_is_read_whatever_its_name():
    """The bytes decide, not the name: a real CSV renamed to .xlsx is simply read."""
    parsed = read_export("переименован.xlsx", corpus("no_period.csv"))
    assert parsed.ok and parsed.report.fmt == "csv"


# --- read, with rows listed --------------------------------------------------------------------------

def test_flag_values_that_are_not_yes_no_skip_those_rows_only(capsys):
    parsed = read_export("bad_flags.csv", corpus("bad_flags.csv"))
    r = parsed.report
    assert r.error is None and r.kind is Kind.CONNECT_CLIENTS
    assert [(n.kind, n.row, n.column) for n in r.notes] == [
        ("skipped", 7, "Коммуникации в отчетном месяце"), ("skipped", 9, "Коммуникации в -1 месяце")]
    assert [n.code for n in r.notes] == ["flag-invalid", "flag-invalid"]
    assert [n.param["value"] for n in r.notes] == ["может быть", "?"]
    assert (r.rows_read, r.rows_used) == (6, 4)
    assert parsed.table["_client"].tolist() == [row[0] for row in mc.STATS_ROWS]

    assert main(["connect", str(mc.CORPUS / "bad_flags.csv"), *MONTH, "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["base"] == 3  # the three «Клиенты 1С» that were kept
    assert f"Внимание: {r.notes[0]}" in err and f"Внимание: {r.notes[1]}" in err
    assert [n.row for n in r.notes] == [7, 9]


def test_unreadable_dates_in_a_log_skip_those_rows_and_keep_the_rest(capsys):
    parsed = read_export("bad_dates_log.csv", corpus("bad_dates_log.csv"))
    r = parsed.report
    assert r.error is None and r.kind is Kind.CONNECT_LOG
    assert [(n.kind, n.row) for n in r.notes] == [("skipped", 3), ("skipped", 5)]
    assert [n.code for n in r.notes] == ["date-invalid", "date-invalid"]
    assert [n.param["value"] for n in r.notes] == ["вчера вечером", "31.02.2026 10:00:00"]
    assert r.rows_used == 3
    # an ISO stamp with an offset and an Excel serial number written with a decimal comma are dates
    assert parsed.table["_event_time"].tolist() == [pd.Timestamp("2026-11-02 10:15"), pd.Timestamp("2026-11-05 09:00"),
                                                    pd.Timestamp("2023-03-15 12:00")]
    assert main(["connect", str(mc.CORPUS / "bad_dates_log.csv"), *MONTH, "--base", "10", "--json"]) == 0
    assert "строка 3" in capsys.readouterr().err


def test_unreadable_last_communication_date_is_a_warning_not_a_skip():
    text = mc.csv_text([mc.STATS_HEADER, [*mc.STATS_ROWS[0][:-1], "когда-то"], *mc.STATS_ROWS[1:]],
                       title=mc.STATS_TITLE)
    r = read_export("stats.csv", text.encode("cp1251")).report
    assert r.rows_used == 4
    assert [(n.kind, n.row, n.column) for n in r.notes] == [("warning", 6, "Дата последней коммуникации")]


def test_no_period_and_no_month_chosen_names_the_file(capsys):
    assert read_export("no_period.csv", corpus("no_period.csv")).ok  # reading is fine; the month is missing
    assert main(["connect", str(mc.CORPUS / "no_period.csv"), "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == "month-missing" and err.startswith("Ошибка: файл «no_period.csv»: ")
    assert "Период" in err and "Выберите отчетный месяц" in err
    assert main(["connect", str(mc.CORPUS / "no_period.csv"), *MONTH, "--json"]) == 0  # chosen: fine


# --- formats that are read ---------------------------------------------------------------------------

def test_utf16_tab_separated_csv_is_read(capsys):
    r = read_export("utf16.csv", corpus("utf16.csv")).report
    assert r.error is None and r.kind is Kind.CONNECT_CLIENTS
    assert (r.encoding, r.separator, r.header_row, r.rows_used) == ("utf-16", "\t", 5, 4)
    assert r.period_month == pd.Period("2026-11", "M")
    assert main(["connect", str(mc.CORPUS / "utf16.csv"), "--json"]) == 0  # month from the title
    assert json.loads(capsys.readouterr().out)["month"] == "2026-11"


def test_utf16_without_bom_is_read():
    data = mc.csv_text([mc.STATS_HEADER, *mc.STATS_ROWS], sep="\t").encode("utf-16-le")
    r = read_export("u.txt", data).report
    assert r.error is None and (r.encoding, r.rows_used) == ("utf-16-le", 4)


def test_old_binary_xls_is_read():
    parsed = read_export("old_binary.xls", corpus("old_binary.xls"))
    r = parsed.report
    assert r.error is None, r.error
    assert (r.fmt, r.kind, r.sheet, r.header_row, r.rows_used) == ("xls", Kind.CONNECT_CLIENTS, "Отчет", 5, 4)
    assert r.period_month == pd.Period("2026-11", "M")
    assert parsed.table["_client"].tolist()[1] == "ИП Петров Пётр Петрович"
    assert parsed.table["_comm_m0"].tolist() == [True, False, False, True]


# --- hostile archives, built at run time --------------------------------------------------------------

def _refused_fast(name: str, data: bytes, limits: Limits | None = None, code: str = "", **params: object,
                  ) -> InputError:
    tracemalloc.start()
    try:
        parsed, seconds = timed_read(name, data, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = parsed.report.error
    assert isinstance(err, InputError) and err.file == name, err
    assert err.code == code, (err.code, err.message)
    assert {k: err.problem.param[k] for k in params} == params
    assert seconds < 2 and peak < 50 * 2**20, (seconds, peak)
    return err


def test_zip_bomb_declaring_gigabytes_is_refused_before_parsing():
    err = _refused_fast("bomb.xlsx", mc.zip64_bomb(6 * 2**30), None, "zip-bomb", size_mb="6 144")
    assert WHAT_TO_DO.search(err.message)


def test_archive_that_really_inflates_past_the_limit_is_refused():
    data = mc.inflating_bomb(64 * 2**20)  # 64 MB of spaces in the sheet, ~70 KB compressed
    _refused_fast("inflate.xlsx", data, Limits(max_unzipped_bytes=32 * 2**20), "zip-bomb", size_mb="64",
                  limit_mb="32")
    assert read_export("inflate.xlsx", data).ok  # within the default limit it is an honest workbook


def test_archive_that_understates_its_size_is_refused_while_reading():
    """The directory says 5 000 bytes; the sheet inflates to 64 MB. The zip reader stops at the lie."""
    err = _refused_fast("liar.xlsx", mc.inflating_bomb(64 * 2**20, declared=5000), None,
                        read_export("liar.xlsx", mc.inflating_bomb(64 * 2**20, declared=5000)).report.error.code)
    assert err.code in ("workbook-unreadable", "sheet-unreadable", "file-damaged")


@pytest.mark.parametrize("claimed", [None, 1])
def test_archive_with_a_huge_directory_is_refused_before_listing_it(claimed):
    _refused_fast("members.xlsx", mc.many_members_zip(200_000, claimed), None, "zip-too-many-parts")


def test_damaged_member_inside_an_intact_archive():
    data = bytearray(mc.xlsx([mc.STATS_HEADER, *mc.STATS_ROWS]))
    at = data.index(b"xl/worksheets/sheet1.xml") + 40  # inside the sheet's compressed data
    data[at:at + 64] = b"\x00" * 64
    err = read_export("broken.xlsx", bytes(data)).report.error
    assert isinstance(err, InputError) and err.file == "broken.xlsx"
    assert err.code in ("workbook-unreadable", "sheet-unreadable", "file-damaged"), err.code


# --- a 50 MB cell --------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_50_mb_cell_is_cut_with_a_note_and_the_rest_is_read(fmt):
    data = mc.long_cell_csv() if fmt == "csv" else mc.long_cell_xlsx()
    parsed, seconds = timed_read(f"cell.{fmt}", data)
    r = parsed.report
    assert r.error is None and r.rows_used == 4
    limit = Limits().max_cell_chars
    (note,) = r.notes
    assert (note.kind, note.row, note.column) == ("warning", 7, "Клиент")
    assert note.code == "cell-cut" and note.param["length"] == "52 428 800"
    assert parsed.table.loc[7, "Клиент"] == "x" * limit
    assert parsed.table["ИНН"].tolist() == [row[1] for row in mc.STATS_ROWS]
    assert seconds < 5


# VmHWM is this process's peak resident memory; ru_maxrss would carry the forking pytest process's peak over exec
_MEASURE = ("import re, sys\nfrom kpi.cli import main\nrc = main(sys.argv[1:])\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print('MAXRSS', hwm, file=sys.stderr)\nsys.exit(rc)\n")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_reads_a_50_mb_cell_within_memory_and_time(fmt, tmp_path):
    path = tmp_path / f"cell.{fmt}"
    path.write_bytes(mc.long_cell_csv() if fmt == "csv" else mc.long_cell_xlsx())
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, "connect", str(path), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    sheet = ", лист «Отчет»" if fmt == "xlsx" else ""
    assert f"Внимание: файл «cell.{fmt}»{sheet}, строка 7, столбец «Клиент»" in proc.stderr
    assert "Traceback" not in proc.stderr
    rss_mb = int(re.search(r"MAXRSS (\d+)", proc.stderr).group(1)) / 1024
    assert rss_mb < 500 and seconds < 10, (rss_mb, seconds)


def test_row_limit_is_checked_for_workbooks_too():
    rows = [["Клиент", "ИНН"], *[[f"ООО {i}", f"77{i:08d}"] for i in range(30)]]
    err = read_export("big.xlsx", mc.xlsx(rows), limits=Limits(max_rows=10)).report.error
    assert isinstance(err, InputError) and err.code == "too-many-rows"
    assert (err.problem.param["count"], err.problem.param["limit"]) == ("30 строк", "10")


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_skipped_rows_keep_their_line_numbers_past_cells_spanning_lines(newline):
    """A header cell with a line break (as the vendor writes «Коммуникации в / отчетном месяце») and a note
    typed with Alt+Enter: the bad flag further down is reported on the line where its row starts."""
    lines = ["Клиент;ИНН;\"Коммуникации в\nотчетном месяце\";Комментарий",   # lines 1–2
             "ООО «А»;7701234567;Да;\"позвонить\nпосле обеда\nв пятницу\"",   # lines 3–5
             "ООО «Б»;7702345678;нет;",                                       # line 6
             "ООО «В»;7703456789;может быть;",                                # line 7
             "ООО «Г»;7704567890;Да;\"\"\"цитата\"\"\""]                      # line 8
    data = "\n".join(lines).replace("\n", newline).encode("utf-8")
    r = read_export("multi.csv", data).report
    assert r.error is None and r.header_row == 1
    assert [(n.row, n.column) for n in r.notes] == [(7, "Коммуникации в отчетном месяце")]
