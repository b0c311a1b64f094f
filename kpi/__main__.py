"""Entry point for ``python -m kpi``."""

from kpi.cli import finish, main, reuse_freed_memory

reuse_freed_memory()  # before any large allocation
finish(main())
