"""«Данные»: the user's say over how each file is read, and which ITS contract kinds count as support.

The choices live in session state outside the widgets (``ui.state.K_KINDS``, ``ui.state.K_ITS_KINDS``):
a page's widget values are dropped when another page is shown, and every page computes with them.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from kpi import texts as T
from ui import data as D
from ui.state import K_ITS_KINDS, K_KINDS, Context

AUTO = "auto"
#: The choices of «Читать файл как»: automatic, then the CLI's ``--kind`` names.
KIND_CHOICES = list(T.D_KIND_OPTIONS)


def _widget_key(prefix: str, name: str) -> str:
    return f"{prefix}_{hashlib.blake2b(name.encode(), digest_size=6).hexdigest()}"


def _set_kind(name: str, key: str) -> None:
    kinds = dict(st.session_state.get(K_KINDS, {}))
    chosen = st.session_state[key]
    if chosen == AUTO:
        kinds.pop(name, None)
    else:
        kinds[name] = chosen
    st.session_state[K_KINDS] = kinds


def kind_picker(ctx: Context, name: str) -> None:
    """«Читать файл как»: automatic, one of the kinds, or «Не использовать» (set aside)."""
    current = dict(ctx.kinds).get(name, AUTO)
    key = _widget_key("kind", name)
    st.selectbox(T.D_READ_AS, KIND_CHOICES, index=KIND_CHOICES.index(current) if current in KIND_CHOICES else 0,
                 format_func=T.D_KIND_OPTIONS.__getitem__, key=key, on_change=_set_kind, args=(name, key),
                 help=T.D_READ_AS_HELP, disabled=ctx.demo)


def _set_its(key: str, default: tuple[str, ...]) -> None:
    chosen = tuple(st.session_state[key])
    st.session_state[K_ITS_KINDS] = None if set(chosen) == set(default) else chosen


def its_kinds_picker(ctx: Context) -> None:
    """The ITS report's contract kinds with their client counts, and which of them count as support."""
    table = D.its_kinds(ctx.key, ctx.tz, ctx.kinds, ctx.files)
    if table is None or table.empty:
        return
    st.subheader(T.D_ITS)
    st.caption(T.D_ITS_CAPTION)
    kinds = [str(k) for k in table["kind"]]
    default = tuple(str(k) for k in table.loc[table["support"].astype(bool), "kind"])
    chosen = ctx.its_kinds if ctx.its_kinds is not None else default
    key = "its_kinds_pick"
    st.multiselect(T.D_ITS_PICK, kinds, default=[k for k in kinds if k in chosen], key=key,
                   placeholder=T.D_ITS_PICK_PLACEHOLDER, on_change=_set_its, args=(key, default))
    shown = pd.DataFrame({T.D_ITS_COLUMNS["kind"]: kinds, T.D_ITS_COLUMNS["clients"]: table["clients"].astype(int),
                          T.D_ITS_COLUMNS["support"]: [T.YES if s else T.NO for s in table["support"].astype(bool)]})
    st.dataframe(shown, hide_index=True, key="its_kinds_table")
