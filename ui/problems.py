"""Warnings about the files (``kpi.errors.Problem`` values): short above the gauges, in full on «Данные».

A warning says what was set aside or doubted and names the file; its Russian text comes from the
catalogue (``kpi.texts.PROBLEMS``) through ``str(problem)``. Here they are only gathered and shown.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from kpi import texts as T
from kpi.errors import Problem
from kpi.fmt import fmt_int, plural_ru
from kpi.read.recognise import ReadReport
from ui.texts import md_escape, sentence

#: Warnings named one by one above the gauges; the rest are counted.
SHORT_LIMIT = 2


def file_warnings(report: ReadReport) -> list[Problem]:
    """One file's warnings: set aside (and why), then file-level ones such as repeated columns."""
    return [*([report.set_aside] if report.set_aside is not None else []), *report.warnings]


def gather(reports: Iterable[ReadReport], quarter: Iterable[Problem] = ()) -> list[Problem]:
    """Every warning of the files and of the quarter, each once, in file order."""
    out: list[Problem] = []
    for p in [*(w for r in reports for w in file_warnings(r)), *quarter]:
        if p not in out:
            out.append(p)
    return out


def not_of_files(problems: Iterable[Problem], reports: Iterable[ReadReport]) -> list[Problem]:
    """The warnings that name none of these files (the rest are shown with their file)."""
    names = {r.file for r in reports}
    return [p for p in problems if p.file not in names]


#: Characters of one warning above the gauges (the full text is on «Данные»).
SHORT_CHARS = 160


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    head += "." if dot else ""
    return head if len(head) <= SHORT_CHARS else head[:SHORT_CHARS].rstrip(" ,;:") + "…"


def short_text(problems: list[Problem]) -> str:
    """«2 предупреждения о файлах: файл «звонки.csv»: похоже на историю звонков АТС (…). и ещё 1.»"""
    n = len(problems)
    first = " ".join(sentence(_first_sentence(str(p))) for p in problems[:SHORT_LIMIT])
    text = T.WARN_SHORT.format(count=fmt_int(n), noun=plural_ru(n, T.WARN_NOUN), first=first)
    if n > SHORT_LIMIT:
        text += T.WARN_MORE.format(count=fmt_int(n - SHORT_LIMIT))
    return text


def show_short(problems: list[Problem]) -> None:
    """Above the gauges: the count, the first ones in a sentence, and the way to «Данные»."""
    if not problems:
        return
    st.warning(md_escape(short_text(problems)), icon=":material/warning:")
    st.page_link("pages/data.py", label=T.WARN_SEE_DATA, icon=":material/table_view:")


def show_full(problems: list[Problem]) -> None:
    """Each warning as its own box, in full (on «Данные»)."""
    for p in problems:
        st.warning(md_escape(sentence(str(p))), icon=":material/warning:")
