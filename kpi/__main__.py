"""Entry point for ``python -m kpi``."""

import sys

from kpi.cli import main

sys.exit(main())
