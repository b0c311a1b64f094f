"""Pace forecast for the quarter: where the current pace of new communications ends up.

The milestones say where the partner must be after each month; a manager mid-month wants to know
whether the *current pace* gets there, and how many clients a day are needed if not. Pace is counted
per *working* day of the production calendar (``kpi.compute.workdays``): staff call clients on working days,
and a quarter with the January or May holidays has fewer of them — a per-calendar-day pace would look
fine in early January and fall short by March.

The model is deliberately simple and said so to the user: clients reached so far ÷ working days
elapsed, times the working days left. It is linear, so it overestimates a little late in the quarter
when the easy clients are already reached; it never forecasts more than the whole base.

Counts are integers and fractions until the last step (``rules`` compares in integers for the same
reason): a forecast of exactly 60 % must not print as 59,9 % because of a float.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

import pandas as pd

from kpi import rules
from kpi.compute.workdays import workdays_between
from kpi.fmt import plural_ru

#: Fewer working days than this and a pace says more about one busy day than about the quarter.
DEFAULT_MIN_WORKDAYS = 5


@dataclass(frozen=True)
class Forecast:
    """The quarter forecast as of one day; ``message_ru`` is the sentence the UI shows."""

    quarter: pd.Period
    as_of: date
    #: Clients with a communication in the quarter up to and including ``as_of``.
    active_qtd: int
    base: int
    #: Working days from the quarter's first day through ``as_of`` (clamped into the quarter).
    workdays_elapsed: int
    #: Working days after ``as_of`` up to the quarter's last day.
    workdays_left: int
    #: ``active_qtd`` plus the pace over the days left, rounded down; None with too little data.
    forecast_count: int | None
    #: ``forecast_count`` in percent of the base, one decimal; None with too little data.
    forecast_pct: float | None
    #: Clients still needed for the quarter target (0 when met).
    needed_total: int
    #: Clients per working day left that meet the target, rounded *up* to 0.1; 0.0 when met; None when
    #: no working days are left and the target is not met.
    needed_per_workday: float | None
    enough_data: bool
    message_ru: str


def forecast_quarter(quarter: pd.Period, base: int, active_qtd: int, as_of: date,
                     min_workdays: int = DEFAULT_MIN_WORKDAYS) -> Forecast:
    """Forecast the quarter's share of active clients from the pace so far.

    ``as_of`` is the last day the data covers, included (an export made on the 20th counts the 20th).
    A date before the quarter means nothing has elapsed; a date after it means nothing is left.

    ``needed_per_workday`` is rounded up, like ``rules.milestone_count`` rounds a fraction of a client
    up: keeping the pace shown on every working day left is then always enough, never a client short.
    """
    q = _as_quarter(quarter)
    as_of = as_of.date() if isinstance(as_of, datetime) else as_of
    if base <= 0:
        raise ValueError(f"base must be positive, got {base}")
    if active_qtd < 0:
        raise ValueError(f"active_qtd must not be negative, got {active_qtd}")
    if min_workdays < 1:
        raise ValueError(f"min_workdays must be at least 1, got {min_workdays}")

    first, last = q.start_time.date(), q.end_time.date()
    elapsed = workdays_between(first, min(as_of, last))
    left = workdays_between(max(as_of + timedelta(days=1), first), last)
    needed = rules.clients_needed(active_qtd, base, rules.MONTHS_IN_QUARTER)

    per_day: float | None
    if needed == 0:
        per_day = 0.0
    elif left == 0:
        per_day = None
    else:
        per_day = math.ceil(Fraction(needed * 10, left)) / 10

    enough = elapsed >= min_workdays
    count: int | None = None
    pct: float | None = None
    if enough:
        # active + active/elapsed·left, floored, in integers; capped: no more clients than the base.
        count = min(active_qtd * (elapsed + left) // elapsed, max(base, active_qtd))
        pct = _round1(Fraction(count * 100, base))

    return Forecast(
        quarter=q, as_of=as_of, active_qtd=active_qtd, base=base, workdays_elapsed=elapsed,
        workdays_left=left, forecast_count=count, forecast_pct=pct, needed_total=needed,
        needed_per_workday=per_day, enough_data=enough,
        message_ru=_message(active_qtd, base, elapsed, left, pct, needed, per_day, enough),
    )


def _as_quarter(quarter: pd.Period) -> pd.Period:
    q = quarter if isinstance(quarter, pd.Period) else pd.Period(quarter, freq="Q")
    if q.freqstr != "Q-DEC":
        raise ValueError(f"quarter must be a calendar quarter (freq Q-DEC), got {q.freqstr}")
    return q


def _round1(x: Fraction) -> float:
    """Round half up to one decimal, exactly (``round`` on a float can tip 0.05 either way)."""
    return math.floor(x * 10 + Fraction(1, 2)) / 10


def _num_ru(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _need_ru(x: float) -> str:
    """«Нужен 1 клиент», «Нужно 3 клиента», «Нужно 2,4 клиента» (a decimal takes the genitive singular)."""
    if x != int(x):
        return f"Нужно {_num_ru(x)} клиента"
    n = int(x)
    form = plural_ru(n, ("клиент", "клиента", "клиентов"))
    return f"{'Нужен' if form == 'клиент' else 'Нужно'} {n} {form}"


def _message(active: int, base: int, elapsed: int, left: int, pct: float | None, needed: int,
             per_day: float | None, enough: bool) -> str:
    target = f"(норматив {rules.TARGET_PCT} %)"
    if left == 0:
        actual = _num_ru(_round1(Fraction(active * 100, base)))
        head = f"Рабочие дни квартала закончились: {actual} % {target}."
        if needed == 0:
            return f"{head} Норматив выполнен."
        short = plural_ru(needed, ("клиента", "клиентов", "клиентов"))  # «не хватило» takes the genitive
        return f"{head} Норматив не выполнен: не хватило {needed} {short}."
    if needed == 0:
        tail = "Норматив квартала уже выполнен."
    else:
        assert per_day is not None
        tail = f"{_need_ru(per_day)} в рабочий день."
    if not enough:
        verb = plural_ru(elapsed, ("прошёл", "прошло", "прошло"))
        days = plural_ru(elapsed, ("рабочий день", "рабочих дня", "рабочих дней"))
        return f"Мало данных для прогноза: {verb} {elapsed} {days} квартала. {tail}"
    assert pct is not None
    return f"При текущем темпе к концу квартала: {_num_ru(pct)} % {target}. {tail}"
