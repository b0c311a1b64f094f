"""Limits that protect a shared server from one huge or hostile upload, in one place.

Each can be overridden by an environment variable of the same name (``KPI_MAX_ROWS=…``), so an office
with bigger exports raises a limit without touching code. ``.streamlit/config.toml`` carries the
browser-side upload limit (``server.maxUploadSize``); keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def env_int(name: str, default: int) -> int:
    """The whole number in environment variable ``name``, else ``default`` (unset, empty or not digits)."""
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip().isdigit() else default


@dataclass(frozen=True)
class Limits:
    """Upper bounds applied while reading one file."""

    #: Largest file accepted, in bytes (the browser refuses larger ones before sending, too).
    max_file_bytes: int = env_int("KPI_MAX_FILE_BYTES", 200 * 1024 * 1024)
    #: Most data rows read from one table; a larger file is refused with a message, not truncated.
    max_rows: int = env_int("KPI_MAX_ROWS", 2_000_000)
    #: Largest total uncompressed size declared inside an .xlsx archive (zip-bomb guard).
    max_unzipped_bytes: int = env_int("KPI_MAX_UNZIPPED_BYTES", 1536 * 1024 * 1024)
    #: Most members inside an .xlsx archive (a real workbook has dozens; millions would exhaust memory
    #: while the archive's directory is read, before any size check could run).
    max_zip_members: int = env_int("KPI_MAX_ZIP_MEMBERS", 10_000)
    #: Longest text kept in one cell (Excel's own limit); longer cells are cut and the row is reported.
    max_cell_chars: int = env_int("KPI_MAX_CELL_CHARS", 32_767)


LIMITS = Limits()
