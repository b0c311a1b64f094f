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
from kpi import texts as T
from kpi.compute.buhfon import DAYS_LABEL, NEVER_LABEL
from kpi.compute.quarter import QuarterSummary, share_pct
from kpi.errors import InputError, Problem
from kpi.fmt import DASH, fmt_date, fmt_datetime, fmt_int, fmt_pct, month_label, plural_ru
from kpi.read.recognise import ReadReport
from kpi.read.schema import KIND_RU
from kpi.read.vendor import VendorSummary
from ui import texts

#: Rows drawn in a list; the download carries all of them.
MAX_ROWS = 1000

SUMMARY_COLUMNS = T.SUMMARY_COLUMNS


def _pct(count: int | None, base: int) -> str:
    return fmt_pct(share_pct(count, base))  # «—» without a base


def summary_table(s: QuarterSummary) -> pd.DataFrame:
    """Shaped like the vendor report's second table, with the quarter-to-date and the goals below it."""
    r = T.SUMMARY_ROWS
    who = T.SUMMARY_BASE_WHO["1c" if s.client_type == "1c" else "all"]
    auth = s.authorized_window
    rows = [
        (r["base"].format(who=who, source=texts.base_source(s)), fmt_int(s.base), ""),
        (r["auth"], DASH if auth is None else fmt_int(auth), _pct(auth, s.base)),
        (r["window"], fmt_int(s.active_window), _pct(s.active_window, s.base)),
        (r["qtd"].format(span=texts.qtd_span(s)), fmt_int(s.active_qtd), _pct(s.active_qtd, s.base)),
        (r["milestone"].format(k=s.month_in_quarter), fmt_int(s.milestone_count), fmt_pct(s.milestone_pct, 0)),
        (r["target"], fmt_int(s.target_count), fmt_pct(rules.TARGET_PCT, 0)),
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def vendor_table(s: QuarterSummary, vendor: VendorSummary, listed: int | None) -> pd.DataFrame:
    """The vendor's printed figures beside ours, with the difference (ours minus theirs). Our base is the
    number of clients our files list (``listed``; the vendor's base is the one the KPI uses), else the base."""
    rows = T.C_VENDOR_ROWS
    pairs = [(rows["base"], vendor.base, s.base if listed is None else listed),
             (rows["auth"], vendor.authorized_window, s.authorized_window),
             (rows["active"], vendor.active_window, s.active_window)]
    out = []
    for label, theirs, ours in pairs:
        if theirs is None:
            continue
        diff = "" if ours is None else _signed(int(ours) - int(theirs))
        out.append((label, fmt_int(int(theirs)), DASH if ours is None else fmt_int(int(ours)), diff))
    return pd.DataFrame(out, columns=T.C_VENDOR_COLUMNS)


def _signed(n: int) -> str:
    """Ours minus the vendor's: «+3», «−2» (a true minus), «совпадает»."""
    return f"+{fmt_int(n)}" if n > 0 else (f"−{fmt_int(-n)}" if n < 0 else T.C_VENDOR_SAME)


def months_table(s: QuarterSummary) -> pd.DataFrame:
    """The quarter month by month; months after the reporting month are shown as «—»."""
    c = T.MONTHS_COLUMNS
    out = []
    for r in s.months.itertuples(index=False):
        future = pd.isna(r.active_qtd)
        met = DASH if future else yes_no(bool(r.milestone_met))
        out.append({
            c["month"]: month_label(r.month).capitalize(),
            c["active_month"]: DASH if future else fmt_int(r.active_month),
            c["active_qtd"]: DASH if future else fmt_int(r.active_qtd),
            c["pct"]: DASH if future else fmt_pct(r.active_qtd_pct),
            c["milestone_pct"]: fmt_pct(r.milestone_pct, 0),
            c["milestone_count"]: fmt_int(r.milestone_count),
            c["milestone_met"]: met,
            c["needed"]: DASH if future else fmt_int(r.clients_needed),
        })
    return pd.DataFrame(out, columns=list(c.values()))


def yes_no(value: bool) -> str:
    return T.YES if value else T.NO


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
            out[c] = s.map({True: T.YES, False: T.NO}).astype("object").where(s.notna(), "")
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
        return yes_no(v)
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
    text = T.COUNT_CAPTION.format(count=fmt_int(total), noun=plural_ru(total, noun))
    if total > MAX_ROWS:
        text += T.COUNT_CAPTION_MORE.format(shown=fmt_int(MAX_ROWS))
    return text + "."


# ---- the Данные page -----------------------------------------------------------------------------


def _sep_name(sep: str | None) -> str:
    return T.SEPARATORS_RU.get(sep or "", sep or "")


def report_properties(r: ReadReport) -> pd.DataFrame:
    """What was recognised in one file, and why, as (Свойство, Значение) rows."""
    p = T.PROPS
    period = ""
    if r.period_from or r.period_to:
        period = f"{fmt_date(r.period_from)} – {fmt_date(r.period_to)}"

    rows = [
        (p["kind"], kind_name(r.kind)),
        (p["forced"], T.YES if r.forced else ""),
        (p["decided_by"], ", ".join(f"«{c}»" for c in r.decided_by)),
        (p["format"], (r.fmt or "").upper()),
        (p["sheet"], r.sheet or ""),
        (p["header_row"], "" if r.header_row is None else str(r.header_row)),
        (p["encoding"], r.encoding or ""),
        (p["separator"], _sep_name(r.separator)),
        (p["month"], month_label(r.period_month) if r.period_month is not None else ""),
        (p["period"], period),
        (p["report_date"], fmt_date(r.report_date) if r.report_date else ""),
        (p["vendor"], _vendor_text(r.vendor_summary)),
        (p["rows_read"], fmt_int(r.rows_read)),
        (p["rows_used"], fmt_int(r.rows_used)),
    ]
    return pd.DataFrame([(k, v) for k, v in rows if v], columns=T.PROPS_COLUMNS)


def _vendor_text(v: VendorSummary | None) -> str:
    if v is None:
        return ""
    def n(x: int | None) -> str:
        return DASH if x is None else fmt_int(x)
    return T.PROPS_VENDOR.format(base=fmt_int(v.base), auth=n(v.authorized_window), active=n(v.active_window),
                                 date=T.PROPS_VENDOR_DATE.format(date=fmt_date(v.base_date)) if v.base_date else "",
                                 row=DASH if v.row is None else v.row)


def kind_name(kind: object) -> str:
    """A kind in Russian (``kpi.read.schema.KIND_RU``), «не распознан» for none."""
    return KIND_RU.get(kind, str(kind)) if kind else T.KIND_UNKNOWN  # type: ignore[call-overload]


def mapping_table(r: ReadReport) -> pd.DataFrame:
    return pd.DataFrame(list(r.mapping.items()), columns=T.MAPPING_COLUMNS)


def notes_table(notes: list[Problem]) -> pd.DataFrame:
    c = T.NOTES_COLUMNS
    rows = [{c[0]: "" if n.row is None else str(n.row), c[1]: n.column or "",
             c[2]: T.NOTE_KINDS.get(n.kind, n.kind), c[3]: n.message} for n in notes]
    return pd.DataFrame(rows, columns=c)


def errors_for(file: str, errors: list[InputError]) -> list[InputError]:
    return [e for e in errors if e.file == file]


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The saved months as a person reads them, newest first."""
    h = history.sort_values(["month", "client_type"], ascending=[False, True])
    c = T.HISTORY_COLUMNS
    out = []
    for r in h.itertuples(index=False):
        out.append({
            c["month"]: month_label(pd.Period(r.month, freq="M")).capitalize(),
            c["client_type"]: texts.CLIENT_TYPE_NAMES.get(r.client_type, r.client_type),
            c["base"]: fmt_int(r.base),
            c["active_window"]: fmt_int(r.active_window),
            c["active_qtd"]: fmt_int(r.active_qtd),
            c["pct"]: fmt_pct(r.active_qtd_pct),
            c["milestone_pct"]: fmt_pct(r.milestone_pct, 0),
            c["milestone_met"]: yes_no(bool(r.milestone_met)),
            c["saved_at"]: _saved_text(r.saved_at),
        })
    return pd.DataFrame(out, columns=list(c.values()))


def _saved_text(value: object) -> str:
    """«23.11.2026 14:05» from the ISO time a save wrote; anything else as it is."""
    try:
        return fmt_datetime(pd.Timestamp(str(value)))
    except (TypeError, ValueError):
        return "" if value is None or pd.isna(value) else str(value)
