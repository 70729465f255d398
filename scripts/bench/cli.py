"""Argument parsing and the order of the run: datasets, apps, phases, report.

Usage (from the repository root; ``python scripts/bench_app.py`` runs the same from anywhere)::

    python -m scripts.bench                  # full run (long on 2 cores), print the tables
    python -m scripts.bench --update-readme  # also write them into README.md
    python -m scripts.bench --quick          # smoke run: 1 repetition, small generated datasets
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

from scripts.bench.common import ATLAS, CHROME, CHROMEDRIVER, NAIVE, README, ROOT, ServerDied, say
from scripts.bench.floor import write_floor
from scripts.bench.latency import run_latency
from scripts.bench.open_ready import OpenResult, run_open_ready
from scripts.bench.payloads import DashClient
from scripts.bench.repaint import run_browser
from scripts.bench.report import report, update_readme
from scripts.bench.servers import dataset_label, generate, running, serving
from scripts.bench.steps import MAP_FIGURE, NETWORK_ELEMENTS, plan_steps
from scripts.bench.tables import DatasetRun, action_size_lines


def retried(phase: Callable[[], Any], what: str, notes: list[str], attempts: int = 3) -> Any:
    """Run ``phase``; if the app process died in it (e.g. killed by other work on a shared machine), run it again.

    Any other error stops the benchmark. A retry is said in the README notes.
    """
    for attempt in range(1, attempts + 1):
        try:
            return phase()
        except ServerDied as exc:
            if attempt == attempts:
                raise
            say(f"{what}: {str(exc)[:300]} -- retrying ({attempt}/{attempts - 1})")
            notes.append(
                f"{what}: the app process died during the measurement ({str(exc).split(':')[0]}); "
                "the phase was run again from the start."
            )
    raise AssertionError("unreachable")


def run_open_phase(
    data_dir: Path | None, floor: bool, args: argparse.Namespace, tmp_dir: Path, progress: str
) -> dict[str, OpenResult]:
    """Open to both views ready for the atlas, the naive app (unless ``--no-naive``) and, with ``floor``,
    the static floor page drawing what the atlas draws; every server runs for the whole phase."""
    with ExitStack() as stack:
        atlas = stack.enter_context(running(ATLAS, data_dir, tmp_dir))
        pages = {"atlas": atlas.url + "/"}
        servers = [atlas]
        if not args.no_naive:
            naive = stack.enter_context(running(NAIVE, data_dir, tmp_dir))
            pages["naive"] = naive.url + "/"
            servers.append(naive)
        if floor:
            client = DashClient(atlas.url)
            client.load()
            counts = write_floor(tmp_dir / "floor", client.store.get(MAP_FIGURE), client.store.get(NETWORK_ELEMENTS))
            say(f"  {progress} floor page draws {counts}")
            pages["floor"] = stack.enter_context(serving(tmp_dir / "floor")) + "/index.html"
        timeouts = {"atlas": 120.0, "naive": args.naive_open_timeout, "floor": 60.0}
        runs = {name: args.naive_open_runs if name == "naive" else args.open_runs for name in pages}
        results = run_open_ready(pages, runs, timeouts, progress, warm_up=not args.quick)
        for server in servers:
            server.check()
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; ``--quick`` overrides the sizes and repetitions."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description="Benchmark the dashboard against the naive baseline."
    )
    parser.add_argument("--reps", type=int, default=5, help="fresh server processes per app and dataset")
    parser.add_argument(
        "--naive-reps-big",
        type=int,
        default=2,
        help="repetitions of the naive app on the generated dataset (it is slow)",
    )
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--selections", type=int, default=8, help="selection clicks per atlas process")
    parser.add_argument("--open-runs", type=int, default=5, help="open-to-ready runs per page")
    parser.add_argument(
        "--naive-open-runs",
        type=int,
        default=3,
        help="open-to-ready runs of the naive app (about a minute each at 2,000 nodes)",
    )
    parser.add_argument(
        "--open-startups",
        type=int,
        default=1_500,
        help="start-ups of the open-to-ready dataset (with the actors and the shipped networks "
        "and areas, the naive app draws ~2,000 nodes)",
    )
    parser.add_argument("--open-actors", type=int, default=250)
    parser.add_argument("--open-links", type=int, default=1_000)
    parser.add_argument("--naive-timeout", type=float, default=120.0, help="seconds the naive app gets in the browser")
    parser.add_argument(
        "--naive-open-timeout", type=float, default=240.0, help="seconds the naive app gets to be ready after opening"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 repetition, 4 filter changes, a 10k generated dataset, short timeouts",
    )
    parser.add_argument("--update-readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args(argv)
    if args.quick:
        if args.update_readme:
            parser.error("--quick numbers are not for the README")
        args.reps, args.naive_reps_big, args.naive_timeout = 1, 1, 30.0
        args.startups, args.actors, args.links = 10_000, 1_000, 5_000
        args.open_runs, args.naive_open_runs, args.selections, args.naive_open_timeout = 1, 1, 3, 120.0
    if not args.no_browser and not (Path(CHROME).exists() and Path(CHROMEDRIVER).exists()):
        raise SystemExit(
            f"needs {CHROME} and {CHROMEDRIVER} (apt-get install chromium chromium-driver), or --no-browser"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the report (and write it into README.md with ``--update-readme``)."""
    args = parse_args(argv)
    args.notes = []
    args.load_before = os.getloadavg()[0]
    began = time.monotonic()
    runs: list[DatasetRun] = []
    browser_version = "n/a"
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        tmp_dir = Path(tmp)
        big = tmp_dir / "generated"
        say(f"generating {args.startups:,} start-ups, {args.actors:,} actors, {args.links:,} links ...")
        generate(big, args.startups, args.actors, args.links, args.seed)
        shipped_dir = ROOT / "data" / "emilia-romagna"
        datasets = [
            DatasetRun(dataset_label("shipped", shipped_dir), False),
            DatasetRun(dataset_label("generated", big), True),
        ]
        for run, data_dir in zip(datasets, (None, big), strict=True):
            # The steps use values this dataset has: read them from the atlas's own layout.
            with running(ATLAS, data_dir, tmp_dir) as server:
                probe = DashClient(server.url)
            steps = plan_steps(probe.store, probe.ids, probe.layout, quick=args.quick)
            apps = [("atlas", ATLAS)] + ([] if args.no_naive else [("naive", NAIVE)])
            for app, script in apps:
                reps = args.naive_reps_big if (app == "naive" and run.big) else args.reps
                cached = app == "atlas"  # the naive app caches nothing: one round, every change computed
                say(f"{run.label}, {app}: callback latency")
                run.latency[app] = retried(
                    partial(
                        run_latency,
                        script,
                        data_dir,
                        steps,
                        reps,
                        2 if cached else 1,
                        cached,
                        tmp_dir,
                        f"[{run.label} {app}]",
                        args.selections if app == "atlas" else 0,
                    ),
                    f"{run.label}, {app}, latency",
                    args.notes,
                )
                if not args.no_browser:
                    say(f"{run.label}, {app}: browser")
                    timeout = args.naive_timeout if app == "naive" else 120.0
                    rounds = 1 if app == "naive" else 2
                    run.browser[app] = retried(
                        partial(
                            run_browser, script, data_dir, rounds, timeout, tmp_dir, f"[{run.label} {app}]", args.quick
                        ),
                        f"{run.label}, {app}, browser",
                        args.notes,
                    )
            if run.big and "naive" in run.latency and args.naive_reps_big < args.reps:
                args.notes.append(
                    f"the naive app ran {args.naive_reps_big} time(s) (not {args.reps}) on the "
                    "generated dataset, to keep the run short."
                )
            for line in action_size_lines(run):
                say(line)
            runs.append(run)
        if not args.no_browser:
            small = tmp_dir / "open"
            say(
                f"generating {args.open_startups:,} start-ups, {args.open_actors:,} actors, "
                f"{args.open_links:,} links for open to ready ..."
            )
            generate(small, args.open_startups, args.open_actors, args.open_links, args.seed)
            opened = DatasetRun(dataset_label("generated", small), False, open_target=True)
            for run, data_dir, floor in ((opened, small, False), (datasets[0], None, True)):
                say(f"{run.label}: open to both views ready")
                run.open_ready = retried(
                    partial(run_open_phase, data_dir, floor, args, tmp_dir, f"[{run.label}]"),
                    f"{run.label}, open to ready",
                    args.notes,
                )
            runs.append(opened)
            from scripts.bench.browser import Browser

            browser = Browser(perf_log=False)
            try:
                browser_version = browser.version
            finally:
                browser.close()
    minutes = (time.monotonic() - began) / 60
    table = report(runs, args, browser_version, minutes)
    print(table)
    if args.update_readme:
        README.write_text(update_readme(README.read_text(encoding="utf-8"), table), encoding="utf-8")
        print("README.md updated", file=sys.stderr)
    return 0
