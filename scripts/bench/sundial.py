"""Benchmark of the sundial (core/sundial.py) and its figure and coherence table
(layers/sundial_figure.py, components/sundial_panel.py): first computation and cached repeat, per
dataset and filter state, in-process (no browser: server-side computation and building).

Usage: ``python -m scripts.bench.sundial [DIR ...]`` (default: the shipped dataset). For the 100k
figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory.

The first state of a dataset is measured cold, in a fresh process: it also pays for what the sundial
shares per dataset with the other views (the coded list columns, the node space of links), which the
app makes at start-up (``app.warm_up``). The dataset is then read again, warmed as the app warms it,
and the first state measured once more ("after warm-up"): a visitor's first sundial. Says so when a
dataset has no sundial values at all (the view is then empty).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from components.sundial_panel import coherence_table
from core import codes, lookup
from core.selection import node_space, select
from core.state import ViewState
from core.sundial import compute_sundial, sundial
from data import DEFAULT_DATA_DIR, Dataset, read_dataset
from layers.sundial_figure import sundial_figure

STATES = {
    "everything": ViewState(),
    "Bologna's province": ViewState(prov=("IT-BO",)),
    "start-ups, partner agreements and memberships": ViewState(
        kind=("startup",), link=("partner_agreement", "network_membership")
    ),
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def _measure(dataset: Dataset, label: str, state: ViewState) -> None:
    selection = select(dataset, state)  # the selection is the views' shared work, not measured here
    started = time.perf_counter()
    dial = sundial(dataset, selection)
    first = time.perf_counter() - started
    started = time.perf_counter()
    sundial(dataset, selection)
    again = time.perf_counter() - started
    started = time.perf_counter()
    compute_sundial(dataset, selection)  # uncached, with the per-dataset parts made: a filter change
    recompute = time.perf_counter() - started
    started = time.perf_counter()
    sundial_figure(dataset, dial, "en")
    figure = time.perf_counter() - started
    started = time.perf_counter()
    coherence_table(dataset, dial, "en")
    table = time.perf_counter() - started
    served = sum(len(i.actors) for i in dial.items)
    complete = sum(1 for c in dial.coherence if c.complete)
    print(
        f"{label}: {len(dial.items)} items, {served:,} (item, actor) pairs, {complete}/{len(dial.coherence)} "
        f"value chains served by all four; first {_ms(first)}, cached {_ms(again)}, recomputed {_ms(recompute)}; "
        f"figure {_ms(figure)}, table {_ms(table)}"
    )


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        dataset = read_dataset(directory)
        tagged = int(dataset.groupings["sundial"].map(len).gt(0).sum()) if "sundial" in dataset.groupings else 0
        if not tagged and "sundial" not in dataset.actors:
            print(f"{directory.name}: no record has sundial dimensions: the view is empty (timings below still hold)")
        for state_name, state in STATES.items():
            _measure(dataset, f"{directory.name}: {state_name}" + (" (cold)" if state == ViewState() else ""), state)
        warmed = read_dataset(directory)  # a new dataset object: none of the caches above apply to it
        codes.warm(warmed)
        lookup.warm(warmed)
        node_space(warmed)
        _measure(warmed, f"{directory.name}: everything, after the app's warm-up", ViewState())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
