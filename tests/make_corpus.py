"""Generate ``tests/corpus/``: small broken, renamed and hostile exports, one file per case of issue 5.

Run ``python -m tests.make_corpus`` to rebuild it; the output is byte-for-byte the same on every run (fixed
zip timestamps, a seeded "random" salt for the encrypted workbook), so a rebuild shows no diff. The files
are committed and small (a few KB each). The big cases — a 50 MB cell, a zip bomb that declares
gigabytes, one that really inflates to tens of MB — are built by the functions below at test time, in
memory or ``tmp_path``, never committed.

Building the encrypted workbook needs ``msoffcrypto-tool`` and the binary .xls needs ``xlwt`` (both in
requirements-dev.txt); the tests themselves only read the committed files and need neither.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

CORPUS = Path(__file__).resolve().parent / "corpus"
PASSWORD = "secret"
_DATE = (2026, 11, 2, 10, 0, 0)

# --- the vendor's columns ----------------------------------------------------------------------------

STATS_HEADER = ["Клиент", "ИНН", "Тип клиента", "Телефон", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце",
                "Коммуникации в -2 месяце", "Авторизация в отчетном месяце", "Дата последней коммуникации"]
STATS_ROWS = [
    ["ООО «Ромашка»", "7701234567", "Клиенты 1С", "+7 912 000-11-22", "Да", "Нет", "Нет", "Да", "03.11.2026 4:03:05"],
    ["ИП Петров Пётр Петрович", "500100732259", "Клиенты 1С", "+7 913 555-66-77", "Нет", "Да", "Нет", "Нет", ""],
    ["АО «Вектор»", "0274012345", "Прочие клиенты", "", "Нет", "Нет", "Нет", "Нет", ""],
    ["ООО «Берёза»", "7702345678", "Клиенты 1С", "+7 495 123-45-67", "Да", "Да", "Нет", "Да", "28.11.2026 12:00:00"],
]
STATS_TITLE = ["Статистика использования 1С-Коннект (по клиентам)", "Период: Ноябрь 2026 г.",
               "Тип клиентов: Все клиенты", ""]
LOG_HEADER = ["Дата и время", "Клиент", "ИНН", "Вид коммуникации", "Специалист"]


@dataclass(frozen=True)
class Case:
    """One corpus file and what reading it must show."""

    file: str
    what: str
    #: the problem code reading it gives (the error's, or the notes'); tests assert codes, not wording
    code: str | None
    #: "error" — the file is refused; "notes" — read, some rows listed; "ok" — read as it is
    outcome: str = "error"


CASES: tuple[Case, ...] = (
    Case("empty.csv", "an empty file", "file-empty"),
    Case("empty.xlsx", "an empty file named .xlsx", "file-empty"),
    Case("text_named.xlsx", "a text file named .xlsx", "no-header-renamed"),
    Case("image_named.csv", "a PNG named .csv", "file-image"),
    Case("image_named.xlsx", "a PNG named .xlsx", "file-image"),
    Case("truncated.xlsx", "the first half of a real .xlsx", "file-damaged"),
    Case("password.xlsx", f"a real encrypted OOXML workbook (password «{PASSWORD}»)", "file-password"),
    Case("html_named.xls", "an HTML table saved as .xls (as 1C and web cabinets do)", "file-html"),
    Case("zip_bomb.xlsx", "an .xlsx whose directory declares a 4 GB sheet", "zip-bomb"),
    Case("header_only.xlsx", "the header and no data rows", "header-only"),
    Case("unknown_columns.csv", "columns of no known export («Дата», «Товар», «Сумма»)", "unknown-columns"),
    Case("no_period.csv", "per-client statistics without «Период» (error when no month is chosen)", None,
         outcome="no_month"),
    Case("bad_flags.csv", "a flag column holding «может быть» and «?»", "flag-invalid", outcome="notes"),
    Case("bad_dates_log.csv", "a log with unreadable dates: those rows are skipped", "date-invalid",
         outcome="notes"),
    Case("bad_dates_all.csv", "a log where no date can be read: nothing is left", "no-rows-read"),
    Case("many_rows.csv", "40 clients, for a test limit of 10 rows (KPI_MAX_ROWS=10)", "too-many-rows",
         outcome="too_many_rows"),
    Case("utf16.csv", "Excel's «Unicode text»: UTF-16LE with BOM, tab-separated", None, outcome="ok"),
    Case("old_binary.xls", "an Excel 97-2003 binary workbook (BIFF8, written by xlwt)", None, outcome="ok"),
)

#: The limit ``many_rows.csv`` is tested with.
MANY_ROWS_LIMIT = 10


# --- writers -----------------------------------------------------------------------------------------

def csv_text(rows: Sequence[Sequence[object]], sep: str = ";", title: Sequence[str] = ()) -> str:
    """Rows as Russian Excel saves a CSV (CRLF, quotes where needed)."""
    def cell(v: object) -> str:
        text = "" if v is None else str(v)
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in (sep, "\n", "\r", '"')) else text

    return "\r\n".join([*title, *(sep.join(cell(v) for v in r) for r in rows)]) + "\r\n"


def _zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip with fixed timestamps, so the corpus is reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def _col(i: int) -> str:
    return get_column_letter(i + 1)  # 0 → A


def xlsx_parts(rows: Sequence[Sequence[object]], sheet: str = "Отчет") -> dict[str, bytes]:
    """The parts of a minimal .xlsx as Excel writes it (shared strings, one sheet); texts are never formulas."""
    strings: dict[str, int] = {}
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{_col(c)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                idx = strings.setdefault(str(v), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{idx}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sst = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": (
            decl + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode(),
        "_rels/.rels": (
            decl + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>').encode(),
        "xl/workbook.xml": (
            decl + f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            decl + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>').encode(),
        "xl/worksheets/sheet1.xml": (decl + f'<worksheet {ns}><sheetData>{"".join(xml_rows)}</sheetData>'
                                     '</worksheet>').encode(),
        "xl/sharedStrings.xml": (decl + f'<sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
                                 ).encode(),
    }


def xlsx(rows: Sequence[Sequence[object]], sheet: str = "Отчет") -> bytes:
    return _zip(xlsx_parts(rows, sheet))


def png() -> bytes:
    """A real 2×2 PNG (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def encrypted_xlsx(plain: bytes, password: str = PASSWORD) -> bytes:
    """A real password-protected workbook: ECMA-376 agile encryption in an OLE container (msoffcrypto-tool).

    The salt and key come from a seeded generator instead of ``secrets`` so the file is reproducible; it
    is still a valid encrypted workbook that opens with the password (checked here by decrypting it).
    msoffcrypto-tool 6.1 writes a package under 4096 bytes (one segment) that cannot be decrypted, so
    ``plain`` must be larger than that.
    """
    from datetime import datetime

    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    class _Fixed(datetime):  # the OLE directory's creation time, otherwise "now"
        @classmethod
        def now(cls, tz: object = None) -> _Fixed:
            return cls(*_DATE)

    rng = random.Random(5)
    saved = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = lambda n: bytes(rng.getrandbits(8) for _ in range(n))
    ecma376_encrypted.datetime = _Fixed
    try:
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    finally:
        ecma376_agile._random_buffer, ecma376_encrypted.datetime = saved
    check = msoffcrypto.OfficeFile(io.BytesIO(out.getvalue()))  # prove it opens with the password
    check.load_key(password=password)
    back = io.BytesIO()
    check.decrypt(back)
    assert back.getvalue() == plain
    return out.getvalue()


def binary_xls(rows: Sequence[Sequence[object]], sheet: str = "Отчет") -> bytes:
    """An Excel 97-2003 workbook (BIFF8 in OLE), as old 1C versions and old Excel save it (xlwt)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v not in (None, ""):
                ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def declared_bomb(declared: int = 0xFFFF_FFFE) -> bytes:
    """A valid small .xlsx whose sheet's declared uncompressed size is ``declared`` bytes (4 GB by default).

    The archive's directory and the sheet's local header both say so; the data itself is a normal sheet.
    A reader that trusts the directory (as a size check must, to refuse before inflating) sees gigabytes.
    """
    data = bytearray(xlsx([STATS_HEADER, *STATS_ROWS]))
    _patch_size(data, "xl/worksheets/sheet1.xml", declared)
    return bytes(data)


def zip64_bomb(declared: int = 6 * 2**30) -> bytes:
    """Like ``declared_bomb`` but past 4 GB, with the ZIP64 fields a real multi-GB sheet has."""
    buf = io.BytesIO()
    parts = xlsx_parts([STATS_HEADER, *STATS_ROWS])
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name == "xl/worksheets/sheet1.xml":
                info.file_size = declared  # force_zip64 reserves the ZIP64 fields; we then state the lie
                with zf.open(info, "w", force_zip64=True) as part:
                    part.write(body)
                zf.filelist[-1].file_size = declared  # the central directory written on close
            else:
                zf.writestr(info, body)
    return buf.getvalue()


def inflating_bomb(real: int, declared: int | None = None) -> bytes:
    """An .xlsx whose sheet really inflates to ``real`` bytes (spaces inside ``<sheetData>``).

    Written with a streaming compressor, so building 64 MB costs ~0.2 s and little memory. With
    ``declared`` the archive understates the size: the reader must not trust it blindly.
    """
    parts = xlsx_parts([STATS_HEADER, *STATS_ROWS])
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    head, tail = sheet.split("<sheetData>")
    head, tail = (head + "<sheetData>").encode(), tail.encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    chunks = [comp.compress(head)]
    block = b" " * (1 << 20)
    left = real - len(head) - len(tail)
    while left > 0:
        piece = block[: min(left, len(block))]
        crc = zlib.crc32(piece, crc)
        chunks.append(comp.compress(piece))
        left -= len(piece)
    crc = zlib.crc32(tail, crc)
    chunks += [comp.compress(tail), comp.flush()]
    compressed = b"".join(chunks)
    del parts["xl/worksheets/sheet1.xml"]
    return _append_raw_member(_zip(parts), "xl/worksheets/sheet1.xml", compressed, crc,
                              real if declared is None else declared)


def _append_raw_member(archive: bytes, name: str, compressed: bytes, crc: int, declared: int) -> bytes:
    """Add a member whose deflate stream is already built, stating ``declared`` as its size."""
    src = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    entries = []
    for info in src.infolist():
        offset = out.tell()
        raw = archive[info.header_offset: info.header_offset + 30 + len(info.filename.encode())
                      + struct.unpack_from("<H", archive, info.header_offset + 28)[0] + info.compress_size]
        out.write(raw)
        entries.append((info.filename.encode(), info.CRC, info.compress_size, info.file_size, offset))
    offset = out.tell()
    fname = name.encode()
    out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(compressed), declared, len(fname), 0))
    out.write(fname + compressed)
    entries.append((fname, crc, len(compressed), declared, offset))
    cd_start = out.tell()
    for fn, c, csize, usize, off in entries:
        out.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, c, csize, usize, len(fn), 0, 0, 0,
                              0, 0, off))
        out.write(fn)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), cd_size, cd_start, 0))
    return out.getvalue()


def _patch_size(data: bytearray, member: str, declared: int) -> None:
    """Overwrite ``member``'s uncompressed size in its local header and in the central directory."""
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46: pos + 46 + nlen]) == member.encode():
            struct.pack_into("<I", data, pos + 24, declared)
        pos = data.find(b"PK\x01\x02", pos + 4)


def many_members_zip(members: int, claimed: int | None = None) -> bytes:
    """An archive with a workbook part and ``members`` empty files: cheap to build, costly to list.

    Written by hand (``zipfile`` takes seconds for 100 000 members). With ``claimed`` the end record
    states that many members instead, as a crafted file would to slip past a count check.
    """
    local, central = io.BytesIO(), io.BytesIO()
    names = [b"xl/workbook.xml", *(str(i).encode() for i in range(members))]
    for i, fn in enumerate(names):
        body = b"<workbook/>" if i == 0 else b""
        crc = zlib.crc32(body)
        offset = local.tell()
        local.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(body), len(body), len(fn), 0))
        local.write(fn + body)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(body), len(body),
                                  len(fn), 0, 0, 0, 0, 0, offset))
        central.write(fn)
    count = min(len(names) if claimed is None else claimed, 0xFFFF)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, central.tell(), local.tell(), 0)
    return local.getvalue() + central.getvalue() + end


def long_cell_csv(chars: int = 50 * 2**20) -> bytes:
    """A per-client export whose second client's name is one ``chars``-long cell (50 MB by default)."""
    rows = [STATS_HEADER, STATS_ROWS[0], ["x" * chars, *STATS_ROWS[1][1:]], *STATS_ROWS[2:]]
    return csv_text(rows, title=STATS_TITLE).encode("utf-8")


def long_cell_xlsx(chars: int = 50 * 2**20) -> bytes:
    """The same as ``long_cell_csv`` as a workbook (the cell lives in the shared-strings part)."""
    rows = [*([t] for t in STATS_TITLE), STATS_HEADER, STATS_ROWS[0], ["x" * chars, *STATS_ROWS[1][1:]],
            *STATS_ROWS[2:]]
    return xlsx(rows)


# --- the corpus --------------------------------------------------------------------------------------

def corpus_files() -> dict[str, bytes]:
    """Every committed corpus file by name."""
    stats = [*([t] for t in STATS_TITLE), STATS_HEADER, *STATS_ROWS]
    good_xlsx = xlsx(stats)
    filler = [[f"ООО «Клиент {i}»", f"77{i:08d}", "Клиенты 1С", "", "Нет", "Нет", "Нет", "Нет", ""] for i in range(60)]
    bad_flags = [STATS_HEADER, STATS_ROWS[0],
                 ["ООО «Липа»", "7703456789", "Клиенты 1С", "", "может быть", "Нет", "Нет", "Нет", ""],
                 STATS_ROWS[1],
                 ["ООО «Клён»", "7704567890", "Клиенты 1С", "", "Нет", "?", "Нет", "Нет", ""],
                 *STATS_ROWS[2:]]
    log = [LOG_HEADER,
           ["02.11.2026 10:15:00", "ООО «Ромашка»", "7701234567", "Чат", "Иванова"],
           ["вчера вечером", "ИП Петров Пётр Петрович", "500100732259", "Звонок", "Иванова"],
           ["2026-11-05T09:00:00+03:00", "ООО «Берёза»", "7702345678", "Удаленное подключение", "Сидоров"],
           ["31.02.2026 10:00:00", "АО «Вектор»", "0274012345", "Чат", "Сидоров"],
           ["45000,5", "ООО «Берёза»", "7702345678", "Звонок", "Сидоров"]]
    all_bad = [LOG_HEADER, ["неизвестно", "ООО «Ромашка»", "7701234567", "Чат", ""],
               ["32.13.2026", "АО «Вектор»", "0274012345", "Чат", ""]]
    many = [["Клиент", "ИНН", "Тип клиента"], *[[f"ООО «Клиент {i}»", f"77{i:08d}", "Клиенты 1С"] for i in range(40)]]
    html = ("<html><head><meta charset=\"utf-8\"></head><body><table><tr><td>Клиент</td><td>ИНН</td></tr>"
            "<tr><td>ООО «Ромашка»</td><td>7701234567</td></tr></table></body></html>\r\n")
    return {
        "empty.csv": b"",
        "empty.xlsx": b"",
        "text_named.xlsx": "Отчёт будет готов завтра.\r\nЭто просто текст, а не таблица.\r\n".encode("cp1251"),
        "image_named.csv": png(),
        "image_named.xlsx": png(),
        "truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "password.xlsx": encrypted_xlsx(xlsx([*stats, *filler])),
        "html_named.xls": html.encode("utf-8"),
        "zip_bomb.xlsx": declared_bomb(),
        "header_only.xlsx": xlsx([*([t] for t in STATS_TITLE), STATS_HEADER]),
        "unknown_columns.csv": csv_text([["Дата", "Товар", "Сумма"], ["01.11.2026", "Яблоко", "10"]]).encode("cp1251"),
        "no_period.csv": csv_text([STATS_HEADER, *STATS_ROWS]).encode("cp1251"),
        "bad_flags.csv": csv_text(bad_flags, title=STATS_TITLE).encode("cp1251"),
        "bad_dates_log.csv": csv_text(log).encode("utf-8-sig"),
        "bad_dates_all.csv": csv_text(all_bad).encode("utf-8-sig"),
        "many_rows.csv": csv_text(many).encode("cp1251"),
        "utf16.csv": csv_text([STATS_HEADER, *STATS_ROWS], sep="\t", title=STATS_TITLE).encode("utf-16"),
        "old_binary.xls": binary_xls(stats),
    }


def main(argv: list[str] | None = None) -> int:
    files = corpus_files()
    assert set(files) == {c.file for c in CASES}, set(files) ^ {c.file for c in CASES}
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        if old.is_file() and old.name not in files and old.name != "README.md":
            old.unlink()
    for name, data in files.items():
        (CORPUS / name).write_bytes(data)
    lines = ["# Bad-input corpus (generated by `python -m tests.make_corpus`; do not edit by hand)", "",
             "| file | case | expected |", "| --- | --- | --- |"]
    lines += [f"| `{c.file}` | {c.what} | {c.outcome} |" for c in CASES]
    lines += ["", "Built at test time instead (too big to commit): a 50 MB single cell (CSV and .xlsx), a ZIP64",
              "archive declaring a 6 GB sheet, one that really inflates past a lowered limit, one that understates",
              "its size, and archives with 200 000 members (one whose end record claims 1)."]
    (CORPUS / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(len(d) for d in files.values())
    print(f"{len(files)} files, {total} bytes in {CORPUS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
