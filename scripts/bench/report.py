"""The markdown report (the block between the README's bench-app markers) and the README update."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re

from scripts.bench.common import (
    DATA_END,
    END,
    START,
    TARGET_FIRST_LOAD_MB,
    TARGET_OPEN_SPEEDUP,
    TARGET_P95_BIG_MS,
    TARGET_P95_DEFAULT_MS,
    TARGET_REPAINT_BIG_S,
    TARGET_SELECTION_BIG_MS,
)
from scripts.bench.tables import (
    DatasetRun,
    action_size_lines,
    browser_rows,
    latency_rows,
    memory_rows,
    open_rows,
    ratio_rows,
    selection_rows,
    step_rows,
)

COMMAND = "python -m scripts.bench"


def report(runs: list[DatasetRun], args: argparse.Namespace, browser_version: str, minutes: float) -> str:
    """The markdown block (between the README markers): conditions, tables, notes."""
    today = dt.date.today().isoformat()
    first = next((r for r in runs if "atlas" in r.latency), None)
    steps = first.latency["atlas"].steps if first else []
    skipped = sorted({s for r in runs if "naive" in r.latency for s in r.latency["naive"].skipped})
    lines = [
        START,
        f"Measured by `{COMMAND}` on {today}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, Chromium {browser_version} headless; each app runs as `python <app>` "
        f"(Flask's threaded development server) on 127.0.0.1. Targets from the issue are shown, not asserted. "
        f"The whole run took {minutes:.0f} min; 1-minute load average {args.load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine inflates the numbers).",
        "",
        f"**Filter change → server callbacks**, ms, median / p95 (sequential requests, each the body the browser "
        f"sends). Atlas: {args.reps} fresh server processes per dataset; in each, {len(steps)} filter "
        f"changes ({', '.join(steps)}), run twice: *first* is a filter state the process has not seen "
        "(selection, figure and network layout computed), *repeat* one it has (cached). Naive app: the same "
        f"changes once per process ({args.reps} processes on the shipped data, {args.naive_reps_big} on the "
        "generated one), nothing cached. Callbacks are named by an output: *state* writes `atlas-url.search`, "
        "*map* `atlas-map.figure`, *network* `atlas-network.elements`, *counts* `filter-counts.children`, "
        "*empty notice* `atlas-empty.hidden`; *other* is every other server callback (e.g. the network stylesheet "
        "and the table callbacks, empty answers outside the table view); *not present*: the app has no such "
        "callback. "
        f"Target: p95 under {TARGET_P95_DEFAULT_MS} ms on the shipped data, {TARGET_P95_BIG_MS} ms at 100k.",
        "",
        "| dataset | app | filter state (n) | state | map | network | counts | empty notice | other | total (sum) "
        "| target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines += latency_rows(run)
    per_step = step_rows(runs)
    if per_step:
        lines += [
            "",
            "Atlas, per filter change, first time (median ms; *counts* runs first after the state "
            "callback here, so it pays for computing the selection):",
            "",
            *per_step,
        ]
    selections = [row for run in runs for row in selection_rows(run)]
    if selections:
        lines += [
            "",
            f"**Click → both views restyled, server time**, ms, median / p95: in each atlas process "
            f"above, back at the default filters, {args.selections} clicks on distinct elements drawn at the "
            "time, alternately a network node (`tapNodeData`) and a map point (`clickData`), replayed like the "
            "filter changes; the sum over every callback the click triggers (the state callback, the map "
            "halos' points, the network stylesheet, details, table styling, ...): *map* and *network* are "
            "the callbacks writing to `atlas-map` / `atlas-network`. Target: under "
            f"{TARGET_SELECTION_BIG_MS} ms at 100k.",
            "",
            "| dataset | app | clicks | state | map | network | other | total (sum) | requests (median) "
            "| largest response | target |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += selections
    sizes = [line for run in runs for line in action_size_lines(run)]
    if sizes:
        lines += ["", "Requests and the largest response of one action — " + " ".join(sizes)]
    in_browser = [row for run in runs for row in browser_rows(run)]
    if in_browser:
        lines += [
            "",
            "**In the browser**: first load of `/` in a fresh profile (bytes over the wire for every request, "
            "until the page is idle), then the time from a click (from its `mousedown` in the page: a province "
            "checkbox, a cluster's "
            '"All of ..." button) until both map and network are repainted, median (*first*: a filter state '
            f"the server had not seen). Targets: first load under {TARGET_FIRST_LOAD_MB:.0f} MB, repaint under "
            f"{TARGET_REPAINT_BIG_S:.0f} s at 100k. The naive app gets {args.naive_timeout:.0f} s per wait.",
            "",
            "| dataset | app | first load | repaint, first | repaint, repeat | clicks | target |",
            "|---|---|---|---|---|---|---|",
            *in_browser,
        ]
    largest = [
        f"{run.label}: "
        + ", ".join(f"`{name[:70]}` {size / 1e6:.2f} MB" for name, size in run.browser["atlas"].load["largest"])
        for run in runs
        if "atlas" in run.browser
    ]
    if largest:
        lines += ["", "Largest items of the atlas's first load — " + "; ".join(largest) + "."]
    for run in runs:
        for app, result in run.browser.items():
            if result.failures:
                errors = sorted({e for _, e in result.failures})
                where = ", ".join(sorted({f"`{u or '/'}`" for u, _ in result.failures}))
                lines += [
                    "",
                    f"Map failures ({run.label}, {app}): after clicks leading to {where} the map kept "
                    f"its old picture (graph left pending) with: {'; '.join(f'`{e}`' for e in errors)}. "
                    "Those clicks are left out of the repaint times; the page was reloaded to go on.",
                ]
            if result.load.get("external"):
                lines += [
                    "",
                    f"Requests outside the machine ({run.label}, {app}): "
                    + ", ".join(f"`{u[:80]}`" for u in result.load["external"])
                    + ".",
                ]
    opened = [row for run in runs for row in open_rows(run)]
    warm = "" if args.quick else " after an untimed open of the atlas"
    if opened:
        lines += [
            "",
            "**Open → both views ready**: from `driver.get(url)` until the map has drawn its data "
            "(`plotly_afterplot`, `gd._fullData` non-empty), the network is drawn (`window.cy` has elements, "
            'no layout running) and no Dash callback is in flight (no `[data-dash-is-loading="true"]`, no '
            "pending `_dash-update-component` fetch: `window.fetch` is wrapped before the page's scripts); "
            "the first frame of that state, once it has lasted 3 s. One browser (started again after a page "
            f"that was not ready in time), the pages of a dataset interleaved, {args.open_runs} run(s) each "
            f"({args.naive_open_runs} of the naive app, which gets {args.naive_open_timeout:.0f} s){warm}, "
            "browser cache cleared before every "
            "run (each a first visit). *Floor*: a static page (local HTTP server, no compression) loading only "
            "plotly.js, React and dash-cytoscape's bundle as the atlas serves them and drawing the atlas's "
            "map points (one `scattermap`, `white-bg`) and network nodes and edges (preset layout). "
            f"Target: the atlas at least {TARGET_OPEN_SPEEDUP:.0f}× faster than the naive app on the "
            "~2,000-node dataset.",
            "",
            "| dataset | page | drew: map points / nodes / edges | open → ready, median (runs) | range "
            "| compared | target |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += opened
    mem = [row for run in runs for row in memory_rows(run)]
    if mem:
        lines += [
            "",
            "**Server memory** (VmRSS of the app process; peak: VmHWM), over the latency processes and the browser's.",
            "",
            "| dataset | app | after load (median) | after the benchmark (max) | peak |",
            "|---|---|---|---|---|",
        ]
        lines += mem
    ratios = [row for run in runs for row in ratio_rows(run)]
    if ratios:
        lines += [
            "",
            "**Naive baseline** (`scripts/naive_app.py`: every callback re-filters the full frames with "
            "pandas, every actor is a raw map point, every node and edge goes to cytoscape with a "
            "browser-side `cose` layout; nothing cached) against the atlas: same requests, same clicks"
            + (
                f"; the naive app has no control for {', '.join(skipped)}, so ratios use the other changes"
                if skipped
                else ""
            )
            + ".",
            "",
            "| dataset | measure | naive | atlas | naive / atlas |",
            "|---|---|---|---|---|",
        ]
        lines += ratios
    notes = [n for n in getattr(args, "notes", []) if n]
    if notes:
        lines += [""] + [f"Note: {n}" for n in notes]
    lines.append(END)
    return "\n".join(lines)


def update_readme(text: str, block: str) -> str:
    """``text`` with ``block`` between the bench-app markers; a new "### Dashboard" subsection if absent."""
    if START in text and END in text:
        return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, count=1, flags=re.S)
    section = "### Dashboard\n\n" + block
    if DATA_END in text:
        return text.replace(DATA_END, DATA_END + "\n\n" + section, 1)
    return text.rstrip("\n") + "\n\n" + section + "\n"
