"""Cached reading and computing, keyed on the files' contents and the sidebar's parameters.

Each uploaded file is parsed once per (name, content digest, time zone, the kind the user chose for it)
with ``st.cache_data``; the
joined results (quarter summary with the client status table, 1С-Бухфон result, the files' reports) are
cached on the tuple of (name, digest) pairs plus the parameters. The bytes themselves travel in
``_files`` arguments, which Streamlit leaves out of the cache key, so a 100 MB upload is hashed once per
run (``file_digest``) and not again by every cached call.

Cache entries are keyed on content, so one browser session can only ever get results for files it
holds itself; nothing is kept in a module global.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import pandas as pd
import streamlit as st

from kpi import texts as T
from kpi.compute.assign import Split, split_calls
from kpi.compute.buhfon import BuhfonData, BuhfonResult
from kpi.compute.connect import ConnectData
from kpi.compute.forecast import Forecast
from kpi.compute.its import its_kinds_table
from kpi.compute.priority import PriorityResult, priority_list
from kpi.compute.silent import ClientFilter, apply_filter, client_status, responsible_people
from kpi.errors import ComputeError, InputError, Problem
from kpi.pipeline import ConnectView, buhfon_view, connect_view, forecast_for, pick_month, read_files
from kpi.read.recognise import Parsed, ReadReport
from kpi.read.schema import Kind
from kpi.rules import DEFAULT_ITS_KINDS
from ui.texts import sentence

#: (file name, content digest) per file, in upload order: what the caches are keyed on.
FilesKey = tuple[tuple[str, str], ...]
#: (file name, bytes) per file; passed to cached functions as an unhashed ``_files`` argument.
Files = tuple[tuple[str, bytes], ...]
#: The user's «read this file as …» choices: (file name, kind name as the CLI's ``--kind``), sorted.
KindsKey = tuple[tuple[str, str], ...]


class Params(NamedTuple):
    """The sidebar's and «Данные»'s parameters of the quarter: part of every cache key below."""

    tz: str
    month: str | None  # "YYYY-MM" the user chose, None = from the files
    client_type: str  # "1c" or "all"
    base: int | None  # typed from the cabinet, None = from the files
    kinds: KindsKey = ()
    its_kinds: tuple[str, ...] | None = None  # None = kpi.rules.DEFAULT_ITS_KINDS
    only_base: bool = False


SPIN_READ = T.SPIN_READ
SPIN_COMPUTE = T.SPIN_COMPUTE
#: How long a cached result outlives its last use; with ``max_entries`` it bounds the server's memory.
CACHE_TTL = "2h"


def file_digest(data: bytes) -> str:
    """A content digest for cache keys (BLAKE2b is ~1 GB/s here, so even 100 MB costs ~0.1 s)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def files_key(files: Files) -> FilesKey:
    return tuple((name, file_digest(data)) for name, data in files)


@st.cache_data(show_spinner=SPIN_READ, max_entries=32, ttl=CACHE_TTL)
def parse_file(name: str, digest: str, tz: str, kind: str | None, _data: bytes) -> Parsed:
    """One file read by ``kpi`` (as ``kind``, a ``--kind`` name, when the user chose one); ``digest``
    stands for ``_data`` in the cache key."""
    return read_files([(name, _data)], tz, kinds=None if kind is None else {name: kind})[0]


def parse_all(key: FilesKey, tz: str, kinds: KindsKey, files: Files) -> list[Parsed]:
    chosen = dict(kinds)
    return [parse_file(name, digest, tz, chosen.get(name), data)
            for (name, digest), (_n, data) in zip(key, files, strict=True)]


@dataclass(frozen=True)
class Overview:
    """What the sidebar and the Данные page need from the files, without their tables."""

    reports: tuple[ReadReport, ...]
    default_month: str | None
    months: tuple[str, ...]  # "YYYY-MM", newest first: the reporting months one may choose

    @property
    def errors(self) -> list[InputError]:
        return [r.error for r in self.reports if r.error is not None]


def _month_choices(parsed: list[Parsed], default: pd.Period | None, today: date) -> list[pd.Period]:
    """Months the data speaks about (titles and their window, log months), else the last year."""
    seen: set[pd.Period] = set()
    for p in parsed:
        if not p.ok:
            continue
        if p.kind is Kind.CONNECT_CLIENTS and p.report.period_month is not None:
            seen |= {p.report.period_month - i for i in range(3)}
        if p.kind is Kind.CONNECT_LOG:
            seen |= set(p.table["_month"].dropna().unique())  # type: ignore[index]
    if default is not None:
        seen.add(default)
    if seen:
        lo, hi = min(seen), max(seen)
        return [hi - i for i in range((hi - lo).n + 1)]
    now = pd.Period(today, freq="M")
    return [now - i for i in range(12)]


@st.cache_data(show_spinner=SPIN_READ, max_entries=16, ttl=CACHE_TTL)
def overview(key: FilesKey, tz: str, today: date, kinds: KindsKey, _files: Files) -> Overview:
    parsed = parse_all(key, tz, kinds, _files)
    default = pick_month(parsed)
    months = _month_choices(parsed, default, today)
    return Overview(tuple(p.report for p in parsed), None if default is None else str(default),
                    tuple(str(m) for m in months))


@dataclass
class ConnectOutcome:
    """The quarter for the chosen month, or why it cannot be computed (a Russian message)."""

    view: ConnectView | None = None
    status: pd.DataFrame | None = None  # kpi.compute.silent.client_status: one row per client
    responsible: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def data(self) -> ConnectData | None:
        return None if self.view is None else self.view.data

    @property
    def file_errors(self) -> list[InputError]:
        """Files refused when joining (e.g. a per-client export without a reporting month)."""
        return [] if self.view is None else list(self.view.data.errors)

    @property
    def notes(self) -> list[Problem]:
        return [] if self.view is None else list(self.view.data.notes)

    @property
    def warnings(self) -> list[Problem]:
        """The quarter's warnings: files set aside, dates outside the quarter, clients not in the base…"""
        return [] if self.view is None else list(self.view.warnings)


@st.cache_data(show_spinner=SPIN_COMPUTE, max_entries=16, ttl=CACHE_TTL)
def connect(key: FilesKey, p: Params, _files: Files) -> ConnectOutcome:
    parsed = parse_all(key, p.tz, p.kinds, _files)
    try:
        view = connect_view(parsed, pd.Period(p.month, freq="M") if p.month else None,
                            "all" if p.client_type == "all" else "1c", p.base,
                            its_kinds=DEFAULT_ITS_KINDS if p.its_kinds is None else p.its_kinds, only_base=p.only_base)
    except (ComputeError, InputError) as err:  # InputError: a per-client export without «Период», no month chosen
        return ConnectOutcome(error=str(err))
    status = client_status(view.data, view.month)
    return ConnectOutcome(view=view, status=status, responsible=responsible_people(status))


@dataclass
class BuhfonOutcome:
    data: BuhfonData | None = None
    result: BuhfonResult | None = None
    error: str | None = None


@st.cache_data(show_spinner=SPIN_COMPUTE, max_entries=16, ttl=CACHE_TTL)
def buhfon(key: FilesKey, tz: str, kinds: KindsKey, period_from: date | None, period_to: date | None, today: date,
           _files: Files) -> BuhfonOutcome:
    parsed = parse_all(key, tz, kinds, _files)
    try:
        data, result = buhfon_view(parsed, period_from, period_to, today)
    except ComputeError as err:
        return BuhfonOutcome(error=str(err))
    return BuhfonOutcome(data, result)


@st.cache_data(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def forecast(key: FilesKey, p: Params, today: date, _files: Files) -> Forecast | None:
    """The pace forecast of the quarter (``kpi.pipeline.forecast_for``); None without a quarter or a base."""
    res = connect(key, p, _files)
    return None if res.view is None else forecast_for(res.view, today)


@st.cache_data(show_spinner=SPIN_COMPUTE, max_entries=16, ttl=CACHE_TTL)
def split(key: FilesKey, p: Params, filt: ClientFilter, people: tuple[str, ...], _files: Files) -> Split | None:
    """The silent list as filtered on the page, dealt out among ``people`` (none: the data's «Ответственный»)."""
    res = connect(key, p, _files)
    if res.status is None:
        return None
    return split_calls(apply_filter(res.status, filt), list(people) or None)


@dataclass
class PriorityOutcome:
    """Silent in 1С-Коннект and not launching 1С-Бухфон, or what is missing for it (a Russian message)."""

    result: PriorityResult | None = None
    missing: str | None = None


@st.cache_data(show_spinner=SPIN_COMPUTE, max_entries=16, ttl=CACHE_TTL)
def priority(key: FilesKey, p: Params, scope: str, today: date, _files: Files) -> PriorityOutcome:
    """``kpi.compute.priority.priority_list`` for the silent clients of ``scope`` ("month" or "quarter").

    The 1С-Бухфон period is the one its export states (as ``python -m kpi priority`` without dates).
    """
    con = connect(key, p, _files)
    bf = buhfon(key, p.tz, p.kinds, None, None, today, _files)
    missing = [m for m in (con.error, bf.error) if m]
    if con.status is None or bf.result is None:
        return PriorityOutcome(missing=" ".join(sentence(m) for m in missing) or sentence(T.NO_DATA))
    f = ClientFilter(client_type="all" if p.client_type == "all" else "1c", no_comm_month=scope == "month",
                     no_comm_quarter=scope == "quarter")
    result = priority_list(con.status, apply_filter(con.status, f), bf.result)
    return PriorityOutcome(result=result)


@st.cache_data(show_spinner=False, max_entries=16, ttl=CACHE_TTL)
def its_kinds(key: FilesKey, tz: str, kinds: KindsKey, _files: Files) -> pd.DataFrame | None:
    """The ITS contract kinds of the uploaded ITS reports with their client counts (``kind``, ``clients``,
    ``support``), for the picker on «Данные»; None without an ITS contract report."""
    parsed = [p for p in parse_all(key, tz, kinds, _files) if p.ok and p.kind is Kind.ITS_CONTRACTS]
    return its_kinds_table(parsed) if parsed else None
