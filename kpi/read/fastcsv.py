"""The fast path for reading a plain CSV export: pyarrow's multi-threaded parser, same table as pandas' C parser.

``kpi.read.ingest`` finds the encoding, the separator and the header row; for the common file — the header on one
line without quotes, unique non-empty column names, every data row as wide as the header — this module
parses the data rows with ``pyarrow.csv`` and returns exactly the frame ``pandas.read_csv(..., dtype="str",
keep_default_na=False, na_values=[""], skip_blank_lines=False)`` gives: the same column names, a ``str``
column each, empty cells as missing values. Anything else (a ragged row, a blank line, a quote in the header,
a byte that is not UTF-8 in a UTF-8 file) returns ``None`` and the C parser reads the file as before, so
every message and note it leads to stays the same.

Why: pandas' C parser with ``dtype="str"`` needed ~10 s for a million-row cp1251 export here (3 s even
with type inference), pyarrow's reader ~1 s. Cyrillic cp1251 text is not decoded by pyarrow (its Python
transcoding stream is slower than pandas): the rows are split as bytes — the separator, quotes and line
breaks are ASCII in cp1251 — and each column is then decoded once: a column of ASCII bytes (dates,
ИНН, phones) is UTF-8 as it stands, a Cyrillic one is decoded as one block with offsets recomputed by
a byte-length table, so no Python object is made per cell.
"""

from __future__ import annotations

import codecs
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kpi.read.values import remember_codes

#: Encodings the fast path reads: the two a Windows export comes in (UTF-16 goes to the C parser).
_SINGLE_BYTE = ("cp1251",)
_UTF8 = ("utf-8-sig",)
_HEAD_BYTES = 1 << 20
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
#: A Cyrillic column is hashed (each distinct value decoded once) when its first block has at most this
#: share of distinct values; hashing millions of cells with many distinct values costs more than decoding.
_DICT_SHARE = 0.05
#: pyarrow parses blocks of this size on its threads.
_BLOCK_BYTES = 1 << 23


def read_plain_csv(data: bytes, encoding: str, sep: str, skip: int, width: int, max_rows: int) -> pd.DataFrame | None:
    """The data rows below the header line ``skip`` (0-based physical line), or None when not a plain file.

    At most ``max_rows + 1`` rows are returned, as with ``nrows`` in ``read_csv``: the caller refuses the
    file when there are more than ``max_rows``.
    """
    if encoding not in _SINGLE_BYTE + _UTF8 or width < 1:
        return None
    located = _header_line(data, skip)
    if located is None:
        return None
    header, body_start = located
    errors = "replace" if encoding in _SINGLE_BYTE else "strict"
    try:
        names = header.decode(encoding, errors).split(sep)
    except UnicodeDecodeError:
        return None
    if len(names) != width or any(not n for n in names) or len(set(names)) != len(names):
        return None  # the C parser would name them «Unnamed: N» or «X.1»: leave those files to it
    quoted = data.find(b'"', body_start) >= 0
    dummy = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[body_start:]),
            read_options=pacsv.ReadOptions(column_names=dummy, block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(dummy, pa.large_binary()),
                                                 check_utf8=False,
                                                 strings_can_be_null=True, null_values=[""],
                                                 quoted_strings_can_be_null=True))
    except (pa.ArrowException, ValueError):  # a ragged row or a blank line: the C parser decides
        return None
    if table.num_rows > max_rows + 1:
        table = table.slice(0, max_rows + 1)
    columns: dict[str, pd.api.extensions.ExtensionArray] = {}
    for name, column in zip(names, table.columns, strict=True):
        decoded = _as_utf8(column, encoding)
        if decoded is None:
            return None
        text, coded = decoded
        columns[name] = pd.array(text, dtype="str")
        if coded is not None:  # the reader hashed the column already: later steps reuse its codes
            remember_codes(columns[name], *coded)
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)


def _header_line(data: bytes, skip: int) -> tuple[bytes, int] | None:
    """The header line's bytes and where the data starts, when the lines above it and it hold no quote."""
    head = data[:_HEAD_BYTES]
    start = 0
    breaks = _LINE_BREAK.finditer(head)
    for _ in range(skip):
        m = next(breaks, None)
        if m is None:
            return None
        start = m.end()
    m = next(breaks, None)
    if m is None:
        return None
    if b'"' in head[:m.end()]:
        return None
    return head[start:m.start()], m.end()


def _as_utf8(column: pa.ChunkedArray, encoding: str) -> tuple[pa.ChunkedArray, tuple | None] | None:
    """A binary column as UTF-8 text (``large_string``, as pandas keeps it) and, when it was hashed on the
    way, its codes (-1 where missing) and distinct values; None when a UTF-8 file holds invalid bytes."""
    if encoding in _UTF8:
        try:
            return column.cast(pa.large_string()), None  # validates
        except pa.ArrowInvalid:
            return None
    if all(_is_ascii(chunk) for chunk in column.chunks):  # ASCII is UTF-8 as it stands
        return pa.chunked_array([c.view(pa.large_string()) for c in column.chunks], type=pa.large_string()), None
    sample = column.chunk(0)
    if _DICT_SHARE * len(sample) < pc.count_distinct(sample).as_py():
        # many distinct values (names, client codes): decoding every cell in one block beats hashing them
        return pa.chunked_array([_decode_chunk(c, encoding) for c in column.chunks], type=pa.large_string()), None
    # few distinct values (channels, people, «Да»/«Нет», client types): decode each once, keep the codes
    coded = column.dictionary_encode()  # one dictionary for all chunks
    if not coded.num_chunks:
        return pa.chunked_array([], type=pa.large_string()), None
    words = _decode_chunk(coded.chunk(0).dictionary, encoding)
    text = pa.chunked_array([words.take(chunk.indices) for chunk in coded.chunks], type=pa.large_string())
    codes = np.concatenate([pc.fill_null(chunk.indices, -1).to_numpy() for chunk in coded.chunks])
    return text, (codes, pd.Series(pd.array(pa.chunked_array([words]), dtype="str")))


def _is_ascii(chunk: pa.Array) -> bool:
    raw = _raw_bytes(chunk)[1]
    return not len(raw) or int(raw.max()) < 0x80


def _raw_bytes(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The chunk's offsets (from 0) and the bytes they index."""
    offsets_buf, data_buf = chunk.buffers()[1:3]
    wide = pa.types.is_large_binary(chunk.type) or pa.types.is_large_string(chunk.type)
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)
    offsets = offsets[chunk.offset:chunk.offset + len(chunk) + 1].astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    raw = np.frombuffer(data_buf, dtype=np.uint8)[first:last] if data_buf is not None else np.zeros(0, np.uint8)
    return offsets - first, raw


def _decode_chunk(chunk: pa.Array, encoding: str) -> pa.Array:
    """Decode single-byte-encoded cells to UTF-8 ``large_string`` without a Python object per cell."""
    if len(chunk) == 0:
        return pa.array([], type=pa.large_string())
    offsets, raw = _raw_bytes(chunk)
    validity = chunk.is_valid().buffers()[1] if chunk.null_count else None
    if not len(raw) or int(raw.max()) < 0x80:
        text, new_offsets = bytes(raw), offsets
    else:
        text = codecs.decode(raw, encoding, "replace").encode("utf-8")
        # Bytes each cell gains in UTF-8: one per non-ASCII byte, two for the few that become three bytes
        # (№, €, …). Counted with compares, not a table lookup per byte (that was the slow part).
        table = _utf8_extra(encoding)
        present = np.flatnonzero(np.bincount(raw, minlength=256))
        marks = np.empty(len(raw) + 1, dtype=np.uint8)  # and a 0 after the last byte, for reduceat
        marks[-1] = 0
        np.greater_equal(raw, 0x80, out=marks[:-1].view(bool))
        for value in present[table[present] > 1]:
            marks[:-1] += (raw == value).view(np.uint8) * (int(table[value]) - 1)
        starts, lengths = offsets[:-1], np.diff(offsets)
        per_cell = np.add.reduceat(marks, starts, dtype=np.int64)
        per_cell[lengths == 0] = 0  # reduceat gives an empty cell the next cell's first byte
        new_offsets = np.empty(len(offsets), dtype=np.int64)
        new_offsets[0] = 0
        np.cumsum(lengths + per_cell, out=new_offsets[1:])
    return pa.Array.from_buffers(pa.large_string(), len(chunk), [validity, pa.py_buffer(new_offsets),
                                                                 pa.py_buffer(text)], null_count=chunk.null_count)


_EXTRA: dict[str, np.ndarray] = {}


def _utf8_extra(encoding: str) -> np.ndarray:
    """Per byte value: how many more bytes its character takes in UTF-8 (undefined bytes become U+FFFD)."""
    table = _EXTRA.get(encoding)
    if table is None:
        table = np.array([len(bytes([b]).decode(encoding, "replace").encode("utf-8")) - 1 for b in range(256)],
                         dtype=np.uint8)
        _EXTRA[encoding] = table
    return table
