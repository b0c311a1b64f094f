"""The ITS portal's «Отчет по договорам 1С:ИТС»: which clients are ITS clients on the report date.

The report has a row per contract: a client holds an ITS support contract (1С:КП ПРОФ, ИТСааС…) and
often services beside it (1СПАРК Риски, Контрагент…). The base is the distinct clients holding at least
one support contract in force on the report's date: «Начало» ≤ date ≤ «Конец», and not refused on or
before it («Отменена»: «Отказ с D», D ≤ date). Which kinds are support is a setting
(``rules.DEFAULT_ITS_KINDS``, matched by ``rules.is_support_kind``). A services-only client is not in the
base and not on the silent list.

A client is one by ИНН, else by Регномер, joined through «Дополнительные регномера»; across files the
identity closure of ``kpi.compute.connect`` joins the rows kept here with every other file's clients.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from kpi import errors as E
from kpi.read.recognise import Parsed
from kpi.read.schema import Kind
from kpi.rules import DEFAULT_ITS_KINDS, is_support_kind

#: The kind of the ITS contract report.
ITS_KIND = Kind.ITS_CONTRACTS

_EXTRA_SPLIT = re.compile(r"[;,\s]+")


def is_its(parsed: Parsed) -> bool:
    return parsed.ok and parsed.kind == ITS_KIND


def split_regnums(text: object) -> list[str]:
    """«200001904946;200000289498» (or with commas or spaces) → the numbers, in order, without blanks."""
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return []
    return [t for t in _EXTRA_SPLIT.split(str(text).strip()) if t]


def support_flags(kinds: pd.Series, patterns: Sequence[str] = DEFAULT_ITS_KINDS) -> np.ndarray:
    """Per row, whether its contract kind is support (each distinct kind judged once)."""
    codes, uniques = pd.factorize(kinds, use_na_sentinel=True)
    judged = np.array([is_support_kind(str(k), tuple(patterns)) for k in uniques] + [False], dtype=bool)
    return judged[np.asarray(codes)]


def report_date(parsed: Parsed, fallback: date) -> tuple[date, E.Problem | None]:
    """The date the report is «от» (its title); else ``fallback`` with an ``its-no-date`` warning."""
    found = parsed.report.report_date
    if found is not None:
        return found, None
    return fallback, E.make("its-no-date", parsed.report.file, date=fallback.strftime("%d.%m.%Y"))


def _dates(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series(pd.NaT, index=table.index, dtype="datetime64[us]")
    return pd.to_datetime(table[column], errors="coerce", dayfirst=True)


def in_force(table: pd.DataFrame, on: date, patterns: Sequence[str] = DEFAULT_ITS_KINDS) -> np.ndarray:
    """Per row: a support contract in force on ``on`` (started, not ended, not refused on or before it).

    A missing «Начало» or «Конец» leaves that side open; a missing kind is not support."""
    day = pd.Timestamp(on)
    start, end, refused = _dates(table, "_start"), _dates(table, "_end"), _dates(table, "_refused_from")
    kinds = table["_its_kind"] if "_its_kind" in table else pd.Series(pd.NA, index=table.index, dtype="str")
    ok = support_flags(kinds, patterns)
    ok &= (start.isna() | (start <= day)).to_numpy()
    ok &= (end.isna() | (end >= day)).to_numpy()
    ok &= (refused.isna() | (refused > day)).to_numpy()
    return ok


def client_ids(table: pd.DataFrame) -> pd.Series:
    """A client's identity inside one report: its ИНН, else its Регномер, else its name (for counting kinds)."""
    out = pd.Series(pd.NA, index=table.index, dtype="object")
    for c, tag in (("_client", "n:"), ("_regnum", "r:"), ("_inn", "i:")):  # the last wins
        if c in table:
            v = table[c]
            has = v.notna().to_numpy() & (v.astype("str").str.strip() != "").fillna(False).to_numpy()
            out[has] = tag + v[has].astype("str").str.strip()
    return out


def its_kinds_table(parsed: Parsed | Sequence[Parsed],
                    patterns: Sequence[str] = DEFAULT_ITS_KINDS) -> pd.DataFrame:
    """Every contract kind of the ITS reports with its number of distinct clients and whether it counts as
    support under ``patterns`` — for the app's kind picker. Sorted: support first, then most clients."""
    files = [parsed] if isinstance(parsed, Parsed) else list(parsed)
    parts = []
    for p in files:
        if is_its(p) and p.table is not None and "_its_kind" in p.table:
            t = p.table
            parts.append(pd.DataFrame({"kind": t["_its_kind"].astype("str"), "client": client_ids(t)}))
    if not parts:
        return pd.DataFrame({"kind": pd.Series(dtype="str"), "clients": pd.Series(dtype="int64"),
                             "support": pd.Series(dtype=bool)})
    rows = pd.concat(parts, ignore_index=True).dropna(subset=["kind"])
    counts = rows.dropna(subset=["client"]).drop_duplicates().groupby("kind").size()
    kinds = sorted(set(rows["kind"]))
    out = pd.DataFrame({"kind": kinds, "clients": [int(counts.get(k, 0)) for k in kinds]})
    out["support"] = [is_support_kind(k, tuple(patterns)) for k in kinds]
    return out.sort_values(["support", "clients", "kind"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def its_base_rows(parsed: Parsed, on: date, patterns: Sequence[str] = DEFAULT_ITS_KINDS) -> pd.DataFrame:
    """The rows of one ITS report whose support contract is in force on ``on`` (every column kept)."""
    t = parsed.table
    assert t is not None
    return t[in_force(t, on, patterns)]
