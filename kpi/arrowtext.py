"""The bytes of an Arrow text column, for the few vectorised shortcuts that read them directly.

A pandas ``str`` column keeps its cells in Arrow arrays: one buffer of UTF-8 bytes and one of offsets per
chunk. ``kpi.read.values`` (clean-text test, first bytes, the usual date shapes) and ``kpi.write.export``
(CSV fields) look at those bytes with numpy instead of making a Python string per cell. This module is the
one place that knows the layout (32- or 64-bit offsets, a chunk's own offset into shared buffers, missing
cells); each shortcut beside it is compared with its plain pandas reference by the property tests in
``tests/kpi/read/test_fast_paths.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

_NO_BYTES = np.zeros(0, dtype=np.uint8)


@dataclass(frozen=True)
class Cells:
    """One Arrow chunk's text cells as numpy arrays."""

    #: Where each cell's bytes start in ``raw``.
    starts: np.ndarray
    #: Each cell's length in bytes; 0 for a missing cell.
    lengths: np.ndarray
    #: Which cells are present; None when none is missing.
    valid: np.ndarray | None
    #: The chunk's data buffer (shared with its neighbours: index it with ``starts``).
    raw: np.ndarray

    @property
    def ends(self) -> np.ndarray:
        return self.starts + self.lengths


def chunks(values: pd.Series | pd.api.extensions.ExtensionArray | pa.Array | pa.ChunkedArray) -> list[pa.Array] | None:
    """The Arrow chunks of a text column (``str`` Series or array, or Arrow itself); None when it is not
    Arrow text (an object column, numbers)."""
    if isinstance(values, pd.Series):
        values = values.array
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        if not isinstance(getattr(values, "dtype", None), pd.StringDtype) or not hasattr(values, "__arrow_array__"):
            return None
        values = values.__arrow_array__()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def cells(chunk: pa.Array) -> Cells:
    """The cells of one Arrow ``string``/``large_string`` chunk."""
    _validity, offsets_buf, data_buf = chunk.buffers()
    n = len(chunk)
    if offsets_buf is None or n == 0:
        empty = np.zeros(n, dtype=np.int64)
        return Cells(empty, empty.copy(), None, _NO_BYTES)
    wide = pa.types.is_large_string(chunk.type)
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)
    offsets = offsets[chunk.offset:chunk.offset + n + 1].astype(np.int64)
    lengths = np.diff(offsets)
    valid = None
    if chunk.null_count:
        valid = np.asarray(chunk.is_valid())
        lengths[~valid] = 0
    raw = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else _NO_BYTES
    return Cells(offsets[:-1], lengths, valid, raw)
