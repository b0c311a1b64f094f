"""The business rules' constants: each has one home, here.

The vendor's instruction for 1C service partners ("Инструкция для Центров сопровождения 1С") says:
by the end of the quarter at least 60 % of the 1C clients (ITS base "по состоянию на дату") must have
had a communication through 1С-Коннект; to approach it evenly, after month 1 the count must reach 1/3 of
the quarter target and after month 2 two thirds. "Не менее" means greater or equal, so every comparison
here is done in integers (5·active ≥ k·base), never with floats that could round a boundary away.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pandas as pd

#: Quarter target as an exact fraction of the client base ("не менее 60 %").
TARGET_SHARE = Fraction(3, 5)
#: The same target in percent, for display and JSON: derived, never typed a second time.
TARGET_PCT = int(TARGET_SHARE * 100)

#: Months in a quarter; after month k the quarter-to-date count must reach k/3 of the target.
MONTHS_IN_QUARTER = 3

#: How many months the vendor's per-client report looks back: "в отчетном, -1 или -2 месяцах".
VENDOR_WINDOW_MONTHS = 3

#: The partner's region time zone when none is chosen; months are calendar months there.
DEFAULT_TZ = "Europe/Moscow"

#: Kinds of ITS contract («Наименование вида 1С:ИТС») that make a client an ITS client (support), as
#: patterns: a kind is support when it starts with a pattern or holds it as a whole word — «1С:КП ПРОФ»,
#: «ГРМ КП Базовый», «ИТСааС…», «Предприятие через Интернет…». Services («1СПАРК Риски», «Контрагент», «ГРМ»,
#: «1С:Распознавание…», «ПИН-код…», «СтартЭДО») do not by themselves make an ITS client.
DEFAULT_ITS_KINDS: tuple[str, ...] = ("КП", "ИТС", "Предприятие через Интернет")

#: How far an ITS contract report's date may lie outside the reporting quarter (in months before its first month,
#: after the reporting month) before its list of clients in force is called stale: the base is "по состоянию на
#: дату", and contracts begin and end every month.
ITS_DATE_SLACK_MONTHS = 1

#: The client type the KPI is about, as the vendor cabinet prints it.
CLIENT_TYPE_1C = "Клиенты 1С"
CLIENT_TYPE_ALL = "Все клиенты"


def milestone_share(month_in_quarter: int) -> Fraction:
    """Share of the base to reach after ``month_in_quarter`` months: k/3 of 60 % (20 %, 40 %, 60 %)."""
    _check_month(month_in_quarter)
    return TARGET_SHARE * Fraction(month_in_quarter, MONTHS_IN_QUARTER)


def milestone_pct(month_in_quarter: int) -> float:
    """The milestone in percent, for display and JSON (20.0, 40.0, 60.0)."""
    return float(milestone_share(month_in_quarter) * 100)


def milestone_count(base: int, month_in_quarter: int) -> int:
    """Clients needed to meet the milestone: ⌈k·base/5⌉ (a fraction of a client rounds up)."""
    share = milestone_share(month_in_quarter) * base
    return -((-share.numerator) // share.denominator)


def milestone_met(active: int, base: int, month_in_quarter: int) -> bool:
    """Whether ``active`` clients meet the milestone for month k: active ≥ k/5·base, exactly."""
    share = milestone_share(month_in_quarter)
    return active * share.denominator >= share.numerator * base


def clients_needed(active: int, base: int, month_in_quarter: int) -> int:
    """How many more clients must have a communication to meet the milestone (never negative)."""
    return max(0, milestone_count(base, month_in_quarter) - active)


def _check_month(month_in_quarter: int) -> None:
    if not 1 <= month_in_quarter <= MONTHS_IN_QUARTER:
        raise ValueError(f"month_in_quarter must be 1..{MONTHS_IN_QUARTER}, got {month_in_quarter}")


def _fold_kind(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").lower().replace("ё", "е").split())


def is_support_kind(kind: str | None, patterns: tuple[str, ...] | list[str] = DEFAULT_ITS_KINDS) -> bool:
    """Whether an ITS contract kind is a support contract: it starts with one of ``patterns`` or holds one
    as a whole word (case and ё/е do not count; «1С:КП ПРОФ» holds «КП», «ИТСааС» starts with «ИТС»,
    «Контрагент» holds neither)."""
    if kind is None or (isinstance(kind, float) and kind != kind):
        return False
    text = _fold_kind(kind)
    for pattern in patterns:
        p = _fold_kind(pattern)
        if p and (text.startswith(p) or re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text)):
            return True
    return False


def is_1c_client_type(type_text: str | None) -> bool:
    """Whether a «Тип клиента» value means a 1C client. An absent type means 1C: an input without a type
    column lists 1C clients only (the vendor's default report type is «Клиенты 1С»)."""
    return bool(is_1c_client_types(pd.Series([type_text], dtype=object)).iloc[0])


def is_1c_client_types(types: pd.Series) -> pd.Series:
    """``is_1c_client_type`` for a whole column at once."""
    folded = types.astype("str").str.lower().str.replace("c", "с", regex=False)  # Latin c typed for Cyrillic с
    named_1c = folded.str.contains("1с", regex=False) & ~folded.str.contains("прочие", regex=False)
    return (types.isna() | named_1c.fillna(False)).astype(bool)
