"""The downloads opened by a real spreadsheet program (LibreOffice Calc, headless), not only by readers.

openpyxl and calamine are lenient; an office opens the file in Excel or LibreOffice. LibreOffice converts
the written .xlsx back to CSV here: text that looks like a formula must stay text, dates must be dates.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pandas as pd
import pytest

from kpi.write.export import sheets_to_xlsx_bytes, to_xlsx_bytes

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _to_csv(tmp_path, data: bytes, name: str = "list.xlsx") -> list[list[str]]:
    src = tmp_path / name
    src.write_bytes(data)
    # 59 = «;», 34 = «"», 76 = UTF-8, 1 = from line 1; formatted values as shown in the cell
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true', "--outdir", str(tmp_path),
                    str(src)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / name.replace(".xlsx", ".csv")).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_formula_looking_text_stays_text_and_dates_are_dates(tmp_path):
    df = pd.DataFrame({
        "Клиент": ["=1+2", "+7 (912) 345-67-89", "-минус", "@SUM(A1)", "<script>alert(1)</script>"],
        "ИНН": ["0274012345", "7701234567", "500100732259", "7701234568", "7701234569"],
        "Дата последней коммуникации": pd.to_datetime(["2026-11-05 14:05:00", None, "2026-10-01 00:00:00", None, None]),
        "Клиентов": [1, 2, 3, 4, 5],
    })
    rows = _to_csv(tmp_path, to_xlsx_bytes(df))
    assert rows[0] == ["Клиент", "ИНН", "Дата последней коммуникации", "Клиентов"]
    names = [r[0] for r in rows[1:]]
    assert names == ["=1+2", "+7 (912) 345-67-89", "-минус", "@SUM(A1)", "<script>alert(1)</script>"]
    assert rows[1][1] == "0274012345"  # leading zero kept: ИНН is text
    # a real date cell shows in the column's format; "=1+2" would show 3 had it become a formula
    assert rows[1][2] == "05.11.2026 14:05:00" and rows[3][2] == "01.10.2026 00:00:00"
    assert rows[1][3] == "1"


def test_workbook_with_several_sheets_opens(tmp_path):
    data = sheets_to_xlsx_bytes([("Сводка", pd.DataFrame({"Сотрудник": ["Аня"], "Клиентов": [2]})),
                                 ("Аня", pd.DataFrame({"Клиент": ["А", "Б"]}))])
    rows = _to_csv(tmp_path, data, "split.xlsx")  # the first sheet is converted
    assert rows == [["Сотрудник", "Клиентов"], ["Аня", "2"]]
