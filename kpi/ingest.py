"""Read one uploaded file (bytes) into a raw table: find the sheet, the header row and the title.

This is the first step of the flow (read → compute → show → export). It knows file formats, not
business meaning: ``recognise`` then maps the columns to fields. Uploads are parsed in memory and
never written to disk. Every refusal is an ``InputError`` naming the file, with a Russian message that
says what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from kpi.errors import InputError
from kpi.schema import ALL_ALIASES, expected_columns_ru, normalize_header
from kpi.settings import LIMITS, Limits

#: How many rows from the top may hold titles and parameters before the header.
HEADER_SCAN_ROWS = 60
_SEPARATORS = (";", "\t", ",")


@dataclass
class RawTable:
    """A table as found in the file: header cells as written, data cells as read, source row numbers.

    ``frame``'s index holds the row number a person sees in the source (spreadsheet row or CSV line,
    from 1), so every later note can point back to it.
    """

    file: str
    fmt: str
    frame: pd.DataFrame
    header_row: int
    sheet: str | None = None
    title: list[str] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None
    period_month: pd.Period | None = None
    period_from: date | None = None
    period_to: date | None = None


def sniff_format(name: str, data: bytes) -> str:
    """Judge the format from the bytes, not the name: offices rename files freely."""
    if not data or not data.strip():
        raise InputError(name, "файл пуст. Выгрузите отчёт заново и загрузите его ещё раз.")
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM")):
        raise InputError(name, "это изображение или PDF, а не таблица. Загрузите выгрузку отчёта в формате "
                               "Excel (.xlsx) или CSV.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in data[:4096]:
        raise InputError(name, "файл не похож на таблицу (двоичные данные). Загрузите выгрузку отчёта в формате "
                               "Excel (.xlsx) или CSV.")
    return "csv"


def read_table(name: str, data: bytes, limits: Limits = LIMITS) -> RawTable:
    """Read ``data`` (the uploaded file's bytes) into a ``RawTable``; raise ``InputError`` if unusable."""
    if len(data) > limits.max_file_bytes:
        raise InputError(name, f"файл больше допустимого ({len(data) // 2**20} МБ, предел "
                               f"{limits.max_file_bytes // 2**20} МБ). Сформируйте отчёт за меньший период.")
    fmt = sniff_format(name, data)
    if fmt == "csv":
        return _read_csv(name, data, limits)
    if fmt == "zip":
        _check_zip(name, data, limits)
    else:
        _check_ole(name, data)
    return _read_workbook(name, data, limits)


# --- workbooks ---------------------------------------------------------------------------------------

def _check_zip(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a truncated archive or one that declares more than the limit (a zip bomb) before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise InputError(name, "файл Excel повреждён или сохранён не полностью. Откройте его в Excel, "
                               "сохраните заново и загрузите ещё раз.") from exc
    names = {i.filename for i in infos}
    if not ({"xl/workbook.xml", "content.xml"} & names):
        raise InputError(name, "это архив, но не книга Excel (.xlsx) или OpenDocument (.ods).")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unzipped_bytes:
        raise InputError(name, f"книга Excel разворачивается в {declared // 2**20} МБ — больше допустимого "
                               f"({limits.max_unzipped_bytes // 2**20} МБ). Файл не прочитан: он может быть "
                               "повреждён или опасен.")


def _check_ole(name: str, data: bytes) -> None:
    """An OLE2 file is an old .xls, or an .xlsx saved with a password (Excel wraps it so)."""
    if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000] or b"EncryptedPackage" in data[:1_000_000] \
            or "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]:
        raise InputError(name, "файл защищён паролем. Откройте его в Excel, снимите пароль "
                               "(Файл → Сведения → Защита книги) и загрузите заново.")


def _read_workbook(name: str, data: bytes, limits: Limits) -> RawTable:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise InputError(name, "файл защищён паролем. Откройте его в Excel, снимите пароль и загрузите "
                               "заново.") from exc
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise InputError(name, f"не удалось прочитать книгу Excel ({type(exc).__name__}). Откройте файл в "
                               "Excel, сохраните как .xlsx и загрузите ещё раз.") from exc
    fmt = "ods" if data[:4] == b"PK\x03\x04" and b"opendocument" in data[:200] else \
        "xlsx" if data[:4] == b"PK\x03\x04" else "xls"
    best: tuple[int, str, int, list[list[object]]] | None = None
    for sheet_name in wb.sheet_names:
        try:
            top = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
        except Exception:
            continue
        row, score = _find_header(top)
        if score and (best is None or score > best[0]):
            best = (score, sheet_name, row, top)
    if best is None:
        raise _no_header(name)
    _score, sheet_name, hrow, _top = best
    sheet = wb.get_sheet_by_name(sheet_name)
    if sheet.total_height - hrow - 1 > limits.max_rows:
        raise _too_many_rows(name, sheet.total_height - hrow - 1, limits)
    try:
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputError(name, f"лист «{sheet_name}» не читается ({type(exc).__name__}). Сохраните книгу "
                               "заново в Excel.") from exc
    header = _header_names(rows[hrow])
    width = len(header)
    body = rows[hrow + 1:]
    frame = pd.DataFrame([r[:width] for r in body] if body and len(body[0]) != width else body,
                         columns=header, dtype=object)
    frame.index = pd.RangeIndex(hrow + 2, hrow + 2 + len(frame))
    title = [_join(r) for r in rows[:hrow] if _join(r)]
    table = RawTable(file=name, fmt=fmt, frame=frame, header_row=hrow + 1, sheet=sheet_name, title=title)
    _read_period(table)
    return table


def _join(row: list[object]) -> str:
    return " ".join(str(c).strip() for c in row if c not in (None, "") and str(c).strip())


# --- CSV ---------------------------------------------------------------------------------------------

def _decode_probe(data: bytes) -> tuple[str, str]:
    """Pick the encoding: UTF-16 by its BOM, UTF-8 (with or without BOM) if it decodes, else cp1251."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", data.decode("utf-16", errors="replace")[:200_000]
    try:
        text = data.decode("utf-8-sig")
        return "utf-8-sig", text[:200_000]
    except UnicodeDecodeError:
        return "cp1251", data[:200_000].decode("cp1251", errors="replace")


def _records(text: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV text, and the physical line each one ends on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            ends.append(reader.line_num)
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return rows, ends


def _read_csv(name: str, data: bytes, limits: Limits) -> RawTable:
    encoding, text = _decode_probe(data)
    best: tuple[int, str, int, list[list[str]], list[int]] | None = None
    for sep in _SEPARATORS:
        rows, ends = _records(text, sep)
        row, score = _find_header(rows)
        if score and (best is None or score > best[0]):
            best = (score, sep, row, rows, ends)
    if best is None:
        raise _no_header(name)
    _score, sep, hrow, rows, ends = best
    skip = ends[hrow - 1] if hrow else 0  # physical lines above the header record
    try:
        frame = pd.read_csv(io.BytesIO(data), encoding=encoding, sep=sep, skiprows=skip, header=0, dtype="str",
                            keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c",
                            nrows=limits.max_rows + 1, quotechar='"')
    except pd.errors.ParserError:
        frame = _read_csv_tolerant(data, encoding, sep, skip, limits)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(name, f"не удалось прочитать CSV ({exc}). Сохраните файл заново как «CSV (разделители "
                               "— точка с запятой)».") from exc
    if len(frame) > limits.max_rows:
        raise _too_many_rows(name, len(frame), limits)
    frame.columns = _header_names(list(frame.columns))
    header_line = ends[hrow]  # data rows start on the line after the header record's last line
    frame.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(frame))
    title = [" ".join(c.strip() for c in r if c.strip()) for r in rows[:hrow]]
    table = RawTable(file=name, fmt="csv", frame=frame, header_row=skip + 1, title=[t for t in title if t],
                     encoding=encoding, separator=sep)
    _read_period(table)
    return table


def _read_csv_tolerant(data: bytes, encoding: str, sep: str, skip: int, limits: Limits) -> pd.DataFrame:
    """Rows with too many fields: cut the surplus rather than lose the file (python engine, slower)."""
    return pd.read_csv(io.BytesIO(data), encoding=encoding, sep=sep, skiprows=skip, header=0, dtype="str",
                       keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="python",
                       on_bad_lines=lambda bad: bad[:0] or None, nrows=limits.max_rows + 1)


# --- header and title --------------------------------------------------------------------------------

def _find_header(rows: list[list[object]]) -> tuple[int, int]:
    """The first row with the most cells that are known column names: (row index, how many)."""
    best_row, best_score = 0, 0
    for i, row in enumerate(rows):
        score = sum(1 for c in row if isinstance(c, str) and normalize_header(c) in ALL_ALIASES)
        if score > best_score:
            best_row, best_score = i, score
    return best_row, best_score


def _header_names(cells: list[object]) -> list[str]:
    """Header cells as strings; blank ones get «Столбец N», repeated ones a suffix, so none is lost."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(cells, start=1):
        text = "" if c is None else re.sub(r"\s+", " ", str(c)).strip()
        if not text or text.startswith("Unnamed:"):
            text = f"Столбец {i}"
        if text in seen:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        names.append(text)
    return names


_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
           "декабр")
_MONTH_RE = re.compile(r"(январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|"
                       r"октябр\w*|ноябр\w*|декабр\w*)\s+(\d{4})", re.IGNORECASE)
_RANGE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:г\.?\s*)?(?:[-–—]|по)\s*(\d{1,2})\.(\d{1,2})\.(\d{4})")


def month_from_text(text: str) -> pd.Period | None:
    """«Период: Март 2021 г.» → 2021-03; None when the text names no month."""
    m = _MONTH_RE.search(text)
    if not m:
        return None
    word = m.group(1).lower()
    for i, stem in enumerate(_MONTHS, start=1):
        if word.startswith(stem) and not (stem == "ма" and word.startswith("март")):
            return pd.Period(year=int(m.group(2)), month=i, freq="M")
    return None


def _read_period(table: RawTable) -> None:
    """Take the reporting period from the title rows, as the vendor cabinet prints it."""
    text = " ".join(table.title)
    m = _RANGE_RE.search(text)
    if m:
        try:
            start = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            end = date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
        except ValueError:
            start = end = None
        if start and end and start <= end:
            table.period_from, table.period_to = start, end
            if (start.year, start.month) == (end.year, end.month):
                table.period_month = pd.Period(start, freq="M")
    month = month_from_text(text)
    if month is not None:
        table.period_month = month


def _no_header(name: str) -> InputError:
    return InputError(name, "не найдена строка заголовков с известными столбцами. Ожидаются столбцы "
                            "одной из выгрузок:\n" + expected_columns_ru())


def _too_many_rows(name: str, n: int, limits: Limits) -> InputError:
    return InputError(name, f"в таблице {n:,} строк — больше допустимого ({limits.max_rows:,}). "
                            "Сформируйте отчёт по частям.".replace(",", " "))
