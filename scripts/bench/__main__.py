"""``python -m scripts.bench``: run the dashboard benchmark (see :mod:`scripts.bench.cli`)."""

import sys

from scripts.bench.cli import main

sys.exit(main())
