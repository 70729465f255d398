"""Benchmark of the network metrics (core/metrics.py): first computation and cached repeat, per
dataset and filter state, in-process (no browser: the metrics are server-side computation).

What "first" measures is what a visitor waits for when choosing a ranking: the app has loaded the
dataset and warmed it at start-up (``app.warm_up``: the codes of ``core.codes``, and the places
outside the region through the markers' hovers), and the filter state's selection is already
cached (the map and network drew it). So these are made before the clock starts and timed apart,
on their own line; "first" is :func:`core.metrics.network_metrics` alone, uncached, and for the
first state of a dataset includes the metrics' own per-dataset part (the links' ends on integer
positions), which no start-up warms.

Usage: ``python -m scripts.bench.metrics [DIR ...]`` (default: the shipped dataset). For the
100k figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory. Prints one line per dataset and state.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core import codes, metrics
from core.outside import outside_places
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
        started = time.perf_counter()
        codes.warm(dataset)
        outside_places(dataset)
        warm = time.perf_counter() - started
        print(f"{directory.name}: start-up warm-up the metrics read (codes, outside places): {warm * 1000:,.0f} ms")
        for name, state in STATES.items():
            started = time.perf_counter()
            selection = select(dataset, state)
            selected = time.perf_counter() - started
            started = time.perf_counter()
            result = metrics.network_metrics(dataset, selection)
            first = time.perf_counter() - started
            started = time.perf_counter()
            metrics.network_metrics(dataset, selection)
            again = time.perf_counter() - started
            linked = int((result.frame["degree"] > 0).sum())
            print(
                f"{directory.name}: {name}: {len(result.frame):,} nodes ({linked:,} linked), {len(selection.links):,} "
                f"links; selection (cached beforehand) {selected * 1000:,.0f} ms; metrics first "
                f"{first * 1000:,.0f} ms, cached {again * 1000:.2f} ms"
                + (" (betweenness estimated)" if result.approximate else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
