"""Session state and the sidebar every page shares.

Session state holds only these named entries (plus the pages' own filter widgets):

* ``upload_gen`` — an int; the uploader's key is ``uploads`` and, after «Вернуться к демонстрационным
  данным», ``uploads_1``, ``uploads_2``…: a new key gives an empty uploader, which is how the button
  clears it (Streamlit does not let code set a file uploader's value);
* the sidebar widgets' values: ``uploads*`` (the uploaded files), ``month`` ("auto:YYYY-MM" — from the
  files, the month they give — or "YYYY-MM"), ``base`` (None = from the files), ``client_type``
  ("1c"/"all"), ``only_base`` (bool), ``tz`` (IANA name);
* choices made on «Данные», kept outside its widgets (a page's widget values are dropped when another
  page is shown): ``file_kinds`` — a dict file name → kind name (``log``, ``stats``, ``base``, ``its``,
  ``buhfon``, ``ignore``; absent = recognised automatically), and ``its_kinds`` — the ITS kinds that
  count as support (a tuple; absent = ``kpi.rules.DEFAULT_ITS_KINDS``).

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

from kpi import texts as T
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
K_ONLY_BASE = "only_base"
K_KINDS = "file_kinds"
K_ITS_KINDS = "its_kinds"
AUTO = "auto"
#: Environment variable that fixes "today" (``YYYY-MM-DD``) for a demonstration or a test.
TODAY_ENV = "KPI_TODAY"

CLIENT_TYPES = CLIENT_TYPE_NAMES
TIME_ZONES = T.TIME_ZONES
_RUN = threading.local()

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
    kinds: D.KindsKey = ()  # the user's «read this file as …» choices, (file name, kind name) pairs
    its_kinds: tuple[str, ...] | None = None  # ITS kinds counted as support; None = the rules' default
    only_base: bool = False  # count only clients of the base

    @property
    def params(self) -> D.Params:
        """What every cached computation of the quarter is keyed on, besides the files."""
        return D.Params(self.tz, self.month, self.client_type, self.base, self.kinds, self.its_kinds,
                        self.only_base)


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
        return date.today(), T.SB_TODAY_BAD.format(env=TODAY_ENV, raw=raw)


def uploader_key(state: MutableMapping[str, Any] | None = None) -> str:
    """The uploader's current key: ``uploads``, then ``uploads_<n>`` after each return to the samples."""
    gen = (st.session_state if state is None else state).get(K_UPLOAD_GEN, 0)
    return UPLOADS if not gen else f"{UPLOADS}_{gen}"


def back_to_demo() -> None:
    """Button callback: a fresh uploader key drops the uploaded files; the samples show again."""
    st.session_state[K_UPLOAD_GEN] = st.session_state.get(K_UPLOAD_GEN, 0) + 1
    st.session_state[K_MONTH] = AUTO
    st.session_state[K_BASE] = None
    st.session_state.pop(K_KINDS, None)


def sample_files() -> D.Files:
    """The bundled demonstration exports: every ``sample_data/*.xlsx`` and ``*.csv``, by name."""
    paths = sorted([*SAMPLE_DIR.glob("*.xlsx"), *SAMPLE_DIR.glob("*.csv")])
    return tuple((p.name, p.read_bytes()) for p in paths)


def auto_option(default: str | None) -> str:
    """The «from the files» choice of the month box. It carries the month the files give, so a new upload
    changes the chosen value itself: the browser redraws a selectbox's text only when its value changes,
    not when only the option's label does (the label kept the sample's month after an upload)."""
    return f"{AUTO}:{default}" if default else AUTO


def _month_text(value: str) -> str:
    if value.startswith(AUTO):
        default = value.partition(":")[2]
        return T.SB_MONTH_AUTO.format(month=month_label(pd.Period(default, freq="M"))) if default \
            else T.SB_MONTH_AUTO_NONE
    return month_label(pd.Period(value, freq="M")).capitalize()


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_css(limit_mb: int) -> str:
    """Russian words for the file uploader, which Streamlit draws in English whatever the browser's language.

    The only public way is CSS: the English texts are hidden and the Russian ones shown in their place
    (``::after``); an uploaded file's size («448.0B», «9.2KB») is hidden. It targets the uploader's
    ``data-testid`` attributes; the browser test checks the result, so a Streamlit upgrade that renames
    them fails a test rather than showing English.
    """
    types = ", ".join(t.upper() for t in UPLOAD_TYPES)
    dz = '[data-testid="stFileUploaderDropzone"]'
    return f"""<style>
{dz} button [data-testid="stMarkdownContainer"] p {{display: none;}}
{dz} button [data-testid="stMarkdownContainer"]::after {{content: {_css_text(T.SB_UPLOADER_BUTTON)};}}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{display: none;}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: {_css_text(T.SB_UPLOADER_LIMIT.format(limit_mb=limit_mb, types=types))};
  font-size: 0.875rem; opacity: 0.7;}}
[data-testid="stFileChipName"] + div {{display: none;}}
</style>"""


def render_sidebar() -> Context:
    """Draw the shared sidebar and return this run's ``Context``."""
    state = st.session_state
    state.setdefault(K_TZ, DEFAULT_TZ)
    state.setdefault(K_CLIENT_TYPE, "1c")
    sb = st.sidebar
    sb.html(uploader_css(int(st.get_option("server.maxUploadSize"))))
    sb.markdown(T.SB_FILES)
    uploaded = sb.file_uploader(T.SB_UPLOADER, type=UPLOAD_TYPES, accept_multiple_files=True, key=uploader_key(),
                                help=T.SB_UPLOADER_HELP)
    files = tuple((f.name, f.getvalue()) for f in uploaded or [])
    demo = not files
    if demo:
        files = sample_files()
        sb.info(T.SB_DEMO, icon=":material/science:")
    else:
        sb.button(T.SB_TO_DEMO, on_click=back_to_demo, key="to_demo", icon=":material/undo:", width="stretch")

    sb.markdown(T.SB_PARAMS)
    month_box = sb.container()
    base = sb.number_input(T.SB_BASE, min_value=0, step=1, value=None, key=K_BASE, format="%d",
                           placeholder=T.SB_BASE_PLACEHOLDER, help=T.SB_BASE_HELP)
    client_type = sb.radio(T.SB_CLIENT_TYPE, list(CLIENT_TYPES), format_func=CLIENT_TYPES.__getitem__,
                           key=K_CLIENT_TYPE, horizontal=True)
    only_base = sb.toggle(T.SB_ONLY_BASE, key=K_ONLY_BASE, help=T.SB_ONLY_BASE_HELP)
    tz = sb.selectbox(T.SB_TZ, list(TIME_ZONES), format_func=TIME_ZONES.__getitem__, key=K_TZ, help=T.SB_TZ_HELP,
                      placeholder=T.SB_CHOOSE)

    today, today_warning = run_today()
    if today_warning:
        sb.warning(md_escape(today_warning), icon=":material/event_busy:")
    names = {name for name, _ in files}
    kinds = tuple(sorted((n, k) for n, k in state.get(K_KINDS, {}).items() if n in names))
    its = state.get(K_ITS_KINDS)
    key = D.files_key(files)
    ov = D.overview(key, tz, today, kinds, files)
    auto = auto_option(ov.default_month)
    options = [auto, *ov.months]
    if state.get(K_MONTH) not in options:
        state[K_MONTH] = auto
    with month_box:
        month = st.selectbox(T.SB_MONTH, options, key=K_MONTH, format_func=_month_text, help=T.SB_MONTH_HELP,
                             placeholder=T.SB_CHOOSE)
    return Context(files=files, key=key, demo=demo, tz=tz, month=None if month.startswith(AUTO) else month,
                   client_type=client_type, base=None if base is None else int(base), overview=ov,
                   today=today, kinds=kinds, its_kinds=None if its is None else tuple(its),
                   only_base=bool(only_base))


@contextmanager
def sidebar_context() -> Iterator[Context]:
    """The entrypoint: draw the sidebar and let the page run inside, reading the inputs with ``context()``."""
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
        st.info(T.DEMO_NOTE, icon=":material/science:")


def show_file_errors(errors: list[Exception]) -> None:
    """Each refused file as its own red box, with the Russian message naming the file (as text)."""
    for err in errors:
        st.error(md_escape(str(err)), icon=":material/error:")
