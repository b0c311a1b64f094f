"""The month history (``kpi.write.history``) for the pages: the shown month as a record, saving and reading.

The history file is a plain SQLite file on the server's disk, shared by every browser session of this
server (the figures of one partner, saved by its manager); it holds only aggregate figures, never a
client's name. It is read afresh on every run (a few rows; another session may have saved meanwhile),
not cached.

Every call here turns a ``HistoryError`` (damaged, locked, not writable, newer version) into a Russian
message value, so the page shows ``st.error`` and goes on; nothing about the history can break
another page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from kpi import texts as T
from kpi.compute.quarter import QuarterSummary, pct
from kpi.fmt import month_label
from kpi.write.history import (
    ENV_VAR,
    HistoryError,
    MonthRecord,
    change_since_last,
    default_db_path,
    load_history,
    save_month,
)
from ui.texts import CLIENT_TYPE_NAMES, md_escape, sentence

SAVE_LABEL = T.H_SAVE


@dataclass(frozen=True)
class Loaded:
    """The saved months, or the Russian reason they cannot be read."""

    frame: pd.DataFrame | None
    error: str | None = None


def db_path() -> Path:
    """Where the history lives: ``$KPI_HISTORY_DB`` or the user's data folder (``kpi.write.history``)."""
    return default_db_path()


def path_caption(path: Path) -> str:
    return T.H_PATH.format(path=md_escape(str(path)), env=md_escape(ENV_VAR))


def month_record(s: QuarterSummary) -> MonthRecord:
    """The month's aggregate figures as ``kpi.write.history`` stores them (no names, no contacts)."""
    return MonthRecord(month=str(s.month), client_type=s.client_type, base=int(s.base),
                       active_window=int(s.active_window), active_qtd=int(s.active_qtd),
                       authorized_window=None if s.authorized_window is None else int(s.authorized_window),
                       active_qtd_pct=pct(s.active_qtd, s.base) or 0.0, milestone_pct=float(s.milestone_pct),
                       milestone_met=bool(s.milestone_met))


def _message(err: HistoryError) -> str:
    return sentence(str(err)) + "."


def load(path: Path) -> Loaded:
    try:
        return Loaded(load_history(path))
    except HistoryError as err:
        return Loaded(None, _message(err))


def save(path: Path, record: MonthRecord) -> str | None:
    """Save; None when saved, else the Russian reason."""
    try:
        save_month(path, record)
    except HistoryError as err:
        return _message(err)
    return None


def change(path: Path, record: MonthRecord) -> tuple[dict[str, object] | None, str | None]:
    try:
        return change_since_last(path, record), None
    except HistoryError as err:
        return None, _message(err)


def save_button(path: Path, s: QuarterSummary, demo: bool) -> None:
    """«Сохранить итоги месяца» for the shown month and client type; the outcome as a message below it.

    Disabled on the demonstration data (its figures are not the partner's) and without a client base.
    """
    why_not = T.H_DEMO if demo else T.H_BASE_ZERO if s.base <= 0 else None
    clicked = st.button(SAVE_LABEL, key="save_month", type="primary", icon=":material/save:",
                        disabled=why_not is not None,
                        help=why_not or T.H_SAVE_HELP)
    if why_not:
        st.caption(why_not)
    if not clicked:
        return
    record = month_record(s)
    error = save(path, record)
    if error:
        st.error(md_escape(error), icon=":material/error:")
        return
    st.success(T.H_SAVED.format(month=month_label(s.month), client_type=CLIENT_TYPE_NAMES[s.client_type]),
               icon=":material/check_circle:")
