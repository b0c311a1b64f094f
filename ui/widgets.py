"""Widget groups the pages share: filters, the list with its count, the download buttons."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi.buhfon import NO_CATEGORY, BuhfonFilter
from kpi.silent import ClientFilter
from ui import tables
from ui.downloads import CSV_MIME, XLSX_MIME


def client_filter(client_type: str, responsible: list[str], has_auth: bool) -> ClientFilter:
    """The silent-list filters; the client type comes from the sidebar (it drives the KPI too)."""
    c1, c2, c3 = st.columns(3)
    no_month = c1.checkbox("Коммуникации в отчетном месяце = Нет", value=True, key="f_no_comm_month",
                           help="Фильтр из инструкции вендора: клиенты, с которыми в отчетном месяце не было "
                                "ни чата, ни звонка, ни удалённого подключения.")
    no_quarter = c2.checkbox("Нет коммуникаций с начала квартала", key="f_no_comm_quarter")
    no_auth = c3.checkbox("Нет авторизации в отчетном, -1 и -2 месяцах", key="f_no_auth", disabled=not has_auth,
                          help=None if has_auth else "В загруженных файлах нет отметок об авторизации.")
    c4, c5 = st.columns([1, 1])
    people: list[str] = []
    if responsible:
        people = c4.multiselect("Ответственный", responsible, key="f_responsible", placeholder="все")
    search = c5.text_input("Поиск: клиент, ИНН, код", key="f_search", placeholder="например, 7701 или «Ромашка»")
    return ClientFilter(client_type="all" if client_type == "all" else "1c", no_comm_month=no_month,
                        no_comm_quarter=no_quarter, no_auth_window=no_auth and has_auth,
                        responsible=tuple(people), search=search or "")


def buhfon_filter(categories: list[str], has_is_1c: bool) -> BuhfonFilter:
    c1, c2, c3 = st.columns([2, 1, 1])
    chosen = c1.multiselect("Категория пользователя", categories, key="bf_categories", placeholder="все категории")
    is_1c = "Все"
    if has_is_1c:
        is_1c = c2.radio("Пользователь 1С", ["Все", "Да", "Нет"], key="bf_is_1c", horizontal=True)
    search = c3.text_input("Поиск: пользователь, организация, ИНН", key="bf_search")
    only = st.checkbox("Только без запуска в отчетный период", value=True, key="bf_only_not_launched")
    return BuhfonFilter(only_not_launched=only, categories=tuple(chosen),
                        is_1c_user=None if is_1c == "Все" else is_1c == "Да", search=search or "")


def categories_of(table: pd.DataFrame) -> list[str]:
    return sorted(table["_bf_category"].fillna(NO_CATEGORY).unique().tolist())


def show_list(frame: pd.DataFrame, total: int, noun: tuple[str, str, str], key: str) -> None:
    """The first ``tables.MAX_ROWS`` rows of an export frame, formatted, with the total count."""
    st.caption(tables.count_caption(total, noun))
    shown = tables.display_frame(frame)
    st.dataframe(shown, hide_index=True, key=key, height=420 if len(shown) > 10 else "auto")


def download_buttons(name_xlsx: str, make_xlsx: Callable[[], bytes], name_csv: str,
                     make_csv: Callable[[], bytes], key: str) -> None:
    """Two buttons; the bytes are made when clicked (``data`` is a callable), not on every rerun."""
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button("Скачать .xlsx", make_xlsx, file_name=name_xlsx, mime=XLSX_MIME, key=f"{key}_xlsx",
                       icon=":material/download:", on_click="ignore", type="primary", width="stretch")
    c2.download_button("Скачать .csv", make_csv, file_name=name_csv, mime=CSV_MIME, key=f"{key}_csv",
                       icon=":material/download:", on_click="ignore", width="stretch")
