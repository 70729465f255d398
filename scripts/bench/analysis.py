"""Benchmark of the five analyses (issue 14), in-process: what a visitor waits for the first time
each is asked for a filter state, and then from the cache.

As in the app: the dataset is loaded and warmed as ``app.warm_up`` warms it (codes, the places
outside the region, the metrics' and the suggestions' per-dataset parts: timed apart, on their own
line), and the filter state's selection is already cached (the map and network drew it: also timed
apart). "First" is then each analysis alone, uncached; "cached" its repeat.

Usage: ``python -m scripts.bench.analysis [DIR ...]`` (default: the shipped dataset). For the 100k
figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory. Prints a Markdown table per dataset.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from core import codes, metrics
from core.compare import caption, change_table, compare_view
from core.outside import outside_places
from core.selection import select
from core.state import ViewState
from core.strengths import abroad_matrix, strength_matrix
from core.suggest import suggest_partners
from core.suggest_profiles import profiles
from core.sundial import sundial
from data import DEFAULT_DATA_DIR, Dataset, read_dataset


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.001 else f"{seconds * 1000:.2f} ms"


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _busiest_actor(dataset: Dataset) -> str:
    """The actor (not a start-up) with the most links: a suggestion's hardest ordinary case."""
    ends = dataset.links["source_id"].tolist() + dataset.links["target_id"].tolist()
    actors = dataset.actors.loc[dataset.actors["kind"] != "startup", "id"]
    counts = {a: 0 for a in actors}
    for end in ends:
        if end in counts:
            counts[end] += 1
    return max(sorted(counts), key=lambda a: counts[a])


def bench(directory: Path) -> list[str]:
    """The table rows for one dataset directory."""
    dataset = read_dataset(directory)
    warm = _timed(lambda: (codes.warm(dataset), outside_places(dataset), metrics.warm(dataset), profiles(dataset)))
    state = ViewState()
    selection = select(dataset, state)
    years = (2015, 2024)
    compared = ViewState(compare=years)
    selected = _timed(lambda: select(dataset, compared))  # the comparison's own selection, drawn by the views
    cluster = str(dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"].iloc[0])
    actor = _busiest_actor(dataset)
    analyses: dict[str, Callable[[], object]] = {
        "network metrics (degree, betweenness, bridging)": lambda: metrics.network_metrics(dataset, selection),
        "value-chain strengths (by province)": lambda: strength_matrix(dataset, selection),
        "value chains linked abroad": lambda: abroad_matrix(dataset, selection),
        "sundial and coherence": lambda: sundial(dataset, selection),
        f"suggested partners of {actor}": lambda: suggest_partners(dataset, selection, actor),
        f"suggested partners of {cluster}": lambda: suggest_partners(dataset, selection, cluster),
        f"two dates compared ({years[0]}, {years[1]}): counts and change table (uncached here)": lambda: (
            caption(compare_view(dataset, compared, *years)),
            change_table(compare_view(dataset, compared, *years)),
        ),
    }
    rows = [
        f"{directory.name}: {len(dataset.actors):,} actors, {len(dataset.links):,} links; start-up warm-up "
        f"{_ms(warm)}; the comparison's selection {_ms(selected)} (both before the clock)",
        "",
        "| analysis | first | cached |",
        "|---|---|---|",
    ]
    for name, work in analyses.items():
        first = _timed(work)
        again = _timed(work)
        rows.append(f"| {name} | {_ms(first)} | {_ms(again)} |")
    return rows


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        print("\n".join(bench(directory)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
