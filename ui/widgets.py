"""Widget groups the pages share: filters, the list with its count, the download buttons."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi.compute.buhfon import NO_CATEGORY, BuhfonFilter
from kpi.compute.connect import ConnectData
from kpi.compute.forecast import Forecast
from kpi.compute.quarter import QuarterSummary
from kpi.compute.silent import ClientFilter
from ui import data, downloads, tables, texts
from ui.downloads import CSV_MIME, XLSX_MIME
from ui.state import Context


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


def forecast_panel(f: Forecast | None) -> None:
    """Pace and forecast beside the gauges: the forecast share (or «мало данных»), clients needed per
    working day left, working days left, and ``Forecast.message_ru``."""
    st.markdown("**Темп и прогноз**")
    if f is None:
        st.caption("Прогноз не считается: база клиентов равна нулю.")
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
    typed = st.text_area(
        "Сотрудники — по одному в строке", key="split_people", height=110,
        placeholder="Иванова Е.А.\nПетров П.П.",
        help="Пусто — звонки делятся между ответственными из данных (столбец «Ответственный»). Введённые имена "
             "заменяют их: клиент остаётся у своего ответственного или у специалиста, который обслуживал его "
             "последним, если тот в списке, остальные делятся поровну.")
    people = people_from_text(typed)
    if people:
        st.caption(f"Звонки делятся между введёнными сотрудниками: {texts.md_escape('; '.join(people))}")
    elif responsible:
        st.caption("Имена не введены: звонки делятся между ответственными из данных: "
                   f"{texts.md_escape('; '.join(responsible))}")
    else:
        st.warning("В данных нет столбца «Ответственный»: введите имена сотрудников, по одному в строке.",
                   icon=":material/group_add:")
    split = data.split(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, filt, people, ctx.files)
    if split is None:
        return
    st.caption("Распределяется список выше, с его фильтрами. В файле — лист «Сводка» и по листу на сотрудника; "
               "в каждом листе сначала клиенты 1С, затем авторизовавшиеся без обращений, затем молчащие дольше всех.")
    st.table(tables.display_frame(split.summary()), hide_index=True, border="horizontal")
    st.download_button("Скачать по сотрудникам (.xlsx)", lambda: downloads.split_xlsx(split, cdata, s),
                       file_name=downloads.split_file_name(s), mime=XLSX_MIME, key="split_xlsx",
                       icon=":material/download:", on_click="ignore", type="primary")
