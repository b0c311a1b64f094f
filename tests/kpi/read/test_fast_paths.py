"""Each hand-written fast path of the reader against the plain pandas code it stands for.

* ``values._common_dates`` (the usual «31.03.2021 14:05:09» shapes read from the bytes) against
  ``pd.to_datetime(format=...)``, impossible dates included; ``parse_datetime`` as a whole against the
  formats tried one after the other;
* the cleaners (``_already_clean``, ``as_text``, ``leading_bytes``, ``maybe_blank``) against ``.str.strip()``
  and Python's own view of the text;
* the CSV reader (pandas' pyarrow engine, ``ingest._csv_frame``) against pandas' C parser on generated
  cp1251 / UTF-8 files with «;» or «,», quotes, separators and line breaks inside cells.

Text columns are built as Arrow strings in several chunks and sliced (a chunk with its own offset), the
layouts the shortcuts in ``kpi/arrowtext.py`` must read right. Example counts stay modest: the quick run
must stay under a minute on two cores (``KPI_FUZZ_SCALE`` multiplies them).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.read import ingest, values
from kpi.settings import Limits
from tests.helpers import FUZZ_SCALE

_SCALE = FUZZ_SCALE
PROPS = settings(max_examples=60 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TZ = "Europe/Moscow"


def arrow_text(cells: list[str | None], cut: int = 0, skip: int = 0) -> pd.Series:
    """``cells`` as a ``str`` Series in Arrow chunks split at ``cut``, without its first ``skip`` cells."""
    cut = min(cut, len(cells))
    parts = [cells[:cut], cells[cut:]] if cut else [cells]
    chunked = pa.chunked_array([pa.array(p, type=pa.large_string()) for p in parts], type=pa.large_string())
    s = pd.Series(pd.array(chunked, dtype="str"))
    return s.iloc[skip:].reset_index(drop=True) if skip else s


def layouts(cells: st.SearchStrategy) -> st.SearchStrategy:
    """A list of cells and where to split it into chunks and how much of its front to slice off."""
    return st.tuples(st.lists(cells, max_size=30), st.integers(0, 30), st.integers(0, 3))


# --- dates ---------------------------------------------------------------------------------------------

_FORMATS = {  # the shapes of values._COMMON_SHAPES and the format the plain path reads each with
    "DD.MM.YYYY hh:mm:ss": "%d.%m.%Y %H:%M:%S",
    "DD.MM.YYYY h:mm:ss": "%d.%m.%Y %H:%M:%S",
    "DD.MM.YYYY hh:mm": "%d.%m.%Y %H:%M",
    "DD.MM.YYYY h:mm": "%d.%m.%Y %H:%M",
    "DD.MM.YYYY": "%d.%m.%Y",
}


@st.composite
def date_texts(draw: st.DrawFn) -> str | None:
    """A cell in one of the common shapes with field values in and out of range (day 0–39, month 0–13,
    hour up to 25, minute and second up to 61, years around the fast path's 1900–2200), or something near it."""
    kind = draw(st.sampled_from(["shape", "shape", "shape", "other", "missing"]))
    if kind == "missing":
        return None
    if kind == "other":
        return draw(st.sampled_from(["", " ", "31.03.2021  14:05:09", "31.03.2021 14:05:09 ", "31-03-2021",
                                     "2021-03-31 14:05:09", "3.3.2021", "31.03.21", "31.03.2021 4:5",
                                     "ab.cd.efgh", "31.0З.2021", "２０.03.2021", "31.03.2021 14:05:0x",
                                     "31.03.2021T14:05:09", "44286,5"]))
    day, month = draw(st.integers(0, 39)), draw(st.integers(0, 13))
    year = draw(st.sampled_from([1899, 1900, 1999, 2000, 2020, 2021, 2023, 2024, 2100, 2200, 2201, 9999]))
    hour, minute, second = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
    shape = draw(st.sampled_from(list(_FORMATS)))
    text = f"{day:02d}.{month:02d}.{year:04d}"
    if "h" in shape:
        text += f" {hour:02d}:{minute:02d}" if "hh" in shape else f" {hour}:{minute:02d}"
        if "ss" in shape:
            text += f":{second:02d}"
    return text


def _plain(cell: str | None) -> pd.Timestamp:
    """The cell read the plain way: each common format tried in turn with ``pd.to_datetime``."""
    if cell is None:
        return pd.NaT
    for fmt in dict.fromkeys(_FORMATS.values()):
        stamp = pd.to_datetime(pd.Series([cell]), format=fmt, errors="coerce").iloc[0]
        if not pd.isna(stamp):
            return stamp
    return pd.NaT


@PROPS
@given(layouts(date_texts()))
def test_common_dates_equal_to_datetime_with_a_format(layout) -> None:
    cells, cut, skip = layout
    text = arrow_text(cells, cut, skip)
    ok, stamps = values._common_dates(text)
    for i, cell in enumerate(cells[skip:]):
        if ok[i]:  # taken by the fast path: exactly what to_datetime gives, never a date it refuses
            assert pd.Timestamp(stamps[i]) == _plain(cell), cell


@PROPS
@given(layouts(date_texts()))
def test_parse_datetime_equal_to_the_formats_one_after_another(layout) -> None:
    cells, cut, skip = layout
    got, bad = values.parse_datetime(arrow_text(cells, cut, skip), TZ)
    for i, cell in enumerate(cells[skip:]):
        expected = _plain(cell.strip() if cell is not None else None)
        if cell is None or not cell.strip():  # nothing written: missing, never a bad date
            assert pd.isna(got.iloc[i]) and not bad.iloc[i], repr(cell)
            continue
        if pd.isna(expected):  # other shapes (ISO, serial numbers) are not this test's business
            if cell is not None and values._common_dates(arrow_text([cell.strip()]))[0][0]:
                pytest.fail(f"{cell!r} taken by the fast path but refused by to_datetime")
            continue
        assert got.iloc[i] == expected, cell
        assert not bad.iloc[i]


@pytest.mark.parametrize("cell", ["31.02.2021", "30.02.2024", "29.02.2023", "29.02.1900", "31.04.2021 10:00",
                                  "01.13.2021", "00.01.2021", "01.00.2021", "01.01.2021 24:00", "01.01.2021 23:60",
                                  "32.01.2021 00:00:00"])
def test_impossible_dates_are_refused_alike(cell: str) -> None:
    assert pd.isna(_plain(cell))
    assert not values._common_dates(arrow_text([cell]))[0][0]
    got, bad = values.parse_datetime(arrow_text([cell, "29.02.2024"]), TZ)
    assert pd.isna(got.iloc[0]) and bad.iloc[0]
    assert got.iloc[1] == pd.Timestamp("2024-02-29") and not bad.iloc[1]


def test_a_leap_second_is_left_to_to_datetime() -> None:
    # ``%S`` takes 60 (the next minute); the fast path leaves such a cell to the plain path, which agrees.
    got, bad = values.parse_datetime(arrow_text(["01.01.2021 23:59:60"]), TZ)
    assert got.iloc[0] == _plain("01.01.2021 23:59:60") == pd.Timestamp("2021-01-02") and not bad.iloc[0]


# --- cleaners ------------------------------------------------------------------------------------------

#: Every character Python calls whitespace, a few that look like it but are not, and ordinary text.
_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"
_NEAR = "\u200b\u180e\ufeff\u00ad"
_PIECES = ["nan", "NaN", "None", "NaT", "NA", "n", "N", "Nat", "null", "Да", "ООО «Ромашка»", "x", "7701234567",
           "№ 5", "é", "€", "日本"]
cell_texts = st.one_of(
    st.none(),
    st.lists(st.one_of(st.sampled_from(list(_SPACES + _NEAR)), st.sampled_from(_PIECES)), max_size=4).map("".join),
    st.text(max_size=6),
)


def _stripped(s: pd.Series) -> pd.Series:
    """``as_text``'s plain reference for a text column: ``.str.strip()``, then empty and «nan»-like cells missing."""
    out = s.str.strip()
    return out.mask(out.eq("") | out.isin(["nan", "NaN", "None", "NaT"]))


@PROPS
@given(layouts(cell_texts))
def test_cleaners_agree_with_str_strip(layout) -> None:
    cells, cut, skip = layout
    col = arrow_text(cells, cut, skip)
    reference = _stripped(col)
    if values._already_clean(col):  # "nothing to do" must be true
        pd.testing.assert_series_equal(col, reference, check_names=False)
    pd.testing.assert_series_equal(values.as_text(col), reference, check_names=False)
    objects = pd.Series(cells[skip:], dtype=object)  # a workbook's column: the same answer
    assert _cells(values.as_text(objects)) == _cells(reference)


def _cells(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else v for v in s]


@pytest.mark.parametrize("space", list(_SPACES))
def test_already_clean_sees_every_whitespace_at_either_end(space: str) -> None:
    words = ["Да", "ООО «Ромашка»", "Пётр", "x", "7701234567"]
    assert values._already_clean(arrow_text(words))
    for cell in ("слово" + space, space + "слово", "ab" + space, space):
        col = arrow_text([*words, cell], cut=2)
        assert not values._already_clean(col), repr(cell)
        got = values.as_text(col).iloc[-1]
        assert pd.isna(got) if not cell.strip() else got == cell.strip()


@PROPS
@given(layouts(cell_texts))
def test_leading_bytes_and_maybe_blank(layout) -> None:
    cells, cut, skip = layout
    col = arrow_text(cells, cut, skip)
    first, second = values.leading_bytes(col)
    maybe = values.maybe_blank(col)
    for i, cell in enumerate(cells[skip:]):
        raw = (cell or "").encode("utf-8")
        assert (first[i], second[i]) == ((raw + b"\0\0")[0], (raw + b"\0\0")[1])
        if cell is None or not cell.strip():
            assert maybe[i], repr(cell)  # a blank cell is never called surely filled
    assert values.leading_bytes(pd.Series(["a"], dtype=object)) is None


inn_cells = st.one_of(st.none(), st.text("0123456789", min_size=0, max_size=12),
                      st.sampled_from(["7715845919.0", "7715845919,00", " 7701234567", "77-01", "ИНН 7701", "12.5",
                                       "", " ", "500100732259", "INN7701234567", "7701234567x", "7~7"]))


@PROPS
@given(layouts(inn_cells), st.integers(0, 1))
def test_normalize_inn_equal_to_its_regexes(layout, many) -> None:
    cells, cut, skip = layout
    col = arrow_text(cells * (1 + many), cut, skip)  # repeated values go through per_value's distinct values
    text = _stripped(col).str.replace(r"[.,]0+$", "", regex=True).str.replace(r"\D", "", regex=True)
    digits = text.mask(text.eq(""))
    expected = digits.mask(digits.str.len().isin([9, 11]), "0" + digits)
    assert _cells(values.normalize_inn(col)) == _cells(expected)


# --- CSV: pandas' pyarrow engine against the C parser ---------------------------------------------------

_CSV_CELLS = ["", " ", "Да", "нет", "ООО «Ромашка»", "a;b", "a,b", 'say "hi"', '"', "x\ny", "x\r\ny", "№ 5",
              "0012", "7701234567", "31.03.2021 14:05:09", "nan", "NULL", " padded ", "Ёлка", "\t"]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str, str, int, int]:
    """(bytes, encoding as the reader names it, separator, title lines above the header, columns)."""
    sep = draw(st.sampled_from([";", ","]))
    encoding = draw(st.sampled_from(["cp1251", "utf-8-sig"]))
    width = draw(st.integers(1, 5))
    header = [f"Столбец {i}" for i in range(width)]
    rows = draw(st.lists(st.lists(st.sampled_from(_CSV_CELLS), min_size=width, max_size=width), max_size=25))
    titles = draw(st.integers(0, 2))
    out = io.StringIO(newline="")
    for t in range(titles):
        out.write(f"Заголовок отчёта {t}\r\n")
    writer = csv.writer(out, delimiter=sep, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    data = text.encode("cp1251") if encoding == "cp1251" else text.encode("utf-8-sig")
    return data, encoding, sep, titles, width


def _c_parser(data: bytes, encoding: str, sep: str, skip: int) -> pd.DataFrame:
    errors = "replace" if encoding != "utf-8-sig" else "strict"
    return pd.read_csv(io.BytesIO(data), encoding=encoding, encoding_errors=errors, sep=sep, skiprows=skip,
                       engine="c", **ingest._CSV_OPTIONS)


@PROPS
@given(csv_files())
def test_csv_pyarrow_engine_equal_to_the_c_parser(file) -> None:
    data, encoding, sep, skip, width = file
    expected = _c_parser(data, encoding, sep, skip)
    got = ingest._csv_frame(data, encoding, sep, skip, width, Limits(), [])
    pd.testing.assert_frame_equal(got, expected)
    try:  # and where pyarrow reads the file itself, the very same frame
        arrow = pd.read_csv(io.BytesIO(data), engine="pyarrow", sep=sep, skiprows=skip,
                            encoding="utf-8" if encoding == "utf-8-sig" else encoding, **ingest._CSV_OPTIONS)
    except ValueError:
        return
    pd.testing.assert_frame_equal(arrow, expected)


def test_csv_plain_file_is_read_by_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    engines: list[str] = []
    read_csv = pd.read_csv

    def spy(*args, **kwargs):
        engines.append(kwargs.get("engine", "c"))
        return read_csv(*args, **kwargs)

    monkeypatch.setattr(ingest.pd, "read_csv", spy)
    data = "Отчёт\r\nКлиент;ИНН\r\nООО «Ромашка»;0012\r\n;\r\n".encode("cp1251")
    frame = ingest._csv_frame(data, "cp1251", ";", 1, 2, Limits(), [])
    assert engines == ["pyarrow"]
    assert frame.to_dict("list") == {"Клиент": ["ООО «Ромашка»", np.nan], "ИНН": ["0012", np.nan]}
    assert frame.dtypes.eq("str").all()
    engines.clear()
    ingest._csv_frame("A;B\r\n1;2\r\n1;2;3\r\n".encode("cp1251"), "cp1251", ";", 0, 2, Limits(), cut := [])
    assert engines == ["pyarrow", "c", "python"] and cut == [1]  # a ragged row: C parser, then tolerant reader


@PROPS
@given(layouts(cell_texts))
def test_leading_four_bytes(layout) -> None:
    cells, cut, skip = layout
    got = values.leading_bytes(arrow_text(cells, cut, skip), 4)
    for i, cell in enumerate(cells[skip:]):
        raw = ((cell or "").encode("utf-8") + b"\0" * 4)[:4]
        assert tuple(int(g[i]) for g in got) == tuple(raw)


totals_cells = st.lists(st.one_of(st.none(), st.sampled_from(
    ["Итого", "итого:", "ИТОГО", "ИТого", "Итоги", "ИП Иванов", "Иванов", "Всего", "ВСЕГО клиентов", "всего",
     "Вектор", "ВСЕ", " Итого", "\u00a0итого", "Total", "total:", "TOTALS", "Тотал", "И", "Ит", "Вс", "Итог",
     "Итого2", "ООО Итого", "", " "]), st.text(max_size=6)), min_size=1, max_size=20)


@PROPS
@given(totals_cells, st.integers(0, 3))
def test_totals_rows_narrowed_by_bytes_equal_the_plain_check(cells, cut) -> None:
    from kpi.read.recognise import _totals_rows

    col = arrow_text(cells, cut)
    narrowed = _totals_rows(pd.DataFrame({"Клиент": col}))
    plain = _totals_rows(pd.DataFrame({"Клиент": pd.Series(cells, dtype=object)}))  # no bytes: every row looked at
    assert narrowed.tolist() == plain.tolist()
