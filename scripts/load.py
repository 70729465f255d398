"""Load test: simulated users replay the browser's callbacks against a running atlas.

Usage (from the repository root, with the atlas running, e.g. under gunicorn)::

    python -m scripts.load http://127.0.0.1:8000 --users 50 --seconds 300

Each user is a thread with its own HTTP session playing one page as the renderer does
(``scripts.bench.payloads.DashClient``): it loads the page, then until the time is up picks an
action at random: one of the benchmark's filter changes (``scripts.bench.steps``), or a click on
an element drawn at the time; between actions it waits a random "think time" (uniform, mean
``--think`` seconds; 0 for a flood). Bounded in users (at most 500) and time (at most an hour).

Printed: actions and callback requests made, errors (any answer but 200 or 204, a refused
connection, a timeout) by kind, and the latency of requests and of whole actions (p50/p95/p99,
ms). Nothing is asserted; the exit status is 1 if any error occurred.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from scripts.bench.common import BenchError, percentile
from scripts.bench.payloads import DashClient
from scripts.bench.steps import plan_changes, plan_selections, plan_steps

MAX_USERS = 500
MAX_SECONDS = 3600


@dataclass
class Tally:
    """What every user measured, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[float] = field(default_factory=list)
    actions: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    #: the first message of each kind of error
    examples: dict[str, str] = field(default_factory=dict)

    def action(self, seconds: list[float]) -> None:
        with self.lock:
            self.requests.extend(seconds)
            self.actions.append(sum(seconds))

    def error(self, kind: str, message: str = "") -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, message[:300])


def _error_kind(exc: Exception) -> str:
    text = str(exc)
    if "HTTP " in text:
        return "HTTP " + text.split("HTTP ", 1)[1][:3]
    return type(exc).__name__


def user(url: str, deadline: float, think: float, seed: int, tally: Tally) -> None:
    """One simulated user until ``deadline`` (time.monotonic)."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        try:
            client = DashClient(url, requests.Session())
            started = time.perf_counter()
            client.load()
            tally.action([time.perf_counter() - started])
        except (BenchError, requests.RequestException) as exc:
            tally.error(_error_kind(exc), str(exc))
            time.sleep(1.0)
            continue
        defaults = dict(client.store)
        steps = plan_steps(client.store, client.ids, client.layout)
        inputs = {k for cb in client.callbacks for k in cb.input_keys}
        while time.monotonic() < deadline:
            if rng.random() < 0.3:
                clicks = plan_selections(client.store, inputs, 6)
                plan = None if not clicks else (lambda s: ({s.key: s.value}, [s.key]))(rng.choice(clicks))
            else:
                plan = plan_changes(rng.choice(steps), client.store, client.ids, defaults)
            if plan is None:
                continue
            try:
                calls = client.change(*plan)
            except BenchError as exc:
                if "empty response" in str(exc):  # the action changed nothing (a value chosen again)
                    continue
                tally.error(_error_kind(exc), str(exc))
                break  # the page's state is unknown now: load it again, as a user would
            except requests.RequestException as exc:
                tally.error(_error_kind(exc), str(exc))
                break
            tally.action([c.seconds for c in calls])
            if think:
                time.sleep(rng.uniform(0, 2 * think))


def main(argv: list[str] | None = None) -> int:
    """Run the users and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m scripts.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running atlas, e.g. http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a user's actions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1..{MAX_USERS} and --seconds 0..{MAX_SECONDS}")
    tally = Tally()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=user, args=(args.url, deadline, args.think, args.seed + i, tally), daemon=True)
        for i in range(args.users)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
        time.sleep(min(0.05, args.seconds / 100))  # users arrive over the first moments, not at once
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - began

    def ms(values: list[float]) -> str:
        return " / ".join(f"{1000 * percentile(values, q):.0f}" for q in (50, 95, 99)) if values else "none"

    print(f"{args.users} users for {elapsed:.0f} s against {args.url} (think time {args.think} s mean)")
    print(f"actions: {len(tally.actions):,}; callback requests: {len(tally.requests):,}")
    print(f"errors: {sum(tally.errors.values())}" + (f" ({dict(tally.errors)})" if tally.errors else ""))
    for kind, example in tally.examples.items():
        print(f"  first {kind}: {example}")
    print(f"request ms p50 / p95 / p99: {ms(tally.requests)}")
    print(f"action ms p50 / p95 / p99: {ms(tally.actions)}")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
