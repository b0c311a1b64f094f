"""The downloads: file names that carry the period, and the bytes (pure functions, tested directly).

The pages hand the builders to ``st.download_button`` as callables, so a large list is written only
when someone clicks, not on every rerun.
"""

from __future__ import annotations

import re

import pandas as pd

from kpi import texts as T
from kpi.compute.assign import SUMMARY_SHEET, Split, priority_order, split_sheets
from kpi.compute.buhfon import BuhfonData, BuhfonResult, buhfon_export_frame
from kpi.compute.connect import ConnectData
from kpi.compute.priority import PRIORITY_COLUMNS, PriorityResult
from kpi.compute.quarter import QuarterSummary
from kpi.compute.silent import export_frame
from kpi.fmt import MONTHS_RU, month_label, quarter_code, quarter_label
from kpi.write.export import sheets_to_xlsx_bytes, to_csv_bytes, to_xlsx_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("_")


def _period_file_name(prefix: str, s: QuarterSummary, ext: str) -> str:
    return _safe(f"{prefix}_{quarter_code(s.quarter)}_{MONTHS_RU[s.month.month - 1]}") + f".{ext}"


def silent_file_name(s: QuarterSummary, ext: str) -> str:
    """«молчащие_клиенты_2026-Q4_ноябрь.xlsx»."""
    return _period_file_name(T.DL_SILENT_FILE, s, ext)


def silent_title(s: QuarterSummary) -> str:
    return T.DL_SILENT_TITLE.format(quarter=quarter_label(s.quarter), month=month_label(s.month))


def silent_frame(rows: pd.DataFrame, data: ConnectData) -> pd.DataFrame:
    """The columns of the silent-client download (and of the list on the page)."""
    return export_frame(rows, data, with_status=True)


def silent_xlsx(rows: pd.DataFrame, data: ConnectData, s: QuarterSummary) -> bytes:
    return to_xlsx_bytes(silent_frame(rows, data), sheet_name=T.DL_SILENT_SHEET, title=silent_title(s))


def silent_csv(rows: pd.DataFrame, data: ConnectData) -> bytes:
    return to_csv_bytes(silent_frame(rows, data))


def buhfon_file_name(r: BuhfonResult, ext: str) -> str:
    """«1С-Бухфон_без_запуска_2026-11-01_2026-11-20.xlsx» (the period, where the export states it)."""
    parts = [d.isoformat() for d in (r.period_from, r.period_to) if d is not None] or [r.as_of.isoformat()]
    return _safe(T.DL_BUHFON_FILE + "_".join(parts)) + f".{ext}"


def buhfon_xlsx(rows: pd.DataFrame, data: BuhfonData, r: BuhfonResult) -> bytes:
    title = T.DL_BUHFON_TITLE
    if r.period_from and r.period_to:
        title += T.DL_BUHFON_TITLE_PERIOD.format(start=f"{r.period_from:%d.%m.%Y}", end=f"{r.period_to:%d.%m.%Y}")
    return to_xlsx_bytes(buhfon_export_frame(rows, data), sheet_name=T.DL_BUHFON_SHEET, title=title)


def buhfon_csv(rows: pd.DataFrame, data: BuhfonData) -> bytes:
    return to_csv_bytes(buhfon_export_frame(rows, data))


def split_file_name(s: QuarterSummary) -> str:
    """«звонки_по_сотрудникам_2026-Q4_ноябрь.xlsx»."""
    return _period_file_name(T.DL_SPLIT_FILE, s, "xlsx")


def split_xlsx(split: Split, data: ConnectData, s: QuarterSummary) -> bytes:
    """The per-person workbook: «Сводка» first, then one sheet per person, most worth a call first.

    Each person's sheet has the silent list's columns (as the one-sheet download) under a title naming
    the person and the month.
    """
    sheets = split_sheets(split, lambda rows: silent_frame(rows, data))
    titled: list[tuple[str, pd.DataFrame, str]] = []
    for name, frame in sheets:
        title = (T.DL_SPLIT_SUMMARY_TITLE.format(month=month_label(s.month)) if name == SUMMARY_SHEET
                 else T.DL_SPLIT_PERSON_TITLE.format(name=name, month=month_label(s.month)))
        titled.append((name, frame, title))
    return sheets_to_xlsx_bytes(titled)


def priority_file_name(s: QuarterSummary, ext: str) -> str:
    """«приоритетный_обзвон_2026-Q4_ноябрь.xlsx»."""
    return _period_file_name(T.DL_PRIORITY_FILE, s, ext)


def priority_frame(result: PriorityResult, data: ConnectData) -> pd.DataFrame:
    """The priority list's columns: the client's (as the silent list) plus ``PRIORITY_COLUMNS``, most
    worth a call first."""
    rows = priority_order(result.rows)
    frame = export_frame(rows, data)
    for c in PRIORITY_COLUMNS:
        frame[c] = rows[c].to_numpy()
    return frame


def priority_title(s: QuarterSummary) -> str:
    return T.DL_PRIORITY_TITLE.format(month=month_label(s.month))


def priority_xlsx(result: PriorityResult, data: ConnectData, s: QuarterSummary) -> bytes:
    return to_xlsx_bytes(priority_frame(result, data), sheet_name=T.DL_PRIORITY_SHEET, title=priority_title(s))


def priority_csv(result: PriorityResult, data: ConnectData) -> bytes:
    return to_csv_bytes(priority_frame(result, data))
