"""Russian display formatting: numbers, percents, dates, months, quarters and plural nouns.

Every function is pure and returns plain text for the screen, a chart label or a message. Nothing here
depends on the process locale: a server set to ``C`` or ``en_US`` must still show «1 234 клиента» and
«ноябрь 2026», so names and separators are spelt out in code rather than taken from ``locale``.

Separators follow Russian typography (ГОСТ Р 7.0.97 and common office practice): digit groups of three
split by a space, a decimal comma, a space before «%». The space is U+00A0 NO-BREAK SPACE, not U+202F
NARROW NO-BREAK SPACE: both keep «1 234» on one line, but U+00A0 is in every font Windows offices use
and in cp1251, so a number copied into a legacy 1C form or a cp1251 CSV survives, while U+202F turns
into «?» there and renders as a box in some older fonts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real

import pandas as pd

#: Thousands separator and the space before «%»: NO-BREAK SPACE (see the module docstring for why).
NBSP = "\u00a0"

#: Shown for a missing number or percent: an empty cell would read as «zero» or «not computed yet».
DASH = "—"

#: Month names in the nominative, as in a heading or a period picker: «ноябрь 2026».
MONTHS_RU: tuple[str, ...] = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)

#: Month names in the genitive, as after a day number: «30 ноября 2026».
MONTHS_RU_GENITIVE: tuple[str, ...] = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)


def _is_missing(value: object) -> bool:
    """None, NaN, NaT and pandas NA all mean «no value»; ``pd.isna`` alone fails on containers."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _round_half_up(value: float, digits: int) -> Decimal:
    """Round as a person does on paper (2,25 → 2,3), not as binary floats and ``round`` do (2,2).

    ``Decimal(repr(x))`` starts from the shortest decimal that prints as ``x``, so 0.125 and 2.675
    round the way they read.
    """
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """Split a run of decimal digits into groups of three from the right with NBSP."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(parts)


def fmt_int(n: int | float | None) -> str:
    """Format a whole number Russian style: ``1234567`` → «1 234 567» (U+00A0 between the groups).

    Floats are rounded half away from zero first (a count computed as a mean still shows as a count);
    None/NaN show as «—». Four-digit numbers are grouped too («1 234»): the app lists them next to
    larger ones, and a column where only some numbers have a space reads badly.
    """
    if _is_missing(n):
        return DASH
    if isinstance(n, bool):
        n = int(n)
    if isinstance(n, Integral):
        value = int(n)
    elif isinstance(n, Real):
        if not math.isfinite(float(n)):
            return DASH
        value = int(_round_half_up(float(n), 0))
    else:
        raise TypeError(f"fmt_int expects a number, got {type(n).__name__}")
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(value)))


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """Format a value already in percent: ``51.13`` → «51,1 %», None/NaN → «—».

    The argument is in percent, not a fraction, like ``rules.milestone_pct`` (20.0, 40.0, 60.0): the
    figures the app shows are computed as percents, so a second ×100 here would be a trap. Rounding is
    half up on the decimal value; a minus sign on a value that rounds to zero is dropped («0,0 %», not
    «-0,0 %»). The decimal part is always shown to ``digits`` places so a column of percents lines up.
    """
    if _is_missing(x):
        return DASH
    value = float(x)  # type: ignore[arg-type]
    if not math.isfinite(value):
        return DASH
    rounded = _round_half_up(value, digits)
    if rounded == 0:
        rounded = abs(rounded)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{digits}f}" if digits > 0 else f"{abs(rounded):.0f}"
    whole, _, frac = text.partition(".")
    body = _group(whole) + ("," + frac if frac else "")
    return f"{sign}{body}{NBSP}%"


def _to_datetime(d: object) -> datetime | date | None:
    """Bring date-like values to ``datetime``/``date``; None, NaN and NaT become None."""
    if _is_missing(d):
        return None
    if isinstance(d, pd.Timestamp):
        return d.to_pydatetime(warn=False)
    if isinstance(d, datetime | date):
        return d
    try:
        return pd.Timestamp(d).to_pydatetime(warn=False)  # numpy.datetime64 and the like
    except (TypeError, ValueError) as exc:
        raise TypeError(f"expected a date, got {type(d).__name__}") from exc


def fmt_date(d: date | datetime | pd.Timestamp | None) -> str:
    """Format a date as «31.03.2021»; None, NaN and NaT give "" (an empty table cell, not «NaT»)."""
    value = _to_datetime(d)
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def fmt_datetime(d: date | datetime | pd.Timestamp | None) -> str:
    """Format a moment as «31.03.2021 14:05»; None/NaT give "".

    Seconds are dropped: 1C exports and people's questions are about minutes. A plain ``date`` (no time
    at all) is shown as a date alone rather than with an invented «00:00». A timezone-aware value is
    shown in its own wall-clock time, as the source recorded it.
    """
    value = _to_datetime(d)
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return fmt_date(value)
    return f"{fmt_date(value)} {value.hour:02d}:{value.minute:02d}"


def _month_of(period: pd.Period | pd.Timestamp | date) -> tuple[int, int]:
    if isinstance(period, pd.Period | pd.Timestamp | date):
        return period.year, period.month
    raise TypeError(f"expected a pandas Period, got {type(period).__name__}")


def month_label(period: pd.Period | pd.Timestamp | date) -> str:
    """«ноябрь 2026» for ``pd.Period("2026-11", "M")`` (a date or Timestamp gives its month too)."""
    year, month = _month_of(period)
    return f"{MONTHS_RU[month - 1]} {year}"


def _quarter_of(period: pd.Period | pd.Timestamp | date) -> tuple[int, int]:
    """Calendar quarter of a period; a monthly or daily period gives the quarter it falls in.

    Only calendar quarters (``Q`` = ``Q-DEC``) are meant here: the vendor's KPI quarters are calendar
    quarters, and a fiscal ``Q-MAR`` period would be labelled by its own fiscal numbering otherwise.
    """
    if isinstance(period, pd.Period) and period.freqstr.startswith("Q") and period.freqstr not in (
        "Q", "Q-DEC"
    ):
        raise ValueError(f"only calendar quarters are supported, got {period.freqstr}")
    year, month = _month_of(period)
    return year, (month - 1) // 3 + 1


def quarter_label(period: pd.Period | pd.Timestamp | date) -> str:
    """«4 квартал 2026» for ``pd.Period("2026Q4", "Q")``: the wording of the vendor's KPI letters."""
    year, quarter = _quarter_of(period)
    return f"{quarter} квартал {year}"


def quarter_code(period: pd.Period | pd.Timestamp | date) -> str:
    """«2026-Q4»: sortable as text, for file names and JSON keys."""
    year, quarter = _quarter_of(period)
    return f"{year}-Q{quarter}"


def plural_ru(n: int | float, forms: Sequence[str]) -> str:
    """Pick the noun form that agrees with ``n``; only the word is returned, not the number.

    ``forms`` are (one, few, many): ("клиент", "клиента", "клиентов"). Russian rules: last digit 1 but
    not 11 → one (1, 21, 101 клиент); last digit 2–4 but not 12–14 → few (2, 22, 104 клиента); the rest →
    many (0, 5, 11–14, 111 клиентов). A fractional number takes the «few» form (1,5 клиента). The number
    is left to the caller so it can be formatted with ``fmt_int``: ``f"{fmt_int(n)} {plural_ru(n, f)}"``.
    """
    if len(forms) != 3:
        raise ValueError("forms must be (one, few, many), e.g. ('клиент', 'клиента', 'клиентов')")
    one, few, many = forms
    if isinstance(n, float) and not n.is_integer():
        return few
    k = abs(int(n))
    if k % 10 == 1 and k % 100 != 11:
        return one
    if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        return few
    return many


# Month words a person types: full nominative or genitive, and the usual abbreviations («нояб.»,
# «ноя»). Matched after lower-casing and ё → е.
_MONTH_WORDS: dict[str, int] = {}
for _i, (_nom, _gen) in enumerate(zip(MONTHS_RU, MONTHS_RU_GENITIVE, strict=True), start=1):
    _MONTH_WORDS[_nom] = _i
    _MONTH_WORDS[_gen] = _i
    _MONTH_WORDS[_nom[:3]] = _i
_MONTH_WORDS.update({"сент": 9, "нояб": 11, "дек": 12, "февр": 2, "авг": 8, "окт": 10, "апр": 4})
_MONTH_WORDS.update({"мая": 5, "июн": 6, "июл": 7})

_YEAR_MONTH = re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-./]\s*(\d{4})")
_WORD_YEAR = re.compile(r"([а-я]+)\.?\s*(\d{4})(?:\s*(?:г|год|года)\.?)?")

_MIN_YEAR, _MAX_YEAR = 1990, 2100


def parse_month(text: str) -> pd.Period:
    """Read a month a person typed: «2026-11», «11.2026», «ноябрь 2026», «Ноябрь 2026 г.» → Period M.

    Also accepted: «2026.11», «11/2026», the genitive («ноября 2026») and common abbreviations
    («нояб. 2026»), any case, ё or е, extra spaces. Anything else raises ``ValueError`` with a Russian
    message that can be shown as is. Years outside 1990–2100 are refused: «11.2206» is a typo, and
    accepting it would silently empty every report.
    """
    if not isinstance(text, str):
        raise ValueError(f"Месяц должен быть текстом, например «2026-11», а не {type(text).__name__}.")
    cleaned = text.replace(NBSP, " ").replace("\u202f", " ").strip().lower().replace("ё", "е")
    cleaned = re.sub(r"\s+", " ", cleaned)
    year = month = None
    if m := _YEAR_MONTH.fullmatch(cleaned):
        year, month = int(m.group(1)), int(m.group(2))
    elif m := _MONTH_YEAR.fullmatch(cleaned):
        month, year = int(m.group(1)), int(m.group(2))
    elif (m := _WORD_YEAR.fullmatch(cleaned)) and m.group(1) in _MONTH_WORDS:
        month, year = _MONTH_WORDS[m.group(1)], int(m.group(2))
    if year is None or month is None:
        raise ValueError(
            f"Не удалось распознать месяц «{text}». Укажите его, например, так: «2026-11», «11.2026» "
            "или «ноябрь 2026»."
        )
    if not 1 <= month <= 12:
        raise ValueError(f"В «{text}» номер месяца {month}: он должен быть от 1 до 12.")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"В «{text}» год {year}: ожидается год от {_MIN_YEAR} до {_MAX_YEAR}.")
    return pd.Period(year=year, month=month, freq="M")
