"""Benchmark of the network metrics (core/metrics.py): first computation and cached repeat, per
dataset and filter state, in-process (no browser: the metrics are server-side computation).

Usage: ``python -m scripts.bench.metrics [DIR ...]`` (default: the shipped dataset). For the
100k figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory. Prints one line per dataset and state.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core import metrics
from core.selection import select
from core.state import ViewState
from data import DEFAULT_DATA_DIR, read_dataset

STATES = {
    "everything": ViewState(),
    "world, partner agreements and memberships": ViewState(
        scope="world", link=("partner_agreement", "network_membership")
    ),
}


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        dataset = read_dataset(directory)
        for name, state in STATES.items():
            selection = select(dataset, state)
            started = time.perf_counter()
            result = metrics.network_metrics(dataset, selection)
            first = time.perf_counter() - started
            started = time.perf_counter()
            metrics.network_metrics(dataset, selection)
            again = time.perf_counter() - started
            linked = int((result.frame["degree"] > 0).sum())
            print(
                f"{directory.name}: {name}: {len(result.frame):,} nodes ({linked:,} linked), {len(selection.links):,} "
                f"links; first {first * 1000:,.0f} ms, cached {again * 1000:.2f} ms"
                + (" (betweenness estimated)" if result.approximate else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
