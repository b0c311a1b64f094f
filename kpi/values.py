"""Cell values as the vendor's site, Excel and LibreOffice save them, turned into typed columns.

Every parser here is vectorised (one pass of pandas string/datetime code per column, no Python loop
per row) because a regional office feeds millions of rows. Each returns the parsed column and a mask
of cells that were *present but unreadable*, so the caller can skip exactly those rows and say why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_TRUE = ("да", "yes", "y", "1", "1.0", "+", "true", "истина", "x", "х", "✓", "v")
_FALSE = ("нет", "no", "n", "0", "0.0", "-", "−", "–", "—", "false", "ложь")
FLAG_MAP: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}

#: Excel's day zero for serial dates (the 1900 system with its leap-year bug folded in).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serial numbers that are plausible dates (1900-01-01 .. 9999-12-31).
_SERIAL_MIN, _SERIAL_MAX = 1.0, 2_958_465.0


def as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped text with missing values as NA; numbers keep no spurious ``.0``."""
    if isinstance(col.dtype, pd.StringDtype) or col.dtype == "str":
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


def parse_flag(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """«Да/Нет» (and Yes/No, 1/0, +/−, TRUE/FALSE) to booleans.

    An empty cell means «Нет»: the vendor prints nothing where there was nothing. Returns
    ``(flags, bad)``; ``bad`` marks cells holding something that is not a yes/no answer.
    """
    if col.dtype == bool:
        return col.astype(bool), pd.Series(False, index=col.index)
    text = as_text(col).str.lower()
    mapped = text.map(FLAG_MAP)
    bad = text.notna() & mapped.isna()
    return mapped.fillna(False).astype(bool), bad.fillna(False).astype(bool)


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

    result = pd.Series(pd.NaT, index=col.index, dtype="datetime64[us]")
    todo = col.notna()
    if not (isinstance(col.dtype, pd.StringDtype) or col.dtype == "str"):
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
        _parse_text_dates(text[todo], tz, result)
    bad = todo & result.isna()
    return result, bad


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
    digits = as_text(col).str.replace(r"\D", "", regex=True)
    digits = digits.mask(digits.eq(""))
    lost_zero = digits.str.len().isin([9, 11])
    return digits.mask(lost_zero, "0" + digits)


def normalize_name(col: pd.Series) -> pd.Series:
    """A client name folded for matching: case, ё/е, quotes and repeated spaces do not count."""
    text = as_text(col).str.lower().str.replace("ё", "е", regex=False)
    text = text.str.replace(r"[\"'«»“”„`]", "", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    return text.mask(text.eq(""))
