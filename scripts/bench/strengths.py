"""Benchmark of the value-chain matrices (core/strengths.py) and their heatmaps
(layers/strengths_figure.py): first computation and cached repeat, per dataset and filter state,
in-process (no browser: server-side computation and figure building).

Usage: ``python -m scripts.bench.strengths [DIR ...]`` (default: the shipped dataset). For the 100k
figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory.

The first state of a dataset is measured cold, in a fresh process: it also pays for what the matrices
share per dataset with the other views (the coded columns, the id lookups, the actors outside the
region), which the app makes at start-up (``app.warm_up``). The dataset is then read again, warmed as
the app warms it, and the first state measured once more ("after warm-up"): a visitor's first
matrix. Later states show a filter change's cost. Prints one line per dataset, state and matrix.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core import codes, lookup, strengths
from core.outside import outside_places
from core.selection import select
from core.state import ViewState
from data import DEFAULT_DATA_DIR, Dataset, read_dataset
from layers.strengths_figure import abroad_figure, strength_figure

STATES = {
    "everything": ViewState(),
    "Bologna's province": ViewState(prov=("IT-BO",)),
    "start-ups, partner agreements and memberships": ViewState(
        kind=("startup",), link=("partner_agreement", "network_membership")
    ),
}
MATRICES = {
    "strengths": (strengths.strength_matrix, strength_figure),
    "abroad": (strengths.abroad_matrix, abroad_figure),
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def _measure(dataset: Dataset, label: str, state: ViewState) -> None:
    selection = select(dataset, state)  # the selection is the views' shared work, not measured here
    for name, (compute, draw) in MATRICES.items():
        started = time.perf_counter()
        matrix = compute(dataset, selection)
        first = time.perf_counter() - started
        started = time.perf_counter()
        compute(dataset, selection)
        again = time.perf_counter() - started
        started = time.perf_counter()
        draw(dataset, matrix, "en")
        figure = time.perf_counter() - started
        counted = int(matrix.totals[-1, -1])
        unit = "actors" if name == "strengths" else "links"
        print(
            f"{label}: {name}: {len(matrix.rows)} rows x {len(matrix.columns)} columns, {counted:,} {unit}; "
            f"first {_ms(first)}, cached {_ms(again)}; figure {_ms(figure)}"
        )


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        dataset = read_dataset(directory)
        for state_name, state in STATES.items():
            _measure(dataset, f"{directory.name}: {state_name}" + (" (cold)" if state == ViewState() else ""), state)
        warmed = read_dataset(directory)  # a new dataset object: none of the caches above apply to it
        codes.warm(warmed)
        lookup.warm(warmed)
        outside_places(warmed)
        _measure(warmed, f"{directory.name}: everything, after the app's warm-up", ViewState())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
