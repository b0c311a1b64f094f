"""Read one uploaded file (bytes) into a raw table: find the sheet, the header row and the title.

This is the first step of the flow (read → compute → show → export). It knows file formats, not
business meaning: ``recognise`` then maps the columns to fields. Uploads are parsed in memory and
never written to disk. Every refusal is an ``InputError`` carrying a typed problem (``kpi.errors``: a
stable code, the file and, where known, the sheet), whose Russian message (``kpi.texts``) says what to do.

Header rule (issue 9): a header row names at least two distinct known fields, so a data cell that happens
to equal a field name («Контрагент») never makes one; a single-column list is the one exception (its first
filled row may be one identity name). The vendor cabinet's summary table («Показатель | Количество | …»,
``kpi.read.vendor``) is read wherever it stands: above the header (from the rows above it), alone (no
header at all), or below the table (``recognise`` cuts it off).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from pyarrow import ArrowException

from kpi import errors as E
from kpi.errors import InputError, Problem
from kpi.read.schema import ALIAS_FIELD, IDENTITY, expected_columns_ru, normalize_header
from kpi.read.values import text_columns
from kpi.read.vendor import VendorSummary, find_summary
from kpi.settings import LIMITS, Limits

#: How many rows from the top may hold titles and parameters before the header.
HEADER_SCAN_ROWS = 60
_SEPARATORS = (";", "\t", ",")
#: Bytes of a CSV decoded to judge its encoding and find its header: enough for any title block, and a
#: 200 MB upload is not decoded twice just to look at its top.
_PROBE_BYTES = 1 << 20
_PROBE_CHARS = 200_000
#: A header or title cell longer than this is no header: it is cut for display (the data cells have the
#: protective limit ``Limits.max_cell_chars``).
HEADER_MAX_CHARS = 255
TITLE_MAX_CHARS = 500
#: Cut cells listed one by one per file; beyond this one note counts the rest.
MAX_CUT_NOTES = 200
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


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
    #: Rows changed while reading (a cell cut to the limit); ``recognise`` adds them to the report.
    notes: list[Problem] = field(default_factory=list)
    #: File-level warnings found while reading (repeated column names, another table on the sheet).
    warnings: list[Problem] = field(default_factory=list)
    #: The cells of the rows above the header, as read (titles, parameters, the vendor's summary).
    above: list[list[object]] = field(default_factory=list)
    #: Header names that occur more than once (the first keeps its name, the later ones get a suffix).
    repeated: list[str] = field(default_factory=list)
    #: The vendor cabinet's summary table, when it stands above the header or alone.
    vendor_summary: VendorSummary | None = None
    #: The file holds the vendor's summary and no table of clients: ``frame`` is empty.
    summary_only: bool = False
    #: «от DD.MM.YYYY» in the title (the ITS portal's «Отчет по договорам 1С:ИТС от 07.11.2022»).
    report_date: date | None = None


def sniff_format(name: str, data: bytes) -> str:
    """Judge the format from the bytes, not the name: offices rename files freely."""
    if _is_blank(data):
        raise E.fail("file-empty", name)
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"II*\x00", b"MM\x00*")):
        raise E.fail("file-image", name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data) is not None:
        return "csv"
    markup = _markup(data)
    if markup == "html":
        raise E.fail("file-html", name)
    if markup == "xml2003":
        raise E.fail("file-xml2003", name)
    if markup == "xml":
        raise E.fail("file-xml", name)
    if head.startswith(b"PK\x05\x06"):
        raise E.fail("zip-empty", name)
    if b"\x00" in data[:4096]:
        raise E.fail("file-binary", name)
    return "csv"


def _is_blank(data: bytes) -> bool:
    """Nothing but byte-order marks, whitespace and NULs (an "empty" UTF-16 file is BOM plus NULs).

    Searches for the first meaningful byte instead of ``data.strip()``, which would copy a 200 MB upload.
    """
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return re.search(rb"[^\s\x00]", data) is None


#: Characters of a real export's text: ASCII, Cyrillic, Latin-1 punctuation («», №, dashes, nbsp).
_TEXTLIKE = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u0400-\u04ff\u2010-\u2044\u2116]")


def _utf16_without_bom(data: bytes) -> str | None:
    """«utf-16-le»/«utf-16-be» when the top of ``data`` is UTF-16 text saved without its byte-order mark.

    NUL bytes alone would call such a file binary. It counts as text when it decodes and nearly every
    character is one an export holds; random binary data decodes to scattered CJK and symbols instead.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if len(_TEXTLIKE.findall(text)) >= 0.95 * len(text):
            return enc
    return None


def _markup(data: bytes) -> str | None:
    """«html», «xml2003» (Excel's XML Spreadsheet) or «xml» for a markup file, else None.

    1C and many web cabinets save "Excel" reports as an HTML table with an .xls name; naming the real
    format tells the person how to fix it, where "no header found" would not.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")) or b"<html" in head:
        return "html"
    if head.startswith(b"<?xml"):
        return "xml2003" if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:8192].lower() else "xml"
    return None


def read_table(name: str, data: bytes, limits: Limits = LIMITS) -> RawTable:
    """Read ``data`` (the uploaded file's bytes) into a ``RawTable``; raise ``InputError`` if unusable."""
    if len(data) > limits.max_file_bytes:
        raise E.fail("file-too-large", name, size_mb=len(data) // 2**20, limit_mb=limits.max_file_bytes // 2**20)
    fmt = sniff_format(name, data)
    if fmt == "csv":
        return _read_csv(name, data, limits)
    if fmt == "zip":
        unzipped = _check_zip(name, data, limits)
    else:
        _check_ole(name, data)
        unzipped = len(data)  # an .xls stores its text uncompressed
    return _read_workbook(name, data, limits, could_have_long_cells=unzipped > limits.max_cell_chars)


# --- workbooks ---------------------------------------------------------------------------------------

def _check_zip(name: str, data: bytes, limits: Limits) -> int:
    """Refuse a truncated archive or one that declares more than the limits (a zip bomb) before parsing.

    Only the archive's directory is read, never a member's data, so a bomb costs nothing. The declared
    sizes are binding: calamine's zip reader stops with an error when a member inflates past its declared
    size, so an archive that understates its sizes cannot slip through either. Returns the declared total.
    """
    members, directory = _zip_directory_size(data)
    if members > limits.max_zip_members or directory > limits.max_zip_members * 256:
        raise E.fail("zip-too-many-parts", name, limit=_count(limits.max_zip_members))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, EOFError, struct.error, NotImplementedError ("zip file version 6.4")…
        raise E.fail("file-damaged", name) from exc
    names = {i.filename for i in infos}
    if not ({"xl/workbook.xml", "xl/workbook.bin", "content.xml"} & names):
        raise E.fail("zip-not-workbook", name)
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unzipped_bytes:
        raise E.fail("zip-bomb", name, size_mb=_mb(declared), limit_mb=_mb(limits.max_unzipped_bytes))
    return declared


def _mb(n: int) -> str:
    return f"{n // 2**20:,}".replace(",", " ")


def _zip_directory_size(data: bytes) -> tuple[int, int]:
    """(members, directory bytes) as the archive's end record declares them, read without ``zipfile``.

    ``zipfile`` builds an object per member while it opens an archive, so a crafted file with millions of
    tiny members would exhaust memory before any size could be checked. The directory's byte size bounds
    how many members ``zipfile`` will parse (each takes at least 46 bytes), whatever the count claims.
    (0, 0) when there is no end record: ``zipfile`` then reports the damage.
    """
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if pos < 0 or pos + 22 > len(data):
        return 0, 0
    members, directory = struct.unpack_from("<H", data, pos + 10)[0], struct.unpack_from("<I", data, pos + 12)[0]
    locator = pos - 20
    if locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":  # ZIP64: the real figures are further up
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 56 <= len(data) and data[offset:offset + 4] == b"PK\x06\x06":
            members64, directory64 = struct.unpack_from("<QQ", data, offset + 32)
            members, directory = max(members, members64), max(directory, directory64)
    return members, directory


def _check_ole(name: str, data: bytes) -> None:
    """An OLE2 file is an old .xls, or an .xlsx saved with a password (Excel wraps it so)."""
    if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000] or b"EncryptedPackage" in data[:1_000_000] \
            or "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]:
        raise E.fail("file-password", name)


def _fatal(exc: BaseException) -> bool:
    """Exceptions that must pass through: the user or the interpreter stopping the run.

    calamine reports damage with several unrelated types, and a panic inside its Rust code arrives as
    pyo3's ``PanicException``, which derives from ``BaseException``; all of those mean "unreadable file".
    """
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def _read_workbook(name: str, data: bytes, limits: Limits, could_have_long_cells: bool = True) -> RawTable:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(wb.sheet_names)
    except pc.PasswordError as exc:
        raise E.fail("file-password", name) from exc
    except BaseException as exc:
        if _fatal(exc):
            raise
        raise E.fail("workbook-unreadable", name, reason=type(exc).__name__) from exc
    fmt = "ods" if data[:4] == b"PK\x03\x04" and b"opendocument" in data[:200] else \
        "xlsx" if data[:4] == b"PK\x03\x04" else "xls"
    # calamine parses a whole sheet when it is fetched: keep the best one instead of fetching it twice
    best: tuple[int, str, int, object] | None = None
    failure: BaseException | None = None
    headless: list[tuple[str, list[list[object]]]] = []  # sheets without a header: the vendor's summary alone?
    for sheet_name in sheet_names:
        try:
            candidate = wb.get_sheet_by_name(sheet_name)
            top = candidate.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
        except BaseException as exc:
            if _fatal(exc):
                raise
            failure = failure or exc
            continue
        row, score = _find_header(top)
        if score and (best is None or score > best[0]):
            best = (score, sheet_name, row, candidate)
        elif not score:
            headless.append((sheet_name, top))
        del candidate
    for sheet_name, top in headless if best is None else ():
        table = _summary_alone(name, top, fmt, sheet=sheet_name)
        if table is not None:
            return table
    if best is None and failure is not None:
        raise E.fail("sheet-unreadable", name, reason=type(failure).__name__) from failure
    if best is None:
        raise _no_header(name)
    _score, sheet_name, hrow, sheet = best
    del best
    try:
        height = sheet.total_height + 1  # the last row's index: rows from A1 on
        if height - hrow - 1 > limits.max_rows:
            raise _too_many_rows(name, height - hrow - 1, limits, exact=True, sheet=sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
    except InputError:
        raise
    except BaseException as exc:
        if _fatal(exc):
            raise
        raise E.fail("sheet-unreadable", name, sheet=sheet_name, reason=type(exc).__name__) from exc
    if len(rows) - hrow - 1 > limits.max_rows:  # the declared height can understate a damaged sheet
        raise _too_many_rows(name, len(rows) - hrow - 1, limits, exact=True, sheet=sheet_name)
    repeated: list[str] = []
    header = _header_names(rows[hrow], repeated)
    width = len(header)
    body = rows[hrow + 1:]
    frame = pd.DataFrame([r[:width] for r in body] if body and len(body[0]) != width else body,
                         columns=header, dtype=object)
    frame = text_columns(frame, limits.max_cell_chars)  # text columns as Arrow strings: C-speed from here on
    frame.index = pd.RangeIndex(hrow + 2, hrow + 2 + len(frame))
    table = RawTable(file=name, fmt=fmt, frame=frame, header_row=hrow + 1, sheet=sheet_name, repeated=repeated)
    _above(table, rows[:hrow], list(range(1, hrow + 1)))
    for other, top in headless if table.vendor_summary is None else ():  # the summary on a sheet of its own
        table.vendor_summary = find_summary(top, name, sheet=other)[0]
        if table.vendor_summary is not None:
            break
    if could_have_long_cells:
        _cut_long_cells(table, limits)
    return table


def _join(row: list[object]) -> str:
    text = " ".join(str(c).strip() for c in row if c not in (None, "") and str(c).strip())
    return text[:TITLE_MAX_CHARS]


def _cut_long_cells(table: RawTable, limits: Limits) -> None:
    """Cut text cells longer than ``limits.max_cell_chars`` and note each row, so one pasted 50 MB cell
    neither travels to the page, the downloads and the browser nor stops the rest of the file.

    Costs one pass over the text columns (a C-level length for CSV's string columns, a generator over
    the object columns a workbook gives); callers skip it when the file is too small to hold such a cell.
    """
    limit = limits.max_cell_chars
    frame = table.frame
    for pos, name in enumerate(frame.columns):
        s = frame.iloc[:, pos]
        if s.dtype == object:
            values = s.to_numpy()
            if max((len(v) for v in values if type(v) is str), default=0) <= limit:
                continue
            long = np.fromiter((type(v) is str and len(v) > limit for v in values), dtype=bool, count=len(values))
        elif isinstance(s.dtype, pd.StringDtype):
            if _longest_bytes(s) <= limit:  # UTF-8 bytes bound the characters: nothing can be longer
                continue
            long = s.str.len().gt(limit).fillna(False).to_numpy(dtype=bool)
            if not long.any():
                continue
        else:
            continue
        rows = frame.index[long]
        lengths = [len(v) for v in s[long]]
        frame.iloc[np.flatnonzero(long), pos] = [v[:limit] for v in s[long]]
        for r, n in list(zip(rows, lengths, strict=True))[:MAX_CUT_NOTES]:
            table.notes.append(E.make("cell-cut", table.file, sheet=table.sheet, row=int(r), column=str(name),
                                      length=_count(n), limit=_count(limit)))
        if len(rows) > MAX_CUT_NOTES:
            table.notes.append(E.make("cells-more-cut", table.file, sheet=table.sheet, column=str(name),
                                      count=len(rows) - MAX_CUT_NOTES))


def _longest_bytes(s: pd.Series) -> float:
    """The longest cell of a string column in UTF-8 bytes, from Arrow in milliseconds (``str.len`` takes
    ~50 ms per million cells and column); infinity when the column is not Arrow-backed, to check exactly."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        longest = pc.max(pc.binary_length(pa.array(s.array))).as_py()
    except Exception:  # no pyarrow, or a storage Arrow cannot take as is
        return float("inf")
    return 0 if longest is None else longest


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# --- CSV ---------------------------------------------------------------------------------------------

def _decode_probe(data: bytes) -> tuple[str, str]:
    """Pick the encoding and decode the top of the file for the header search.

    UTF-16 by its BOM (Excel's "Unicode text") or by its shape without one; UTF-8 (with or without BOM)
    if the top decodes, else cp1251. Only the first ``_PROBE_BYTES`` are decoded: should a later part
    turn out not to be UTF-8, ``_read_csv`` reads the whole file as cp1251, as if judged on all of it.
    """
    head = data[:_PROBE_BYTES]
    even = head[: len(head) // 2 * 2]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", even.decode("utf-16", errors="replace")[:_PROBE_CHARS]
    bare = _utf16_without_bom(head)
    if bare is not None:
        return bare, even.decode(bare, errors="replace")[:_PROBE_CHARS]
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(data) <= _PROBE_BYTES)
        return "utf-8-sig", text[:_PROBE_CHARS]
    except UnicodeDecodeError:
        return "cp1251", head[:_PROBE_CHARS].decode("cp1251", errors="replace")


def _records(text: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV text, and the physical line each one ends on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)  # a lone CR ends a line, as in Excel
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
        for sep in _SEPARATORS:
            rows, ends = _records(text, sep)
            table = _summary_alone(name, rows, "csv", numbers=[_record_line(ends, i) for i in range(len(rows))],
                                   encoding=encoding, separator=sep)
            if table is not None:
                return table
        raise _no_header(name, renamed=name.lower().endswith(_EXCEL_SUFFIXES))
    _score, sep, hrow, rows, ends = best
    skip = ends[hrow - 1] if hrow else 0  # physical lines above the header record
    cut: list[int] = []
    try:
        try:
            frame = _csv_frame(data, encoding, sep, skip, len(rows[hrow]), limits, cut)
        except UnicodeDecodeError:
            if encoding != "utf-8-sig":
                raise
            encoding = "cp1251"  # the top was UTF-8, a later part is not: judge the file as a whole
            frame = _csv_frame(data, encoding, sep, skip, len(rows[hrow]), limits, cut)
    except (UnicodeError, ValueError, csv.Error, MemoryError) as exc:  # pandas' ParserError is a ValueError
        raise E.fail("csv-unreadable", name, reason=str(exc)[:200]) from exc
    if len(frame) > limits.max_rows:  # only max_rows + 1 were read: the true count is unknown
        raise _too_many_rows(name, len(frame), limits, exact=False)
    repeated: list[str] = []
    frame.columns = _header_names(list(frame.columns), repeated)
    header_line = ends[hrow]  # data rows start on the line after the header record's last line
    frame.index = _csv_line_numbers(data, encoding, sep, hrow, header_line, len(frame))
    table = RawTable(file=name, fmt="csv", frame=frame, header_row=skip + 1, encoding=encoding, separator=sep,
                     repeated=repeated)
    _above(table, rows[:hrow], [_record_line(ends, i) for i in range(hrow)])
    if cut:
        table.notes.append(E.make("csv-extra-fields", name, count=_count(cut[0])))
    if len(data) > limits.max_cell_chars:
        _cut_long_cells(table, limits)
    return table


def _csv_line_numbers(data: bytes, encoding: str, sep: str, hrow: int, header_line: int, n: int) -> pd.Index:
    """The line of the file each data record starts on, so a skipped row's number is the one a person finds.

    One record per line is the rule: certainly so when the file holds no quote mark (one ``memchr``), else
    checked by counting line breaks (C speed, no decoding). A quoted cell that spans lines (Alt+Enter in
    Excel) shifts every record after it; then the records are walked once with ``csv``, streaming, to find
    where each starts. Should ``csv`` and pandas disagree on the records, the simple numbering stays.
    """
    simple = pd.RangeIndex(header_line + 1, header_line + 1 + n)
    if not encoding.startswith("utf-16") and b'"' not in data:  # no quotes: no cell can span lines
        return simple
    if encoding.startswith("utf-16"):
        text = data.decode(encoding, errors="replace")
        breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        open_end = not text.endswith(("\n", "\r"))
    else:
        lf, cr = data.count(b"\n"), data.count(b"\r")
        # CRLF throughout (Excel) or LF throughout: no need for the slower two-byte count
        breaks = lf if cr in (0, lf) else lf + cr - data.count(b"\r\n")
        open_end = not data.endswith((b"\n", b"\r"))
    if header_line + n == breaks + open_end:
        return simple
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    reader = csv.reader(stream, delimiter=sep)
    ends: list[int] = []
    try:
        for _ in reader:
            ends.append(reader.line_num)
    except csv.Error:  # a cell past the csv module's field limit: keep the simple numbering
        return simple
    starts = [ends[i - 1] + 1 for i in range(hrow + 1, len(ends))]
    return pd.Index(starts[:n]) if len(starts) in (n, n + 1) else simple


#: Options every CSV engine reads with: all cells text, only an empty cell missing («nan», «NULL» stay text),
#: a blank line kept as a row of missing cells (so line numbers stay right).
_CSV_OPTIONS = {"header": 0, "dtype": "str", "keep_default_na": False, "na_values": [""], "skip_blank_lines": False,
                "quotechar": '"'}


def _csv_frame(data: bytes, encoding: str, sep: str, skip: int, width: int, limits: Limits,
               cut: list[int]) -> pd.DataFrame:
    """The data rows below line ``skip``: pandas' pyarrow engine (multi-threaded, ~3× the C parser on a
    million-row cp1251 export); the C parser where pyarrow refuses the file; the tolerant reader when rows are
    wider than the header. All three give the same frame for a file each of them reads.

    pyarrow refuses a row narrower or wider than the header, a byte its decoder rejects (cp1251's
    undefined 0x98, which the C parser replaces; bad UTF-8, which the C parser reports so the caller can
    switch to cp1251) and a quoted cell with a line break that crosses one of its parse blocks («parser got
    out of sync with chunker»: pandas does not let it know that values may span lines). At most
    ``limits.max_rows + 1`` rows are returned: the caller refuses the file when there are more.
    """
    try:
        frame = pd.read_csv(io.BytesIO(data), engine="pyarrow", sep=sep, skiprows=skip,
                            # pyarrow skips a UTF-8 BOM itself; any other name goes through Python's slower codec
                            encoding="utf-8" if encoding == "utf-8-sig" else encoding, **_CSV_OPTIONS)
    except (ValueError, UnicodeError, ArrowException):  # ParserError and ArrowInvalid are ValueErrors
        pass
    else:
        return frame.iloc[:limits.max_rows + 1] if len(frame) > limits.max_rows + 1 else frame
    errors = "replace" if encoding != "utf-8-sig" else "strict"  # cp1251 leaves 0x98 undefined
    try:
        return pd.read_csv(io.BytesIO(data), encoding=encoding, encoding_errors=errors, sep=sep, skiprows=skip,
                           engine="c", nrows=limits.max_rows + 1, **_CSV_OPTIONS)
    except pd.errors.ParserError:
        return _read_csv_tolerant(data, encoding, errors, sep, skip, width, limits, cut)


def _read_csv_tolerant(data: bytes, encoding: str, errors: str, sep: str, skip: int, width: int, limits: Limits,
                       cut: list[int]) -> pd.DataFrame:
    """Rows with too many fields: cut the surplus rather than lose the row (python engine, slower).

    ``cut`` receives how many rows were cut, for the report's note. The python engine goes through the
    ``csv`` module, whose field limit is lifted for the call, so a long cell is cut later with a note
    instead of failing the file.
    """
    width = max(width, 1)
    count = [0]

    def surplus(bad: list[str]) -> list[str]:
        count[0] += 1
        return bad[:width]

    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, limits.max_file_bytes))
    try:
        frame = pd.read_csv(io.BytesIO(data), encoding=encoding, encoding_errors=errors, sep=sep, skiprows=skip,
                            engine="python", on_bad_lines=surplus, nrows=limits.max_rows + 1, **_CSV_OPTIONS)
    finally:
        csv.field_size_limit(old_limit)
    if count[0]:
        cut.append(count[0])
    return frame


# --- header and title --------------------------------------------------------------------------------

_IDENTITY_NAMES = frozenset(f.name for f in IDENTITY)


def header_fields(row: list[object]) -> tuple[set[str], int]:
    """The distinct known fields a row's cells name, and how many cells are filled."""
    fields: set[str] = set()
    filled = 0
    for c in row:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        filled += 1
        if isinstance(c, str) and len(c) <= HEADER_MAX_CHARS:  # a huge cell is no header: skip its regex work
            name = ALIAS_FIELD.get(normalize_header(c))
            if name is not None:
                fields.add(name)
    return fields, filled


def _find_header(rows: list[list[object]]) -> tuple[int, int]:
    """The first row naming the most distinct known fields (at least two): (row index, how many).

    One cell equal to a field name is no header: a data row of an unknown table may hold «Контрагент».
    The exception is a plain client list («Клиент | Телефон | Комментарий», or «ИНН» alone): a row naming
    one identity field is its header when it is the sheet's first filled row, or follows a blank row
    with nothing but one-cell (title) rows above it — so a one-column list of names holding «Контрагент»
    among them gives no header. (0, 0) when no row qualifies.
    """
    best_row, best_score = 0, 0
    single: int | None = None
    wide_above = False
    after_blank = True  # the sheet's start counts as a blank row
    for i, row in enumerate(rows):
        fields, filled = header_fields(row)
        if len(fields) >= 2 and len(fields) > best_score:
            best_row, best_score = i, len(fields)
        elif single is None and not wide_above and after_blank and len(fields) == 1 and fields <= _IDENTITY_NAMES:
            single = i
        wide_above = wide_above or filled >= 2
        after_blank = not filled
    if not best_score and single is not None:
        return single, 1
    return best_row, best_score


def _header_names(cells: list[object], repeated: list[str] | None = None) -> list[str]:
    """Header cells as strings; blank ones get «Столбец N», repeated ones a suffix, so none is lost.

    The first column of a repeated name keeps it (the fields and the download use that one); the names
    that repeat are added to ``repeated`` once each, for the ``columns-repeated`` warning.
    """
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(cells, start=1):
        text = "" if c is None else re.sub(r"\s+", " ", str(c)[: HEADER_MAX_CHARS * 4]).strip()[:HEADER_MAX_CHARS]
        if not text or text.startswith("Unnamed:"):
            text = f"Столбец {i}"
        if text in seen:
            seen[text] += 1
            if seen[text] == 2 and repeated is not None:
                repeated.append(text)
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        names.append(text)
    return names


def _record_line(ends: list[int], i: int) -> int:
    """The line of the file record ``i`` of ``_records`` starts on (counted from 1)."""
    return ends[i - 1] + 1 if i else 1


def _above(table: RawTable, rows: list[list[object]], numbers: list[int]) -> None:
    """Keep the rows above the header: the vendor's summary among them is read, a known header among them
    is another table (named in a warning), the other filled rows are the title; then the period."""
    table.above = [list(r) for r in rows]
    summary, positions = find_summary(rows, table.file, sheet=table.sheet)
    if positions and summary is None:
        table.warnings.append(E.make("vendor-summary-unreadable", table.file, sheet=table.sheet,
                                     row=numbers[positions[0]]))
    if summary is not None and summary.row is not None:
        summary = dataclasses.replace(summary, row=numbers[summary.row - 1])
    table.vendor_summary = summary
    skip = set(positions)
    top = len(rows)
    for i, r in enumerate(rows):
        if i not in skip and len(header_fields(r)[0]) >= 2:
            table.warnings.append(E.make("second-table", table.file, sheet=table.sheet, table_row=numbers[i]))
            top = i  # the table above is no title: its rows are not read for the period either
            break
    table.title = [t for i, r in enumerate(rows[:top]) if i not in skip and (t := _join(r))]
    _read_period(table)


def _summary_alone(name: str, rows: list[list[object]], fmt: str, sheet: str | None = None,
                   numbers: list[int] | None = None, encoding: str | None = None,
                   separator: str | None = None) -> RawTable | None:
    """A file with the vendor's summary table and no table of clients, or None when it holds none."""
    summary, positions = find_summary(rows, name, sheet=sheet)
    if summary is None:
        return None
    numbers = numbers or list(range(1, len(rows) + 1))
    if summary.row is not None:
        summary = dataclasses.replace(summary, row=numbers[summary.row - 1])
    top = positions[0]
    header = [str(c).strip() for c in rows[top] if c is not None and str(c).strip()] \
        if summary.row != numbers[top] else []
    table = RawTable(file=name, fmt=fmt, frame=pd.DataFrame(columns=_header_names(header)), header_row=numbers[top],
                     sheet=sheet, encoding=encoding, separator=separator, vendor_summary=summary,
                     summary_only=True)
    skip = set(positions)
    table.title = [t for i, r in enumerate(rows[:top]) if i not in skip and (t := _join(r))]
    _read_period(table)
    return table


_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
           "декабр")
_MONTH_RE = re.compile(r"(январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|"
                       r"октябр\w*|ноябр\w*|декабр\w*)\s+(\d{4})", re.IGNORECASE)
_REPORT_DATE_RE = re.compile(r"\bот\s+(\d{1,2})\.(\d{1,2})\.(\d{4})")
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
    m = _REPORT_DATE_RE.search(text)
    if m:
        try:
            table.report_date = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            table.report_date = None


def _no_header(name: str, renamed: bool = False) -> InputError:
    return E.fail("no-header-renamed" if renamed else "no-header", name, expected=expected_columns_ru())


def _too_many_rows(name: str, n: int, limits: Limits, exact: bool, sheet: str | None = None) -> InputError:
    count = f"{_count(n)} строк" if exact else f"больше {_count(limits.max_rows)} строк"
    return E.fail("too-many-rows", name, sheet=sheet, count=count, limit=_count(limits.max_rows))
