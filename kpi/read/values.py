"""Cell values as the vendor's site, Excel and LibreOffice save them, turned into typed columns.

Every parser here is vectorised (one pass of pandas string/datetime code per column, no Python loop
per row) because a regional office feeds millions of rows. Each returns the parsed column and a mask
of cells that were *present but unreadable*, so the caller can skip exactly those rows and say why.

Performance (issue 4): a column is parsed once per *distinct* value where values repeat (flags, types,
a log's clients: ``per_value``), clean text is recognised from its Arrow buffers without a pass of string work
(``_already_clean``), and the usual date shapes are read by integer arithmetic on the text's bytes
(``_common_dates``). Each shortcut gives exactly what the plain pandas code beside it gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import infer_dtype

from kpi import arrowtext

_TRUE = ("да", "yes", "y", "1", "1.0", "+", "true", "истина", "x", "х", "✓", "v")
_FALSE = ("нет", "no", "n", "0", "0.0", "-", "−", "–", "—", "false", "ложь")
FLAG_MAP: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
#: How yes and no are written back (downloads).
YES, NO = "Да", "Нет"

#: Excel's day zero for serial dates (the 1900 system with its leap-year bug folded in).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serial numbers that are plausible dates (1900-01-01 .. 9999-12-31).
_SERIAL_MIN, _SERIAL_MAX = 1.0, 2_958_465.0


def as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped text with missing values as NA; numbers keep no spurious ``.0``.

    A workbook's object column is converted once per distinct value (a flag column holds two or three),
    not once per cell.
    """
    if _is_text(col) or col.dtype != object or not len(col):
        return _as_text_cells(col)
    return per_value(col, _as_text_cells)


def _as_text_cells(col: pd.Series) -> pd.Series:
    if _is_text(col) and _already_clean(col):
        return col.copy(deep=False)  # what the strip and the masks below would give, without the passes
    if _is_text(col):
        out = col.str.strip()
    else:
        obj = col.astype(object)
        is_float = obj.map(type).eq(float).to_numpy()
        if is_float.any():
            floats = pd.to_numeric(obj[is_float], errors="coerce")
            whole = floats.notna() & (floats == np.floor(floats.fillna(0)))
            fixed = floats.astype(object)
            fixed[whole] = floats[whole].astype("int64").astype(str)
            fixed[~whole] = floats[~whole].astype(str)
            obj = obj.copy()
            obj[is_float] = fixed
        out = obj.astype("str").str.strip()
        out = out.mask(col.isna())
    return out.mask(out.eq("") | out.isin(["nan", "NaN", "None", "NaT"]))


def text_columns(frame: pd.DataFrame, max_chars: int) -> pd.DataFrame:
    """``frame`` with each object column that holds nothing but text turned into a ``str`` column.

    The values stay exactly as they are (an empty cell a workbook gives as ``""`` stays ``""``), but the
    column then lives in one Arrow buffer, so every later step (blank rows, lengths, parsing) runs in C
    instead of a Python call per cell. Columns with numbers, dates or missing cells stay as they are, and
    so does a column with a cell longer than ``max_chars``: it is cut first, without a second copy of it.
    """
    for pos in range(frame.shape[1]):
        values = frame.iloc[:, pos].to_numpy()
        if values.dtype == object and len(values) and infer_dtype(values, skipna=False) == "string" \
                and max(map(len, values)) <= max_chars:
            frame.isetitem(pos, pd.array(values, dtype="str"))
    return frame


# Bytes that start or end a whitespace character (``str.isspace``, which is also what Arrow's trim removes):
# ASCII 09–0D, 1C–1F, 20; U+0085 and U+00A0 (C2 xx); U+1680, U+2000–U+3000 (E1–E3 xx xx).
_WS_ASCII = np.zeros(256, dtype=bool)
_WS_ASCII[[*range(0x09, 0x0E), *range(0x1C, 0x20), 0x20]] = True
_WS_LEAD = _WS_ASCII.copy()
_WS_LEAD[[0xC2, 0xE1, 0xE2, 0xE3]] = True  # may begin U+0085, U+00A0, U+1680, U+2000… (checked no further)
_WS_LAST2 = np.zeros(256, dtype=bool)
_WS_LAST2[[0x85, 0xA0]] = True  # …C2 85, …C2 A0
_WS_LAST3 = np.zeros(256, dtype=bool)
_WS_LAST3[[*range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F]] = True  # …E1/E2/E3 xx 80–8A, A8, A9, AF, 9F


def _already_clean(col: pd.Series) -> bool:
    """True when no cell of a text column has whitespace at either end, is empty, or could read «nan»,
    «NaN», «None», «NaT»: ``as_text`` then changes nothing. Judged from the Arrow buffers in a few
    vectorised passes (a cell that might need work — a Cyrillic letter never does — answers False)."""
    found = arrowtext.chunks(col)
    if found is None:
        return False
    for chunk in found:
        if not len(chunk) or chunk.null_count == len(chunk):
            continue
        c = arrowtext.cells(chunk)
        starts, lengths = (c.starts, c.lengths) if c.valid is None else (c.starts[c.valid], c.lengths[c.valid])
        if not lengths.all():
            return False  # an empty text becomes missing
        ends, raw = starts + lengths, c.raw
        first, last = raw[starts], raw[ends - 1]
        if _WS_LEAD[first].any() or _WS_ASCII[last].any():
            return False
        # a cell ending in a byte that can close U+0085/U+00A0 (…C2 xx) or U+1680/U+2000… (…E1–E3 xx xx):
        # only those few are looked at further
        two, three = np.flatnonzero(_WS_LAST2[last]), np.flatnonzero(_WS_LAST3[last])
        if len(two) and ((lengths[two] >= 2) & (raw[np.maximum(ends[two] - 2, 0)] == 0xC2)).any():
            return False
        if len(three):
            lead = raw[np.maximum(ends[three] - 3, 0)]
            if ((lengths[three] >= 3) & ((lead == 0xE1) | (lead == 0xE2) | (lead == 0xE3))).any():
                return False
        if (((lengths == 3) | (lengths == 4)) & ((first == ord("N")) | (first == ord("n")))).any():
            return False  # «nan», «NaN», «None», «NaT» become missing
    return True


def leading_bytes(col: pd.Series, n: int = 2) -> tuple[np.ndarray, ...] | None:
    """The first ``n`` UTF-8 bytes of each cell of an Arrow text column (0 where the cell is missing or
    shorter), for cheap tests on millions of cells; None for any other column."""
    found = arrowtext.chunks(col) if _is_text(col) else None
    if found is None:
        return None
    parts: list[list[np.ndarray]] = [[] for _ in range(n)]
    for chunk in found:
        out = [np.zeros(len(chunk), dtype=np.uint8) for _ in range(n)]
        if len(chunk) and chunk.null_count < len(chunk):
            c = arrowtext.cells(chunk)
            for k in range(n):
                has = c.lengths > k
                out[k][has] = c.raw[c.starts[has] + k]
        for k in range(n):
            parts[k].append(out[k])
    if not found:
        return (np.zeros(0, np.uint8),) * n
    return tuple(np.concatenate(p) for p in parts)


def maybe_blank(col: pd.Series) -> np.ndarray | None:
    """Cells of a text column that may be missing or whitespace only (the others surely are not): a cell
    starting with a character that is not whitespace has text. None when the column is not Arrow text."""
    lead = leading_bytes(col)
    if lead is None:
        return None
    return _WS_LEAD[lead[0]] | (lead[0] == 0)


def _is_text(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.StringDtype) or col.dtype == "str"


#: Python types a workbook cell arrives as. Hashing merges equal values of different types: ``1`` and
#: ``1.0`` (both read as «1») and a datetime with the same ``Timestamp`` are harmless, but ``True`` and ``1``
#: are read differently («true» is «Да», «1» too, yet «True» ≠ «1» as text), so such a column is read per cell.
_NUMBER_TYPES = frozenset({int, float})
_CELL_TYPES = _NUMBER_TYPES | {bool, str, dt.datetime, pd.Timestamp, dt.date, dt.time, dt.timedelta}


def _distinct_cells(col: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """Codes per cell (-1 where missing) and the distinct values, or None when hashing could merge
    values the cell parsers tell apart (``True`` and ``1`` in one column)."""
    if _is_text(col):
        return codes_of(col)
    if col.dtype != object:
        return None
    values = col.to_numpy()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    kinds = {type(v) for v in uniques}
    if not kinds <= _CELL_TYPES:
        return None
    if any(type(v) in (bool, int, float) and v in (0, 1) for v in uniques):
        every = set(pd.unique(np.frompyfunc(type, 1, 1)(values)))  # one C-level pass, only for 0/1 columns
        if bool in every and every & _NUMBER_TYPES:
            return None
    return np.asarray(codes), pd.Series(uniques, dtype=object)


def codes_of(col: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``pd.factorize`` of a text column: codes (-1 where missing) and the distinct values."""
    codes, uniques = pd.factorize(col.array, use_na_sentinel=True)
    return np.asarray(codes), pd.Series(uniques)


#: Cells looked at to judge whether a column repeats its values enough to parse each one only once.
_SAMPLE = 50_000


def per_value(col: pd.Series, parse: Callable[[pd.Series], Any], many: float = 1.0) -> Any:
    """``parse`` applied to each distinct value of ``col`` once and spread back over the cells.

    ``parse`` maps a Series to a Series (or a tuple of them) of the same length; a cell that is missing
    gets what ``parse`` gives a missing cell. With more distinct values than ``many`` × cells the
    distinct values save nothing and ``parse`` runs on the cells.
    """
    if many < 1 and len(col) > 2 * _SAMPLE and _is_text(col):  # judge a long column by its top
        top = _distinct_cells(col.iloc[:_SAMPLE])
        if top is not None and len(top[1]) > many * _SAMPLE:
            return parse(col)
    found = _distinct_cells(col) if len(col) else None
    if found is None or len(found[1]) > many * len(col):
        return parse(col)
    codes, uniques = found
    missing = codes < 0
    if missing.any():  # one missing cell stands for all of them
        uniques = pd.concat([uniques, pd.Series([None], dtype=uniques.dtype)], ignore_index=True)
        codes = np.where(missing, len(uniques) - 1, codes)
    parsed = parse(uniques)
    if isinstance(parsed, tuple):
        return tuple(_take(p, codes, col) for p in parsed)
    if _is_text(col) and _is_text(parsed) and parsed.reset_index(drop=True).equals(uniques):
        return col.copy(deep=False).rename(col.name)  # nothing changed: the same text
    return _take(parsed, codes, col)


def _take(values: pd.Series, codes: np.ndarray, like: pd.Series) -> pd.Series:
    return pd.Series(values.array.take(codes), index=like.index, name=like.name)


def parse_flag(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """«Да/Нет» (and Yes/No, 1/0, +/−, TRUE/FALSE) to booleans.

    An empty cell means «Нет»: the vendor prints nothing where there was nothing. Returns
    ``(flags, bad)``; ``bad`` marks cells holding something that is not a yes/no answer.
    """
    if col.dtype == bool:
        return col.astype(bool), pd.Series(False, index=col.index)
    return per_value(col, _parse_flag_cells)


def _parse_flag_cells(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = as_text(col).str.lower()
    mapped = text.map(FLAG_MAP)
    bad = text.notna() & mapped.isna()
    # eq(True): an all-empty column maps to float NaN, where fillna(False) is deprecated in pandas
    return mapped.eq(True).astype(bool), bad.fillna(False).astype(bool)


def parse_datetime(col: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """Dates in the forms exports use, as naive local datetimes of the region ``tz``.

    Accepted: ``03.09.2013 4:03:05``, ``03.09.2013 04:03``, ``03.09.2013``, ISO 8601 with or without an
    offset (``2021-03-31T21:30:00Z``, ``…+03:00``), Excel serial numbers, and real date cells. A stamp
    with an offset is converted to ``tz`` (a month is a calendar month in the partner's region); a
    naive one is taken as already local. Returns ``(datetimes, bad)``.
    """
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        out = col
        if getattr(col.dt, "tz", None) is not None:
            out = col.dt.tz_convert(tz).dt.tz_localize(None)
        return out.astype("datetime64[us]"), pd.Series(False, index=col.index)

    if _is_text(col):
        return _parse_text_column(col, tz)
    result = pd.Series(pd.NaT, index=col.index, dtype="datetime64[us]")
    todo = col.notna()
    if col.dtype == object and infer_dtype(col, skipna=True) in ("string", "empty"):
        text = as_text(col)  # text cells only: nothing to take as a date cell or a serial number
    else:
        obj = col.astype(object)
        kinds = obj.map(type)
        is_stamp = kinds.map(lambda t: t is not str and hasattr(t, "year")).astype(bool)
        if is_stamp.any():
            stamps = pd.to_datetime(obj[is_stamp], errors="coerce", utc=False)
            result[is_stamp] = stamps.astype("datetime64[us]")
            todo &= ~is_stamp
        is_num = kinds.isin([int, float, np.float64, np.int64]) & todo
        if is_num.any():
            nums = pd.to_numeric(obj[is_num], errors="coerce")
            ok = nums.between(_SERIAL_MIN, _SERIAL_MAX)
            result[is_num & ok.reindex(col.index, fill_value=False)] = (
                EXCEL_EPOCH + pd.to_timedelta(nums[ok] * 86400.0, unit="s").dt.round("s")
            ).astype("datetime64[us]")
            todo &= ~(is_num & ok.reindex(col.index, fill_value=False))
        text = as_text(col.where(todo))
    todo = text.notna()
    if todo.any():
        fast, stamps = _common_dates(text)
        rest = todo.to_numpy() & ~fast
        if fast.any():
            if not result.notna().any():  # (the usual case: no date cells were taken above)
                result = pd.Series(np.where(fast, stamps, np.datetime64("NaT", "us")), index=col.index)
            else:
                result.iloc[np.flatnonzero(fast)] = stamps[fast]
        if rest.any():
            _parse_text_dates(text[rest], tz, result)
    bad = todo & result.isna()
    return result, bad


def _parse_text_column(col: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """``parse_datetime`` of a text column: the usual shapes read straight from the cells, the rest cleaned
    (``as_text``) and parsed the slower way.

    The fast path takes only a cell that is exactly ``31.03.2021 14:05:09`` or a shorter shape — digits at
    both ends, so one ``as_text`` would leave as it is — and a cell it leaves (`` 31.03.2021``, ``nan``) is
    cleaned before the slow path reads it: the same answer as cleaning every cell first, without a pass over
    the column's text for it.
    """
    fast, stamps = _common_dates(col)
    result = pd.Series(np.where(fast, stamps, np.datetime64("NaT", "us")), index=col.index)
    bad = np.zeros(len(col), dtype=bool)
    others = np.flatnonzero(col.notna().to_numpy() & ~fast)
    if len(others):
        text = as_text(col.iloc[others])
        todo = text.notna().to_numpy()
        if todo.any():
            _parse_text_dates(text[todo], tz, result)
            at = others[todo]
            bad[at] = result.iloc[at].isna().to_numpy()
    return result, pd.Series(bad, index=col.index)


def to_month(stamps: pd.Series) -> pd.Series:
    """``stamps.dt.to_period("M")`` for naive datetimes, by integer arithmetic (a month ordinal is the
    count of months since 1970-01)."""
    if getattr(stamps.dt, "tz", None) is not None:
        return stamps.dt.to_period("M")
    ordinals = stamps.to_numpy().astype("datetime64[M]").view(np.int64)
    return pd.Series(pd.PeriodIndex.from_ordinals(ordinals, freq="M").array, index=stamps.index, name=stamps.name)


#: The shapes exports write nearly every date in, as ``_common_dates`` reads them: ``D`` ``M`` ``Y`` ``h``
#: ``m`` ``s`` are digits, anything else must be that very character.
_COMMON_SHAPES = ("DD.MM.YYYY hh:mm:ss", "DD.MM.YYYY h:mm:ss", "DD.MM.YYYY hh:mm", "DD.MM.YYYY h:mm", "DD.MM.YYYY")
_US_PER_DAY = 86_400_000_000


def _common_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The cells written as ``31.03.2021 14:05:09`` (and the shorter shapes of ``_COMMON_SHAPES``), read
    with integer arithmetic on the text's bytes: (which cells, their datetimes).

    A million log rows take ~0.1 s this way, against seconds for ``to_datetime`` with a format. Only a cell
    that is a valid date in exactly such a shape is taken, and its value is the one ``_parse_text_dates``
    gives it (``%d.%m.%Y %H:%M:%S``, ``%d.%m.%Y %H:%M`` or ``%d.%m.%Y``); every other cell is left to
    ``_parse_text_dates``.
    """
    n = len(text)
    ok = np.zeros(n, dtype=bool)
    values = np.zeros(n, dtype=np.int64)
    if not _is_text(text) or not n:
        return ok, values.view("datetime64[us]")
    pos = 0
    for chunk in arrowtext.chunks(text) or []:
        _common_dates_chunk(chunk, ok[pos:pos + len(chunk)], values[pos:pos + len(chunk)])
        pos += len(chunk)
    return ok, values.view("datetime64[us]")


def _shape_plan(shape: str) -> tuple[list[int], list[tuple[int, int, int]], dict[str, list[tuple[int, int]]]]:
    """For a shape of ``_COMMON_SHAPES``: where to read 8-byte words, what each word must hold (mask of
    fixed characters, their value, mask of digit bytes) and where each field's digits are (word, shift)."""
    width = len(shape)
    reads = [0, 8, width - 8] if width > 16 else [0, width - 8]
    checks = []
    fields: dict[str, list[tuple[int, int]]] = {}
    for at in reads:
        fixed = value = digits = 0
        for b in range(8):
            ch = shape[at + b]
            if ch in "DMYhms":
                digits |= 0xF0 << (8 * b)
            else:
                fixed |= 0xFF << (8 * b)
                value |= ord(ch) << (8 * b)
        checks.append((fixed, value, digits))
    for i, ch in enumerate(shape):
        if ch in "DMYhms":
            w = 0 if i < 8 else (1 if width > 16 and i < 16 else len(reads) - 1)
            fields.setdefault(ch, []).append((w, 8 * (i - reads[w])))
    return reads, checks, fields


_PLANS = {shape: _shape_plan(shape) for shape in _COMMON_SHAPES}
_THREES = np.uint64(0x3030303030303030)
_SIXES = np.uint64(0x0606060606060606)


def _common_dates_chunk(chunk: pa.Array, ok: np.ndarray, values: np.ndarray) -> None:
    """``_common_dates`` for one Arrow chunk: each cell's bytes are read as 8-byte words and checked and
    decoded with whole-word integer operations (SWAR), a handful of vector passes per shape."""
    if len(chunk) == 0 or chunk.null_count == len(chunk):
        return
    c = arrowtext.cells(chunk)
    starts, lengths = c.starts, c.lengths
    if c.raw.size < 8:
        return
    # every 8-byte window of the text as one unsigned integer (an unaligned view, no copy)
    words = np.ndarray(shape=(c.raw.size - 7,), dtype=np.uint64, buffer=c.raw, strides=(1,))
    for shape, (reads, checks, fields) in _PLANS.items():
        rows = np.flatnonzero(lengths == len(shape))
        if not len(rows):
            continue
        at = starts[rows]
        got = [words[at + r] for r in reads]
        good = np.ones(len(rows), dtype=bool)
        for w, (fixed, value, digits) in zip(got, checks, strict=True):
            good &= (w & np.uint64(fixed)) == np.uint64(value)  # the dots, the space, the colons
            d = np.uint64(digits)
            good &= ((w & d) == (_THREES & d)) & (((w + (_SIXES & (d >> np.uint64(4)))) & d) == (_THREES & d))
        if not good.any():
            continue
        rows, got = rows[good], [w[good] for w in got]
        year, month, day = (_digits_value(got, fields.get(ch, [])) for ch in "YMD")
        hour, minute, second = (_digits_value(got, fields.get(ch, [])) for ch in "hms")
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
        good = (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
        good &= (hour <= 23) & (minute <= 59) & (second <= 59)
        # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
        y = year - (month <= 2)
        era = y // 400
        yoe = y - era * 400
        doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
        days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
        stamp = days * _US_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000_000
        taken = rows[good]
        ok[taken] = True
        values[taken] = stamp[good]


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _digits_value(words: list[np.ndarray], places: list[tuple[int, int]]) -> np.ndarray | int:
    """The number written by the digits at ``places`` (word, bit shift), most significant first."""
    out: np.ndarray | int = 0
    for w, shift in places:
        out = out * 10 + ((words[w] >> np.uint64(shift)) & np.uint64(0xF)).astype(np.int64)
    return out


_DMY = r"^\d{1,2}\.\d{1,2}\.\d{2,4}"
_ISO = r"^\d{4}-\d{1,2}-\d{1,2}"
_SERIAL = r"^\d{1,7}(?:[.,]\d+)?$"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


def _parse_text_dates(text: pd.Series, tz: str, out: pd.Series) -> None:
    """Fill ``out`` in place from text cells, one vectorised pass per recognised shape."""
    dmy = text.str.match(_DMY)
    if dmy.any():
        sub = text[dmy]
        parsed = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[us]")
        for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y %H:%M:%S", "%d.%m.%y"):
            left = parsed.isna()
            if not left.any():
                break
            parsed[left] = pd.to_datetime(sub[left], format=fmt, errors="coerce").astype("datetime64[us]")
        out[parsed.index] = parsed
    iso = text.str.match(_ISO)
    if iso.any():
        sub = text[iso]
        has_off = sub.str.contains(_OFFSET)
        if has_off.any():
            aware = pd.to_datetime(sub[has_off], format="ISO8601", utc=True, errors="coerce")
            out[aware.index] = aware.dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[us]")
        naive = sub[~has_off]
        if len(naive):
            out[naive.index] = pd.to_datetime(naive, format="ISO8601", errors="coerce").astype("datetime64[us]")
    serial = text.str.match(_SERIAL) & ~dmy & ~iso
    if serial.any():
        nums = pd.to_numeric(text[serial].str.replace(",", ".", regex=False), errors="coerce")
        ok = nums.between(_SERIAL_MIN, _SERIAL_MAX)
        stamps = EXCEL_EPOCH + pd.to_timedelta(nums[ok] * 86400.0, unit="s").dt.round("s")
        out[stamps.index] = stamps.astype("datetime64[us]")


def normalize_inn(col: pd.Series) -> pd.Series:
    """ИНН as a string of digits; a number that lost its leading zero (9 or 11 digits) gets it back."""
    return per_value(col, _normalize_inn_cells, many=0.9)


def _normalize_inn_cells(col: pd.Series) -> pd.Series:
    digits = as_text(col)  # (no empty text left)
    if not _only_digits(digits):
        # «7715845919.0» (a number saved as text by a spreadsheet) is 10 digits, not 11 that lost a zero
        digits = digits.str.replace(r"[.,]0+$", "", regex=True).str.replace(r"\D", "", regex=True)
        digits = digits.mask(digits.eq(""))
    lost_zero = digits.str.len().isin([9, 11])
    return digits.mask(lost_zero, "0" + digits) if lost_zero.any() else digits


def _only_digits(text: pd.Series) -> bool:
    """True when every present cell of an Arrow text column is ASCII digits only (what an export's ИНН column
    holds): the two regex passes of ``_normalize_inn_cells`` would change nothing. One pass over the bytes."""
    found = arrowtext.chunks(text) if _is_text(text) else None
    if found is None:
        return False
    for chunk in found:
        c = arrowtext.cells(chunk)
        if not len(chunk) or not c.raw.size:
            continue
        raw = c.raw[int(c.starts[0]):int(c.ends[-1])]
        if len(raw) and (int(raw.min()) < 0x30 or int(raw.max()) > 0x39):
            return False
    return True


def normalize_name(col: pd.Series) -> pd.Series:
    """A client name folded for matching: case, ё/е, quotes and repeated spaces do not count."""
    return per_value(col, _normalize_name_cells, many=0.9)


def _normalize_name_cells(col: pd.Series) -> pd.Series:
    text = as_text(col).str.lower().str.replace("ё", "е", regex=False)
    text = text.str.replace(r"[\"'«»“”„`]", "", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    return text.mask(text.eq(""))
