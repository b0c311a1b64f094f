"""Downloads reopened by independent readers: openpyxl and calamine for xlsx, the csv module for CSV."""

import csv
import io
import zipfile
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kpi.errors import ComputeError
from kpi.write import export
from kpi.write.export import (
    safe_text_series,
    sanitize_sheet_names,
    sheets_to_xlsx_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
)

DANGEROUS = ["=1+2", "+7 (912) 345-67-89", "-x", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","x")']


def clients() -> pd.DataFrame:
    """A small client list with every kind of column the app exports."""
    n = len(DANGEROUS) + 2
    return pd.DataFrame({
        "Клиент": [*DANGEROUS, "ООО «Ромашка»", None],
        "Дата ИТС": pd.to_datetime(["2021-03-31", "2026-11-01", None, *["2026-01-09"] * (n - 3)]),
        "Коммуникаций": list(range(-1, n - 1)),
        "Доля": [0.5, -2.25, np.nan, *[1 / 3] * (n - 3)],
        "Активен": [True, False] * (n // 2) + [True] * (n % 2),
    })


def open_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def read_calamine(data: bytes, **kw) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), engine="calamine", **kw)


# --------------------------------------------------------------------------------------------------
# xlsx: layout


def test_xlsx_header_bold_frozen_and_filtered():
    df = clients()
    ws = open_xlsx(to_xlsx_bytes(df)).active
    assert ws.title == "Список"
    assert [c.value for c in ws[1]] == list(df.columns)
    assert all(c.font.b for c in ws[1])
    assert not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:E{len(df) + 1}"
    assert ws.max_row == len(df) + 1 and ws.max_column == 5


def test_xlsx_title_row_moves_the_table_down():
    df = clients()
    ws = open_xlsx(to_xlsx_bytes(df, sheet_name="Клиенты", title="Клиенты без коммуникаций, ноябрь 2026")).active
    assert ws.title == "Клиенты"
    assert ws["A1"].value == "Клиенты без коммуникаций, ноябрь 2026" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == list(df.columns)
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:E{len(df) + 2}"
    assert ws["A3"].value == "=1+2"


def test_xlsx_column_widths_follow_content():
    df = pd.DataFrame({"№": [1, 2], "Наименование клиента": ["ООО " + "Р" * 40, "ИП"], "x": ["ж" * 500, "a"]})
    ws = open_xlsx(to_xlsx_bytes(df)).active
    widths = {k: ws.column_dimensions[k].width for k in "ABC"}
    assert 6 <= widths["A"] < 10  # short numbers: the floor
    assert 44 <= widths["B"] <= 50  # the 44-character name fits
    assert widths["C"] == 60  # capped


def test_xlsx_width_uses_longest_line_of_multiline_text():
    ws = open_xlsx(to_xlsx_bytes(pd.DataFrame({"t": ["\n".join(["строка"] * 30)]}))).active
    assert ws.column_dimensions["A"].width < 15


# --------------------------------------------------------------------------------------------------
# xlsx: values and types


def test_xlsx_dangerous_strings_stay_text_never_formulas():
    df = pd.DataFrame({"Клиент": DANGEROUS})
    data = to_xlsx_bytes(df)
    ws = open_xlsx(data).active
    for row, text in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s", text
        assert cell.value == text
    # No formula element anywhere in the sheet, whatever a reader makes of it.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
    assert read_calamine(data)["Клиент"].tolist() == DANGEROUS


def test_xlsx_dates_are_real_dates_with_russian_format():
    df = pd.DataFrame({
        "Дата": pd.to_datetime(["2021-03-31", "2026-11-01", None]),
        "Момент": pd.to_datetime(["2021-03-31 14:05:07", "2026-11-01 00:00:00", None]),
        "№": [1, 2, 3],
    })
    data = to_xlsx_bytes(df)
    ws = open_xlsx(data).active
    assert ws["A2"].value == datetime(2021, 3, 31) and ws["A2"].is_date
    assert ws["A2"].number_format == "DD.MM.YYYY"
    assert ws["A4"].value is None
    # One value with a time of day gives the whole column the time format.
    assert ws["B2"].value == datetime(2021, 3, 31, 14, 5, 7)
    assert ws["B3"].value == datetime(2026, 11, 1)
    assert ws["B2"].number_format == ws["B3"].number_format == "DD.MM.YYYY HH:MM:SS"
    back = read_calamine(data)
    assert back["Дата"].tolist()[:2] == [pd.Timestamp("2021-03-31"), pd.Timestamp("2026-11-01")]
    assert pd.isna(back["Дата"].iloc[2])
    assert back["Момент"].iloc[0] == pd.Timestamp("2021-03-31 14:05:07")


def test_xlsx_timezone_aware_dates_keep_wall_clock():
    df = pd.DataFrame({"t": pd.to_datetime(["2026-11-01 10:00"]).tz_localize("Asia/Yekaterinburg")})
    assert open_xlsx(to_xlsx_bytes(df)).active["A2"].value == datetime(2026, 11, 1, 10, 0)


def test_xlsx_numbers_booleans_and_missing():
    df = clients()
    data = to_xlsx_bytes(df)
    ws = open_xlsx(data).active
    assert ws["C2"].value == -1 and ws["C2"].data_type == "n"  # a negative number stays a number
    assert ws["D3"].value == -2.25 and ws["D3"].data_type == "n"
    assert ws["D4"].value is None
    assert ws["D5"].value == pytest.approx(1 / 3, abs=0)
    assert [ws[f"E{r}"].value for r in (2, 3)] == ["Да", "Нет"]
    assert ws[f"A{len(df) + 1}"].value is None


def test_xlsx_read_back_with_calamine_equals_frame():
    df = clients()
    back = read_calamine(to_xlsx_bytes(df))
    assert list(back.columns) == list(df.columns)
    assert back["Клиент"].tolist()[:-1] == df["Клиент"].tolist()[:-1] and pd.isna(back["Клиент"].iloc[-1])
    pd.testing.assert_series_equal(back["Коммуникаций"], df["Коммуникаций"], check_dtype=False)
    pd.testing.assert_series_equal(back["Доля"], df["Доля"], check_dtype=False)
    assert back["Дата ИТС"].tolist()[:2] == df["Дата ИТС"].tolist()[:2]
    assert back["Активен"].tolist() == ["Да" if v else "Нет" for v in df["Активен"]]


def test_xlsx_nullable_categorical_and_object_columns():
    df = pd.DataFrame({
        "Int64": pd.array([1, None, 3], dtype="Int64"),
        "boolean": pd.array([True, None, False], dtype="boolean"),
        "Float64": pd.array([0.5, None, 2.0], dtype="Float64"),
        "категория": pd.Categorical(["б", "а", None]),
        "str": pd.array(["x", None, "=y"], dtype="string"),
        "смесь": [1, "текст", True],
        "даты": [date(2026, 1, 2), None, date(2026, 3, 4)],
    })
    ws = open_xlsx(to_xlsx_bytes(df)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == [1, "Да", 0.5, "б", "x", 1, datetime(2026, 1, 2)]
    assert rows[1] == [None, None, None, "а", None, "текст", None]
    assert rows[2] == [3, "Нет", 2, None, "=y", "Да", datetime(2026, 3, 4)]  # True is not the number 1
    assert ws["G2"].number_format == "DD.MM.YYYY"


def test_xlsx_keeps_long_codes_and_old_dates_exact_as_text():
    df = pd.DataFrame({
        "счёт": [40702810900000012345, 1],
        "дата": [date(1812, 9, 7), date(2026, 1, 1)],
    }, dtype=object)
    ws = open_xlsx(to_xlsx_bytes(df)).active
    assert ws["A2"].value == "40702810900000012345" and ws["A2"].data_type == "s"
    assert ws["A3"].value == 1
    assert ws["B2"].value == "07.09.1812"  # Excel's calendar starts in 1900
    assert ws["B3"].value == datetime(2026, 1, 1)


def test_xlsx_strips_illegal_characters_and_keeps_the_rest():
    texts = ["a\x00b\x01c\x1fd", "tab\there", "line\nbreak", "cr\r\nlf", " lead", "trail ", "&<>\"'", "_x0041_"]
    data = to_xlsx_bytes(pd.DataFrame({"t": texts}))
    expected = ["abcd", *texts[1:]]
    ws = open_xlsx(data).active
    assert [ws.cell(row=r, column=1).value for r in range(2, len(texts) + 2)] == expected
    assert read_calamine(data, dtype=str)["t"].tolist() == expected


def test_xlsx_random_text_round_trips_exactly():
    """Tabs, CR, LF, spaces at the edges, XML specials, Cyrillic, NBSP, emoji: all come back as written."""
    rng = np.random.default_rng(5)
    alphabet = [chr(c) for c in [*range(0x20, 0x7F), 0x9, 0xA, 0xD, 0x401, 0x451, 0x410, 0x44F, 0xA0, 0x202F, 0x1F600]]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 12))) for _ in range(2000)] + ["конец"]
    data = to_xlsx_bytes(pd.DataFrame({"t": pd.Series(texts, dtype=object)}))
    ws = open_xlsx(data).active
    assert [c.value if c.value is not None else "" for c in ws["A"]][1:] == texts
    assert read_calamine(data, dtype=str, keep_default_na=False)["t"].tolist() == texts


def test_xlsx_cuts_text_to_excel_cell_limit():
    ws = open_xlsx(to_xlsx_bytes(pd.DataFrame({"t": ["я" * 40_000]}))).active
    assert ws["A2"].value == "я" * export.EXCEL_MAX_CELL_CHARS


def test_xlsx_empty_frames():
    ws = open_xlsx(to_xlsx_bytes(pd.DataFrame({"a": [], "b": []}))).active
    assert [c.value for c in ws[1]] == ["a", "b"]
    assert ws.auto_filter.ref == "A1:B1"
    ws = open_xlsx(to_xlsx_bytes(pd.DataFrame(), title="Пусто")).active
    assert ws["A1"].value == "Пусто"


def test_xlsx_odd_column_labels():
    df = pd.DataFrame([[1, 2, 3]], columns=["x", "x", 2026])
    ws = open_xlsx(to_xlsx_bytes(df)).active
    assert [c.value for c in ws[1]] == ["x", "x", "2026"]
    assert [c.value for c in ws[2]] == [1, 2, 3]
    multi = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("Q4", "клиентов"), ("Q4", "доля")]))
    ws = open_xlsx(to_xlsx_bytes(multi)).active
    assert [c.value for c in ws[1]] == ["Q4 / клиентов", "Q4 / доля"]


def test_xlsx_index_is_not_written():
    df = pd.DataFrame({"a": [1, 2]}, index=["x", "y"])
    ws = open_xlsx(to_xlsx_bytes(df)).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["a"], [1], [2]]


def test_xlsx_refuses_more_rows_than_excel_has(monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 4)
    to_xlsx_bytes(pd.DataFrame({"a": range(3)}))
    with pytest.raises(ComputeError) as exc:
        to_xlsx_bytes(pd.DataFrame({"a": range(4)}))
    assert exc.value.code == "list-too-long" and "CSV" in exc.value.message


def test_xlsx_many_chunks_stay_in_order(monkeypatch):
    monkeypatch.setattr(export, "_ROWS_PER_CHUNK", 7)
    n = 100
    df = pd.DataFrame({"n": range(n), "t": [f"строка {i}" for i in range(n)], "e": [None] * n})
    back = read_calamine(to_xlsx_bytes(df))
    assert back["n"].tolist() == list(range(n))
    assert back["t"].tolist() == df["t"].tolist()


def test_xlsx_large_frame_round_trip():
    n = 20_000
    rng = np.random.default_rng(1)
    df = pd.DataFrame({
        "Клиент": [f'ООО "Клиент {i}"' for i in range(n)],
        "Менеджер": rng.choice(["Иванова", "Петров", "=Сидоров"], n),
        "Дата": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        "Сумма": rng.integers(-1000, 1000, n),
    })
    back = read_calamine(to_xlsx_bytes(df))
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_background_compression_reports_errors_from_either_side():
    def failing_chunks():
        yield b"<ok/>"
        raise RuntimeError("сбой при сборке строк")

    with pytest.raises(RuntimeError), zipfile.ZipFile(io.BytesIO(), "w") as zf, export._PipedZip(zf) as out:
        out.put("a.xml", failing_chunks())
    with pytest.raises(TypeError), zipfile.ZipFile(io.BytesIO(), "w") as zf, export._PipedZip(zf) as out:
        out.put("a.xml", ["not bytes"])  # fails in the writer thread, raised here


# --------------------------------------------------------------------------------------------------
# xlsx: several sheets


def test_several_sheets_with_titles_and_shared_texts():
    summary = pd.DataFrame({"Менеджер": ["Иванова", "Петров"], "Клиентов": [2, 1]})
    ivanova = pd.DataFrame({"Клиент": ["=1+2", "ООО «Ромашка»"], "Менеджер": ["Иванова", "Иванова"]})
    petrov = pd.DataFrame({"Клиент": ["ООО «Ромашка»"], "Менеджер": ["Петров"]})
    data = sheets_to_xlsx_bytes([
        ("Сводка", summary, "Итоги за ноябрь 2026"),
        ("Иванова", ivanova),
        ("Петров/Сидоров", petrov),
    ])
    wb = open_xlsx(data)
    assert wb.sheetnames == ["Сводка", "Иванова", "Петров-Сидоров"]
    assert wb["Сводка"]["A1"].value == "Итоги за ноябрь 2026"
    assert wb["Сводка"].freeze_panes == "A3"
    assert wb["Иванова"].freeze_panes == "A2"
    assert wb["Иванова"].auto_filter.ref == "A1:B3"
    assert [[c.value for c in r] for r in wb["Иванова"].iter_rows()] == [
        ["Клиент", "Менеджер"], ["=1+2", "Иванова"], ["ООО «Ромашка»", "Иванова"]
    ]
    assert wb["Иванова"]["A2"].data_type == "s"
    assert [[c.value for c in r] for r in wb["Петров-Сидоров"].iter_rows()] == [
        ["Клиент", "Менеджер"], ["ООО «Ромашка»", "Петров"]
    ]
    sheets = pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=None)
    assert list(sheets) == ["Сводка", "Иванова", "Петров-Сидоров"]
    pd.testing.assert_frame_equal(sheets["Иванова"], ivanova)


def test_no_sheets_is_an_error():
    with pytest.raises(ValueError):
        sheets_to_xlsx_bytes([])


def test_duplicate_sheet_names_open_in_openpyxl():
    df = pd.DataFrame({"a": [1]})
    wb = open_xlsx(sheets_to_xlsx_bytes([("Лист", df), ("лист", df), ("ЛИСТ", df)]))
    assert wb.sheetnames == ["Лист", "лист (2)", "ЛИСТ (3)"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Итоги 01/2026"], ["Итоги 01-2026"]),
        (["a[1]:b*c?d\\e"], ["a(1)-b-c-d-e"]),
        (["'Кавычки'"], ["Кавычки"]),
        ([""], ["Лист"]),
        (["   "], ["Лист"]),
        (["History"], ["History (1)"]),
        (["строка\nдве\tтри"], ["строка две три"]),
        (["Я" * 40], ["Я" * 31]),
        (["Менеджер Константинопольская", "менеджер константинопольская"],
         ["Менеджер Константинопольская", "менеджер константинопольска (2)"]),
        (["Иванов"] * 3, ["Иванов", "Иванов (2)", "Иванов (3)"]),
        (["Иванов (2)", "Иванов", "Иванов"], ["Иванов (2)", "Иванов", "Иванов (3)"]),
    ],
)
def test_sanitize_sheet_names(names, expected):
    result = sanitize_sheet_names(names)
    assert result == expected
    for name in result:
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
    assert len({n.casefold() for n in result}) == len(result)


# --------------------------------------------------------------------------------------------------
# CSV


def read_csv_rows(data: bytes) -> list[list[str]]:
    """Rows as Excel sees them; the csv module reads a blank line (one empty field) as []."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    return [r or [""] for r in rows]


def test_csv_bom_separator_and_crlf():
    data = to_csv_bytes(clients())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.splitlines()[0] == "Клиент;Дата ИТС;Коммуникаций;Доля;Активен"
    assert text.endswith("\r\n")
    assert text.count("\n") == text.count("\r\n")  # every line end is CRLF…
    assert text.count("\r\n") == len(clients()) + 1  # …except where a field holds one (here: none)


def test_csv_neutralises_formula_cells_but_not_negative_numbers():
    rows = read_csv_rows(to_csv_bytes(clients()))
    first = [r[0] for r in rows[1:len(DANGEROUS) + 1]]
    assert first == ["'" + s for s in DANGEROUS]
    assert rows[1][2] == "-1"  # a negative number is a number: no quote added
    assert rows[2][3] == "-2,25"
    assert rows[len(DANGEROUS) + 1][0] == "ООО «Ромашка»"


def test_csv_dates_booleans_decimals_and_missing():
    rows = read_csv_rows(to_csv_bytes(clients()))
    assert rows[1][1:] == ["31.03.2021", "-1", "0,5", "Да"]
    assert rows[2][1:] == ["01.11.2026", "0", "-2,25", "Нет"]
    assert rows[3][1] == "" and rows[3][3] == ""
    assert rows[-1][0] == ""
    df = pd.DataFrame({"t": pd.to_datetime(["2021-03-31 14:05:07", "2021-04-01 00:00:00", None])})
    assert [r[0] for r in read_csv_rows(to_csv_bytes(df))[1:]] == ["31.03.2021 14:05:07", "01.04.2021 00:00:00", ""]


def test_csv_cyrillic_and_quoting_round_trip():
    df = pd.DataFrame({
        "Клиент": ['ООО "Ёлка; и Ко"', "ИП Щукин\nЭ.Ю.", "АО «Ъ»"],
        "Город": ["Москва", "Санкт-Петербург", "Южно-Сахалинск"],
    })
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df)), sep=";", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, df)


def test_csv_neutralises_header_and_mixed_columns():
    df = pd.DataFrame({"=cmd": ["=1", -5, 2.5, True, date(2026, 1, 2), None]})
    rows = read_csv_rows(to_csv_bytes(df))
    assert rows[0] == ["'=cmd"]
    assert [r[0] for r in rows[1:]] == ["'=1", "-5", "2,5", "Да", "02.01.2026", ""]


def test_csv_many_chunks_stay_in_order(monkeypatch):
    monkeypatch.setattr(export, "_ROWS_PER_CHUNK", 7)
    df = pd.DataFrame({"n": range(50), "t": [f"=строка {i}" for i in range(50)]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df)), sep=";", encoding="utf-8-sig")
    assert back["n"].tolist() == list(range(50))
    assert back["t"].tolist() == ["'" + t for t in df["t"]]


def test_csv_empty_frames():
    assert to_csv_bytes(pd.DataFrame()) == b"\xef\xbb\xbf"
    assert to_csv_bytes(pd.DataFrame({"a": [], "b": []})) == "\ufeffa;b\r\n".encode()


def test_csv_lone_surrogate_does_not_crash():
    data = to_csv_bytes(pd.DataFrame({"t": ["ok\udcff"]}, dtype=object))
    assert read_csv_rows(data)[1] == ["ok?"]


def test_safe_text_series():
    s = pd.Series(["=1+2", "+7", "-x", "@a", "\tx", "\rx", "ok", " =1", None, -5, 3.5], index=list("abcdefghijk"))
    out = safe_text_series(s)
    assert out.tolist()[:8] == ["'=1+2", "'+7", "'-x", "'@a", "'\tx", "'\rx", "ok", " =1"]
    assert out.iloc[8] is None and out.iloc[9] == -5 and out.iloc[10] == 3.5
    assert list(out.index) == list(s.index)
    numbers = pd.Series([-1, -2])
    assert safe_text_series(numbers) is numbers
    clean = pd.Series(["a", "b"], dtype="string")
    assert safe_text_series(clean) is clean
    assert safe_text_series(pd.Series(["=x"], dtype="string")).tolist() == ["'=x"]
