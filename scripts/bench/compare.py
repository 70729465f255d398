"""Benchmark of two dates compared (core/compare.py): first computation and repeat, per dataset and
filter state, in-process (no browser: the comparison is server-side computation).

Usage: ``python -m scripts.bench.compare [DIR ...]`` (default: the shipped dataset). For the 100k
figure: ``python -m data generate --startups 100000 --actors 10000 --links 50000 --seed 1 -o
/tmp/gen100k`` first, then pass that directory (a dataset generated before end years existed has
none: every link then is unchanged, added or not yet there). Prints, per dataset and state, the
counts, the time of each phase, and the caption.

*first* is what a page pays the first time a process sees the state: the selection without the
year filter (:func:`core.compare.links_to_compare`; the shared cache of ``core.selection``), the
statuses and counts, the caption, and the change table with the ends' names (``all_names``, made
once per dataset and language). *repeat* is the same with the selection and names cached: what
every later request with another pair of years pays. Target: first under 1 s at 100k.
"""

from __future__ import annotations

import sys
import time
from itertools import pairwise
from pathlib import Path

from core.compare import caption, change_table, compare_links, links_to_compare
from core.i18n import all_names
from core.state import ViewState
from data import DEFAULT_DATA_DIR, Dataset, read_dataset

#: the two dates compared, and the filter states (a year filter is ignored by the comparison)
FIRST, SECOND = 2015, 2020
STATES = {
    "everything": ViewState(),
    "year filter 2013-2019 (ignored)": ViewState(year=(2013, 2019)),
    "research collaborations": ViewState(link=("research_collaboration",)),
}


def _run(dataset: Dataset, state: ViewState, lang: str) -> tuple[list[float], dict[str, int], int, list[str]]:
    """One page's worth of comparison: the seconds of each phase (:data:`PHASES`), the counts, the
    change table's size and the caption."""
    times = [time.perf_counter()]
    links = links_to_compare(dataset, state)
    times.append(time.perf_counter())
    names = all_names(dataset, lang)
    times.append(time.perf_counter())
    comparison = compare_links(links, FIRST, SECOND)
    counts = comparison.counts
    table = change_table(comparison, names)
    words = caption(comparison, lang)
    times.append(time.perf_counter())
    return [b - a for a, b in pairwise(times)], counts, len(table), words


#: what :func:`_run` times: the selection (core.selection), the names (core.i18n), and this feature
PHASES = ("selection", "names", "compare + table + caption")


def _ms(seconds: list[float]) -> str:
    parts = ", ".join(f"{name} {s * 1000:,.1f}" for name, s in zip(PHASES, seconds, strict=True))
    return f"{sum(seconds) * 1000:,.1f} ms ({parts})"


def main(argv: list[str]) -> int:
    for directory in [Path(a) for a in argv] or [DEFAULT_DATA_DIR]:
        dataset = read_dataset(directory)
        links = dataset.links
        ended = int(links["end_year"].notna().sum()) if "end_year" in links else 0
        print(f"{directory.name}: {len(links):,} links, {ended:,} with an end year; compare={FIRST},{SECOND}")
        for name, state in STATES.items():
            first, counts, rows, words = _run(dataset, state, "en")
            again, *_ = _run(dataset, state, "en")
            # the statuses alone, on links already selected: what a new pair of years costs
            selected = links_to_compare(dataset, state)
            started = time.perf_counter()
            _ = compare_links(selected, FIRST, SECOND).counts  # the statuses and their counts
            statuses = time.perf_counter() - started
            print(
                f"  {name}: {len(selected):,} links compared, {rows:,} changes ({counts})\n"
                f"    first {_ms(first)}\n    repeat {_ms(again)}\n"
                f"    statuses alone {statuses * 1000:.2f} ms\n    {' / '.join(words)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
