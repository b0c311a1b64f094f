"""Tables as a person reads them: Russian numbers and dates, «Да»/«Нет», at most ``MAX_ROWS`` rows.

Small tables (the summary, the months) are formatted into text with ``kpi.fmt``. The long lists
become text too (dates «31.03.2021», counts «1 234», «Да»/«Нет», empty cells empty): only the first
``MAX_ROWS`` rows are drawn, in the order ``kpi`` gives them. Lists are shown by ``st.dataframe``,
which draws cells as text: nothing from a file is ever rendered as HTML.
"""

from __future__ import annotations

import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_float_dtype, is_integer_dtype

from kpi import rules
from kpi.compute.buhfon import DAYS_LABEL, NEVER_LABEL
from kpi.compute.quarter import QuarterSummary, share_pct
from kpi.errors import NOTE_KIND_RU, InputError, Note
from kpi.fmt import DASH, fmt_date, fmt_datetime, fmt_int, fmt_pct, month_label, plural_ru
from kpi.read.recognise import ReadReport
from kpi.read.schema import KIND_RU
from ui import texts

#: Rows drawn in a list; the download carries all of them.
MAX_ROWS = 1000

SUMMARY_COLUMNS = ["Показатель", "Количество", "% (контроль норматива)"]


def _pct(count: int | None, base: int) -> str:
    return fmt_pct(share_pct(count, base))  # «—» without a base


def summary_table(s: QuarterSummary) -> pd.DataFrame:
    """Shaped like the vendor report's second table, with the quarter-to-date and the goals below it."""
    who = "клиентов ИТС" if s.client_type == "1c" else "клиентов"
    source = texts.BASE_SOURCE_RU.get(s.base_source, s.base_source)
    auth = s.authorized_window
    rows = [
        (f"Всего {who} (контроль норматива; база {source}):", fmt_int(s.base), ""),
        ("Клиентов с авторизацией в отчетном, -1 и -2 месяцах:", DASH if auth is None else fmt_int(auth),
         _pct(auth, s.base)),
        ("Клиентов с коммуникациями в отчетном, -1 или -2 месяцах:", fmt_int(s.active_window),
         _pct(s.active_window, s.base)),
        (f"Клиентов с коммуникациями с начала квартала ({texts.qtd_span(s)}):", fmt_int(s.active_qtd),
         _pct(s.active_qtd, s.base)),
        (f"Ориентир {s.month_in_quarter}-го месяца квартала:", fmt_int(s.milestone_count),
         fmt_pct(s.milestone_pct, 0)),
        ("Норматив квартала:", fmt_int(s.target_count), fmt_pct(rules.TARGET_PCT, 0)),
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def months_table(s: QuarterSummary) -> pd.DataFrame:
    """The quarter month by month; months after the reporting month are shown as «—»."""
    out = []
    for r in s.months.itertuples(index=False):
        future = pd.isna(r.active_qtd)
        met = DASH if future else ("Да" if bool(r.milestone_met) else "Нет")
        out.append({
            "Месяц": month_label(r.month).capitalize(),
            "Коммуникации в месяце": DASH if future else fmt_int(r.active_month),
            "С начала квартала": DASH if future else fmt_int(r.active_qtd),
            "% базы": DASH if future else fmt_pct(r.active_qtd_pct),
            "Ориентир, %": fmt_pct(r.milestone_pct, 0),
            "Ориентир, клиентов": fmt_int(r.milestone_count),
            "Ориентир выполнен": met,
            "Не хватает": DASH if future else fmt_int(r.clients_needed),
        })
    return pd.DataFrame(out)


def _fmt_number(v: object) -> str:
    if v is None or pd.isna(v):  # type: ignore[arg-type]
        return ""
    f = float(v)  # type: ignore[arg-type]
    if f.is_integer():
        return fmt_int(int(f))
    return f"{f:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _dates_text(s: pd.Series) -> pd.Series:
    """«31.03.2021», or «31.03.2021 14:05» for the whole column when any value has a time; "" for none."""
    stamps = s.dropna()
    has_time = bool(len(stamps)) and bool((stamps != stamps.dt.normalize()).any())
    return s.dt.strftime("%d.%m.%Y %H:%M" if has_time else "%d.%m.%Y").astype("object").where(s.notna(), "")


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A list for ``st.dataframe``: the first ``MAX_ROWS`` rows as Russian text, empty cells empty.

    Every cell becomes text (the grid would print «None» for a missing value and its own number
    formats otherwise); the rows keep the order ``kpi`` gave them.
    """
    out = df.head(MAX_ROWS).copy()
    for c in out.columns:
        s = out[c]
        if is_bool_dtype(s.dtype):
            out[c] = s.map({True: "Да", False: "Нет"}).astype("object").where(s.notna(), "")
        elif is_datetime64_any_dtype(s.dtype):
            out[c] = _dates_text(s)
        elif is_integer_dtype(s.dtype) or is_float_dtype(s.dtype):
            out[c] = s.map(_fmt_number).astype("object")
        else:
            out[c] = s.map(_cell_text).astype("object")
    return out


def _cell_text(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, bool):
        return "Да" if v else "Нет"
    if isinstance(v, pd.Timestamp):
        return fmt_date(v) if v == v.normalize() else v.strftime("%d.%m.%Y %H:%M")
    if isinstance(v, float):
        return "" if pd.isna(v) else _fmt_number(v)
    return v


def buhfon_display_order(frame: pd.DataFrame, field_columns: dict[str, list[str]]) -> pd.DataFrame:
    """Who, since when and how long first: user, organisation, last authorisation, days, never; then the rest."""
    first = [*field_columns.get("bf_user", []), *field_columns.get("client", []),
             *field_columns.get("bf_last_auth", []), DAYS_LABEL, NEVER_LABEL]
    first = [c for c in dict.fromkeys(first) if c in frame.columns]
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def count_caption(total: int, noun: tuple[str, str, str]) -> str:
    """«Найдено 188 клиентов» or «Найдено 12 345 клиентов, показаны первые 1 000 — все в файле»."""
    text = f"Найдено: {fmt_int(total)} {plural_ru(total, noun)}"
    if total > MAX_ROWS:
        text += f". Показаны первые {fmt_int(MAX_ROWS)}, в скачанном файле — все"
    return text + "."


# ---- the Данные page -----------------------------------------------------------------------------


def _sep_name(sep: str | None) -> str:
    return {";": "точка с запятой «;»", ",": "запятая «,»", "\t": "табуляция"}.get(sep or "", sep or "")


def report_properties(r: ReadReport) -> pd.DataFrame:
    """What was recognised in one file, as (Свойство, Значение) rows."""
    period = ""
    if r.period_from or r.period_to:
        period = f"{fmt_date(r.period_from)} – {fmt_date(r.period_to)}"
    rows = [
        ("Вид выгрузки", KIND_RU.get(r.kind, "не распознан") if r.kind else "не распознан"),
        ("Формат", (r.fmt or "").upper()),
        ("Лист", r.sheet or ""),
        ("Строка заголовка", "" if r.header_row is None else str(r.header_row)),
        ("Кодировка", r.encoding or ""),
        ("Разделитель", _sep_name(r.separator)),
        ("Отчетный месяц (из заголовка)", month_label(r.period_month) if r.period_month is not None else ""),
        ("Период (из заголовка)", period),
        ("Строк прочитано", fmt_int(r.rows_read)),
        ("Строк использовано", fmt_int(r.rows_used)),
    ]
    return pd.DataFrame([(k, v) for k, v in rows if v], columns=["Свойство", "Значение"])


def mapping_table(r: ReadReport) -> pd.DataFrame:
    return pd.DataFrame(list(r.mapping.items()), columns=["Столбец в файле", "Понят как"])


def notes_table(notes: list[Note]) -> pd.DataFrame:
    rows = [{"Строка": "" if n.row is None else str(n.row), "Столбец": n.column or "",
             "Что сделано": NOTE_KIND_RU.get(n.kind, n.kind), "Причина": n.message} for n in notes]
    return pd.DataFrame(rows, columns=["Строка", "Столбец", "Что сделано", "Причина"])


def errors_for(file: str, errors: list[InputError]) -> list[InputError]:
    return [e for e in errors if e.file == file]


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The saved months as a person reads them, newest first."""
    h = history.sort_values(["month", "client_type"], ascending=[False, True])
    out = []
    for r in h.itertuples(index=False):
        out.append({
            "Месяц": month_label(pd.Period(r.month, freq="M")).capitalize(),
            "Тип клиентов": texts.CLIENT_TYPE_NAMES.get(r.client_type, r.client_type),
            "База": fmt_int(r.base),
            "Как в отчёте кабинета": fmt_int(r.active_window),
            "С начала квартала": fmt_int(r.active_qtd),
            "% базы": fmt_pct(r.active_qtd_pct),
            "Ориентир, %": fmt_pct(r.milestone_pct, 0),
            "Ориентир выполнен": "Да" if bool(r.milestone_met) else "Нет",
            "Сохранено": _saved_text(r.saved_at),
        })
    return pd.DataFrame(out, columns=["Месяц", "Тип клиентов", "База", "Как в отчёте кабинета", "С начала квартала",
                                      "% базы", "Ориентир, %", "Ориентир выполнен", "Сохранено"])


def _saved_text(value: object) -> str:
    """«23.11.2026 14:05» from the ISO time a save wrote; anything else as it is."""
    try:
        return fmt_datetime(pd.Timestamp(str(value)))
    except (TypeError, ValueError):
        return "" if value is None or pd.isna(value) else str(value)
