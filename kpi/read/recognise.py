"""Turn a raw table into a tidy one: judge the export's kind, map its columns, parse, skip bad rows.

The tidy table keeps every source column under its own header (so downloads carry them all) and adds
the parsed fields under ``_name`` columns (``_client``, ``_comm_m0``, ``_event_time`` …). The report
says what was recognised and lists each skipped row with its source row number and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from kpi.errors import InputError, Note
from kpi.read import schema as S
from kpi.read.ingest import RawTable, read_table
from kpi.read.schema import Field, Kind, KindSpec
from kpi.read.values import (
    as_text,
    leading_bytes,
    maybe_blank,
    normalize_inn,
    parse_datetime,
    parse_flag,
    to_month,
)
from kpi.rules import DEFAULT_TZ
from kpi.settings import LIMITS, Limits

#: Notes listed one by one per file and reason; beyond this a single summary note counts the rest.
MAX_NOTES_PER_REASON = 200

FLAG_FIELDS = {f.name for f in (*S.COMM_FLAGS, *S.AUTH_FLAGS, S.BF_IS_1C, S.BF_AUTH)}
DATE_FIELDS = {S.LAST_COMM.name, S.LAST_AUTH.name, S.BF_LAST_AUTH.name}
TEXT_FIELDS = {S.CLIENT.name, S.REGNUM.name, S.CODE.name, S.CLIENT_TYPE.name, S.RESPONSIBLE.name,
               S.CHANNEL.name, S.SPECIALIST.name, S.BF_CATEGORY.name, S.BF_USER.name, S.BF_DATE.name}


def col(f: Field | str) -> str:
    """The tidy table's column for a field: ``_`` + its name, apart from the source's own headers."""
    return "_" + (f if isinstance(f, str) else f.name)


@dataclass
class ReadReport:
    """What was found in one file: the Данные page and the CLI's report show it as it is."""

    file: str
    kind: Kind | None = None
    fmt: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    separator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    title: list[str] = field(default_factory=list)
    period_month: pd.Period | None = None
    period_from: date | None = None
    period_to: date | None = None
    rows_read: int = 0
    rows_used: int = 0
    notes: list[Note] = field(default_factory=list)
    error: InputError | None = None


@dataclass
class Parsed:
    """One file's result: its tidy table (None when the file was refused) and its report."""

    report: ReadReport
    table: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.table is not None

    @property
    def kind(self) -> Kind | None:
        return self.report.kind


def read_export(name: str, data: bytes, tz: str = DEFAULT_TZ, limits: Limits = LIMITS) -> Parsed:
    """Read one uploaded export. Never raises for bad input: the error is in ``report.error``."""
    report = ReadReport(file=name)
    try:
        raw = read_table(name, data, limits)
        return recognise(raw, tz, report)
    except InputError as err:
        report.error = err
        return Parsed(report)


def map_columns(columns: list[str], spec: KindSpec) -> dict[str, Field]:
    """Source column → field, first column per field; names compared after ``normalize_header``."""
    out: dict[str, Field] = {}
    taken: set[str] = set()
    for c in columns:
        key = S.normalize_header(c)
        for f in spec.fields:
            if f.name not in taken and key in f.aliases:
                out[c] = f
                taken.add(f.name)
                break
    return out


def judge_kind(columns: list[str]) -> tuple[KindSpec, dict[str, Field]] | None:
    """The first kind whose required columns are all present (kinds are tried most specific first)."""
    for spec in S.SPECS:
        mapping = map_columns(columns, spec)
        names = {f.name for f in mapping.values()}
        if all(f.name in names for f in spec.required) and (
                not spec.any_of or any(f.name in names for f in spec.any_of)):
            return spec, mapping
    return None


def recognise(raw: RawTable, tz: str = DEFAULT_TZ, report: ReadReport | None = None) -> Parsed:
    """Map, parse and clean a raw table; raise ``InputError`` when it is no known export."""
    report = report or ReadReport(file=raw.file)
    report.fmt, report.sheet, report.header_row = raw.fmt, raw.sheet, raw.header_row
    report.encoding, report.separator, report.title = raw.encoding, raw.separator, raw.title
    report.period_month, report.period_from, report.period_to = raw.period_month, raw.period_from, raw.period_to
    frame = raw.frame
    judged = judge_kind(list(frame.columns))
    if judged is None:
        found = [str(c) if len(str(c)) <= 60 else str(c)[:59] + "…" for c in list(frame.columns)[:12]]
        raise InputError(raw.file, "столбцы не похожи ни на одну известную выгрузку (найдены: "
                         + ", ".join(f"«{c}»" for c in found)
                         + "). Загрузите выгрузку отчёта без изменений в столбцах. Ожидаются:\n"
                         + S.expected_columns_ru())
    spec, mapping = judged
    report.kind = spec.kind
    report.mapping = {src: f.label for src, f in mapping.items()}
    report.fields = {src: f.name for src, f in mapping.items()}

    notes = _Notes(raw.file)
    notes.notes.extend(raw.notes)  # cells cut while reading come first, in the order they were found
    if len(frame):  # (a header-only table has no rows to drop)
        empty = _empty_rows(frame)
        if empty.any():
            frame = frame[~empty]
    report.rows_read = len(frame)
    if not len(frame):
        raise InputError(raw.file, f"в таблице есть заголовок (строка {raw.header_row}), но нет ни одной строки "
                                   "данных. Проверьте период и фильтры отчёта и выгрузите его заново.")

    tidy = frame.copy(deep=False)  # copy-on-write: the parsed columns added below leave ``frame`` as it is
    keep = pd.Series(True, index=frame.index)
    totals = _totals_rows(frame)
    keep &= ~totals
    notes.add_rows(totals[totals].index, "skipped", "строка итогов, не клиент")

    for src, f in mapping.items():
        target = col(f)
        if f.name in FLAG_FIELDS:
            flags, bad = parse_flag(frame[src])
            bad &= keep
            tidy[target] = flags
            if bad.any():
                values = as_text(frame[src])
                notes.add_rows(bad[bad].index, "skipped",
                               "значение «{value}» не похоже на «Да» или «Нет»", column=src, values=values)
                keep &= ~bad
        elif f.name in DATE_FIELDS or f is S.EVENT_TIME:
            stamps, bad = parse_datetime(frame[src], tz)
            bad &= keep
            tidy[target] = stamps
            if bad.any():
                values = as_text(frame[src])
                if f is S.EVENT_TIME:
                    notes.add_rows(bad[bad].index, "skipped", "дата «{value}» не распознана", column=src,
                                   values=values)
                    keep &= ~bad
                else:
                    notes.add_rows(bad[bad].index, "warning", "дата «{value}» не распознана, считается пустой",
                                   column=src, values=values)
        elif f is S.INN:
            tidy[target] = normalize_inn(frame[src])
        else:
            tidy[target] = as_text(frame[src])

    if spec.kind is not Kind.BUHFON:
        ident = [col(f) for f in S.IDENTITY if col(f) in tidy]
        anonymous = tidy[ident].isna().all(axis=1) & keep
        if anonymous.any():
            notes.add_rows(anonymous[anonymous].index, "skipped", "не указан клиент (нет наименования, ИНН и кода)")
            keep &= ~anonymous
    if spec.kind is Kind.CONNECT_LOG:
        no_time = tidy[col(S.EVENT_TIME)].isna() & keep
        if no_time.any():
            notes.add_rows(no_time[no_time].index, "skipped", "не указана дата коммуникации")
            keep &= ~no_time
        tidy[col("month")] = to_month(tidy[col(S.EVENT_TIME)])

    kept = keep.to_numpy()
    if not kept[: kept.sum()].all():
        tidy = tidy[keep]
    elif not kept.all():  # only trailing rows (the totals row) go: a slice, no copy of the columns
        tidy = tidy.iloc[: kept.sum()]
    report.rows_used = len(tidy)
    report.notes = notes.done()
    if not len(tidy):
        raise InputError(raw.file, "ни одна строка не прочитана: " + "; ".join(str(n) for n in report.notes[:5])
                         + ". Исправьте эти значения в файле или выгрузите отчёт заново.")
    return Parsed(report, tidy)


def _totals_rows(frame: pd.DataFrame) -> pd.Series:
    """«Итого»/«Всего» in the first non-empty text column marks the totals row below the table."""
    column = frame.iloc[:, 0]
    totals = pd.Series(False, index=frame.index)
    lead = leading_bytes(column)
    if lead is None:
        rows = np.arange(len(frame))
    else:  # only cells starting with whitespace, «И», «и», «В», «в», «T», «t» or a rarer letter can say so
        first, second = lead
        rows = np.flatnonzero(maybe_blank(column) | (first == ord("T")) | (first == ord("t"))
                              | ((first == 0xD0) & np.isin(second, [0x98, 0xB8, 0x92, 0xB2]))
                              | ((first >= 0x80) & (first != 0xD0) & (first != 0xD1)))
    if not len(rows):
        return totals
    text = column.iloc[rows].astype("str").str.strip().str.lower()
    starts = text.str.startswith(("итого", "всего", "total")).fillna(False).to_numpy(bool)
    if starts.any():  # the word must end there: the regex only on the few rows that start so
        word = text[starts].str.match(r"^(итого|всего|total)\b").fillna(False).to_numpy(bool)
        totals.iloc[rows[starts]] = word
    return totals


def _empty_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is missing or blank, judged column by column on the rows still blank."""
    empty = np.ones(len(frame), dtype=bool)
    for pos in range(frame.shape[1]):
        rows = np.flatnonzero(empty)
        if not len(rows):
            break
        cells = frame.iloc[:, pos] if len(rows) == len(frame) else frame.iloc[rows, pos]
        maybe = maybe_blank(cells)  # a text cell starting with a visible character is not blank
        blank = np.zeros(len(cells), dtype=bool)
        check = np.arange(len(cells)) if maybe is None else np.flatnonzero(maybe)
        if len(check):
            part = cells.iloc[check]
            blank[check] = (part.isna() | part.astype("str").str.strip().eq("")).to_numpy(dtype=bool)
        empty[rows] = blank
    return empty


class _Notes:
    """Collects notes per reason, listing the first ``MAX_NOTES_PER_REASON`` rows and counting the rest."""

    def __init__(self, file: str):
        self.file = file
        self.notes: list[Note] = []

    def add_rows(self, rows: pd.Index, kind: str, template: str, column: str | None = None,
                 values: pd.Series | None = None) -> None:
        listed = rows[:MAX_NOTES_PER_REASON]
        for r in listed:
            value = "" if values is None else str(values.get(r, ""))[:80]
            self.notes.append(Note(self.file, kind, template.format(value=value), int(r), column))  # type: ignore[arg-type]
        rest = len(rows) - len(listed)
        if rest > 0:
            self.notes.append(Note(self.file, kind, f"и ещё {rest} строк по той же причине", None, column))  # type: ignore[arg-type]

    def done(self) -> list[Note]:
        return self.notes
