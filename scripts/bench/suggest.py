"""Benchmark of suggested partners (core/suggest.py): first computation and cached repeat, per
dataset and selected element, in-process (no browser: the suggestions are server-side computation).

What "first" measures is what a visitor waits for when asking for suggestions (``suggest=1``): the
app has loaded the dataset and warmed it at start-up (``app.warm_up``: the codes of ``core.codes``,
the lookups of ``core.lookup``, the names), and the selection is cached (the views drew it); these
are made before the clock starts and timed on their own line. The profiles of every node
(``core.suggest_profiles``) are made once per dataset, timed apart: no start-up warms them yet, so
the first suggestion of a worker pays for them once. Then, per element, "first" is
:func:`core.suggest.suggest_partners` alone, uncached, and "cached" its repeat.

The elements: the technopole with the most links (else the actor with the most links that is not a
start-up), the first cluster, the first network of regions, and the value chain with the most actors.

Usage: ``python -m scripts.bench.suggest [DIR ...]`` (default: the shipped dataset). For the 100k
figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory. Prints one line per dataset and element.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from core import codes, lookup, suggest
from core.i18n import all_names
from core.selection import select
from core.state import ViewState
from core.suggest_profiles import profiles
from data import DEFAULT_DATA_DIR, Dataset, read_dataset


def elements(dataset: Dataset) -> dict[str, str]:
    """The elements to time, by what they are (see the module docstring)."""
    actors, groupings, links = dataset.actors, dataset.groupings, dataset.links
    degree = pd.concat([links["source_id"], links["target_id"]]).value_counts()
    out = {}
    for label, pool in (("technopole", actors[actors["kind"] == "technopole"]),
                        ("actor", actors[actors["kind"] != "startup"])):  # fmt: skip
        ranked = degree.reindex(pool["id"]).fillna(0).sort_values(ascending=False, kind="stable")
        if len(ranked):
            out[label] = str(ranked.index[0])
            break
    for label, kind in (("cluster", "cluster"), ("network", "regions_network")):
        found = groupings.loc[groupings["kind"] == kind, "id"]
        if len(found):
            out[label] = str(found.iloc[0])
    chains = pd.Series([g for items in actors["gvcs"] for g in items], dtype=object).value_counts()
    if len(chains):
        out["value chain"] = str(chains.index[0])
    return out


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        dataset = read_dataset(directory)
        started = time.perf_counter()
        codes.warm(dataset)
        lookup.warm(dataset)
        all_names(dataset, "en")
        selection = select(dataset, ViewState())
        warm = time.perf_counter() - started
        print(f"{directory.name}: start-up warm-up and the default selection: {warm * 1000:,.0f} ms")
        started = time.perf_counter()
        nodes = len(profiles(dataset).ids)
        made = time.perf_counter() - started
        print(f"{directory.name}: profiles of {nodes:,} nodes, once per dataset: {made * 1000:,.0f} ms")
        for label, element in elements(dataset).items():
            started = time.perf_counter()
            found = suggest.suggest_partners(dataset, selection, element)
            first = time.perf_counter() - started
            started = time.perf_counter()
            suggest.suggest_partners(dataset, selection, element)
            again = time.perf_counter() - started
            best = f"best {found[0].source_id} -> {found[0].target_id} {found[0].score:.3f}" if found else "none"
            print(
                f"{directory.name}: {label} {element}: {len(found)} suggestions ({best}); "
                f"first {first * 1000:,.0f} ms, cached {again * 1000:.2f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
