"""Widget groups the pages share: filters, the list with its count, the download buttons."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi import errors as E
from kpi import texts as T
from kpi.compute.buhfon import NO_CATEGORY, BuhfonFilter
from kpi.compute.connect import ConnectData
from kpi.compute.forecast import Forecast
from kpi.compute.quarter import QuarterSummary, list_count
from kpi.compute.silent import ClientFilter
from kpi.errors import Problem
from kpi.fmt import fmt_date, fmt_int
from kpi.read.vendor import VendorSummary
from kpi.write.export import EXCEL_MAX_ROWS
from ui import data, downloads, tables, texts
from ui.downloads import CSV_MIME, XLSX_MIME
from ui.state import Context


def client_filter(client_type: str, responsible: list[str], has_auth: bool) -> ClientFilter:
    """The silent-list filters; the client type comes from the sidebar (it drives the KPI too)."""
    c1, c2, c3 = st.columns(3)
    no_month = c1.checkbox(T.F_NO_COMM_MONTH, value=True, key="f_no_comm_month",
                           help=T.F_NO_COMM_MONTH_HELP)
    no_quarter = c2.checkbox(T.F_NO_COMM_QUARTER, key="f_no_comm_quarter")
    no_auth = c3.checkbox(T.F_NO_AUTH, key="f_no_auth", disabled=not has_auth,
                          help=None if has_auth else T.F_NO_AUTH_DISABLED)
    c4, c5 = st.columns([1, 1])
    people: list[str] = []
    if responsible:
        people = c4.multiselect(T.F_RESPONSIBLE, responsible, key="f_responsible", placeholder=T.F_ALL)
    search = c5.text_input(T.F_SEARCH, key="f_search", placeholder=T.F_SEARCH_PLACEHOLDER)
    return ClientFilter(client_type="all" if client_type == "all" else "1c", no_comm_month=no_month,
                        no_comm_quarter=no_quarter, no_auth_window=no_auth and has_auth,
                        responsible=tuple(people), search=search or "")


def buhfon_filter(categories: list[str], has_is_1c: bool) -> BuhfonFilter:
    c1, c2, c3 = st.columns([2, 1, 1])
    chosen = c1.multiselect(T.BF_CATEGORY, categories, key="bf_categories", placeholder=T.BF_ALL_CATEGORIES)
    is_1c = "all"
    if has_is_1c:
        is_1c = c2.radio(T.BF_IS_1C, list(T.BF_IS_1C_OPTIONS), format_func=T.BF_IS_1C_OPTIONS.__getitem__,
                         key="bf_is_1c", horizontal=True)
    search = c3.text_input(T.BF_SEARCH, key="bf_search")
    only = st.checkbox(T.BF_ONLY_NOT_LAUNCHED, value=True, key="bf_only_not_launched")
    return BuhfonFilter(only_not_launched=only, categories=tuple(chosen),
                        is_1c_user=None if is_1c == "all" else is_1c == "yes", search=search or "")


def categories_of(table: pd.DataFrame) -> list[str]:
    return sorted(table["_bf_category"].fillna(NO_CATEGORY).unique().tolist())


def show_list(frame: pd.DataFrame, total: int, noun: tuple[str, str, str], key: str) -> None:
    """The first ``tables.MAX_ROWS`` rows of an export frame, formatted, with the total count."""
    st.caption(tables.count_caption(total, noun))
    if frame.empty:  # the grid would print «empty»: say it in Russian
        st.info(T.EMPTY_LIST, icon=":material/filter_alt_off:")
        return
    shown = tables.display_frame(frame)
    st.dataframe(shown, hide_index=True, key=key, height=420 if len(shown) > 10 else "auto")


def show_table(frame: pd.DataFrame, key: str, empty: str = T.EMPTY_TABLE) -> None:
    """A small table as it is, or a Russian line when it has no rows (the grid would print «empty»)."""
    if frame.empty:
        st.caption(empty)
        return
    st.dataframe(frame, hide_index=True, key=key)


def download_buttons(name_xlsx: str, make_xlsx: Callable[[], bytes], name_csv: str,
                     make_csv: Callable[[], bytes], key: str, rows: int = 0) -> None:
    """Two buttons; the bytes are made when clicked (``data`` is a callable), not on every rerun. A list of
    more ``rows`` than one Excel sheet holds (under its title) offers only the CSV, and says why."""
    room = EXCEL_MAX_ROWS - 2  # the title row and the header
    too_long = str(E.make("list-too-long", None, rows=fmt_int(rows), limit=fmt_int(room))) if rows > room else None
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(T.DOWNLOAD_XLSX, make_xlsx, file_name=name_xlsx, mime=XLSX_MIME, key=f"{key}_xlsx",
                       icon=":material/download:", on_click="ignore", type="primary", width="stretch",
                       disabled=too_long is not None, help=too_long and texts.sentence(too_long))
    c2.download_button(T.DOWNLOAD_CSV, make_csv, file_name=name_csv, mime=CSV_MIME, key=f"{key}_csv",
                       icon=":material/download:", on_click="ignore", width="stretch")


def forecast_panel(f: Forecast | None) -> None:
    """Pace and forecast beside the gauges: the forecast share (or «мало данных»), clients needed per
    working day left, working days left, and ``Forecast.message_ru``."""
    st.markdown(T.FORECAST_TITLE)
    if f is None:
        st.caption(T.FORECAST_NONE)
        return
    for label, value, help_text, delta in texts.forecast_metrics(f):
        st.metric(label, value, delta=delta, help=help_text)
    st.caption(texts.forecast_caption(f))


def people_from_text(text: str | None) -> tuple[str, ...]:
    """Names typed one per line; blank lines dropped, repeats kept once, order kept."""
    names = (line.strip() for line in (text or "").splitlines())
    return tuple(dict.fromkeys(n for n in names if n))


def split_section(ctx: Context, filt: ClientFilter, responsible: list[str], s: QuarterSummary,
                  cdata: ConnectData) -> None:
    """«Распределить звонки»: the list above dealt out among people, a summary and the per-person workbook."""
    typed = st.text_area(T.SPLIT_PEOPLE, key="split_people", height=110, placeholder=T.SPLIT_PEOPLE_PLACEHOLDER,
                         help=T.SPLIT_PEOPLE_HELP)
    people = people_from_text(typed)
    if people:
        st.caption(T.SPLIT_TYPED.format(people=texts.md_escape("; ".join(people))))
    elif responsible:
        st.caption(T.SPLIT_FROM_DATA.format(people=texts.md_escape("; ".join(responsible))))
    else:
        st.warning(T.SPLIT_NO_RESPONSIBLE, icon=":material/group_add:")
    split = data.split(ctx.key, ctx.params, filt, people, ctx.files)
    if split is None:
        return
    st.caption(T.SPLIT_CAPTION)
    summary = split.summary()
    if summary.empty:
        st.caption(T.EMPTY_LIST)
        return
    st.table(tables.display_frame(summary), hide_index=True, border="horizontal")
    st.download_button(T.SPLIT_DOWNLOAD, lambda: downloads.split_xlsx(split, cdata, s),
                       file_name=downloads.split_file_name(s), mime=XLSX_MIME, key="split_xlsx",
                       icon=":material/download:", on_click="ignore", type="primary")


def vendor_section(s: QuarterSummary, vendor: VendorSummary | None, cdata: ConnectData,
                   warnings: list[Problem]) -> None:
    """The vendor's printed figures («в отчёте кабинета») beside ours, with the difference and, where it can
    be said, why (the ``vendor-differs`` warnings)."""
    if vendor is None:
        return
    st.subheader(T.C_VENDOR)
    when = vendor.base_date
    st.caption(T.C_VENDOR_CAPTION.format(file=texts.md_escape(vendor.file),
                                         date=T.C_VENDOR_DATE.format(date=fmt_date(when)) if when else ""))
    listed = None if cdata.list_source is None else list_count(cdata, s.client_type)
    st.table(tables.vendor_table(s, vendor, listed), hide_index=True, border="horizontal")
    for w in warnings:
        if w.code == "vendor-differs":
            st.caption(texts.md_escape(texts.sentence(w.message)))


def not_in_base_section(frame: pd.DataFrame | None, count: int | None) -> None:
    """The log's clients that the base does not hold: how many, and who (they still count, as the vendor's)."""
    if not count:
        return
    with st.expander(T.C_NOT_IN_BASE.format(count=fmt_int(count)), icon=":material/person_search:"):
        st.caption(T.C_NOT_IN_BASE_CAPTION)
        if frame is not None:
            show_list(frame, len(frame), texts.CLIENTS, key="not_in_base_list")
