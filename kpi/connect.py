"""Join the 1С-Коннект inputs into one client table and one activity table.

Several files describe the same clients: a client base list, the vendor's per-client statistics (which
carries flags for the reporting month and the two before it) and a communication log (one row per chat,
call or remote session). Here they become:

* ``clients`` — one row per client (index ``key``), every source column kept, plus ``_is_1c``,
  ``_known`` (listed in a base list or per-client export) and ``_last_comm``;
* ``activity`` — one row per (client, month) with ``comm`` and, where known, ``auth``.

The same client twice (same code, or same ИНН, or same registration number, or the same name where
nothing else identifies it) is one client: flags are OR-ed and the merge is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi import schema as S
from kpi.errors import InputError, Note
from kpi.recognise import Parsed, col
from kpi.rules import is_1c_client_types
from kpi.schema import Kind
from kpi.values import normalize_name

CONNECT_KINDS = (Kind.CLIENT_BASE, Kind.CONNECT_CLIENTS, Kind.CONNECT_LOG)
_ID_FIELDS = ("_code", "_inn", "_regnum")


@dataclass
class ConnectData:
    """Everything the quarter computations need, independent of how many files it came from."""

    clients: pd.DataFrame
    activity: pd.DataFrame
    source_columns: list[str]
    has_base_list: bool
    has_client_stats: bool
    has_log: bool
    has_auth: bool
    notes: list[Note] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: field name (``client``, ``inn``, ``last_comm`` …) → the source headers that held it
    field_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def months(self) -> list[pd.Period]:
        """Months for which any activity is known, oldest first."""
        return sorted(set(self.activity["month"].unique())) if len(self.activity) else []


def file_month(parsed: Parsed, month: pd.Period | None) -> pd.Period:
    """The reporting month of a per-client export: its title's period, else the month the user chose."""
    if parsed.report.period_month is not None:
        return parsed.report.period_month
    if month is not None:
        return month
    raise InputError(parsed.report.file, "не удалось определить отчетный месяц: в заголовке отчёта нет строки "
                                         "«Период: …». Выберите отчетный месяц вручную.")


def build_connect(parsed: list[Parsed], month: pd.Period | None = None) -> ConnectData:
    """Combine the 1С-Коннект files of ``parsed`` (other kinds are ignored) into ``ConnectData``."""
    files = [p for p in parsed if p.ok and p.kind in CONNECT_KINDS]
    known_parts: list[pd.DataFrame] = []
    log_parts: list[pd.DataFrame] = []
    source_columns: list[str] = []
    stats_months: list[pd.Period] = []
    errors: list[InputError] = []
    for p in files:
        t = p.table
        assert t is not None
        t = t.assign(_file=p.report.file, _row=t.index)
        if p.kind is Kind.CONNECT_LOG:
            log_parts.append(t)
            continue
        if p.kind is Kind.CONNECT_CLIENTS:
            try:
                stats_months.append(file_month(p, month))
            except InputError as err:
                errors.append(err)
                continue
            t = t.assign(_file_month=stats_months[-1])
        for c in t.columns:
            if not c.startswith("_") and c not in source_columns:
                source_columns.append(c)
        known_parts.append(t)

    known = pd.concat(known_parts, ignore_index=True) if known_parts else pd.DataFrame()
    log = pd.concat(log_parts, ignore_index=True) if log_parts else pd.DataFrame()
    for frame in (known, log):
        for c in ("_client", "_inn", "_code", "_regnum", "_client_type", "_responsible"):
            if len(frame) and c not in frame:
                frame[c] = pd.Series(pd.NA, index=frame.index, dtype="str")

    field_columns: dict[str, list[str]] = {}
    for p in files:
        if p.kind is not Kind.CONNECT_LOG:
            for src, name in p.report.fields.items():
                if src in source_columns and src not in field_columns.setdefault(name, []):
                    field_columns[name].append(src)
    known_key, log_key, notes = _assign_keys(known, log)
    clients = _client_table(known, known_key, log, log_key, source_columns)
    notes += _merge_notes(known, known_key)
    activity = _activity(known, known_key, log, log_key)
    return ConnectData(
        clients=clients, activity=activity, source_columns=source_columns,
        has_base_list=any(p.kind is Kind.CLIENT_BASE for p in files),
        has_client_stats=bool(stats_months),
        has_log=bool(log_parts), has_auth=bool(len(known)) and col(S.AUTH_M0) in known, notes=notes, errors=errors,
        field_columns=field_columns)


def _ident_strings(frame: pd.DataFrame) -> pd.Series:
    """One identity string per row, most specific first, so millions of log rows factorise fast."""
    name = normalize_name(frame["_client"])
    ident = "n:" + name
    for c, tag in (("_regnum", "r:"), ("_inn", "i:"), ("_code", "c:")):
        ident = (tag + frame[c]).fillna(ident)
    return ident


def _assign_keys(known: pd.DataFrame, log: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[Note]]:
    """Give every row of ``known`` and ``log`` an integer client key (connected identities share one)."""
    parts = [f for f in (known, log) if len(f)]
    if not parts:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), []
    idents = pd.concat([_ident_strings(f) for f in parts], ignore_index=True)
    codes, _uniques = pd.factorize(idents, use_na_sentinel=False)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    both = pd.concat([f[["_client", "_inn", "_code", "_regnum"]] for f in parts], ignore_index=True)
    u = both.iloc[first].reset_index(drop=True)
    u["_name"] = normalize_name(u["_client"])
    label = np.arange(len(u), dtype=np.int64)
    identified = u[list(_ID_FIELDS)].notna().any(axis=1).to_numpy()
    for _ in range(20):  # label propagation: connected components over shared code / ИНН / рег. номер
        before = label.copy()
        for c in _ID_FIELDS:
            has = u[c].notna().to_numpy()
            if has.any():
                label[has] = pd.Series(label[has]).groupby(u.loc[has, c].to_numpy()).transform("min").to_numpy()
        if np.array_equal(before, label):
            break
    name_only = ~identified & u["_name"].notna().to_numpy()
    if name_only.any():
        named = pd.DataFrame({"name": u.loc[identified, "_name"], "label": label[identified]}).dropna()
        per_name = named.drop_duplicates().groupby("name")["label"]
        unique_name = per_name.min()[per_name.nunique() == 1]
        lookup = u.loc[name_only, "_name"].map(unique_name)
        found = lookup.notna().to_numpy()
        idx = np.flatnonzero(name_only)
        label[idx[found]] = lookup[found].astype(np.int64).to_numpy()
        rest = idx[~found]
        if len(rest):  # the same name without other identity is one client
            label[rest] = pd.Series(label[rest]).groupby(u.loc[rest, "_name"].to_numpy()).transform("min").to_numpy()
    row_label = label[codes]
    n_known = len(known)
    return row_label[:n_known], row_label[n_known:], []


def _client_table(known: pd.DataFrame, known_key: np.ndarray, log: pd.DataFrame, log_key: np.ndarray,
                  source_columns: list[str]) -> pd.DataFrame:
    """One row per client: the first non-empty value of every column among its rows."""
    ident = ["_client", "_inn", "_code", "_regnum", "_client_type", "_responsible"]
    frames = []
    if len(known):
        keep = [c for c in (*source_columns, *ident, col(S.LAST_COMM), col(S.LAST_AUTH)) if c in known]
        k = known[keep].assign(key=known_key, _known=True)
        k = k.groupby("key", sort=False).first() if pd.Index(known_key).has_duplicates else k.set_index("key")
        frames.append(k)
    if len(log):
        lg = log[ident].assign(key=log_key, _last_comm_log=log[col(S.EVENT_TIME)])
        last = lg.groupby("key")["_last_comm_log"].max()
        lg = lg.drop(columns="_last_comm_log").drop_duplicates("key").set_index("key")
        if frames:
            base = frames[0]
            missing = lg.index.difference(base.index)
            base = pd.concat([base, lg.loc[missing].assign(_known=False)])
            for c in ident:  # fill identity the known rows lack (a log may carry the ИНН a list left out)
                base[c] = base[c].fillna(lg[c].reindex(base.index))
            frames[0] = base
        else:
            frames.append(lg.assign(_known=False))
        clients = frames[0]
        clients["_last_comm_log"] = last.reindex(clients.index)
        clients["_last_specialist"] = _last_specialist(log, log_key).reindex(clients.index)
    else:
        clients = frames[0] if frames else pd.DataFrame(columns=[*ident, "_known"])
        clients["_last_comm_log"] = pd.Series(pd.NaT, index=clients.index, dtype="datetime64[us]")
        clients["_last_specialist"] = pd.Series(pd.NA, index=clients.index, dtype="str")
    stats_last = clients.get(col(S.LAST_COMM))
    last = clients["_last_comm_log"]
    if stats_last is not None:
        last = pd.concat([last, stats_last.astype("datetime64[us]")], axis=1).max(axis=1)
    clients["_last_comm"] = last.astype("datetime64[us]")
    clients["_is_1c"] = is_1c_client_types(clients["_client_type"])
    clients["_known"] = clients["_known"].fillna(False).astype(bool)
    clients.index.name = "key"
    return clients.drop(columns="_last_comm_log")


def _last_specialist(log: pd.DataFrame, log_key: np.ndarray) -> pd.Series:
    """Who served each client last (the log's «Специалист» of its latest communication), for splitting calls."""
    if col(S.SPECIALIST) not in log:
        return pd.Series(dtype="str")
    frame = pd.DataFrame({"key": log_key, "t": log[col(S.EVENT_TIME)].to_numpy(),
                          "who": log[col(S.SPECIALIST)].to_numpy()}).dropna(subset=["who"])
    latest = frame.sort_values("t", kind="stable").drop_duplicates("key", keep="last")
    return latest.set_index("key")["who"]


def _merge_notes(known: pd.DataFrame, known_key: np.ndarray) -> list[Note]:
    """The same client listed twice in one file: report each extra row as merged into the first."""
    if not len(known):
        return []
    k = pd.DataFrame({"file": known["_file"], "row": known["_row"], "key": known_key})
    dup = k.duplicated(["file", "key"], keep=False)
    if not dup.any():
        return []
    notes = []
    for (_file, _key), g in k[dup].groupby(["file", "key"], sort=False):
        rows = g["row"].tolist()
        for r in rows[1:]:
            notes.append(Note(str(_file), "merged", f"тот же клиент, что в строке {rows[0]}: строки объединены, "
                                                  "отметки «Да» сложены", int(r)))
        if len(notes) > 500:
            break
    return notes


def _activity(known: pd.DataFrame, known_key: np.ndarray, log: pd.DataFrame, log_key: np.ndarray) -> pd.DataFrame:
    """(client, month) → had a communication; had an authorisation (NA where no input says)."""
    parts = []
    if len(known) and "_file_month" in known:
        stats = known["_file_month"].notna().to_numpy()
        for i, (cf, af) in enumerate(zip(S.COMM_FLAGS, S.AUTH_FLAGS, strict=True)):
            if col(cf) not in known:
                continue
            month = known.loc[stats, "_file_month"] - i
            auth = known.loc[stats, col(af)].astype("boolean") if col(af) in known else pd.NA
            parts.append(pd.DataFrame({"key": known_key[stats], "month": month.to_numpy(),
                                       "comm": known.loc[stats, col(cf)].astype(bool).to_numpy(),
                                       "auth": auth if auth is pd.NA else auth.to_numpy()}))
    if len(log):
        pairs = pd.DataFrame({"key": log_key, "m": log["_month"].dt.year * 12 + log["_month"].dt.month - 1})
        pairs = pairs.drop_duplicates()
        months = pd.PeriodIndex.from_ordinals(pairs["m"].to_numpy() - (1970 * 12), freq="M")
        parts.append(pd.DataFrame({"key": pairs["key"].to_numpy(), "month": months, "comm": True, "auth": pd.NA}))
    if not parts:
        return pd.DataFrame({"key": pd.Series(dtype=np.int64), "month": pd.Series(dtype="period[M]"),
                             "comm": pd.Series(dtype=bool), "auth": pd.Series(dtype="boolean")})
    act = pd.concat(parts, ignore_index=True)
    act["auth"] = act["auth"].astype("boolean")
    return act.groupby(["key", "month"], as_index=False, sort=False).agg(comm=("comm", "any"), auth=("auth", "max"))
