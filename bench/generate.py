"""Write large benchmark inputs to ``bench/data/`` (git-ignored) with the sample generator.

    python bench/generate.py --sizes 10000 100000 1000000 --out bench/data

For each size N it writes ``connect_clients_{N}.xlsx`` and ``.csv``, ``connect_log_{N}.csv`` (10 log
rows a client), ``buhfon_{N}.xlsx`` and ``.csv``; the CSV files are cp1251 with «;» like a Windows export.
Files that already exist are kept unless ``--force``. The world is only built when something is missing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_data.make_samples import (  # noqa: E402
    World,
    build_world,
    write_buhfon_csv,
    write_buhfon_xlsx,
    write_connect_clients_csv,
    write_connect_clients_xlsx,
    write_log_csv,
)

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
LOG_ROWS_PER_CLIENT = 10
SEED = 12345


def _write_log(world: World, path: Path) -> None:
    write_log_csv(world, path, encoding="cp1251", lineterminator="\r\n")


#: File name pattern and writer of each benchmark input.
WRITERS: tuple[tuple[str, Callable[[World, Path], None]], ...] = (
    ("connect_clients_{n}.xlsx", write_connect_clients_xlsx),
    ("connect_clients_{n}.csv", write_connect_clients_csv),
    ("connect_log_{n}.csv", _write_log),
    ("buhfon_{n}.xlsx", write_buhfon_xlsx),
    ("buhfon_{n}.csv", write_buhfon_csv),
)


def generate(sizes: Sequence[int], out: Path, *, force: bool = False, seed: int = SEED,
             only: Sequence[str] = ()) -> list[Path]:
    """Write the inputs for each size; return the paths written (existing ones skipped).

    ``only`` keeps the inputs whose name starts with one of its entries (``connect_log``,
    ``connect_clients_{n}.csv`` …): the 1 M-client workbooks take many minutes and are not always needed.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n in sizes:
        todo = [(out / pattern.format(n=n), writer) for pattern, writer in WRITERS
                if not only or any(pattern.format(n=n).startswith(o.format(n=n)) for o in only)]
        if not force:
            for path, _ in todo:
                if path.exists():
                    print(f"skip  {path} (exists; --force to rewrite)")
            todo = [(path, writer) for path, writer in todo if not path.exists()]
        if not todo:
            continue
        start = time.perf_counter()
        world = build_world(n, seed, log_rows_per_client=LOG_ROWS_PER_CLIENT)
        print(f"built {n:,} clients, {len(world.log):,} log rows, {len(world.buhfon):,} 1С-Бухфон users "
              f"in {time.perf_counter() - start:.1f} s")
        for path, writer in todo:
            start = time.perf_counter()
            writer(world, path)
            size_mb = path.stat().st_size / 1e6
            print(f"wrote {path} ({size_mb:.1f} MB) in {time.perf_counter() - start:.1f} s")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate large 1С-Коннект / 1С-Бухфон exports for benchmarks.")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="numbers of clients (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data", help="output folder")
    parser.add_argument("--force", action="store_true", help="rewrite files that already exist")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: %(default)s)")
    parser.add_argument("--only", nargs="+", default=[], metavar="PREFIX",
                        help="only the inputs whose file name starts so, e.g. connect_log connect_clients_{n}.csv")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes):
        parser.error("sizes must be positive")
    start = time.perf_counter()
    written = generate(args.sizes, args.out, force=args.force, seed=args.seed, only=args.only)
    print(f"done: {len(written)} file(s) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
