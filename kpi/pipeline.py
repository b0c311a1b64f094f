"""The whole flow in three calls, shared by the app, the CLI and the benchmark.

``read_files`` reads every upload independently (a bad file becomes an error value, the others still
count); ``connect_view`` and ``buhfon_view`` compute what a page or a scheduled run shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kpi.compute.buhfon import BuhfonData, BuhfonResult, buhfon_status, build_buhfon
from kpi.compute.connect import ConnectData, build_connect
from kpi.compute.forecast import Forecast, forecast_quarter
from kpi.compute.quarter import ClientType, QuarterSummary, summarize
from kpi.errors import ComputeError, InputError, Note
from kpi.read.recognise import Parsed, read_export
from kpi.read.schema import Kind
from kpi.rules import DEFAULT_TZ


def read_files(files: list[tuple[str, bytes]], tz: str = DEFAULT_TZ) -> list[Parsed]:
    """Read each ``(name, bytes)``; failures are kept as ``Parsed`` with ``report.error`` set."""
    return [read_export(name, data, tz) for name, data in files]


@dataclass
class ConnectView:
    """What the 1С-Коннект page and ``python -m kpi connect`` show for one reporting month."""

    data: ConnectData
    month: pd.Period
    summary: QuarterSummary


def pick_month(parsed: list[Parsed]) -> pd.Period | None:
    """The reporting month when the user chose none: a per-client export's title, else a log's last month."""
    titled = [p.report.period_month for p in parsed
              if p.ok and p.kind is Kind.CONNECT_CLIENTS and p.report.period_month is not None]
    if titled:
        return max(titled)
    logged = [p.table["_month"].max() for p in parsed if p.ok and p.kind is Kind.CONNECT_LOG]
    return max(logged) if logged else None


def connect_view(parsed: list[Parsed], month: pd.Period | None = None, client_type: ClientType = "1c",
                 base: int | None = None) -> ConnectView:
    """Join the 1С-Коннект files and summarise the quarter of ``month`` (or of the month the files state)."""
    if not any(p.ok and p.kind in (Kind.CONNECT_CLIENTS, Kind.CONNECT_LOG, Kind.CLIENT_BASE) for p in parsed):
        raise ComputeError("нет ни одной выгрузки 1С-Коннект: загрузите статистику по клиентам, журнал "
                           "коммуникаций или список клиентов.")
    chosen = month or pick_month(parsed)
    data = build_connect(parsed, chosen)
    if chosen is None and data.errors:  # a per-client export without «Период»: name that file
        raise data.errors[0]
    if chosen is None:
        raise ComputeError("не удалось определить отчетный месяц: в файлах нет периода и дат коммуникаций. "
                           "Выберите отчетный месяц.")
    return ConnectView(data, chosen, summarize(data, chosen, client_type, base))


def buhfon_view(parsed: list[Parsed], period_from: date | None = None, period_to: date | None = None,
                today: date | None = None) -> tuple[BuhfonData, BuhfonResult]:
    """Stack the 1С-Бухфон files and decide who did not start the program in the period."""
    data = build_buhfon(parsed)
    if data is None:
        raise ComputeError("нет ни одной выгрузки 1С-Бухфон «Статистика подключения пользователей».")
    return data, buhfon_status(data, period_from, period_to, today)


def all_errors(parsed: list[Parsed], data: ConnectData | None = None) -> list[InputError]:
    errs = [p.report.error for p in parsed if p.report.error is not None]
    return errs + (data.errors if data is not None else [])


def all_notes(parsed: list[Parsed], data: ConnectData | None = None) -> list[Note]:
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
