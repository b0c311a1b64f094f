"""The downloads: file names that carry the period, and the bytes (pure functions, tested directly).

The pages hand the builders to ``st.download_button`` as callables, so a large list is written only
when someone clicks, not on every rerun.
"""

from __future__ import annotations

import re

import pandas as pd

from kpi.buhfon import BuhfonData, BuhfonResult, buhfon_export_frame
from kpi.connect import ConnectData
from kpi.export import to_csv_bytes, to_xlsx_bytes
from kpi.fmt import MONTHS_RU, month_label, quarter_code, quarter_label
from kpi.quarter import QuarterSummary
from kpi.silent import export_frame

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("_")


def silent_file_name(s: QuarterSummary, ext: str) -> str:
    """«молчащие_клиенты_2026-Q4_ноябрь.xlsx»."""
    return _safe(f"молчащие_клиенты_{quarter_code(s.quarter)}_{MONTHS_RU[s.month.month - 1]}") + f".{ext}"


def silent_title(s: QuarterSummary) -> str:
    return f"Молчащие клиенты: {quarter_label(s.quarter)}, отчетный месяц {month_label(s.month)}"


def silent_frame(rows: pd.DataFrame, data: ConnectData) -> pd.DataFrame:
    """The columns of the silent-client download (and of the list on the page)."""
    return export_frame(rows, data, with_status=True)


def silent_xlsx(rows: pd.DataFrame, data: ConnectData, s: QuarterSummary) -> bytes:
    return to_xlsx_bytes(silent_frame(rows, data), sheet_name="Молчащие клиенты", title=silent_title(s))


def silent_csv(rows: pd.DataFrame, data: ConnectData) -> bytes:
    return to_csv_bytes(silent_frame(rows, data))


def buhfon_file_name(r: BuhfonResult, ext: str) -> str:
    """«1С-Бухфон_без_запуска_2026-11-01_2026-11-20.xlsx» (the period, where the export states it)."""
    parts = [d.isoformat() for d in (r.period_from, r.period_to) if d is not None] or [r.as_of.isoformat()]
    return _safe("1С-Бухфон_без_запуска_" + "_".join(parts)) + f".{ext}"


def buhfon_xlsx(rows: pd.DataFrame, data: BuhfonData, r: BuhfonResult) -> bytes:
    title = "1С-Бухфон: пользователи без запуска программы"
    if r.period_from and r.period_to:
        title += f" за {r.period_from:%d.%m.%Y} – {r.period_to:%d.%m.%Y}"
    return to_xlsx_bytes(buhfon_export_frame(rows, data), sheet_name="Без запуска", title=title)


def buhfon_csv(rows: pd.DataFrame, data: BuhfonData) -> bytes:
    return to_csv_bytes(buhfon_export_frame(rows, data))
