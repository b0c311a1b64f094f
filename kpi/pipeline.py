"""The whole flow in three calls, shared by the app, the CLI and the benchmark.

``read_files`` reads every upload independently (a bad file becomes an error value, the others still
count); ``connect_view`` and ``buhfon_view`` compute what a page or a scheduled run shows, with the
warnings the user must see (files set aside, files outside the quarter, log clients not in the base,
the vendor's printed figures that differ from ours, a base of 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from kpi import errors as E
from kpi import fmt, rules, texts
from kpi.compute.buhfon import BuhfonData, BuhfonResult, buhfon_status, build_buhfon
from kpi.compute.connect import ConnectData, build_connect, file_month
from kpi.compute.forecast import Forecast, forecast_quarter
from kpi.compute.its import ITS_KIND
from kpi.compute.quarter import (
    ClientType,
    QuarterSummary,
    _Activity,
    client_scope,
    list_count,
    qtd_months,
    quarter_months,
    summarize,
    window_months,
)
from kpi.errors import InputError, Problem
from kpi.read import schema
from kpi.read.recognise import Parsed, col, read_export
from kpi.read.schema import KIND_OPTIONS, KIND_RU, Kind
from kpi.read.vendor import VendorSummary
from kpi.rules import DEFAULT_ITS_KINDS, DEFAULT_TZ

#: Kinds that take part in the 1С-Коннект figures.
CONNECT_INPUTS = (Kind.CONNECT_CLIENTS, Kind.CONNECT_LOG, Kind.CLIENT_BASE, ITS_KIND, Kind.VENDOR_SUMMARY)


def read_files(files: list[tuple[str, bytes]], tz: str = DEFAULT_TZ,
               kinds: Mapping[str, str] | None = None) -> list[Parsed]:
    """Read each ``(name, bytes)``; failures are kept as ``Parsed`` with ``report.error`` set. ``kinds`` maps a
    file name to how the user wants it read (``log``, ``stats``, ``base``, ``its``, ``buhfon``, ``ignore``)."""
    kinds = kinds or {}
    for name, kind in kinds.items():
        if kind not in KIND_OPTIONS:
            raise E.compute_fail("usage", name, message=texts.CLI_KIND_BAD.format(
                value=f"{name}={kind}", kinds=", ".join(KIND_OPTIONS)))
    out = []
    for name, data in files:
        chosen = kinds.get(name)
        if chosen is None:
            out.append(read_export(name, data, tz))
        else:
            forced = KIND_OPTIONS[chosen]
            out.append(read_export(name, data, tz, kind=forced, ignore=forced is None))
    return out


@dataclass
class ConnectView:
    """What the 1С-Коннект page and ``python -m kpi connect`` show for one reporting month."""

    data: ConnectData
    month: pd.Period
    summary: QuarterSummary
    #: what the user must know, each naming its file where there is one
    warnings: list[Problem] = field(default_factory=list)
    #: the vendor's summary table, when a file holds it
    vendor_summary: VendorSummary | None = None
    #: log clients with communications in the counted months that are not in the base (None: no list)
    log_clients_not_in_base: int | None = None
    #: those clients, for the app's list
    not_in_base: pd.DataFrame = field(default_factory=pd.DataFrame)


def set_aside(p: Parsed) -> Problem | None:
    return p.report.set_aside


def describe_files(parsed: Sequence[Parsed]) -> str:
    """«a.csv — Список клиентов ИТС; b.xlsx — отложен: история звонков АТС» for the messages that must say
    what was read."""
    parts = []
    for p in parsed:
        r = p.report
        aside = set_aside(p)
        if aside is not None:
            parts.append(texts.FILE_SET_ASIDE.format(file=r.file,
                                                     reason=texts.SET_ASIDE_REASON.get(aside.code, aside.message)))
        elif r.error is not None:
            parts.append(texts.FILE_REFUSED.format(file=r.file, code=r.error.code))
        else:
            parts.append(texts.FILE_READ_AS.format(file=r.file, kind=KIND_RU.get(r.kind, str(r.kind))))
    return "; ".join(parts) or texts.FILES_NONE


def pick_month(parsed: list[Parsed]) -> pd.Period | None:
    """The reporting month when the user chose none: a per-client export's title, else a log's last month."""
    titled = [p.report.period_month for p in parsed
              if p.ok and p.kind == Kind.CONNECT_CLIENTS and p.report.period_month is not None]
    if titled:
        return max(titled)
    logged = [p.table["_month"].max() for p in parsed
              if p.ok and p.kind == Kind.CONNECT_LOG and len(p.table) and pd.notna(p.table["_month"].max())]
    return max(logged) if logged else None


def vendor_summaries(parsed: Sequence[Parsed]) -> list[VendorSummary]:
    """Every vendor summary table found, latest «по состоянию на» first (then by file name): independent of
    the order the files came in."""
    found = [v for p in parsed if p.ok and (v := p.report.vendor_summary) is not None]
    return sorted(found, key=lambda v: (v.base_date or date.min, v.file), reverse=True)


def connect_view(parsed: list[Parsed], month: pd.Period | None = None, client_type: ClientType = "1c",
                 base: int | None = None, its_kinds: Sequence[str] = DEFAULT_ITS_KINDS,
                 only_base: bool = False) -> ConnectView:
    """Join the 1С-Коннект files and summarise the quarter of ``month`` (or of the month the files state)."""
    if not any(p.ok and p.kind in CONNECT_INPUTS for p in parsed):
        raise E.compute_fail("no-connect-files", files=describe_files(parsed))
    chosen = month or pick_month(parsed)
    data = build_connect(parsed, chosen, its_kinds)
    if chosen is None and data.errors:  # a per-client export without «Период»: name that file
        raise data.errors[0]
    if not data.has_log and not data.has_client_stats:  # a base alone: say so, not "no month" or a confident 0 %
        raise E.compute_fail("no-communication-data", files=describe_files(parsed))
    if chosen is None:
        raise E.compute_fail("no-month", files=describe_files(parsed))
    vendors = vendor_summaries(parsed)
    vendor = vendors[0] if vendors else None
    if base is None and vendor is None and data.list_source is None:
        raise E.compute_fail("no-base", files=describe_files(parsed))
    summary = summarize(data, chosen, client_type, base, only_base,
                        vendor_base=None if vendor is None else vendor.base)
    warnings: list[Problem] = []
    for p in parsed:
        if (aside := set_aside(p)) is not None:
            warnings.append(aside)
        warnings += p.report.warnings
    warnings += data.warnings
    warnings += _outside_quarter(parsed, chosen)
    warnings += _its_date_far(parsed, data.its_date, chosen)
    not_in_base = _not_in_base(data, chosen, client_type)
    count = None if data.list_source is None else len(not_in_base)
    if count:
        logs = sorted({p.report.file for p in parsed if p.ok and p.kind == Kind.CONNECT_LOG})
        warnings.append(E.make("log-not-in-base", ", ".join(logs) or None, count=count, consequence=(
            texts.NOT_IN_BASE_LEFT_OUT if only_base else texts.NOT_IN_BASE_COUNTED)))
    if summary.base <= 0:
        warnings.append(E.make("base-zero", None))
    if vendor is not None:
        warnings += _vendor_differs(vendor, parsed, data, summary, client_type, only_base, count)
    return ConnectView(data, chosen, summary, warnings=warnings, vendor_summary=vendor,
                       log_clients_not_in_base=count, not_in_base=not_in_base)


def counted_months(month: pd.Period) -> list[pd.Period]:
    """The months any figure of ``month`` counts: the vendor's window and the quarter to date."""
    return sorted(set(window_months(month)) | set(qtd_months(month)))


def _window_ru(months: Sequence[pd.Period]) -> str:
    return f"{fmt.month_label(months[0])} – {fmt.month_label(months[-1])}"


def _outside_quarter(parsed: Sequence[Parsed], month: pd.Period) -> list[Problem]:
    """A log or per-client export none of whose months counts for ``month``: say so, with its date range."""
    counted = {m.ordinal for m in counted_months(month)}
    quarter = fmt.quarter_label(month.asfreq("Q"))
    window = _window_ru(window_months(month))
    out = []
    for p in parsed:
        if not p.ok or not len(p.table):
            continue
        if p.kind == Kind.CONNECT_LOG:
            ordinals = p.table["_month"].dropna().array.asi8
            if not len(ordinals) or np.isin(ordinals, list(counted)).any():
                continue
            times = p.table[col(schema.EVENT_TIME)].dropna()
            out.append(E.make("dates-outside-quarter", p.report.file, first=fmt.fmt_date(times.min()),
                              last=fmt.fmt_date(times.max()), quarter=quarter, window=window))
        elif p.kind == Kind.CONNECT_CLIENTS and p.report.period_month is not None:
            own = window_months(p.report.period_month)
            if any(m.ordinal in counted for m in own):
                continue
            out.append(E.make("dates-outside-quarter", p.report.file, first=fmt.month_label(own[0]),
                              last=fmt.month_label(own[-1]), quarter=quarter, window=window))
    return out


def _its_date_far(parsed: Sequence[Parsed], its_date: date | None, month: pd.Period) -> list[Problem]:
    """The ITS contract report dated well outside the reporting quarter: its clients in force are another
    date's (``rules.ITS_DATE_SLACK_MONTHS``)."""
    if its_date is None:
        return []
    slack = rules.ITS_DATE_SLACK_MONTHS
    first = month.asfreq("Q").asfreq("M", "start") - slack
    last = month + slack
    if first.start_time.date() <= its_date <= last.end_time.date():
        return []
    files = sorted({p.report.file for p in parsed if p.ok and p.kind == ITS_KIND})
    return [E.make("its-date-far", ", ".join(files) or None, date=its_date.strftime("%d.%m.%Y"),
                   month=fmt.month_label(month))]


def _not_in_base(data: ConnectData, month: pd.Period, client_type: ClientType) -> pd.DataFrame:
    """The log's clients (of the type) with a communication in the counted months that are not in the base."""
    c = data.clients
    if data.list_source is None or "_in_log" not in c:
        return c.iloc[:0]
    # the candidates first (log clients outside the base: none at all without a log), then only their rows
    outside = c["_in_log"].to_numpy(dtype=bool) & ~c["_known"].to_numpy(dtype=bool)
    if not outside.any():
        return c.iloc[:0]
    keys = client_scope(data, client_type)
    active = _Activity(data, keys[outside[c.index.get_indexer(keys)]]).active(counted_months(month))
    return c.loc[active]


def _vendor_differs(vendor: VendorSummary, parsed: Sequence[Parsed], data: ConnectData, s: QuarterSummary,
                    client_type: ClientType, only_base: bool, outside: int | None) -> list[Problem]:
    """The vendor's printed figures beside ours, like with like: each that differs, with the reason where it
    can be given. The window figures are compared only for the month the vendor's report is about."""
    out = []

    def differs(what: str, theirs: int, ours: int, why: str) -> None:
        out.append(E.make("vendor-differs", vendor.file, row=vendor.row, what=texts.VENDOR_WHAT[what],
                          vendor=fmt.fmt_int(theirs), ours=fmt.fmt_int(ours), explanation=why, key=what))

    if data.list_source is not None:
        ours = list_count(data, client_type)
        if ours != vendor.base:
            if data.list_source == "client_stats" and data.stats_rows < vendor.base:
                why = texts.VENDOR_FEWER_ROWS.format(rows=fmt.fmt_int(data.stats_rows))
            else:
                why = texts.VENDOR_OTHER_LIST.format(source=texts.LIST_SOURCE_RU[data.list_source])
            differs("base", vendor.base, ours, why)
    about = {p.report.period_month for p in parsed if p.report.file == vendor.file} - {None}
    if about and s.month not in about:
        return out  # the vendor's window is another month's: not like with like
    if vendor.active_window is not None and vendor.active_window != s.active_window:
        why = texts.VENDOR_NO_REASON
        if data.has_log and s.active_window > vendor.active_window:
            why = texts.VENDOR_LOG_ADDS
        if outside and not only_base:
            why += " " + texts.VENDOR_OUTSIDE_BASE.format(count=fmt.fmt_int(outside),
                                                         without=fmt.fmt_int(s.active_window - outside))
        differs("active_window", vendor.active_window, s.active_window, why)
    if (vendor.authorized_window is not None and s.authorized_window is not None
            and vendor.authorized_window != s.authorized_window):
        differs("authorized_window", vendor.authorized_window, s.authorized_window, texts.VENDOR_NO_REASON)
    return out


def buhfon_view(parsed: list[Parsed], period_from: date | None = None, period_to: date | None = None,
                today: date | None = None) -> tuple[BuhfonData, BuhfonResult]:
    """Stack the 1С-Бухфон files and decide who did not start the program in the period."""
    data = build_buhfon(parsed)
    if data is None:
        raise E.compute_fail("no-buhfon-files", files=describe_files(parsed))
    return data, buhfon_status(data, period_from, period_to, today)


def file_warnings(parsed: Sequence[Parsed]) -> list[Problem]:
    """The file-level warnings of reading (files set aside, repeated columns …), for pages without a view."""
    out: list[Problem] = []
    for p in parsed:
        if (aside := set_aside(p)) is not None:
            out.append(aside)
        out += p.report.warnings
    return out


def files_json(parsed: Sequence[Parsed]) -> list[dict[str, object]]:
    """``[{"file","kind","rows_used","rows_skipped"}]`` for the CLI's JSON (kind null when refused)."""
    out = []
    for p in parsed:
        r = p.report
        kind = None if r.kind is None else str(r.kind)
        used = int(r.rows_used) if p.ok else 0
        out.append({"file": r.file, "kind": kind, "rows_used": used,
                    "rows_skipped": max(0, int(r.rows_read) - used) if p.ok else int(r.rows_read)})
    return out


def all_errors(parsed: list[Parsed], data: ConnectData | None = None) -> list[InputError]:
    errs = [p.report.error for p in parsed if p.report.error is not None]
    return errs + (data.errors if data is not None else [])


def all_notes(parsed: list[Parsed], data: ConnectData | None = None) -> list[Problem]:
    notes = [n for p in parsed for n in p.report.notes]
    return notes + (data.notes if data is not None else [])


def forecast_as_of(month: pd.Period, today: date | None = None) -> date:
    """"Now" for a forecast: the end of the reporting month or today, whichever is earlier."""
    return min(month.end_time.date(), today or date.today())


def forecast_for(view: ConnectView, today: date | None = None) -> Forecast | None:
    """The pace forecast for the view's quarter as of ``forecast_as_of``; None without a client base."""
    s = view.summary
    if s.base <= 0:
        return None
    return forecast_quarter(s.quarter, s.base, s.active_qtd, forecast_as_of(view.month, today))


__all__ = ["CONNECT_INPUTS", "KIND_OPTIONS", "ConnectView", "all_errors", "all_notes", "buhfon_view",
           "connect_view", "counted_months", "describe_files", "file_month", "file_warnings", "files_json",
           "forecast_as_of", "forecast_for", "pick_month", "quarter_months", "read_files", "vendor_summaries"]
