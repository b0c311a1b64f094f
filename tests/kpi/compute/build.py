"""Build ``Parsed`` values for compute tests: through the real reader where it knows the shape, else directly
as the reader's contract says (the ITS report's tidy columns, a set-aside file, the vendor's summary)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kpi import errors as E
from kpi.read.recognise import Parsed, ReadReport, read_export
from kpi.read.schema import Kind
from kpi.read.vendor import VendorSummary
from tests.fixtures.shapes import ItsRow
from tests.helpers import csv_bytes

ITS = Kind.ITS_CONTRACTS
PBX = Kind.PBX_CALLS
CRM = Kind.CRM_DEALS

__all__ = ["CRM", "ITS", "PBX", "VendorSummary", "base_parsed", "its_parsed", "log_parsed", "set_aside_parsed",
           "stats_parsed"]


def _text(values: list[object]) -> pd.Series:
    return pd.Series(pd.array([None if v is None else str(v) for v in values], dtype="str"))


def _dates(values: list[date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series([pd.NaT if v is None else pd.Timestamp(v) for v in values]))
                     ).astype("datetime64[us]")


def its_parsed(rows: list[ItsRow], report_date: date | None = date(2022, 11, 7), name: str = "its.xlsx") -> Parsed:
    """The ITS report as the reader hands it over (contract: ``_inn`` text with the zero restored …)."""
    t = pd.DataFrame({
        "Регномер": _text([r.regnum for r in rows]),
        "Пользователь": _text([r.client for r in rows]),
        "Наименование вида 1С:ИТС": _text([r.kind for r in rows]),
    })
    t["_inn"] = _text([r.inn_text for r in rows])
    t["_regnum"] = _text([r.regnum for r in rows])
    t["_regnums_extra"] = _text([";".join(str(x) for x in r.extra_regnums) or None for r in rows])
    t["_client"] = _text([r.client for r in rows])
    t["_its_kind"] = _text([r.kind for r in rows])
    t["_start"] = _dates([r.start for r in rows])
    t["_end"] = _dates([r.end for r in rows])
    t["_refused_from"] = _dates([r.refused_from for r in rows])
    t["_responsible"] = _text([r.responsible for r in rows])
    t.index = pd.RangeIndex(6, 6 + len(rows))  # the rows a person sees: the header is row 5
    report = ReadReport(file=name, kind=ITS, sheet="TDSheet", header_row=5, rows_read=len(rows),
                        rows_used=len(rows), report_date=report_date)
    return Parsed(report, t)


def set_aside_parsed(name: str, kind: str = PBX, code: str = "set-aside-pbx") -> Parsed:
    report = ReadReport(file=name, kind=kind, rows_read=5, rows_used=0,
                        set_aside=E.make(code, name, evidence="«Тип звонка», «Переадресация»"))
    return Parsed(report, None)


def log_parsed(rows: list[list[object]], name: str = "log.csv",
               header: tuple[str, ...] = ("Дата и время", "Клиент", "ИНН", "Регистрационный номер",
                                          "Вид коммуникации")) -> Parsed:
    p = read_export(name, csv_bytes([list(header), *rows]))
    assert p.ok and p.kind == Kind.CONNECT_LOG, p.report.error
    return p


def base_parsed(rows: list[list[object]], name: str = "base.csv",
                header: tuple[str, ...] = ("Код клиента", "Клиент", "ИНН", "Тип клиента")) -> Parsed:
    p = read_export(name, csv_bytes([list(header), *rows]))
    assert p.ok and p.kind == Kind.CLIENT_BASE, p.report.error
    return p


def stats_parsed(rows: list[list[object]], period: str = "Ноябрь 2026", name: str = "stats.csv",
                 header: tuple[str, ...] = ("Код клиента", "Клиент", "ИНН", "Коммуникации в отчетном месяце",
                                            "Коммуникации в -1 месяце", "Коммуникации в -2 месяце"),
                 vendor: VendorSummary | None = None) -> Parsed:
    p = read_export(name, csv_bytes([list(header), *rows], title=[f"Период: {period} г."]))
    assert p.ok and p.kind == Kind.CONNECT_CLIENTS, p.report.error
    if vendor is not None:
        p.report.vendor_summary = vendor
    return p
