"""The hand-written xlsx writer against the frame it was given, read back by openpyxl and by calamine.

Generated frames mix what the downloads carry: text that looks like a formula («=1+2», «+7 (912)…», «-5»,
«@SUM(A1)»), codes with leading zeros, 12-digit ИНН as text, XML's special characters, «_x0041_», line
breaks and padding; integers (those of 16+ digits are written as text, Excel would round them), floats,
dates with and without a time of day, booleans («Да»/«Нет») and missing cells of every kind. Both readers
must give back every cell as it was: text as text (never a formula), numbers as numbers, dates as dates.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import python_calamine as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.write.export import to_xlsx_bytes
from tests.helpers import FUZZ_SCALE

_SCALE = FUZZ_SCALE
PROPS = settings(max_examples=40 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORDS = ["=1+2", "=HYPERLINK(\"http://x\")", "+7 (912) 291-86-18", "-5", "@SUM(A1)", "007", "0105012345",
          "770123456789", "500100732259", "ООО «Ромашка» & Co <b>", "_x0041_", "строка\nвторая", "a\r\nb", " padded ",
          "\tTab", "Ёлка", "№ 5", "1,5", "31.03.2021", "TRUE", "Да"]
texts = st.one_of(st.sampled_from(_WORDS),
                  st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"],
                                        exclude_characters="\ufffe\uffff") | st.sampled_from("\t\n\r"),
                          min_size=1, max_size=12))
stamps = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2200, 12, 31))


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 15))
    col = lambda s: draw(st.lists(s, min_size=n, max_size=n))  # noqa: E731
    days = col(st.one_of(st.none(), st.dates(min_value=date(1900, 3, 1), max_value=date(2200, 12, 31))))
    moments = col(st.one_of(st.none(), stamps.map(lambda d: d.replace(microsecond=0))))
    return pd.DataFrame({
        "Клиент": pd.Series(col(st.one_of(st.none(), texts)), dtype=object),
        "Текст": pd.array(col(st.one_of(st.none(), texts)), dtype="str"),
        "Целое": pd.Series(col(st.integers(-10**17, 10**17)), dtype=np.int64),
        "Дробное": pd.Series(col(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))),
                             dtype=np.float64),
        "Дата": pd.to_datetime(pd.Series([pd.Timestamp(d) if d else None for d in days], dtype=object)),
        "Момент": pd.to_datetime(pd.Series(moments, dtype=object)),
        "Флаг": pd.Series(col(st.booleans()), dtype=bool),
    })


def _expected(df: pd.DataFrame) -> list[list[object]]:
    """Each cell as a reader should give it back: None for a missing cell."""
    rows = []
    for record in df.astype(object).itertuples(index=False):
        row: list[object] = []
        for name, v in zip(df.columns, record, strict=True):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                row.append(None)
            elif isinstance(v, bool | np.bool_):
                row.append("Да" if v else "Нет")
            elif name == "Целое":
                row.append(int(v) if abs(int(v)) < 10**15 else str(int(v)))
            elif isinstance(v, pd.Timestamp):
                row.append(v.to_pydatetime())
            else:
                row.append(v)
        rows.append(row)
    return rows


def _same(got: object, want: object, empty: object) -> bool:
    if want is None:
        return got is None or got == empty
    if isinstance(want, datetime):
        return isinstance(got, date) and pd.Timestamp(got) == pd.Timestamp(want)
    if isinstance(want, str):
        return isinstance(got, str) and got == want
    if isinstance(want, float | int):
        return isinstance(got, int | float) and not isinstance(got, bool) and float(got) == float(want)
    return got == want


@PROPS
@given(frames())
def test_xlsx_read_back_by_openpyxl_and_calamine_equals_the_frame(df: pd.DataFrame) -> None:
    data = to_xlsx_bytes(df)
    want = _expected(df)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    by_openpyxl = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_calamine = pc.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    for reader, rows, empty in (("openpyxl", by_openpyxl, None), ("calamine", by_calamine, "")):
        assert rows[0] == list(df.columns), reader
        assert len(rows) == len(df) + 1, reader
        for got_row, want_row in zip(rows[1:], want, strict=True):
            for name, got, expected in zip(df.columns, got_row, want_row, strict=True):
                assert _same(got, expected, empty), (reader, name, got, expected)
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no text became a formula
