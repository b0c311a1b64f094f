"""Sentences the pages show, built from ``kpi`` values; their words come from the catalogue ``kpi.texts``.

Anything that came from a file (names, cell values inside error messages) goes through ``md_escape``
before it reaches a Markdown element, so a client called ``<script>…`` or ``**жирный**`` stays text.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from kpi import rules
from kpi import texts as T
from kpi.compute.forecast import DEFAULT_MIN_WORKDAYS, Forecast
from kpi.compute.quarter import QuarterSummary, qtd_months, window_months
from kpi.fmt import fmt_date, fmt_int, fmt_pct, month_label, plural_ru, quarter_label

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character

CLIENTS = T.CLIENTS
USERS = T.USERS
CLIENT_TYPE_NAMES = {"1c": rules.CLIENT_TYPE_1C, "all": rules.CLIENT_TYPE_ALL}
#: A base in the rules page's example of rounding up.
EXAMPLE_BASE = 274


def md_escape(text: str) -> str:
    """Text safe to pass to a Markdown element: punctuation backslash-escaped, line breaks kept."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def sentence(text: str) -> str:
    """A message from ``kpi`` as a sentence: «нет ни одной выгрузки…» → «Нет ни одной выгрузки…»."""
    return text[:1].upper() + text[1:]


def clients(n: int) -> str:
    return f"{fmt_int(n)} {plural_ru(n, CLIENTS)}"


def short_of(n: int) -> str:
    """«не хватает 24 клиентов», «не хватает 1 клиента»."""
    return T.SHORT_OF.format(count=fmt_int(n), noun=plural_ru(n, T.CLIENTS_GEN))


def months_span(months: list) -> str:
    """«октябрь–ноябрь 2026», «ноябрь 2026», «сентябрь–ноябрь 2026», «ноябрь 2026 – январь 2027»."""
    first, last = months[0], months[-1]
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{month_label(first).split()[0]}–{month_label(last)}"
    return f"{month_label(first)} – {month_label(last)}"


def qtd_span(s: QuarterSummary) -> str:
    return months_span(qtd_months(s.month))


def window_span(s: QuarterSummary) -> str:
    return months_span(window_months(s.month))


def heading(s: QuarterSummary) -> str:
    return T.HEADING.format(quarter=quarter_label(s.quarter), month=month_label(s.month), k=s.month_in_quarter)


def base_source(s: QuarterSummary) -> str:
    return T.BASE_SOURCE.get(s.base_source, s.base_source)


def base_text(s: QuarterSummary) -> str:
    who = rules.CLIENT_TYPE_ALL.lower() if s.client_type == "all" else rules.CLIENT_TYPE_1C
    return T.BASE_TEXT.format(clients=clients(s.base), who=who, source=base_source(s))


def status_messages(s: QuarterSummary) -> list[tuple[str, str]]:
    """(level, text) lines: level is ``success``, ``warning`` or ``info`` (a Streamlit box name)."""
    ms = fmt_pct(s.milestone_pct, 0)
    target = fmt_pct(rules.TARGET_PCT, 0)
    if s.base <= 0:
        return [("warning", T.STATUS_BASE_ZERO)]
    out: list[tuple[str, str]] = []
    if s.target_met:
        out.append(("success", T.STATUS_TARGET_MET.format(clients=clients(s.active_qtd),
                                                           needed=fmt_int(s.target_count), target=target)))
        return out
    if s.milestone_met:
        out.append(("success", T.STATUS_MILESTONE_MET.format(clients=clients(s.active_qtd),
                                                              milestone=fmt_int(s.milestone_count), pct=ms)))
    else:
        out.append(("warning", T.STATUS_MILESTONE_SHORT.format(short=short_of(s.clients_needed),
                                                                active=fmt_int(s.active_qtd),
                                                                milestone=fmt_int(s.milestone_count), pct=ms)))
    left = max(0, s.target_count - s.active_qtd)
    out.append(("info", T.STATUS_TARGET_LEFT.format(target=target, clients=clients(s.target_count),
                                                    short=short_of(left))))
    return out


def about_markdown() -> str:
    """The rules in plain Russian (``kpi.texts.ABOUT``), every number taken from ``kpi.rules``."""
    ms = [fmt_pct(rules.milestone_pct(k), 0) for k in range(1, rules.MONTHS_IN_QUARTER + 1)]
    n = rules.MONTHS_IN_QUARTER
    return T.ABOUT.format(
        target=fmt_pct(rules.TARGET_PCT, 0), type_1c=rules.CLIENT_TYPE_1C, type_all=rules.CLIENT_TYPE_ALL,
        fractions=", ".join(f"{k}/{n}" for k in range(1, n + 1)), milestones=", ".join(ms),
        example_base=fmt_int(EXAMPLE_BASE), example_pct=ms[1],
        example_clients=clients(rules.milestone_count(EXAMPLE_BASE, 2)), window=rules.VENDOR_WINDOW_MONTHS,
        tz=rules.DEFAULT_TZ, min_days=DEFAULT_MIN_WORKDAYS)


# ---- pace forecast ----------------------------------------------------------------------------------


def fmt_decimal(x: float, digits: int = 1) -> str:
    """2.9 → «2,9»; a whole number without decimals: 3.0 → «3»."""
    if float(x).is_integer():
        return fmt_int(int(x))
    return f"{x:.{digits}f}".replace(".", ",")


def forecast_metrics(f: Forecast) -> list[tuple[str, str, str, str | None]]:
    """(label, value, help, delta) of the three numbers beside the gauges; the forecast's delta is its
    distance from the target in percentage points (a leading ASCII «-» makes Streamlit draw it red)."""
    pct = T.TOO_LITTLE if f.forecast_pct is None else fmt_pct(f.forecast_pct)
    delta = None
    if f.forecast_pct is not None:
        d = round(f.forecast_pct - rules.TARGET_PCT, 1)
        delta = T.FORECAST_DELTA.format(sign="-" if d < 0 else "+", value=fmt_decimal(abs(d)))
    if f.needed_per_workday is None:
        per_day = "—"
        per_help = T.PER_DAY_OVER.format(clients=clients(f.needed_total))
    elif f.needed_total == 0:
        per_day = "0"
        per_help = T.PER_DAY_DONE
    else:
        x = f.needed_per_workday
        per_day = f"{fmt_decimal(x)} {plural_ru(x, CLIENTS)}"
        per_help = T.PER_DAY_HELP.format(target=rules.TARGET_PCT, clients=clients(f.needed_total))
    days_help = T.DAYS_HELP.format(elapsed=fmt_int(f.workdays_elapsed), as_of=fmt_date(f.as_of))
    return [(T.FORECAST_LABEL, pct, T.FORECAST_HELP.format(min_days=DEFAULT_MIN_WORKDAYS), delta),
            (T.PER_DAY_LABEL, per_day, per_help, None),
            (T.DAYS_LEFT_LABEL, fmt_int(f.workdays_left), days_help, None)]


def forecast_caption(f: Forecast) -> str:
    """«На 20.11.2026: при текущем темпе…» (``message_ru`` is a sentence; here it follows a colon)."""
    return T.FORECAST_CAPTION.format(as_of=fmt_date(f.as_of), message=f.message_ru[:1].lower() + f.message_ru[1:])


# ---- history ----------------------------------------------------------------------------------------


def _signed(n: int) -> str:
    """+12, −3 (a true minus), 0."""
    return f"+{fmt_int(n)}" if n > 0 else (f"−{fmt_int(-n)}" if n < 0 else "0")


def _signed_pp(x: float) -> str:
    text = fmt_decimal(abs(x))
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{text}{T.PP}"


def change_text(change: dict[str, object]) -> list[str]:
    """Lines about the change since the previous saved month (``kpi.write.history.change_since_last``)."""
    prev = month_label(pd.Period(str(change["previous_month"]), freq="M"))
    saved = str(change.get("previous_saved_at") or "")[:10]
    when = T.CHANGE_SAVED_ON.format(date=fmt_date(date.fromisoformat(saved))) if _is_iso_date(saved) else ""
    qtd = int(change["active_qtd"])  # type: ignore[call-overload]
    lines = [T.CHANGE_LINE.format(prev=prev, when=when, qtd=_signed(qtd), noun=plural_ru(abs(qtd), CLIENTS),
                                  pp=_signed_pp(float(change["active_qtd_pct"])),  # type: ignore[arg-type]
                                  window=_signed(int(change["active_window"])),  # type: ignore[call-overload]
                                  base=_signed(int(change["base"])))]  # type: ignore[call-overload]
    if not change.get("same_quarter", True):
        lines.append(T.CHANGE_OTHER_QUARTER)
    return lines


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
