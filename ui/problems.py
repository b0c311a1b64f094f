"""Warnings about the files (``kpi.errors.Problem`` values): short above the gauges, in full on «Данные».

A warning says what was set aside or doubted and names the file; its Russian text comes from the
catalogue (``kpi.texts.PROBLEMS``) through ``str(problem)``. Here they are only gathered and shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from kpi import texts as T
from kpi.fmt import fmt_int, plural_ru
from ui.texts import md_escape, sentence

#: Warnings named one by one above the gauges; the rest are counted.
SHORT_LIMIT = 2


def file_warnings(report: Any) -> list[Any]:
    """One file's warnings: set aside (and why), then file-level ones such as repeated columns."""
    aside = getattr(report, "set_aside", None)
    return [*([aside] if aside is not None else []), *(getattr(report, "warnings", None) or [])]


def gather(reports: Iterable[Any], quarter: Iterable[Any] = ()) -> list[Any]:
    """Every warning of the files and of the quarter, each once, in file order."""
    out: list[Any] = []
    for p in [*(w for r in reports for w in file_warnings(r)), *quarter]:
        if p not in out:
            out.append(p)
    return out


def not_of_files(problems: Iterable[Any], reports: Iterable[Any]) -> list[Any]:
    """The warnings that name none of these files (the rest are shown with their file)."""
    names = {r.file for r in reports}
    return [p for p in problems if getattr(p, "file", None) not in names]


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + ("." if dot else "")


def short_text(problems: list[Any]) -> str:
    """«2 предупреждения о файлах: файл «звонки.csv»: похоже на историю звонков АТС (…). и ещё 1.»"""
    n = len(problems)
    first = " ".join(sentence(_first_sentence(str(p))) for p in problems[:SHORT_LIMIT])
    text = T.WARN_SHORT.format(count=fmt_int(n), noun=plural_ru(n, T.WARN_NOUN), first=first)
    if n > SHORT_LIMIT:
        text += T.WARN_MORE.format(count=fmt_int(n - SHORT_LIMIT))
    return text


def show_short(problems: list[Any]) -> None:
    """Above the gauges: the count, the first ones in a sentence, and the way to «Данные»."""
    if not problems:
        return
    st.warning(md_escape(short_text(problems)), icon=":material/warning:")
    st.page_link("pages/data.py", label=T.WARN_SEE_DATA, icon=":material/table_view:")


def show_full(problems: list[Any]) -> None:
    """Each warning as its own box, in full (on «Данные»)."""
    for p in problems:
        st.warning(md_escape(sentence(str(p))), icon=":material/warning:")
