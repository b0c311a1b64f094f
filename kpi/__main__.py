"""Entry point for ``python -m kpi``."""

import ctypes
import sys


def _reuse_freed_memory() -> None:
    """Let glibc's malloc hand freed memory to the next array instead of returning it to the kernel.

    By default every block over the mmap threshold (128 KiB, rising to 32 MiB) is a fresh ``mmap`` and its
    ``munmap`` on free: the next array of a million rows faults in and zeroes every page again. A run of the
    CLI makes hundreds of such arrays, one after another; on the 1 M-row per-client export that was 1.5–2 s of
    kernel time out of ~6 s (bench/NOTES.md). Large blocks from the heap and a high trim threshold keep the
    pages: the same peak memory, a fraction of the kernel time. Only this process (the CLI) is tuned; on a
    system without glibc nothing changes.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(-4, 0)  # M_MMAP_MAX: no block gets its own mmap
    mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GiB of freed memory at the heap's top


_reuse_freed_memory()

from kpi.cli import main  # noqa: E402  (after the allocator is set, before any large allocation)

sys.exit(main())
