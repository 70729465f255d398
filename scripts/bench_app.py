"""Kept so that ``python scripts/bench_app.py [options]`` still works: runs ``python -m scripts.bench``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.bench.cli import main

if __name__ == "__main__":
    sys.exit(main())
