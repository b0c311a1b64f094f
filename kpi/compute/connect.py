"""Join the 1С-Коннект inputs into one client table and one activity table.

Several files describe the same clients: a client base list, the ITS portal's contract report, the
vendor's per-client statistics (which carries flags for the reporting month and the two before it) and a
communication log (one row per chat, call or remote session). Here they become:

* ``clients`` — one row per client (index ``key``), every source column kept, plus ``_is_1c``,
  ``_known`` (in the client base: see ``ConnectData.list_source``), ``_listed`` (in any list or
  per-client export) and ``_last_comm``;
* ``activity`` — one row per (client, month) with ``comm`` and, where known, ``auth``.

The same client twice (same code, or same ИНН, or same registration number — directly or through any
chain of rows in any file — or the same name where nothing else identifies it) is one client: flags are
OR-ed and the merge is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kpi import errors as E
from kpi.compute.its import ITS_KIND, its_base_rows, report_date, split_regnums
from kpi.errors import InputError, Problem
from kpi.read import schema as S
from kpi.read.recognise import Parsed, col
from kpi.read.schema import Kind
from kpi.read.values import codes_of, normalize_name, per_value
from kpi.rules import DEFAULT_ITS_KINDS, is_1c_client_types
from kpi.threads import per_column

CONNECT_KINDS = (Kind.CLIENT_BASE, Kind.CONNECT_CLIENTS, Kind.CONNECT_LOG, ITS_KIND)
_ID_FIELDS = ("_code", "_inn", "_regnum")

#: Where the client base's members come from, strongest first (the vendor's summary and a typed number give
#: only a count): the ITS contract report, a base list, the per-client export.
LIST_SOURCES = ("its_contracts", "base_list", "client_stats")


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
    notes: list[Problem] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: field name (``client``, ``inn``, ``last_comm`` …) → the source headers that held it
    field_columns: dict[str, list[str]] = field(default_factory=dict)
    has_its: bool = False
    #: which list the base's members (``clients["_known"]``) come from: one of ``LIST_SOURCES``, or None
    list_source: str | None = None
    #: facts the user must know about the files (``its-no-date``, ``its-no-support`` …)
    warnings: list[Problem] = field(default_factory=list)
    #: the date the ITS contracts were judged on (the report's «от»), None without an ITS report
    its_date: date | None = None
    #: rows of the per-client exports (for explaining a vendor base larger than the table)
    stats_rows: int = 0

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
    raise E.fail("month-missing", parsed.report.file)


def build_connect(parsed: list[Parsed], month: pd.Period | None = None,
                  its_kinds: Sequence[str] = DEFAULT_ITS_KINDS) -> ConnectData:
    """Combine the 1С-Коннект files and ITS reports of ``parsed`` (other kinds are ignored) into
    ``ConnectData``. An ITS report gives the rows of its clients with a support contract (``its_kinds``)
    in force on the report's date; the other rows are left out."""
    # the strongest list first, then by file name: which file's value a client shows (its name, the first of
    # several регномера) and the order of the download's columns do not depend on the order of the uploads
    rank = {ITS_KIND: 0, Kind.CLIENT_BASE: 1, Kind.CONNECT_CLIENTS: 2, Kind.CONNECT_LOG: 3}
    files = sorted((p for p in parsed if p.ok and p.kind in CONNECT_KINDS),
                   key=lambda p: (rank[p.kind], p.report.file))
    known_parts: list[pd.DataFrame] = []
    log_parts: list[pd.DataFrame] = []
    source_columns: list[str] = []
    stats_months: list[pd.Period] = []
    errors: list[InputError] = []
    warnings: list[Problem] = []
    its_date: date | None = None
    stats_rows = 0
    for p in files:
        t = p.table
        assert t is not None
        if p.kind == Kind.CONNECT_LOG:  # (a log's rows are not reported one by one: no file and row columns)
            log_parts.append(t)
            continue
        if p.kind == ITS_KIND:
            fallback = month.end_time.date() if month is not None else date.today()
            its_date, missing = report_date(p, fallback)
            if missing is not None:
                warnings.append(missing)
            t = its_base_rows(p, its_date, its_kinds)
            if not len(t):
                warnings.append(E.make("its-no-support", p.report.file, date=its_date.strftime("%d.%m.%Y"),
                                       kinds="; ".join(its_kinds)))
            source = "its_contracts"
        elif p.kind == Kind.CONNECT_CLIENTS:
            try:
                stats_months.append(file_month(p, month))
            except InputError as err:
                errors.append(err)
                continue
            t = t.assign(_file_month=stats_months[-1])
            stats_rows += len(t)
            source = "client_stats"
        else:
            source = "base_list"
        t = t.assign(_file=p.report.file, _row=t.index, _src=source)
        for c in t.columns:
            if not c.startswith("_") and c not in source_columns:
                source_columns.append(c)
        known_parts.append(t)

    known = pd.concat(known_parts, ignore_index=True) if known_parts else pd.DataFrame()
    log = pd.concat(log_parts, ignore_index=True) if log_parts else pd.DataFrame()
    for frame in (known, log):
        for c in ("_client", "_inn", "_code", "_regnum", "_client_type", "_responsible"):
            if len(frame) and c not in frame:  # (an all-missing Arrow column, made without a Python object a row)
                frame[c] = pd.Series(pd.array(pa.nulls(len(frame), pa.large_string()), dtype="str"), index=frame.index)

    field_columns: dict[str, list[str]] = {}
    for p in files:
        if p.kind != Kind.CONNECT_LOG:
            for src, name in p.report.fields.items():
                if src in source_columns and src not in field_columns.setdefault(name, []):
                    field_columns[name].append(src)
    known_key, log_key, notes = _assign_keys(known, log)
    clients = _client_table(known, known_key, log, log_key, source_columns)
    has_its = any(p.kind == ITS_KIND for p in files)
    has_base_list = any(p.kind == Kind.CLIENT_BASE for p in files)
    list_source = ("its_contracts" if has_its else "base_list" if has_base_list
                   else "client_stats" if stats_months else None)
    listed = np.zeros(len(clients), dtype=bool)
    in_base = np.zeros(len(clients), dtype=bool)
    if len(known):
        at = clients.index.get_indexer(known_key)
        listed[at] = True
        if list_source is not None:  # (compared in Arrow: no Python string a row)
            in_base[at[(known["_src"] == list_source).to_numpy(dtype=bool)]] = True
    clients["_listed"] = listed
    clients["_known"] = in_base
    in_log = np.zeros(len(clients), dtype=bool)
    if len(log):
        in_log[clients.index.get_indexer(pd.unique(log_key))] = True
    clients["_in_log"] = in_log
    notes += _merge_notes(known, known_key)
    activity = _activity(known, known_key, log, log_key)
    return ConnectData(
        clients=clients, activity=activity, source_columns=source_columns,
        has_base_list=has_base_list, has_client_stats=bool(stats_months),
        has_log=bool(log_parts), has_auth=bool(len(known)) and col(S.AUTH_M0) in known, notes=notes, errors=errors,
        field_columns=field_columns, has_its=has_its, list_source=list_source, warnings=warnings,
        its_date=its_date, stats_rows=stats_rows)


def _codes(parts: list[pd.Series]) -> np.ndarray:
    """Integer codes of a column's values over the stacked ``parts`` (-1 where missing): each part's text is
    hashed once, then only the distinct values of the parts are matched to each other."""
    return _joined_codes([_factorized(p) for p in parts])


def _factorized(part: pd.Series) -> tuple[np.ndarray, Any]:
    """One part's codes (-1 where missing) and distinct values."""
    return codes_of(part) if _is_arrow_text(part) else pd.factorize(part, use_na_sentinel=True)


def _joined_codes(found: list[tuple[np.ndarray, Any]]) -> np.ndarray:
    """The codes of several factorised parts made one numbering (equal values, equal code)."""
    if len(found) == 1:
        return np.asarray(found[0][0], dtype=np.int64)
    together, _ = pd.factorize(pd.concat([pd.Series(np.asarray(u, dtype=object)) for _c, u in found],
                                         ignore_index=True), use_na_sentinel=True)
    out, start = [], 0
    for codes, uniques in found:
        codes = np.asarray(codes, dtype=np.int64)
        mine = np.append(together[start:start + len(uniques)], -1)  # the -1 of a missing value stays -1
        out.append(mine[codes])
        start += len(uniques)
    return np.concatenate(out)


def _is_arrow_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def components(n_nodes: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of the graph with edges ``a[i]``–``b[i]``: per node, the smallest node of its
    component.

    Union–find done a whole array at a time: every root linked to a smaller root hooks onto the smallest
    one it is linked to, then every pointer jumps to its root. Each round merges every tree that still
    has an edge to another, so the trees at least halve: a few rounds, whatever the order of nodes and
    edges, and no round limit (the loop ends when no edge joins two trees).
    """
    parent = np.arange(n_nodes, dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    while len(a):
        ra, rb = parent[a], parent[b]
        apart = ra != rb
        if not apart.any():
            break
        a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]  # an edge inside one tree stays so
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:  # pointer jumping until every node points at its root
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
    return parent


def _assign_keys(known: pd.DataFrame, log: pd.DataFrame,
                 shortcut: bool = True) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Give every row of ``known`` and ``log`` an integer client key: rows of one client share one.

    Identity is the closure over every identifier of every row: two rows are one client when they share a
    code, an ИНН or a рег. номер (the ITS report's «Дополнительные регномера» included), directly or through
    any chain of other rows, in any file and any order. A row with none of these is identified by its folded
    name: it joins the client that name belongs to when every identified row of that name is one client,
    else the rows of that name are one client of their own.

    The graph's nodes are the distinct values (each column factorised once into integer codes); a row with
    several identifiers links them, and a row is the node of its first one — so a log of ten million rows
    with one identifier each adds no edge and costs no hashing beyond its column's codes. A key is the
    smallest node of the client's component: which rows share a key does not depend on the order of files
    or rows.

    ``shortcut`` (the default; False computes the plain closure, for the property test): a row none of
    whose identifier values occurs in another row is a client of its own whose smallest node is its own
    first one, so only the edges of rows holding a repeated value go into the closure — in a per-client
    export, a handful of rows instead of two edges a row.
    """
    parts = [f for f in (known, log) if len(f)]
    if not parts:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), []
    n_rows = sum(len(f) for f in parts)

    def joined(c: str) -> pd.Series:
        return pd.concat([f[c] for f in parts], ignore_index=True) if len(parts) > 1 else parts[0][c]

    extra_row, extra_text = _extra_regnums(known)
    columns = {c: [f[c] for f in parts] for c in _ID_FIELDS}
    if len(extra_row):
        columns["_regnum"].append(pd.Series(extra_text, dtype="str"))
    # every part of every field hashed at once, on the machine's cores (pyarrow's hashing releases the GIL)
    jobs = [p for c in _ID_FIELDS for p in columns[c]]
    found = iter(per_column(_factorized, jobs, cells=sum(len(p) for p in jobs)))
    nodes: dict[str, np.ndarray] = {}  # per field, each row's node (-1 where missing)
    offset = 0
    for c in _ID_FIELDS:
        codes = _joined_codes([next(found) for _p in columns[c]])
        top = int(codes.max()) + 1 if len(codes) else 0
        nodes[c] = np.where(codes >= 0, codes + offset, -1) if offset else codes
        offset += top
    extra_node = nodes["_regnum"][n_rows:]
    nodes["_regnum"] = nodes["_regnum"][:n_rows]

    shared = None  # rows holding a value another row holds too (None: every row, no shortcut)
    if shortcut and not len(extra_row):
        shared = np.zeros(n_rows, dtype=bool)
        for c in _ID_FIELDS:
            mine = nodes[c]
            present = mine >= 0
            if present.any():
                shared |= present & (np.bincount(mine[present], minlength=offset)[np.where(present, mine, 0)] > 1)
    row_node: np.ndarray | None = None
    a_parts: list[np.ndarray] = []
    b_parts: list[np.ndarray] = []
    for c in _ID_FIELDS:  # a row is the node of its first identifier, linked to each of its others
        mine = nodes[c]
        if not (mine >= 0).any():
            continue
        if row_node is None:
            row_node = mine
            continue
        both = (row_node >= 0) & (mine >= 0)
        if shared is not None:
            both &= shared
        if both.any():
            a_parts.append(row_node[both])
            b_parts.append(mine[both])
        row_node = np.where(row_node >= 0, row_node, mine)
    if row_node is None:
        row_node = np.full(n_rows, -1, dtype=np.int64)
    if len(extra_row):  # the ITS report's more regnums: the row's node linked to each
        first_extra = np.full(n_rows, -1, dtype=np.int64)
        first_extra[extra_row[::-1]] = extra_node[::-1]  # (the first of a row's extras wins)
        row_node = np.where(row_node >= 0, row_node, first_extra)
        a_parts.append(row_node[extra_row])
        b_parts.append(extra_node)
    bare = row_node < 0
    names = np.full(n_rows, -1, dtype=np.int64)
    n_names = 0
    if bare.any():  # names matter only when some row has nothing else (usually none: no name work)
        names = _codes([normalize_name(joined("_client"))])
        n_names = int(names.max()) + 1
        row_node = row_node.copy()
        row_node[bare] = np.where(names[bare] >= 0, offset + names[bare], offset + n_names)  # no name: one lump
        name_base = offset
        offset += n_names + 1
    a = np.concatenate(a_parts) if a_parts else np.array([], dtype=np.int64)
    b = np.concatenate(b_parts) if b_parts else np.array([], dtype=np.int64)
    if len(a) > 4096:  # the same link from many rows is one edge
        pair = pd.unique(a * offset + b)
        a, b = pair // offset, pair % offset
    label = components(offset, a, b)
    if bare.any() and n_names:
        named = np.flatnonzero(~bare & (names >= 0))
        if len(named):  # a name all of whose identified rows are one client belongs to that client
            row_label = label[row_node[named]]
            lo = np.full(n_names, np.iinfo(np.int64).max, dtype=np.int64)
            hi = np.full(n_names, -1, dtype=np.int64)
            np.minimum.at(lo, names[named], row_label)
            np.maximum.at(hi, names[named], row_label)
            owned = np.flatnonzero((hi >= 0) & (lo == hi))
            label[name_base + owned] = lo[owned]  # the name's node takes its owner's key
    row_key = label[row_node]
    n_known = len(known)
    return row_key[:n_known], row_key[n_known:], []


def _extra_regnums(known: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The ITS report's «Дополнительные регномера» as (row position, регномер) pairs."""
    if not len(known) or "_regnums_extra" not in known:
        return np.array([], dtype=np.int64), []
    extra = known["_regnums_extra"]
    rows = np.flatnonzero(extra.notna().to_numpy())
    pos, texts = [], []
    for r, text in zip(rows, extra.iloc[rows], strict=True):
        for t in split_regnums(text):
            pos.append(r)
            texts.append(t)
    return np.asarray(pos, dtype=np.int64), texts


def _without_rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``frame`` without the rows at positions ``rows``. A few rows go by joining the slices between them
    (Arrow columns are joined without copying their text); many go by a boolean mask."""
    if not len(rows):
        return frame
    if len(rows) > 256:
        keep = np.ones(len(frame), dtype=bool)
        keep[rows] = False
        return frame.iloc[np.flatnonzero(keep)]
    bounds = zip(np.concatenate([[0], rows + 1]), np.concatenate([rows, [len(frame)]]), strict=True)
    return pd.concat([frame.iloc[a:b] for a, b in bounds if b > a])


def _take_few(frame: pd.DataFrame | pd.Series, rows: np.ndarray) -> pd.DataFrame | pd.Series:
    """``frame.iloc[rows]``; a few rows as one-row slices joined (taking from an Arrow column of hundreds of
    chunks costs milliseconds a column however few rows are taken, a slice costs nothing)."""
    if not 0 < len(rows) <= 64 or rows.min() < 0:
        return frame.iloc[rows]
    return pd.concat([frame.iloc[r:r + 1] for r in rows])


def _first_per_key(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame.groupby("key", sort=False).first()`` (the first non-missing value of each column per key),
    grouping only the rows of keys that repeat and patching just the cells their first row leaves empty."""
    keys = frame["key"]
    out = _without_rows(frame, np.flatnonzero(keys.duplicated().to_numpy())).set_index("key")  # first rows
    merged = _take_few(frame, np.flatnonzero(keys.duplicated(keep=False).to_numpy())).groupby("key", sort=False).first()
    at = out.index.get_indexer(merged.index)
    for c in merged.columns:
        fill = merged[c].notna().to_numpy() & _take_few(out[c], at).isna().to_numpy()
        if fill.any():
            patched = out[c].copy()
            patched.iloc[at[fill]] = merged[c].to_numpy()[fill]
            out[c] = patched
    return out


def _client_table(known: pd.DataFrame, known_key: np.ndarray, log: pd.DataFrame, log_key: np.ndarray,
                  source_columns: list[str]) -> pd.DataFrame:
    """One row per client: the first non-empty value of every column among its rows."""
    ident = ["_client", "_inn", "_code", "_regnum", "_client_type", "_responsible"]
    frames = []
    if len(known):
        keep = [c for c in (*source_columns, *ident, col(S.LAST_COMM), col(S.LAST_AUTH)) if c in known]
        k = known[keep].assign(key=known_key, _known=True)
        k = _first_per_key(k) if pd.Index(known_key).has_duplicates else k.set_index("key")
        frames.append(k)
    if len(log):
        firsts = ~pd.Series(log_key).duplicated().to_numpy()
        lg = log[ident].iloc[np.flatnonzero(firsts)]  # (positions: Arrow text taken, not filtered, ~4× faster)
        lg.index = pd.Index(log_key[firsts], name="key")
        for c in ident:  # a client's first row may leave a cell empty that a later row fills: take that one
            holes = lg[c].isna().to_numpy()
            if holes.any():
                has = np.flatnonzero(log[c].notna().to_numpy())
                if len(has):
                    first_has = has[~pd.Series(log_key[has]).duplicated().to_numpy()]
                    found = pd.Series(log[c].array.take(first_has), index=log_key[first_has])
                    lg[c] = lg[c].fillna(found.reindex(lg.index))
        times = log[col(S.EVENT_TIME)].to_numpy().astype("datetime64[us]").view(np.int64)
        latest = np.full(int(log_key.max()) + 1, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
        np.maximum.at(latest, log_key, times)
        last = pd.Series(latest.view("datetime64[us]"))
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
        clients["_last_comm_log"] = last.reindex(clients.index).to_numpy()
        clients["_last_specialist"] = _last_specialist(log, log_key).reindex(clients.index)
    else:
        clients = frames[0] if frames else pd.DataFrame(columns=[*ident, "_known"])
        clients["_last_comm_log"] = pd.Series(pd.NaT, index=clients.index, dtype="datetime64[us]")
        clients["_last_specialist"] = pd.Series(pd.NA, index=clients.index, dtype="str")
    stats_last = clients.get(col(S.LAST_COMM))
    last = clients["_last_comm_log"]
    if stats_last is not None:  # the later of the two, NaT only where both are (NaT is int64's minimum)
        both = np.stack([last.to_numpy().astype("datetime64[us]").view(np.int64),
                         stats_last.to_numpy().astype("datetime64[us]").view(np.int64)])
        last = pd.Series(both.max(axis=0).view("datetime64[us]"), index=clients.index)
    clients["_last_comm"] = last.astype("datetime64[us]")
    clients["_is_1c"] = per_value(clients["_client_type"], is_1c_client_types)  # a few distinct types
    clients["_known"] = clients["_known"].fillna(False).astype(bool)
    clients.index.name = "key"
    return clients.drop(columns="_last_comm_log")


def _last_specialist(log: pd.DataFrame, log_key: np.ndarray) -> pd.Series:
    """Who served each client last (the log's «Специалист» of its latest communication), for splitting calls.

    Among a client's rows with a specialist, the one with the latest time wins; of equal times the later
    row (as a stable sort by time would leave it last).
    """
    if col(S.SPECIALIST) not in log:
        return pd.Series(dtype="str")
    who = log[col(S.SPECIALIST)]
    rows = np.flatnonzero(who.notna().to_numpy())
    times = log[col(S.EVENT_TIME)].to_numpy().astype("datetime64[us]").view(np.int64)[rows]
    if not len(rows) or (times == np.iinfo(np.int64).min).any():  # NaT sorts last: keep the sorting rule
        frame = pd.DataFrame({"key": log_key, "t": log[col(S.EVENT_TIME)].to_numpy(),
                              "who": who.to_numpy()}).dropna(subset=["who"])
        latest = frame.sort_values("t", kind="stable").drop_duplicates("key", keep="last")
        return latest.set_index("key")["who"]
    keys = log_key[rows]
    top = np.full(int(keys.max()) + 1, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(top, keys, times)
    at_top = np.flatnonzero(times == top[keys])
    _, last_in_reverse = np.unique(keys[at_top][::-1], return_index=True)
    chosen = rows[at_top[len(at_top) - 1 - last_in_reverse]]
    return pd.Series(who.array.take(chosen), index=pd.Index(log_key[chosen], name="key"), name="who")


def _merge_notes(known: pd.DataFrame, known_key: np.ndarray) -> list[Problem]:
    """The same client listed twice in one file: report each extra row as merged into the first."""
    if not len(known):
        return []
    # only rows whose key occurs more than once can be merged: the others are never looked at (a count, no hash)
    mine = (np.bincount(known_key)[known_key] > 1) & (known["_src"] != "its_contracts").to_numpy()
    if not mine.any():  # (the ITS report has a row per contract: no merge to report)
        return []
    at = np.flatnonzero(mine)
    k = pd.DataFrame({"file": known["_file"].iloc[at].to_numpy(), "row": known["_row"].to_numpy()[at],
                      "key": known_key[at]})
    dup = k.duplicated(["file", "key"], keep=False)
    if not dup.any():
        return []
    notes = []
    for (_file, _key), g in k[dup].groupby(["file", "key"], sort=False):
        rows = g["row"].tolist()
        for r in rows[1:]:
            notes.append(E.make("client-merged", str(_file), row=int(r), first_row=int(rows[0])))
        if len(notes) > 500:
            break
    return notes


def _activity(known: pd.DataFrame, known_key: np.ndarray, log: pd.DataFrame, log_key: np.ndarray) -> pd.DataFrame:
    """(client, month) → had a communication; had an authorisation (NA where no input says).

    Months travel as integer period ordinals and each (client, month) pair as one integer, so the log's
    millions of rows are grouped by one hash pass; rows come out in the order pairs first appear.
    """
    keys: list[np.ndarray] = []
    months: list[np.ndarray] = []
    comms: list[np.ndarray] = []
    auths: list[np.ndarray] = []  # 1 yes, 0 no, -1 unknown
    if len(known) and "_file_month" in known:
        stats = known["_file_month"].notna().to_numpy()
        file_month = known["_file_month"].array.asi8[stats]
        for i, (cf, af) in enumerate(zip(S.COMM_FLAGS, S.AUTH_FLAGS, strict=True)):
            if col(cf) not in known:
                continue
            keys.append(known_key[stats])
            months.append(file_month - i)
            every = stats.all()  # (else the other files' rows lack the flags: take the export's rows first)
            comm = known[col(cf)] if every else known.loc[stats, col(cf)]
            comms.append(comm.astype(bool).to_numpy())
            if col(af) in known:
                auth = known[col(af)] if every else known.loc[stats, col(af)]
                if auth.dtype == bool:  # (no missing flag: no nullable detour)
                    auths.append(auth.to_numpy().astype(np.int8))
                else:
                    auth = auth.astype("boolean")
                    auths.append(np.where(auth.isna().to_numpy(), -1, auth.fillna(False).to_numpy(dtype=bool))
                                 .astype(np.int8))
            else:
                auths.append(np.full(int(stats.sum()), -1, dtype=np.int8))
    if len(log):
        ordinals = log["_month"].array.asi8
        span = int(ordinals.max() - ordinals.min()) + 1
        pair = log_key * span + (ordinals - ordinals.min())
        firsts = ~pd.Series(pair).duplicated().to_numpy()
        keys.append(log_key[firsts])
        months.append(ordinals[firsts])
        comms.append(np.ones(int(firsts.sum()), dtype=bool))
        auths.append(np.full(int(firsts.sum()), -1, dtype=np.int8))
    if not keys:
        return pd.DataFrame({"key": pd.Series(dtype=np.int64), "month": pd.Series(dtype="period[M]"),
                             "comm": pd.Series(dtype=bool), "auth": pd.Series(dtype="boolean")})
    key = np.concatenate(keys).astype(np.int64, copy=False)
    month = np.concatenate(months).astype(np.int64, copy=False)
    comm, auth = np.concatenate(comms), np.concatenate(auths)
    candidates = None  # rows whose pair may occur twice (None: any row)
    if not len(log):
        # per-client exports only: a row gives its client three months, so a pair can repeat only for a
        # client with several rows (listed twice, or in the exports of several months) — usually a handful
        first_keys = key[:len(keys[0])]
        repeated = np.bincount(first_keys)[first_keys] > 1
        candidates = np.flatnonzero(np.tile(repeated, len(keys)))
    if candidates is not None and not len(candidates):
        group, firsts = None, None  # every pair once
    else:
        low = int(month.min())
        span = int(month.max()) - low + 1
        group, firsts = first_seen(key * span + (month - low), candidates)
    if group is None:  # every pair once (a per-client export): each row is its own group
        any_comm, auth_yes, auth_no = comm, auth == 1, auth == 0
    else:  # a group's flags: its first row's, OR-ed with those of its later rows
        later = np.ones(len(group), dtype=bool)
        later[firsts] = False
        later = np.flatnonzero(later)
        n, at = len(firsts), group[later]
        any_comm = comm[firsts] | (np.bincount(at[comm[later]], minlength=n) > 0)
        auth_yes = (auth[firsts] == 1) | (np.bincount(at[auth[later] == 1], minlength=n) > 0)
        auth_no = (auth[firsts] == 0) | (np.bincount(at[auth[later] == 0], minlength=n) > 0)
        key, month = key[firsts], month[firsts]
    return pd.DataFrame({
        "key": key,
        "month": pd.PeriodIndex.from_ordinals(month, freq="M").array,
        "comm": any_comm,
        "auth": pd.arrays.BooleanArray(auth_yes, ~(auth_yes | auth_no)),
    }, copy=False)


def first_seen(values: np.ndarray, candidates: np.ndarray | None = None) -> tuple[np.ndarray | None,
                                                                                   np.ndarray | None]:
    """``pd.factorize(values)`` of non-negative integers, as (codes, positions of each code's first row):
    the uniques are ``values[firsts]``. (None, None) when every value is distinct (then the codes are
    ``0 … n-1`` and every row is a first).

    Which values repeat is counted densely (``np.bincount``) when their range is at most a few times their
    number; only the rows of repeated values are hashed. A per-client export repeats almost no (client, month)
    pair, so three million pairs cost a count instead of a hash table. A caller that knows the only rows
    whose value may repeat (``candidates``, positions: a superset is fine) saves the count too."""
    values = np.asarray(values, dtype=np.int64)
    n = len(values)
    if candidates is not None:
        candidates = np.asarray(candidates, dtype=np.int64)
        again = candidates[pd.Series(values[candidates]).duplicated(keep=False).to_numpy()]
    elif not n or int(values.max()) >= 4 * n + 1024:
        codes = np.asarray(pd.factorize(values)[0], dtype=np.int64)
        return codes, np.unique(codes, return_index=True)[1]  # (codes number first appearances)
    else:
        again = np.flatnonzero(np.bincount(values)[values] > 1)  # rows whose value occurs more than once
    if not len(again):
        return None, None
    sub_codes, _ = pd.factorize(values[again])
    sub_codes = np.asarray(sub_codes, dtype=np.int64)
    firsts = ~pd.Series(sub_codes).duplicated().to_numpy()  # in code order: codes number first appearances
    is_first = np.ones(n, dtype=bool)
    is_first[again[~firsts]] = False
    codes = np.cumsum(is_first) - 1
    codes[again] = codes[again[firsts]][sub_codes]
    return codes, np.flatnonzero(is_first)
