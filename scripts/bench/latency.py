"""Server time of user actions, replayed over HTTP with :class:`~scripts.bench.payloads.DashClient`:
filter changes (first time and repeated) and selections (a click until both views are restyled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import requests

from scripts.bench.common import BenchError, say
from scripts.bench.payloads import NAMED_CALLBACKS, REQUIRED, Call, DashClient
from scripts.bench.servers import Server, running
from scripts.bench.steps import Step, check_selected, check_url, plan_changes, plan_selections

URL_SEARCH = ("atlas-url", "search")


@dataclass
class Sample:
    """One user action: which step, "first" / "repeat" (or "any" for an app that caches nothing), ms per part.

    ``requests`` is the number of callback requests the action made; ``largest`` the biggest response body
    (bytes) and ``largest_label`` the callback that sent it.
    """

    step: str
    kind: str
    ms: dict[str, float]
    requests: int = 0
    largest: int = 0
    largest_label: str = ""


@dataclass
class LatencyResult:
    """Every sample of one app on one dataset, the steps it could run, and the server's memory."""

    samples: list[Sample] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    memory_after_load: list[float] = field(default_factory=list)
    memory_after: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)
    #: the named parts (:data:`NAMED_CALLBACKS`) the app has a callback for
    present: set[str] = field(default_factory=set)
    #: clicks that select an element; empty with ``selection_note`` saying why if none could be made
    selections: list[Sample] = field(default_factory=list)
    selection_note: str = ""

    def select(self, kind: str, steps: list[str] | None = None) -> list[Sample]:
        """The samples of ``kind``, only of ``steps`` if given."""
        return [s for s in self.samples if s.kind == kind and (steps is None or s.step in steps)]


def summarise(step: str, kind: str, calls: list[Call], parts: dict[str, str] | None = None) -> Sample:
    """A sample from the calls of one action: ms per named part (``"total"`` the sum), requests, largest body.

    ``parts`` maps a plain component id to a part name (a call writing to it counts there); otherwise
    calls are counted by their :data:`NAMED_CALLBACKS` name.
    """
    ms = {"total": 1000 * sum(c.seconds for c in calls)}
    for call in calls:
        name = call.name
        if parts is not None:
            name = (
                "state"
                if call.name == REQUIRED
                else next((part for component, part in parts.items() if call.writes_to(component)), "other")
            )
        ms[name] = ms.get(name, 0.0) + 1000 * call.seconds
    biggest = max(calls, key=lambda c: c.size, default=None)
    return Sample(step, kind, ms, len(calls), biggest.size if biggest else 0, biggest.label if biggest else "")


def check_answered(what: str, calls: list[Call]) -> None:
    """The state callback ran and answered with data, and at least one other callback answered with data."""
    if not any(c.name == REQUIRED and c.status == 200 and c.updated for c in calls):
        raise BenchError(
            f"{what}: the state callback ({dict((n, o) for n, o, _ in NAMED_CALLBACKS)[REQUIRED]}) "
            f"did not run or answer; calls: {[c.label for c in calls]}"
        )
    if not any(c.name != REQUIRED and c.status == 200 and c.updated for c in calls):
        raise BenchError(
            f"{what}: no callback but the state callback answered with data; "
            f"calls: {[(c.label, c.status) for c in calls]}"
        )


def _change(server: Server, client: DashClient, changes: dict, order: list) -> list[Call]:
    try:
        return client.change(changes, order)
    except requests.RequestException:
        server.check()  # say so if the app died under us
        raise


#: components whose callbacks restyle a view after a selection (everything else is "other")
SELECTION_PARTS = {"atlas-map": "map", "atlas-map-highlight": "map", "atlas-network": "network"}


def run_selections(server: Server, client: DashClient, count: int, result: LatencyResult, progress: str) -> None:
    """``count`` clicks on distinct elements drawn now; each a sample of ``result.selections``."""
    inputs = {k for cb in client.callbacks for k in cb.input_keys}
    plan = plan_selections(client.store, inputs, count)
    if not plan:
        result.selection_note = result.selection_note or "no click input selects an element (not present)"
        return
    for selection in plan:
        calls = _change(server, client, {selection.key: selection.value}, [selection.key])
        check_answered(f"selection via {selection.via}", calls)
        check_selected(selection, client.store.get(URL_SEARCH, ""))
        sample = summarise(f"select via {selection.via}", "first", calls, SELECTION_PARTS)
        result.selections.append(sample)
        say(
            f"  {progress} select {selection.target} via {selection.via}: {sample.ms['total']:.0f} ms, "
            f"{sample.requests} requests"
        )


def run_latency(
    script: str,
    data_dir: Path | None,
    steps: list[Step],
    reps: int,
    passes: int,
    cached: bool,
    log_dir: Path,
    progress: str,
    selections: int = 0,
) -> LatencyResult:
    """``reps`` fresh server processes; in each, ``passes`` rounds of every step (the first round is cold),
    then back at the default filters ``selections`` clicks that select an element.

    ``cached``: whether the app caches per filter state; if not, every sample is of kind "any".
    """
    result = LatencyResult()
    for rep in range(reps):
        with running(script, data_dir, log_dir) as server:
            client = DashClient(server.url)
            if not any(cb.name == REQUIRED for cb in client.callbacks):
                raise BenchError(f"{script}: no callback writes the URL ({URL_SEARCH[0]}.{URL_SEARCH[1]})")
            result.present = {cb.name for cb in client.callbacks}
            client.load()
            defaults = dict(client.store)
            result.memory_after_load.append(server.memory()["VmRSS"])
            seen = {client.store.get(URL_SEARCH, "")}
            for round_ in range(passes):
                for step in steps:
                    plan = plan_changes(step, client.store, client.ids, defaults)
                    if plan is None:
                        if rep == 0 and round_ == 0:
                            result.skipped.append(step.name)
                        continue
                    calls = _change(server, client, *plan)
                    check_answered(f"step {step.name!r}", calls)
                    search = client.store.get(URL_SEARCH, "")
                    check_url(step, search)
                    kind = ("repeat" if search in seen else "first") if cached else "any"
                    seen.add(search)
                    sample = summarise(step.name, kind, calls)
                    result.samples.append(sample)
                    if rep == 0 and round_ == 0:
                        result.steps.append(step.name)
                    say(
                        f"  {progress} rep {rep + 1}/{reps} round {round_ + 1} {step.name}: "
                        f"{sample.ms['total']:.0f} ms ({kind})"
                    )
            if selections:
                if client.store.get(URL_SEARCH, "") not in ("", None):
                    result.selection_note = "the filter changes did not end at the default state"
                else:
                    run_selections(server, client, selections, result, f"{progress} rep {rep + 1}/{reps}")
            memory = server.memory()
            result.memory_after.append(memory["VmRSS"])
            result.peak.append(memory["VmHWM"])
    return result
