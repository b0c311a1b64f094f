"""Who to call: each client's status for the reporting month, the filters, and the download's columns.

The status table has one row per client with the flags the filters need; the silent list is the
status table filtered to known clients (base list or per-client export) without a communication in
the chosen scope. The download keeps every source column under its own name and adds the date of the
last communication where any input knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kpi.compute.connect import ConnectData
from kpi.compute.quarter import ClientType, qtd_months, window_months

Scope = Literal["month", "quarter"]

LAST_COMM_LABEL = "Дата последней коммуникации"
STATUS_LABELS = {
    "comm_month": "Коммуникации в отчетном месяце",
    "comm_qtd": "Коммуникации в квартале",
    "comm_window": "Коммуникации в отчетном, -1 или -2 месяцах",
    "auth_window": "Авторизация в отчетном, -1 и -2 месяцах",  # the vendor report's wording
}


@dataclass(frozen=True)
class ClientFilter:
    """The filters a manager sets; each ``True`` narrows the list (they combine with AND)."""

    client_type: ClientType = "1c"
    no_comm_month: bool = False  # the seed's «Коммуникации в отчетном месяце = Нет»
    no_comm_quarter: bool = False
    no_auth_window: bool = False
    known_only: bool = True
    responsible: tuple[str, ...] = ()
    search: str = ""


def client_status(data: ConnectData, month: pd.Period) -> pd.DataFrame:
    """Every client with ``comm_month``, ``comm_qtd``, ``comm_window``, ``auth_window`` (NA if unknown)."""
    c = data.clients.copy(deep=False)  # copy-on-write: the status columns added here leave ``data`` as it is
    a = data.activity
    ordinals = a["month"].array.asi8
    at = c.index.get_indexer(a["key"].to_numpy())  # each activity row's client, by position (-1: none)
    flags = {"comm": a["comm"].fillna(False).astype(bool).to_numpy() & (at >= 0),
             "auth": a["auth"].fillna(False).astype(bool).to_numpy() & (at >= 0)}

    def flag(months: list[pd.Period], what: str = "comm") -> pd.Series:
        hit = np.zeros(len(c), dtype=bool)
        hit[at[np.isin(ordinals, [m.ordinal for m in months]) & flags[what]]] = True
        return pd.Series(hit, index=c.index)

    c["comm_month"] = flag([month])
    c["comm_qtd"] = flag(qtd_months(month))
    c["comm_window"] = flag(window_months(month))
    if data.has_auth:
        c["auth_window"] = flag(window_months(month), "auth").astype("boolean")
    else:
        c["auth_window"] = pd.Series(pd.NA, index=c.index, dtype="boolean")
    return c


def apply_filter(status: pd.DataFrame, f: ClientFilter) -> pd.DataFrame:
    """The rows of ``status`` that pass every filter of ``f``."""
    keep = pd.Series(True, index=status.index)
    if f.client_type == "1c":
        keep &= status["_is_1c"]
    if f.known_only:
        keep &= status["_known"]
    if f.no_comm_month:
        keep &= ~status["comm_month"]
    if f.no_comm_quarter:
        keep &= ~status["comm_qtd"]
    if f.no_auth_window:
        keep &= ~status["auth_window"].fillna(False).astype(bool)
    if f.responsible:
        keep &= status["_responsible"].isin(f.responsible)
    if f.search.strip():
        needle = f.search.strip().lower()
        text = status["_client"].fillna("").str.lower()
        for c in ("_inn", "_code", "_regnum"):
            text = text + " " + status[c].fillna("")
        keep &= text.str.contains(needle, regex=False)
    return status[keep]


def silent_clients(data: ConnectData, month: pd.Period, scope: Scope = "month",
                   client_type: ClientType = "1c") -> pd.DataFrame:
    """Known clients of the type with no communication in the reporting month or in the quarter to date."""
    f = ClientFilter(client_type=client_type, no_comm_month=scope == "month", no_comm_quarter=scope == "quarter")
    return apply_filter(client_status(data, month), f)


def responsible_people(status: pd.DataFrame) -> list[str]:
    """Names in the «Ответственный» column, for the filter's choices (empty when the data has none)."""
    return sorted(status["_responsible"].dropna().unique().tolist())


def export_frame(rows: pd.DataFrame, data: ConnectData, with_status: bool = False) -> pd.DataFrame:
    """The download: every source column under its own name, «Клиент»/«ИНН» added from any input when no
    source column held them, and the last communication date. Parsed dates replace their source text so
    the file holds real dates, not text that Excel may misread."""
    out = pd.DataFrame(index=rows.index)
    for c in data.source_columns:
        out[c] = rows.get(c, pd.NA)
    for pos, (label, name) in enumerate((("Клиент", "client"), ("ИНН", "inn"))):
        if label in out:
            out[label] = out[label].fillna(rows["_" + name])
        elif not data.field_columns.get(name):
            out.insert(pos, label, rows["_" + name])
    for c in data.field_columns.get("last_auth", []):
        out[c] = rows["_last_auth"]
    last_cols = data.field_columns.get("last_comm", [])
    for c in last_cols:
        out[c] = rows["_last_comm"]
    if not last_cols:
        out[LAST_COMM_LABEL] = rows["_last_comm"]
    if with_status:
        for key, label in STATUS_LABELS.items():
            if key in rows and label not in out:
                out[label] = rows[key]
    return out.reset_index(drop=True)
