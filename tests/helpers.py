"""Small builders for test inputs: exports as the vendor and Excel write them, in memory."""

from __future__ import annotations

import io
import os

import openpyxl

#: Property tests run this many times their quick number of examples (``KPI_FUZZ_SCALE=20`` for a long fuzz).
FUZZ_SCALE = max(1, int(os.environ.get("KPI_FUZZ_SCALE", "1") or 1))


def csv_bytes(rows: list[list[object]], encoding: str = "cp1251", sep: str = ";", title: list[str] = ()) -> bytes:
    """A CSV as Russian Excel saves it: optional title lines above the header, CRLF line ends."""
    def cell(v: object) -> str:
        text = "" if v is None else str(v)
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in (sep, "\n", '"')) else text

    lines = [*title, *(sep.join(cell(v) for v in r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]], title: list[str] = (), sheet: str = "Отчет",
               first_sheet: list[list[object]] | None = None) -> bytes:
    """An .xlsx with the table on ``sheet`` below ``title`` rows; optionally another sheet before it."""
    wb = openpyxl.Workbook()
    ws0 = wb.active
    if first_sheet is not None:
        ws0.title = "Параметры"
        for r in first_sheet:
            ws0.append(r)
        ws = wb.create_sheet(sheet)
    else:
        ws0.title = sheet
        ws = ws0
    for t in title:
        ws.append([t])
    for r in rows:
        ws.append(r)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula (openpyxl's trap)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
