"""Entry point for ``python -m kpi``."""

import sys

from kpi.cli import main, reuse_freed_memory

reuse_freed_memory()  # before any large allocation
sys.exit(main())
