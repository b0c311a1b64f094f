"""Property-based tests: whatever bytes or table arrive, the reader answers with a result or its own error.

``read_export`` must return a ``Parsed`` (a table, or ``report.error`` holding an ``InputError``) and
``read_table`` may raise nothing but ``InputError``: a traceback on a shared server is a broken page for a
manager, and an unexpected exception type is how a hostile file finds a crash. Example counts are modest
so the whole file runs in well under 30 s on two cores (``KPI_FUZZ_SCALE`` multiplies them).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.errors import InputError
from kpi.read import schema as S
from kpi.read.ingest import read_table
from kpi.read.recognise import Parsed, read_export
from kpi.read.schema import Kind
from kpi.settings import Limits
from tests import make_corpus as mc
from tests.helpers import FUZZ_SCALE

LIMITS = Limits(max_rows=400, max_unzipped_bytes=8 * 2**20, max_cell_chars=200)
#: ``KPI_FUZZ_SCALE=20 pytest tests/test_properties.py`` digs deeper before a release; CI runs the modest default.
_SCALE = FUZZ_SCALE
FAST = settings(max_examples=120 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Header names as the vendor writes them (labels) and as the schema folds them (aliases).
HEADERS = sorted({f.label for spec in S.SPECS for f in spec.fields} | set(S.ALL_ALIASES))
CELL_WORDS = ["Да", "Нет", "да", "нет", "Yes", "No", "1", "0", "+", "-", "−", "", " ", "Итого", "Всего", "?",
              "03.09.2013 4:03:05", "31.02.2026", "2021-03-31T21:30:00Z", "2026-11-05T09:00:00+03:00", "44286.5",
              "45000,5", "7701234567", "500100732259", "Клиенты 1С", "Прочие клиенты", "Чат", "Звонок",
              "ООО «Ромашка»", "=1+2", "@SUM(A1)", '"', ";", "\t", "\r\n", "Период: Ноябрь 2026 г."]
TITLES = ["Статистика использования 1С-Коннект (по клиентам)", "Период: Март 2021 г.",
          "Период: 01.11.2026 - 20.11.2026", "Тип клиентов: Все клиенты", ""]

header_cell = st.one_of(st.sampled_from(HEADERS), st.text(max_size=12))
text_cell = st.one_of(st.sampled_from(CELL_WORDS), st.text(max_size=16))
xlsx_cell = st.one_of(text_cell, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False))


def check(name: str, data: bytes) -> Parsed:
    """The two promises, for one input."""
    parsed = read_export(name, data, limits=LIMITS)
    assert isinstance(parsed, Parsed)
    if parsed.report.error is not None:
        assert isinstance(parsed.report.error, InputError) and not parsed.ok
        assert parsed.report.error.file == name
    elif parsed.report.set_aside is not None:  # PBX calls, CRM deals, no log: set aside with a reason
        assert not parsed.ok and parsed.report.set_aside.severity == "warning"
        assert parsed.report.set_aside.file == name and parsed.report.decided_by
    else:
        assert parsed.ok and parsed.kind is not None
        if parsed.kind is Kind.VENDOR_SUMMARY:  # the vendor's summary alone: no table of clients
            assert parsed.report.vendor_summary is not None and parsed.report.rows_used == 0
        else:
            assert 0 < parsed.report.rows_used <= parsed.report.rows_read
        assert all(n.row is None or isinstance(n.row, int) for n in parsed.report.notes)
    with contextlib.suppress(InputError):  # anything else propagates and fails the test
        read_table(name, data, LIMITS)
    return parsed


@st.composite
def tables(draw: st.DrawFn, cell: st.SearchStrategy[object] = text_cell) -> tuple[list[str], list[list[object]],
                                                                                list[str]]:
    header = draw(st.lists(header_cell, min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 2), max_size=12))
    title = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    return header, rows, title


# --- arbitrary bytes ---------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data):
    check("x.csv", data)


@FAST
@given(st.binary(max_size=3000), st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                                   b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"<html>", b"<?xml"]))
def test_arbitrary_bytes_after_a_known_signature(data, signature):
    check("x.xlsx", signature + data)


_XLSX = mc.xlsx([*([t] for t in mc.STATS_TITLE), mc.STATS_HEADER, *mc.STATS_ROWS])
_XLS = (mc.CORPUS / "old_binary.xls").read_bytes()
_ENCRYPTED = (mc.CORPUS / "password.xlsx").read_bytes()


@SLOW
@given(st.sampled_from([_XLSX, _XLS, _ENCRYPTED]), st.data())
def test_damaged_real_workbooks(original, data):
    """A real workbook with a few bytes overwritten or cut off: the zip and OLE readers meet real damage."""
    buf = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(buf) - 1))
        chunk = data.draw(st.binary(min_size=1, max_size=16))
        buf[at:at + len(chunk)] = chunk
    if data.draw(st.booleans()):
        buf = buf[: data.draw(st.integers(1, len(buf)))]
    check("damaged.xlsx", bytes(buf))


@SLOW
@given(st.dictionaries(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                        "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "content.xml"]),
                       st.binary(max_size=400), min_size=1))
def test_archives_with_arbitrary_parts(parts):
    """A well-formed zip whose parts hold anything: calamine's XML side meets garbage."""
    good = mc.xlsx_parts([mc.STATS_HEADER, *mc.STATS_ROWS])
    good.update(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in good.items():
            zf.writestr(name, body)
    check("parts.xlsx", buf.getvalue())


# --- arbitrary tables ---------------------------------------------------------------------------------

@FAST
@given(tables(), st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]), st.sampled_from([";", ",", "\t"]))
def test_arbitrary_csv_tables(table, encoding, sep):
    header, rows, title = table
    text = mc.csv_text([header, *rows], sep=sep, title=title)
    check("t.csv", text.encode(encoding, errors="replace"))


@SLOW
@given(tables(xlsx_cell))
def test_arbitrary_xlsx_tables(table):
    header, rows, title = table
    check("t.xlsx", mc.xlsx([*([t] for t in title), header, *rows]))


@SLOW
@given(st.lists(st.sampled_from(mc.STATS_HEADER), min_size=1, max_size=9, unique=True),
       st.lists(st.lists(text_cell, min_size=9, max_size=9), min_size=1, max_size=15))
def test_known_headers_with_random_cells_keep_row_numbers(header, rows):
    """With a real header the file is read or refused as a whole; every note points at a real source row."""
    text = mc.csv_text([header, *[r[: len(header)] for r in rows]])
    parsed = check("k.csv", text.encode("utf-8"))
    if parsed.ok:
        last = len(re.split(r"\r\n|\r|\n", text.removesuffix("\r\n")))  # lines as Excel and the reader count them
        assert all(n.row is None or 2 <= n.row <= last for n in parsed.report.notes)
        assert all(isinstance(i, int) and 2 <= i <= last for i in parsed.table.index)
        assert isinstance(parsed.table, pd.DataFrame)
