"""The rows of the report's tables, one function per table, from the results of one dataset."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from scripts.bench.common import (
    TARGET_FIRST_LOAD_MB,
    TARGET_OPEN_SPEEDUP,
    TARGET_P95_BIG_MS,
    TARGET_P95_DEFAULT_MS,
    TARGET_REPAINT_BIG_S,
    TARGET_SELECTION_BIG_MS,
    fmt_bytes,
    fmt_ms,
    fmt_pair,
    percentile,
    ratio,
)
from scripts.bench.latency import LatencyResult, Sample
from scripts.bench.open_ready import OpenResult
from scripts.bench.repaint import BrowserResult


@dataclass
class DatasetRun:
    """Everything measured on one dataset. ``big``: the generated one at scale (its targets apply);
    ``open_target``: the open-to-ready target (naive / atlas) applies to this dataset."""

    label: str
    big: bool
    latency: dict[str, LatencyResult] = field(default_factory=dict)
    browser: dict[str, BrowserResult] = field(default_factory=dict)
    open_ready: dict[str, OpenResult] = field(default_factory=dict)
    open_target: bool = False


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


PARTS = ("state", "map", "network", "counts", "empty notice", "other")
SELECTION_PARTS = ("state", "map", "network", "other")


def _cell(result: LatencyResult, samples: list[Sample], name: str) -> str:
    if name != "other" and result.present and name not in result.present:
        return "not present"
    return fmt_pair([s.ms[name] for s in samples if name in s.ms])


def latency_rows(run: DatasetRun) -> list[str]:
    """Filter change: per app and kind (first / repeat / any), median / p95 per part and of the sum."""
    target = TARGET_P95_BIG_MS if run.big else TARGET_P95_DEFAULT_MS
    rows = []
    for app, result in run.latency.items():
        for kind in ("first", "repeat", "any"):
            samples = result.select(kind)
            if not samples:
                continue
            cells = [_cell(result, samples, name) for name in PARTS]
            totals = [s.ms["total"] for s in samples]
            verdict = ""
            if app == "atlas":
                slowest = max(
                    percentile([s.ms[n] for s in samples if n in s.ms], 95)
                    for n in PARTS
                    if any(n in s.ms for s in samples)
                )
                verdict = (
                    f"< {target} ms — slowest callback's p95 {fmt_ms(slowest)}: {_met(slowest < target)}; "
                    f"sum's p95: {_met(percentile(totals, 95) < target)}"
                )
            label = "every change (no cache)" if kind == "any" else kind
            rows.append(
                f"| {run.label} | {app} | {label} ({len(samples)}) | "
                + " | ".join(cells)
                + f" | **{fmt_pair(totals)}** | {verdict} |"
            )
    return rows


def step_rows(runs: list[DatasetRun]) -> list[str]:
    """Per filter change, the atlas's first-time median: sum, and the three callbacks that do the work."""
    atlas = [(run, run.latency["atlas"]) for run in runs if "atlas" in run.latency]
    if not atlas:
        return []
    header = (
        "| filter change | "
        + " | ".join(f"{'shipped' if not run.big else 'generated'}: sum / map / network / counts" for run, _ in atlas)
        + " |"
    )
    rows = [header, "|---|" + "---|" * len(atlas)]
    for step in atlas[0][1].steps:
        cells = []
        for _, result in atlas:
            samples = result.select("first", [step]) or result.select("repeat", [step])
            if not samples:
                cells.append("n/a")
                continue
            cells.append(
                " / ".join(
                    fmt_ms(statistics.median([s.ms.get(n, 0.0) for s in samples]))
                    for n in ("total", "map", "network", "counts")
                )
            )
        rows.append(f"| {step} | " + " | ".join(cells) + " |")
    return rows


def browser_rows(run: DatasetRun) -> list[str]:
    """First load and repaint after a click, per app."""
    rows = []
    for app, r in run.browser.items():
        load = r.load
        mb = (load["bytes"] or 0) / 1e6
        load_cell = (
            f"{mb:.2f} MB, {load['requests']} requests, {load['seconds']:.1f} s"
            if load["settled"]
            else f"did not settle in {r.timeout:.0f} s"
        )
        every = r.first + r.repeat

        def cell(values: list[float], result: BrowserResult = r) -> str:
            if values:
                return f"{statistics.median(values) / 1000:.2f} s"
            return f">{result.timeout:.0f} s" if result.timed_out else "n/a"

        note = " (then a change timed out)" if r.timed_out and every else ""
        if r.failures:
            note += f"; **map not repainted after {len(r.failures)} of {r.clicks} clicks** (page error)"
        targets = []
        if app == "atlas":
            targets.append(f"first load < {TARGET_FIRST_LOAD_MB:.0f} MB: {_met(mb < TARGET_FIRST_LOAD_MB)}")
            if run.big and every:
                middle, worst = statistics.median(every) / 1000, max(every) / 1000
                targets.append(
                    f"repaint < {TARGET_REPAINT_BIG_S:.0f} s: median {middle:.2f} s "
                    f"{_met(middle < TARGET_REPAINT_BIG_S)}, slowest {worst:.2f} s "
                    f"{_met(worst < TARGET_REPAINT_BIG_S)}"
                )
        rows.append(
            f"| {run.label} | {app} | {load_cell} | {cell(r.first)}{note} | {cell(r.repeat)} | "
            f"{len(every)} | {'; '.join(targets)} |"
        )
    return rows


def memory_rows(run: DatasetRun) -> list[str]:
    """Server memory per app, over the latency processes and the browser's."""
    rows = []
    for app, result in run.latency.items():
        b = run.browser.get(app)
        after = max(result.memory_after + ([b.memory_after] if b else []))
        peak = max(result.peak + ([b.peak] if b else []))
        rows.append(
            f"| {run.label} | {app} | {statistics.median(result.memory_after_load):.0f} MB | "
            f"{after:.0f} MB | {peak:.0f} MB |"
        )
    return rows


def ratio_rows(run: DatasetRun) -> list[str]:
    """Naive against atlas, over the filter changes both apps have controls for."""
    atlas, naive = run.latency.get("atlas"), run.latency.get("naive")
    if not atlas or not naive:
        return []
    rows = []
    common = [s for s in atlas.steps if s in naive.steps]
    n = [s.ms["total"] for s in naive.select("any", common)]
    for kind in ("first", "repeat"):
        a = [s.ms["total"] for s in atlas.select(kind, common)]
        if a and n:
            rows.append(
                f"| {run.label} | callbacks, sum, median (atlas: {kind}) | {fmt_ms(statistics.median(n))} ms "
                f"| {fmt_ms(statistics.median(a))} ms | {ratio(statistics.median(n), statistics.median(a))} |"
            )
    ab, nb = run.browser.get("atlas"), run.browser.get("naive")
    if ab and nb:
        a_all, n_all = ab.first + ab.repeat, nb.first + nb.repeat
        a_med = statistics.median(a_all) if a_all else None
        if a_med and n_all and not nb.timed_out:
            n_med = statistics.median(n_all)
            rows.append(
                f"| {run.label} | repaint after a click, median | {n_med / 1000:.2f} s | {a_med / 1000:.2f} s "
                f"| {ratio(n_med, a_med)} |"
            )
        elif a_med:
            what = "the page did not settle" if not nb.load["settled"] else "a change did not finish"
            rows.append(
                f"| {run.label} | repaint after a click, median | >{nb.timeout:.0f} s ({what} in "
                f"{nb.timeout:.0f} s) | {a_med / 1000:.2f} s | >{nb.timeout * 1000 / a_med:.0f}× |"
            )
        if nb.load["bytes"] and ab.load["bytes"]:
            rows.append(
                f"| {run.label} | first load | {nb.load['bytes'] / 1e6:.1f} MB | "
                f"{ab.load['bytes'] / 1e6:.1f} MB | {ratio(nb.load['bytes'], ab.load['bytes'])} |"
            )
    return rows


def selection_rows(run: DatasetRun) -> list[str]:
    """Click to both views restyled, server time: per part and the sum, requests and the largest response."""
    rows = []
    for app, result in run.latency.items():
        samples = result.selections
        if not samples:
            if app == "atlas" and result.selection_note:
                rows.append(f"| {run.label} | {app} | {result.selection_note} |" + " |" * 7)
            continue
        totals = [s.ms["total"] for s in samples]
        cells = [fmt_pair([s.ms[n] for s in samples if n in s.ms]) for n in SELECTION_PARTS]
        requests = statistics.median([s.requests for s in samples])
        largest = max(samples, key=lambda s: s.largest)
        verdict = ""
        if run.big and app == "atlas":
            med, p95 = statistics.median(totals), percentile(totals, 95)
            verdict = (
                f"< {TARGET_SELECTION_BIG_MS} ms: median {_met(med < TARGET_SELECTION_BIG_MS)}, "
                f"p95 {_met(p95 < TARGET_SELECTION_BIG_MS)}"
            )
        rows.append(
            f"| {run.label} | {app} | {len(samples)} | " + " | ".join(cells) + f" | **{fmt_pair(totals)}** | "
            f"{requests:.0f} | {fmt_bytes(largest.largest)} (`{largest.largest_label}`) | {verdict} |"
        )
    return rows


def action_size_lines(run: DatasetRun, step: str = "a cluster") -> list[str]:
    """The requests and the largest response of one filter change (``step``, first time) and one selection."""
    result = run.latency.get("atlas")
    if not result:
        return []
    change = next(
        (s for s in result.samples if s.step == step and s.kind == "first"),
        next((s for s in result.samples if s.kind == "first"), None),
    )
    parts = []
    if change:
        parts.append(
            f"one filter change (*{change.step}*, first time) made {change.requests} callback requests, "
            f"the largest response {fmt_bytes(change.largest)} (`{change.largest_label}`)"
        )
    if result.selections:
        one = result.selections[0]
        parts.append(
            f"one selection (*{one.step}*) {one.requests} requests, the largest response "
            f"{fmt_bytes(one.largest)} (`{one.largest_label}`)"
        )
    return [f"{run.label}, atlas: " + "; ".join(parts) + "."] if parts else []


def _seconds(result: OpenResult) -> str:
    if result.median is None:
        return f">{result.timeout:.0f} s (not ready in {result.timeouts} run(s))"
    note = f", {result.timeouts} run(s) not ready in {result.timeout:.0f} s" if result.timeouts else ""
    return f"{result.median / 1000:.2f} s ({len(result.ms)}{note})"


def _times_slower(slow: OpenResult, fast: OpenResult) -> str | None:
    if fast.median is None:
        return None
    if slow.median is None:
        return f">{slow.timeout * 1000 / fast.median:.0f}×"
    return ratio(slow.median, fast.median)


def open_rows(run: DatasetRun) -> list[str]:
    """Open to both views ready, per page: what it drew, median (runs), range, ratios, target."""
    rows = []
    atlas, _naive, floor = (run.open_ready.get(k) for k in ("atlas", "naive", "floor"))
    for page, result in run.open_ready.items():
        drawn = result.drawn
        drew = f"{drawn.get('points', 0):,} / {drawn.get('nodes', 0):,} / {drawn.get('edges', 0):,}" if drawn else "n/a"
        spread = f"{min(result.ms) / 1000:.2f}–{max(result.ms) / 1000:.2f} s" if result.ms else "n/a"
        compared, verdict = [], ""
        if page == "naive" and atlas:
            factor = _times_slower(result, atlas)
            if factor:
                compared.append(f"naive / atlas {factor}")
            if run.open_target and atlas.median is not None:
                fast_enough = (result.median is None and result.timeouts > 0) or (
                    result.median is not None and result.median >= TARGET_OPEN_SPEEDUP * atlas.median
                )
                verdict = f"atlas ≥ {TARGET_OPEN_SPEEDUP:.0f}× faster: {_met(fast_enough)}"
        if page != "floor" and floor:
            factor = _times_slower(result, floor)
            if factor:
                compared.append(f"{page} / floor {factor}")
        rows.append(
            f"| {run.label} | {page} | {drew} | {_seconds(result)} | {spread} | {'; '.join(compared)} | {verdict} |"
        )
    return rows
