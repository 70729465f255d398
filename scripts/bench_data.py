"""Benchmark the data layer: load and validate the shipped data and a generated 100k dataset.

Each measurement runs in a fresh Python process (as the app or ``python -m data check``
would), several times; the table gives the median and the maximum of wall time and the
peak resident memory of the process.

Usage::

    python scripts/bench_data.py                 # print the table
    python scripts/bench_data.py --update-readme # also write it into README.md
    python scripts/bench_data.py --runs 5 --startups 100000 --actors 10000 --links 50000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- bench-data:start -->", "<!-- bench-data:end -->"

# Run in a child process: load + validate, then report time and peak memory as JSON.
CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from data import read_dataset
t1 = time.perf_counter()
ds = read_dataset(sys.argv[1])
t2 = time.perf_counter()
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rss_mb": rss_mb,
                  "errors": len(ds.errors), "counts": ds.counts()}))
"""


def measure(directory: Path, runs: int) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(directory)], cwd=ROOT, capture_output=True, text=True, check=True
        )
        results.append(json.loads(out.stdout))
    loads = [r["load_s"] for r in results]
    return {
        "median_s": statistics.median(loads),
        "max_s": max(loads),
        "rss_mb": max(r["rss_mb"] for r in results),
        "errors": results[0]["errors"],
        "counts": results[0]["counts"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)

    rows = []
    shipped = measure(ROOT / "data" / "emilia-romagna", args.runs)
    rows.append(("shipped Emilia-Romagna", shipped))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "data",
                "generate",
                "--startups",
                str(args.startups),
                "--actors",
                str(args.actors),
                "--links",
                str(args.links),
                "--seed",
                str(args.seed),
                "-o",
                str(big),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        generated = measure(big, args.runs)
        rows.append(
            (f"generated: {args.startups:,} start-ups, {args.actors:,} actors, {args.links:,} links", generated)
        )

    cpu = os.cpu_count()
    lines = [
        START,
        f"Load and validate (`read_dataset`), median of {args.runs} fresh processes; "
        f"Python {platform.python_version()}, {cpu} cores. Target: 100k/10k/50k under 10 s and 2 GB.",
        "",
        "| dataset | records | load + validate, median | max | peak memory | errors |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in rows:
        records = sum(v for k, v in r["counts"].items())
        lines.append(
            f"| {label} | {records:,} | {r['median_s']:.2f} s | {r['max_s']:.2f} s | "
            f"{r['rss_mb']:.0f} MB | {r['errors']} |"
        )
    lines.append(END)
    table = "\n".join(lines)
    print(table)
    if args.update_readme:
        text = README.read_text(encoding="utf-8")
        if START in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), table, text, flags=re.S)
        else:
            text = text.replace("BENCH_TABLE_PLACEHOLDER", table)
        README.write_text(text, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
