"""Session state and the sidebar every page shares.

Session state holds only these named entries (plus the pages' own filter widgets):

* ``upload_gen`` — an int; the uploader's key is ``uploads`` and, after «Вернуться к демонстрационным
  данным», ``uploads_1``, ``uploads_2``…: a new key gives an empty uploader, which is how the button
  clears it (Streamlit does not let code set a file uploader's value);
* the sidebar widgets' values: ``uploads*`` (the uploaded files), ``month`` ("auto" or "YYYY-MM"),
  ``base`` (None = from the files), ``client_type`` ("1c"/"all"), ``tz`` (IANA name).

"Today" (the forecast's "now", the days since a 1С-Бухфон launch) is the server's date, or the date in
the environment variable ``KPI_TODAY`` (``YYYY-MM-DD``) when it is set: a reproducible demonstration,
and how the tests fix it. It is read once per run into ``Context.today``.

Parsed tables and computed results are not kept here: they live in ``st.cache_data`` (see ``ui.data``).
The run's ``Context`` (references to the files' bytes, already held by the uploader, and the parameters)
is handed from the entrypoint (``ui.nav.main``) to the page in a thread-local for the duration of the run only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kpi.fmt import month_label
from kpi.rules import DEFAULT_TZ
from ui import data as D
from ui.texts import CLIENT_TYPE_NAMES, md_escape

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
UPLOAD_TYPES = ["xlsx", "xls", "ods", "csv", "txt"]

UPLOADS = "uploads"
K_UPLOAD_GEN = "upload_gen"
K_MONTH = "month"
K_BASE = "base"
K_CLIENT_TYPE = "client_type"
K_TZ = "tz"
AUTO = "auto"
#: Environment variable that fixes "today" (``YYYY-MM-DD``) for a demonstration or a test.
TODAY_ENV = "KPI_TODAY"

CLIENT_TYPES = CLIENT_TYPE_NAMES
_RUN = threading.local()

#: Time zones of Russian regions (IANA names), west to east, with the offset from Moscow.
TIME_ZONES: dict[str, str] = {
    "Europe/Kaliningrad": "Калининград (МСК−1)",
    "Europe/Moscow": "Москва (МСК)",
    "Europe/Volgograd": "Волгоград (МСК)",
    "Europe/Samara": "Самара (МСК+1)",
    "Europe/Saratov": "Саратов (МСК+1)",
    "Europe/Ulyanovsk": "Ульяновск (МСК+1)",
    "Asia/Yekaterinburg": "Екатеринбург (МСК+2)",
    "Asia/Omsk": "Омск (МСК+3)",
    "Asia/Novosibirsk": "Новосибирск (МСК+4)",
    "Asia/Barnaul": "Барнаул (МСК+4)",
    "Asia/Tomsk": "Томск (МСК+4)",
    "Asia/Novokuznetsk": "Кемерово, Новокузнецк (МСК+4)",
    "Asia/Krasnoyarsk": "Красноярск (МСК+4)",
    "Asia/Irkutsk": "Иркутск (МСК+5)",
    "Asia/Chita": "Чита (МСК+6)",
    "Asia/Yakutsk": "Якутск (МСК+6)",
    "Asia/Vladivostok": "Владивосток (МСК+7)",
    "Asia/Sakhalin": "Южно-Сахалинск (МСК+8)",
    "Asia/Magadan": "Магадан (МСК+8)",
    "Asia/Kamchatka": "Петропавловск-Камчатский (МСК+9)",
}


@dataclass(frozen=True)
class Context:
    """The inputs of this run: which files (uploaded or the samples) and the sidebar's parameters."""

    files: D.Files
    key: D.FilesKey
    demo: bool
    tz: str
    month: str | None  # "YYYY-MM" the user chose, None = from the files
    client_type: str  # "1c" or "all"
    base: int | None  # typed from the cabinet, None = from the files
    overview: D.Overview
    today: date  # the server's date, or ``$KPI_TODAY``


def run_today(environ: MutableMapping[str, str] | None = None) -> tuple[date, str | None]:
    """This run's "today": ``$KPI_TODAY`` when set and valid, else the server's date.

    Returns the date and, for a value that is not a ``YYYY-MM-DD`` date, a Russian warning to show.
    """
    raw = (os.environ if environ is None else environ).get(TODAY_ENV, "").strip()
    if not raw:
        return date.today(), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return date.today(), (f"Переменная окружения {TODAY_ENV} = «{raw}» — не дата вида ГГГГ-ММ-ДД; "
                              "используется сегодняшняя дата.")


def uploader_key(state: MutableMapping[str, Any] | None = None) -> str:
    """The uploader's current key: ``uploads``, then ``uploads_<n>`` after each return to the samples."""
    gen = (st.session_state if state is None else state).get(K_UPLOAD_GEN, 0)
    return UPLOADS if not gen else f"{UPLOADS}_{gen}"


def back_to_demo() -> None:
    """Button callback: a fresh uploader key drops the uploaded files; the samples show again."""
    st.session_state[K_UPLOAD_GEN] = st.session_state.get(K_UPLOAD_GEN, 0) + 1
    st.session_state[K_MONTH] = AUTO
    st.session_state[K_BASE] = None


def sample_files() -> D.Files:
    """The bundled demonstration exports: every ``sample_data/*.xlsx`` and ``*.csv``, by name."""
    paths = sorted([*SAMPLE_DIR.glob("*.xlsx"), *SAMPLE_DIR.glob("*.csv")])
    return tuple((p.name, p.read_bytes()) for p in paths)


def _month_text(value: str, default: str | None) -> str:
    if value == AUTO:
        return f"Из файлов: {month_label(pd.Period(default, freq='M'))}" if default else "Из файлов (не найден)"
    return month_label(pd.Period(value, freq="M")).capitalize()


def render_sidebar() -> Context:
    """Draw the shared sidebar and return this run's ``Context``."""
    state = st.session_state
    state.setdefault(K_TZ, DEFAULT_TZ)
    state.setdefault(K_CLIENT_TYPE, "1c")
    sb = st.sidebar
    sb.markdown("### Выгрузки")
    uploaded = sb.file_uploader(
        "Файлы из кабинета 1С-Коннект и 1С-Бухфон", type=UPLOAD_TYPES, accept_multiple_files=True,
        key=uploader_key(),
        help="Можно сразу несколько файлов в любом порядке: статистику по клиентам, журнал коммуникаций, "
             "список клиентов ИТС, статистику 1С-Бухфон. Вид выгрузки определяется по столбцам.")
    files = tuple((f.name, f.getvalue()) for f in uploaded or [])
    demo = not files
    if demo:
        files = sample_files()
        sb.info("**Демонстрационные данные.** Показаны примеры выгрузок. Загрузите свои файлы выше — "
                "цифры пересчитаются по ним.", icon=":material/science:")
    else:
        sb.button("Вернуться к демонстрационным данным", on_click=back_to_demo, key="to_demo",
                  icon=":material/undo:", width="stretch")

    sb.markdown("### Параметры")
    month_box = sb.container()
    base = sb.number_input(
        "База клиентов (как в кабинете)", min_value=0, step=1, value=None, key=K_BASE, format="%d",
        placeholder="из файлов",
        help="Число «Всего клиентов ИТС (по состоянию на …, контроль норматива)» из отчёта кабинета. "
             "Пусто — база считается по загруженному списку клиентов или статистике по клиентам.")
    client_type = sb.radio("Тип клиентов", list(CLIENT_TYPES), format_func=CLIENT_TYPES.__getitem__,
                           key=K_CLIENT_TYPE, horizontal=True)
    tz = sb.selectbox("Часовой пояс региона", list(TIME_ZONES), format_func=TIME_ZONES.__getitem__, key=K_TZ,
                      help="Месяцы считаются по календарю вашего региона: отметка времени с часовым поясом "
                           "переводится в него.")

    today, today_warning = run_today()
    if today_warning:
        sb.warning(md_escape(today_warning), icon=":material/event_busy:")
    key = D.files_key(files)
    ov = D.overview(key, tz, today, files)
    options = [AUTO, *ov.months]
    if state.get(K_MONTH) not in options:
        state[K_MONTH] = AUTO
    with month_box:
        month = st.selectbox("Отчетный месяц", options, key=K_MONTH,
                             format_func=lambda v: _month_text(v, ov.default_month),
                             help="По умолчанию — период из заголовка статистики по клиентам или последний "
                                  "месяц журнала коммуникаций.")
    return Context(files=files, key=key, demo=demo, tz=tz, month=None if month == AUTO else month,
                   client_type=client_type, base=None if base is None else int(base), overview=ov,
                   today=today)


@contextmanager
def sidebar_context() -> Iterator[Context]:
    """``app.py``: draw the sidebar and let the page run inside, reading the inputs with ``context()``."""
    _RUN.ctx = render_sidebar()
    try:
        yield _RUN.ctx
    finally:
        _RUN.ctx = None


def context() -> Context:
    """The inputs of this run, for a page: the sidebar the entrypoint drew just before running the page.

    When Streamlit runs a page file on its own (its legacy ``pages/`` mode: a deep link as the first
    request after a server start, or ``AppTest`` after ``switch_page``), no sidebar was drawn in this run:
    run the entrypoint (``ui.nav.main``) here — it routes to this same page and draws it with the sidebar —
    and stop the outer run, which would otherwise draw the page a second time.
    """
    ctx = getattr(_RUN, "ctx", None)
    if ctx is not None:
        return ctx
    from ui.nav import main  # the entrypoint imports this module

    main()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def show_demo_note(ctx: Context) -> None:
    if ctx.demo:
        st.info("Демонстрационные данные: показаны примеры выгрузок, а не ваши файлы. Загрузите свои выгрузки "
                "в боковой панели слева.", icon=":material/science:")


def show_file_errors(errors: list[Exception]) -> None:
    """Each refused file as its own red box, with the Russian message naming the file (as text)."""
    for err in errors:
        st.error(md_escape(str(err)), icon=":material/error:")
