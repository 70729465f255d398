"""Benchmark the dashboard: filter-callback latency, repaint in Chromium, first-load bytes, server memory.

Measured on the shipped dataset and on a generated one (100k start-ups by default), for the
atlas (``app.py``) and for a deliberately naive baseline (``scripts/naive_app.py``):

1. **Filter-callback latency.** The real app runs as a subprocess (``python app.py``). For
   each of ~12 filter changes the script POSTs to ``/_dash-update-component`` exactly what
   the browser would: payloads are built from ``GET /_dash-dependencies`` and the component
   tree of ``GET /_dash-layout``, and a small re-implementation of the renderer's dispatch
   runs the whole cascade (the state callback, then every server callback its outputs
   trigger: map, network, counts, empty notice, and the rest). Per-callback and total (sum)
   median and p95, separately for a filter state never seen by the process ("first time":
   the selection and the network layout are cached per filter state) and a repeat.
2. **Repaint.** Headless Chromium clicks filters as a person would (a province checkbox, a
   cluster's "All of ..." button) and times, in the page, from the click until both the map
   (``plotly_afterplot`` with new ``gd.data``) and the network (cytoscape elements changed,
   layout stopped) have been painted (two animation frames later).
3. **First load bytes.** Sum of ``encodedDataLength`` of ``Network.loadingFinished`` in
   Chrome's performance log, from navigation until the page is idle.
4. **Server memory.** ``VmRSS`` of the app process after load and after the benchmark.

Usage::

    python scripts/bench_app.py                  # full run (~8 min on 2 cores), print the tables
    python scripts/bench_app.py --update-readme  # also write them into README.md
    python scripts/bench_app.py --quick          # smoke run: 1 repetition, small generated dataset
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import requests
import urllib3

try:  # selenium is needed for the browser part only; the pure helpers must import without it
    from selenium.common.exceptions import WebDriverException
except ImportError:  # pragma: no cover
    WebDriverException = OSError  # type: ignore[misc,assignment]

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- bench-app:start -->", "<!-- bench-app:end -->"
DATA_END = "<!-- bench-data:end -->"
ATLAS = "app.py"
NAIVE = "scripts/naive_app.py"
CHROME = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,900")
#: targets from the issue: shown next to the numbers, never asserted
TARGET_P95_DEFAULT_MS = 100
TARGET_P95_BIG_MS = 300
TARGET_REPAINT_BIG_S = 1.0
TARGET_FIRST_LOAD_MB = 3.0

PropKey = tuple[str, str]  # (stringified component id, property)

#: server callbacks reported by name (keyed by their first output); the rest are summed as "other"
NAMED_CALLBACKS = {"atlas-url.search": "state", "atlas-map.figure": "map", "atlas-network.elements": "network",
                   "filter-counts.children": "counts", "atlas-empty.hidden": "empty notice"}
#: the callbacks a filter change must run and get a non-empty 200 answer from (others may answer 204)
REQUIRED = tuple(NAMED_CALLBACKS)


class BenchError(RuntimeError):
    """A measurement could not be made as intended: the run stops with this message."""


class ServerDied(BenchError):
    """The app process ended during a measurement (a crash, or something else on the machine killed it)."""


# --- statistics and formatting ----------------------------------------------------------------


_BEGAN = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr, with the minutes elapsed (stdout keeps only the table)."""
    print(f"[{(time.monotonic() - _BEGAN) / 60:5.1f} min] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile with linear interpolation between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 95)


def fmt_ms(ms: float | None) -> str:
    """Milliseconds, or seconds from 10 s up, for a table cell."""
    if ms is None or math.isnan(ms):
        return "n/a"
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f}"


def fmt_pair(values: list[float]) -> str:
    if not values:
        return "n/a"
    med, p95 = median_p95(values)
    return f"{fmt_ms(med)} / {fmt_ms(p95)}"


# --- the Dash protocol: ids, dependencies, payloads ---------------------------------------------


def stringify_id(component_id: str | dict) -> str:
    """The string form Dash uses for an id (same as ``dash._utils.stringify_id``)."""
    if isinstance(component_id, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component_id[k])}" for k in sorted(component_id)) + "}"
    return component_id


def parse_dep_id(text: str) -> str | dict:
    """An id as written in ``/_dash-dependencies``: a plain string, or JSON with wildcards like ``["ALL"]``."""
    return json.loads(text) if text.startswith("{") else text


def split_output(output: str) -> list[tuple[str | dict, str]]:
    """The (id, property) pairs of a callback's ``output`` string (``..a.b...c.d..`` when several)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        # An id may be JSON with dots in its values: the property is after the id's closing brace.
        if part.startswith("{"):
            end = part.rindex("}")
            out.append((parse_dep_id(part[:end + 1]), part[end + 2:]))
        else:
            component, prop = part.rsplit(".", 1) if "@" not in part else _split_at_hash(part)
            out.append((component, prop))
    return out


def _split_at_hash(part: str) -> tuple[str, str]:
    # "id.prop@hash" (allow_duplicate): the hash may hold no dot, the id may
    head, digest = part.split("@", 1)
    component, prop = head.rsplit(".", 1)
    return component, f"{prop}@{digest}"


def is_wildcard(component_id: str | dict) -> bool:
    return isinstance(component_id, dict) and any(isinstance(v, list) for v in component_id.values())


def matches(pattern: dict, component_id: str | dict) -> bool:
    """Whether a concrete id matches a pattern id (only the ``ALL`` wildcard is supported)."""
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    for key, value in pattern.items():
        if isinstance(value, list):
            if value != ["ALL"]:
                raise NotImplementedError(f"wildcard {value} (only ALL is simulated)")
        elif component_id[key] != value:
            return False
    return True


def index_layout(layout: Any) -> tuple[dict[PropKey, Any], list[str | dict], dict[str, str]]:
    """Every prop of every component with an id, the ids in page order, and each id's component type."""
    store: dict[PropKey, Any] = {}
    ids: list[str | dict] = []
    types: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "type" in node:
                if "id" in props:
                    key = stringify_id(props["id"])
                    ids.append(props["id"])
                    types[key] = node["type"]
                    for prop, value in props.items():
                        store[(key, prop)] = value
                for value in props.values():
                    walk(value)

    walk(layout)
    return store, ids, types


@dataclass
class CallbackSpec:
    """One server callback of ``/_dash-dependencies``, with its ids resolved against the layout."""

    output: str
    outputs: list[tuple[str | dict, str]]
    inputs: list[tuple[str | dict, str]]
    state: list[tuple[str | dict, str]]
    prevent_initial_call: bool
    input_keys: set[PropKey] = field(default_factory=set)
    output_keys: set[PropKey] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The callback's first output, ``id.prop`` (names it in reports)."""
        component, prop = self.outputs[0]
        return f"{stringify_id(component)}.{prop.split('@')[0]}"

    @classmethod
    def from_dependency(cls, dep: dict, ids: list[str | dict]) -> CallbackSpec:
        spec = cls(output=dep["output"], outputs=split_output(dep["output"]),
                   inputs=[(parse_dep_id(i["id"]), i["property"]) for i in dep["inputs"]],
                   state=[(parse_dep_id(s["id"]), s["property"]) for s in dep.get("state", [])],
                   prevent_initial_call=bool(dep.get("prevent_initial_call")))
        spec.input_keys = {k for c, p in spec.inputs for k in concrete_keys(c, p, ids)}
        spec.output_keys = {k for c, p in spec.outputs for k in concrete_keys(c, p.split("@")[0], ids)}
        return spec


def concrete_keys(component: str | dict, prop: str, ids: list[str | dict]) -> list[PropKey]:
    if is_wildcard(component):
        return [(stringify_id(i), prop) for i in ids if matches(component, i)]  # type: ignore[arg-type]
    return [(stringify_id(component), prop)]


def _entry(component: str | dict, prop: str, store: dict[PropKey, Any], ids: list, with_value: bool) -> Any:
    """One input/state/output entry of a request body; a list of entries for a wildcard id."""
    def one(concrete: str | dict) -> dict:
        item: dict[str, Any] = {"id": concrete, "property": prop}
        key = (stringify_id(concrete), prop)
        # The renderer sends no "value" for a prop it does not have (JSON drops undefined).
        if with_value and key in store:
            item["value"] = store[key]
        return item

    if is_wildcard(component):
        return [one(i) for i in ids if matches(component, i)]  # type: ignore[arg-type]
    return one(component)


def build_payload(spec: CallbackSpec, store: dict[PropKey, Any], ids: list[str | dict],
                  changed: list[str]) -> dict:
    """The body the renderer POSTs to ``/_dash-update-component`` (as dash-renderer's ``handleServerside``)."""
    outputs = [_entry(c, p, store, ids, with_value=False) for c, p in spec.outputs]
    body: dict[str, Any] = {
        "output": spec.output,
        "outputs": outputs if spec.output.startswith("..") else outputs[0],
        "inputs": [_entry(c, p, store, ids, with_value=True) for c, p in spec.inputs],
        "changedPropIds": changed,
        "parsedChangedPropsIds": [json.loads(c[:c.rindex("}") + 1]) if c.startswith("{") else c for c in changed],
    }
    if spec.state:
        body["state"] = [_entry(c, p, store, ids, with_value=True) for c, p in spec.state]
    return body


@dataclass
class Call:
    """One request: which callback, how long (client side, until the whole body is read), what it set."""

    label: str
    seconds: float
    status: int
    size: int
    updated: set[PropKey]


class DashClient:
    """Plays the renderer's part for one page: props store, callback cascade, requests."""

    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.url = base_url.rstrip("/")
        self.session = session or requests.Session()
        deps = self._get_json("/_dash-dependencies")
        self.layout = self._get_json("/_dash-layout")
        self.store, self.ids, self.types = index_layout(self.layout)
        # Clientside callbacks run in the browser; none of them feeds a server callback here.
        self.callbacks = [CallbackSpec.from_dependency(d, self.ids) for d in deps if not d.get("clientside_function")]
        #: the changed props of the current user action, main one first (ctx.triggered_id is the first)
        self._order: list[PropKey] = []

    def _get_json(self, path: str) -> Any:
        response = self.session.get(self.url + path, timeout=120)
        if response.status_code != 200:
            raise BenchError(f"GET {path}: HTTP {response.status_code}")
        return response.json()

    def load(self) -> list[Call]:
        """The page's initial callbacks, as on first load of the bare URL."""
        for key, kind in self.types.items():
            if kind == "Location":  # dcc.Location reports the browser's address on mount
                self.store.update({(key, "pathname"): "/", (key, "search"): "", (key, "hash"): "",
                                   (key, "href"): self.url + "/"})
        queue = {i: set() for i, cb in enumerate(self.callbacks) if not cb.prevent_initial_call}
        return self._run(queue)

    def change(self, changes: dict[PropKey, Any], order: list[PropKey]) -> list[Call]:
        """A user's change of controls: set the props, then run every callback it triggers."""
        self.store.update(changes)
        changed = set(changes)
        queue: dict[int, set[PropKey]] = {}
        for i, cb in enumerate(self.callbacks):
            hit = cb.input_keys & changed
            if hit:
                queue[i] = hit
        self._order = order
        return self._run(queue)

    def _run(self, queue: dict[int, set[PropKey]]) -> list[Call]:
        calls: list[Call] = []
        runs: dict[int, int] = {}
        while queue:
            # Like the renderer: a callback waits while another queued one will still set one of its inputs.
            ready = [i for i in queue
                     if not any(self.callbacks[j].output_keys & self.callbacks[i].input_keys for j in queue if j != i)]
            index = ready[0] if ready else min(queue)
            triggers = queue.pop(index)
            runs[index] = runs.get(index, 0) + 1
            if runs[index] > 3:
                raise BenchError(f"callback {self.callbacks[index].label} keeps re-triggering")
            call = self._call(index, triggers)
            calls.append(call)
            for j, cb in enumerate(self.callbacks):
                hit = cb.input_keys & call.updated
                if j != index and hit:  # a callback's own outputs never re-trigger it
                    queue.setdefault(j, set()).update(hit)
        return calls

    def _call(self, index: int, triggers: set[PropKey]) -> Call:
        spec = self.callbacks[index]
        order = self._order
        ranked = sorted(triggers, key=lambda k: (order.index(k) if k in order else len(order), k))
        body = build_payload(spec, self.store, self.ids, [f"{c}.{p}" for c, p in ranked])
        start = time.perf_counter()
        response = self.session.post(self.url + "/_dash-update-component", json=body, timeout=600)
        content = response.content  # read the whole body inside the timing, as the browser must
        seconds = time.perf_counter() - start
        updated: set[PropKey] = set()
        if response.status_code == 200:
            try:
                answer = json.loads(content)
            except ValueError as exc:
                raise BenchError(f"{spec.label}: response is not JSON: {content[:200]!r}") from exc
            for component, props in (answer.get("response") or {}).items():
                for prop, value in props.items():
                    self.store[(component, prop)] = value
                    updated.add((component, prop))
            if not updated and spec.label in REQUIRED:
                raise BenchError(f"{spec.label}: HTTP 200 with an empty response: {content[:200]!r}")
        elif response.status_code == 204 and spec.label not in REQUIRED:
            pass  # PreventUpdate / all no_update: what e.g. the table answers outside the table view
        else:
            raise BenchError(f"{spec.label}: HTTP {response.status_code}: {content[:300]!r}")
        return Call(spec.label, seconds, response.status_code, len(content), updated)


# --- the filter changes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A filter change: the URL parameters it leads to (from the default state) and how the user makes it.

    ``gvc_via`` is ``"list"`` (tick one value chain), ``"button"`` (an "All of/in ..." button) or "".
    """

    name: str
    params: tuple[tuple[str, str], ...]
    gvc_via: str = ""


CONTROLS = {"scope": "filter-scope", "link": "filter-link", "kind": "filter-kind", "prov": "filter-prov",
            "year": "filter-year", "q": "filter-search"}
GVC_LIST = "filter-gvc"
GVC_BUTTON = "filter-gvc-group"


def _option_values(options: list | None) -> list:
    return [o["value"] if isinstance(o, dict) else o for o in options or []]


def _pick(preferred: list[str], available: list[str], count: int = 1) -> list[str]:
    """The preferred values if the dataset has them all, else its first ``count`` values."""
    return preferred if preferred and all(v in available for v in preferred) else available[:count]


def _blocks(layout: Any) -> list[list[dict]]:
    """For each component holding several others (e.g. a sector's ``Details``), the dict ids inside it."""
    out: list[list[dict]] = []

    def walk(node: Any) -> list[dict]:
        if isinstance(node, list):
            return [i for item in node for i in walk(item)]
        if not (isinstance(node, dict) and isinstance(node.get("props"), dict)):
            return []
        props = node["props"]
        inside = [i for value in props.values() for i in walk(value)]
        if inside:
            out.append(inside)
        return inside + ([props["id"]] if isinstance(props.get("id"), dict) else [])

    walk(layout)
    return out


def _holds(layout: Any, group: str, cluster: str) -> bool:
    """Whether the innermost block with ``group``'s button also holds ``cluster``'s checklist."""
    for block in _blocks(layout):
        if {"type": GVC_BUTTON, "group": group} in block:
            return {"type": GVC_LIST, "cluster": cluster} in block
    return False


def plan_steps(store: dict[PropKey, Any], ids: list[str | dict], layout: Any, quick: bool = False) -> list[Step]:
    """The fixed list of filter changes, with values this dataset has (read from the atlas's layout)."""
    lists = {i["cluster"]: _option_values(store.get((stringify_id(i), "options")))
             for i in ids if isinstance(i, dict) and i.get("type") == GVC_LIST}
    groups = [i["group"] for i in ids if isinstance(i, dict) and i.get("type") == GVC_BUTTON]
    clusters = sorted((c for c in groups if lists.get(c)), key=lambda c: -len(lists[c]))
    # A sector's value chains are the checklists in the innermost block holding its button (a sector with no
    # named value chain would select nothing); blocks come innermost first.
    sizes: dict[str, int] = {}
    for block in _blocks(layout):
        for group in [i["group"] for i in block if i.get("type") == GVC_BUTTON and i["group"] not in lists]:
            sizes.setdefault(group, sum(len(lists.get(i["cluster"], [])) for i in block if i.get("type") == GVC_LIST))
    sectors = sorted((g for g, n in sizes.items() if n), key=lambda g: -sizes[g])
    # ... and one that is not just the cluster step's cluster again (then nothing would change)
    sectors = [g for g in sectors if sizes[g] != len(lists[clusters[0]]) or not _holds(layout, g, clusters[0])]
    first_gvc = next(values[0] for values in lists.values() if values)

    def options(control: str) -> list[str]:
        return _option_values(store.get((CONTROLS[control], "options")))

    provs = options("prov")
    year_min, year_max = store.get(("filter-year", "min")), store.get(("filter-year", "max"))
    years = "2014-2015" if year_min is not None and year_min <= 2014 and year_max >= 2015 else f"{year_min}-{year_min}"
    prov_one = _pick(["IT-BO"], provs)
    steps = [Step("one value chain", (("gvc", first_gvc),), "list"),
             Step("a cluster", (("gvc", clusters[0]),), "button"),
             Step("a sector", (("gvc", sectors[0]),), "button") if sectors else None,
             Step("one province", (("prov", ",".join(prov_one)),)),
             Step("two provinces", (("prov", ",".join(_pick(["IT-FE", "IT-RA"], provs, 2))),)),
             Step("a kind", (("kind", ",".join(_pick(["technopole"], options("kind")))),)),
             Step("a link type", (("link", ",".join(_pick(["partner_agreement"], options("link")))),)),
             Step("two years", (("year", years),)),
             Step("a search", (("q", "tecnopolo"),)),
             Step("world scope", (("scope", "world"),)),
             Step("a combination", (("gvc", clusters[0]), ("prov", ",".join(prov_one)), ("year", years)), "button"),
             Step("back to default", ())]
    steps = [s for s in steps if s is not None]
    quick_names = ("one value chain", "a cluster", "one province", "back to default")
    return [s for s in steps if s.name in quick_names] if quick else steps


def plan_changes(step: Step, store: dict[PropKey, Any], ids: list[str | dict],
                 defaults: dict[PropKey, Any]) -> tuple[dict[PropKey, Any], list[PropKey]] | None:
    """The prop changes that turn the current page into ``step``'s state; None if the app lacks a control.

    Every control not named by the step goes back to its default, so each step's state is
    well defined whatever came before. A group button is "pressed" by raising its n_clicks.
    """
    params = dict(step.params)
    targets: dict[PropKey, Any] = {}
    for name, control in CONTROLS.items():
        key = (control, "value")
        if key not in store:
            if name in params:
                return None  # e.g. the naive baseline has no scope or link-type control
            continue
        if name not in params:
            targets[key] = defaults[key]
        elif name == "year":
            start, _, end = params["year"].partition("-")
            targets[key] = [int(start), int(end or start)]
        elif name in ("scope", "q"):
            targets[key] = params[name]
        else:
            targets[key] = params[name].split(",")
    list_keys = [(stringify_id(i), "value") for i in ids if isinstance(i, dict) and i.get("type") == GVC_LIST]
    targets.update({key: [] for key in list_keys})
    button: PropKey | None = None
    if "gvc" in params and step.gvc_via == "list":
        cluster = next(i["cluster"] for i in ids if isinstance(i, dict) and i.get("type") == GVC_LIST
                       and params["gvc"] in _option_values(store.get((stringify_id(i), "options"))))
        targets[(stringify_id({"type": GVC_LIST, "cluster": cluster}), "value")] = [params["gvc"]]
    elif "gvc" in params:
        button = (stringify_id({"type": GVC_BUTTON, "group": params["gvc"]}), "n_clicks")
        if button not in store:
            return None
    changes = {k: v for k, v in targets.items() if store.get(k) != v}
    main = [k for k in changes if any(k[0] == CONTROLS.get(p) for p in params)]
    order = ([button] if button else []) + main + [k for k in changes if k not in main]
    if button:
        changes = {button: (store.get(button) or 0) + 1, **changes}
    return changes, order


def check_url(step: Step, search: str) -> None:
    """Fail loudly unless the app's URL now says what ``step`` asked for (so the payloads did their job)."""
    got = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
    want = dict(step.params)
    if set(got) != set(want):
        raise BenchError(f"step {step.name!r}: the app's URL is {search!r}, expected parameters {sorted(want)}")
    for key, value in want.items():
        if key != "gvc" and set(got[key].split(",")) != set(value.split(",")):
            raise BenchError(f"step {step.name!r}: URL has {key}={got[key]}, expected {value}")


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process now (VmRSS) and at its peak (VmHWM), in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) / 1024
    return out


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log: Path

    def check(self) -> None:
        """Raise :class:`ServerDied` (with the end of its log) if the app process has exited."""
        if self.proc.poll() is not None:
            raise ServerDied(f"{self.proc.args[1]} exited with {self.proc.returncode} during the benchmark "
                             f"(negative: killed by that signal): {self.log.read_text()[-1500:]}")

    def memory(self) -> dict[str, float]:
        self.check()
        return rss_mb(self.proc.pid)


@contextmanager
def running(script: str, data_dir: Path | None, log_dir: Path) -> Iterator[Server]:
    """Start ``python <script>`` on a free 127.0.0.1 port and stop it afterwards, whatever happens."""
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    env.pop("ATLAS_DEBUG", None)
    if data_dir is not None:
        env["ATLAS_DATA_DIR"] = str(data_dir)
    else:
        env.pop("ATLAS_DATA_DIR", None)
    log_path = log_dir / f"{Path(script).stem}-{port}.log"
    with log_path.open("w") as log:  # a file, not a pipe: an unread pipe would block the server's request log
        proc = subprocess.Popen([sys.executable, str(ROOT / script)], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise BenchError(f"{script} exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
            try:
                if requests.get(url + "/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"{script} did not answer within 180 s")
            time.sleep(0.3)
        yield Server(proc, url, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# --- 1. callback latency ----------------------------------------------------------------------


@dataclass
class Sample:
    """One filter change: which step, "first" / "repeat" (or "any" for an app that caches nothing), ms per callback."""

    step: str
    kind: str
    ms: dict[str, float]


@dataclass
class LatencyResult:
    """Every sample of one app on one dataset, the steps it could run, and the server's memory."""

    samples: list[Sample] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    memory_after_load: list[float] = field(default_factory=list)
    memory_after: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)

    def select(self, kind: str, steps: list[str] | None = None) -> list[Sample]:
        return [s for s in self.samples if s.kind == kind and (steps is None or s.step in steps)]


def run_latency(script: str, data_dir: Path | None, steps: list[Step], reps: int, passes: int, cached: bool,
                log_dir: Path, progress: str) -> LatencyResult:
    """``reps`` fresh server processes; in each, ``passes`` rounds of every step (the first round is cold).

    ``cached``: whether the app caches per filter state; if not, every sample is of kind "any".
    """
    result = LatencyResult()
    for rep in range(reps):
        with running(script, data_dir, log_dir) as server:
            client = DashClient(server.url)
            client.load()
            defaults = dict(client.store)
            result.memory_after_load.append(server.memory()["VmRSS"])
            seen = {client.store.get(("atlas-url", "search"), "")}
            present = {cb.label for cb in client.callbacks}
            for round_ in range(passes):
                for step in steps:
                    plan = plan_changes(step, client.store, client.ids, defaults)
                    if plan is None:
                        if rep == 0 and round_ == 0:
                            result.skipped.append(step.name)
                        continue
                    try:
                        calls = client.change(*plan)
                    except requests.RequestException:
                        server.check()  # say so if the app died under us
                        raise
                    labels = [c.label for c in calls]
                    missing = [r for r in REQUIRED if r in present and r not in labels]
                    if missing:
                        raise BenchError(f"step {step.name!r}: callbacks not triggered: {missing}")
                    search = client.store.get(("atlas-url", "search"), "")
                    check_url(step, search)
                    ms = {"total": 1000 * sum(c.seconds for c in calls)}
                    for call in calls:
                        name = NAMED_CALLBACKS.get(call.label, "other")
                        ms[name] = ms.get(name, 0.0) + 1000 * call.seconds
                    kind = ("repeat" if search in seen else "first") if cached else "any"
                    seen.add(search)
                    result.samples.append(Sample(step.name, kind, ms))
                    if rep == 0 and round_ == 0:
                        result.steps.append(step.name)
                    say(f"  {progress} rep {rep + 1}/{reps} round {round_ + 1} {step.name}: "
                          f"{ms['total']:.0f} ms ({kind})")
            memory = server.memory()
            result.memory_after.append(memory["VmRSS"])
            result.peak.append(memory["VmHWM"])
    return result


# --- 2. and 3. the browser --------------------------------------------------------------------

#: installed before any page script: counts cytoscape element changes and layouts from the first moment,
#: by catching dash-cytoscape's ``window.cy = cy``
NET_HOOK = """
(() => {
  const net = window.__benchNet = {running: 0, changes: 0, lastEvent: 0, paint: 0};
  // uncaught page errors, e.g. plotly's "Map error." when maplibre rejects an update: the map then never repaints
  const errors = window.__benchErrors = [];
  window.addEventListener('error', e => errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', e => errors.push(String(e.reason && e.reason.message || e.reason)));
  let current = null, pending = false;
  const paint = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => requestAnimationFrame(() => { pending = false; net.paint = performance.now(); }));
  };
  Object.defineProperty(window, 'cy', {configurable: true, get() { return current; }, set(cy) {
    if (cy && cy !== current) {
      cy.on('add remove data position', () => { net.changes++; net.lastEvent = performance.now(); paint(); });
      // a layout may have started before window.cy was set: never count below zero
      cy.on('layoutstart', () => { net.running++; net.lastEvent = performance.now(); });
      cy.on('layoutstop', () => {
        net.running = Math.max(0, net.running - 1);
        net.lastEvent = performance.now();
        paint();
      });
    }
    current = cy;
  }});
})();
"""
#: page state polled by Python: Dash busy?, map drawn?, network settled?
STATUS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const net = window.__benchNet || {};
const map = window.__benchMap || {};
return {busy: document.querySelectorAll('[data-dash-is-loading="true"]').length,
        counts: (document.getElementById('filter-counts') || {}).textContent || '',
        plotted: !!(gd && gd.data && gd.data.length && gd._fullLayout), cy: !!window.cy,
        layouts: net.running || 0, changes: net.changes || 0, lastEvent: net.lastEvent || 0,
        netPaint: net.paint || 0, mapPaint: map.paint || 0, now: performance.now(), t0: window.__benchT0 || 0,
        errors: (window.__benchErrors || []).slice(-3)};
"""
#: armed just before a click: the map counts as redrawn at the first ``plotly_afterplot`` (a full replot) or
#: ``plotly_react`` (the end of every ``Plotly.react``, also when plotly only restyles) with new ``gd.data``
ARM_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
window.__benchMap = {old: gd.data, paint: 0, plotted: 0};
if (!gd.__benchHooked) {
  gd.__benchHooked = true;
  const done = () => {
    const m = window.__benchMap;
    if (m && !m.plotted && gd.data !== m.old) {
      m.plotted = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { m.paint = performance.now(); }));
    }
  };
  gd.on('plotly_afterplot', done);
  gd.on('plotly_react', done);
}
// maplibre reports why it rejected an update only on its own 'error' event: keep the first line
const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
if (sub && sub.map && !sub.map.__benchHooked) {
  sub.map.__benchHooked = true;
  sub.map.on('error', e => window.__benchErrors.push('maplibre: ' + String(e.error && e.error.message || e)));
}
window.__benchT0 = performance.now();
return [window.__benchNet.changes, window.__benchErrors.length];
"""


class Browser:
    """Headless Chromium through chromedriver, with the performance log on; quits (and reaps) on close."""

    def __init__(self) -> None:
        from selenium import webdriver

        options = webdriver.ChromeOptions()
        options.binary_location = CHROME
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        # An explicit driver path: selenium must never try to download one.
        self.driver = webdriver.Chrome(options=options,
                                       service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
        self.driver.set_page_load_timeout(180)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NET_HOOK})
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def guarded(self, fn: Callable[..., Any], *args: Any, timeout: float = 10.0) -> Any:
        """``fn(*args)`` in a daemon thread, given up after ``timeout`` s (raises ``TimeoutError``).

        A page whose main thread is blocked (the naive app at 100k) makes chromedriver wait without
        end; the benchmark must keep its own deadlines, and close() kills the browser anyway.
        """
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(*args)
            except (WebDriverException, urllib3.exceptions.HTTPError, OSError) as exc:
                box["error"] = exc

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError(f"no answer from the browser in {timeout:.0f} s")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def close(self) -> None:
        service = self.driver.service.process
        children = _descendants(service.pid) if service else []
        try:
            self.guarded(self.driver.quit, timeout=30)
        except (WebDriverException, OSError, urllib3.exceptions.HTTPError) as exc:
            # a hung page must not stop the cleanup below (TimeoutError is an OSError)
            print(f"  (browser quit failed: {exc!r}; killing it)", file=sys.stderr)
        for pid in [*children, *([service.pid] if service else [])]:
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def status(self) -> dict | None:
        try:
            return self.guarded(self.driver.execute_script, STATUS_JS)
        except (WebDriverException, urllib3.exceptions.HTTPError, TimeoutError):
            return None  # the page is too busy to answer: still working

    def errors_since(self, count: int) -> list[str]:
        """Page errors recorded after the first ``count`` ones ([] if the page does not answer)."""
        try:
            return self.guarded(self.driver.execute_script, "return window.__benchErrors.slice(arguments[0]);",
                                count) or []
        except (WebDriverException, urllib3.exceptions.HTTPError, TimeoutError):
            return []


def _descendants(pid: int) -> list[int]:
    """Pids of every process below ``pid`` (chromedriver's Chromium processes), read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2:].split()[1])
    out, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == current]
        out += kids
        frontier += kids
    return out


def wait_settled(browser: Browser, timeout: float, quiet: float = 0.6) -> bool:
    """Wait until Dash is idle, map and network are drawn and no layout runs, for ``quiet`` s; False on timeout."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        s = browser.status()
        ok = bool(s and not s["busy"] and s["counts"].strip() and s["plotted"] and s["cy"] and s["layouts"] == 0
                  and s["now"] - s["lastEvent"] > 1000 * quiet)
        if ok:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet:
                return True
        else:
            quiet_since = None
        time.sleep(0.1)
    return False


def first_load(browser: Browser, url: str, timeout: float) -> dict:
    """Open the page in a fresh profile; bytes of every response until idle, and the biggest ones."""
    driver = browser.driver
    driver.get_log("performance")  # drop anything logged before the navigation
    start = time.monotonic()
    driver.get(url + "/")
    settled = wait_settled(browser, timeout)
    seconds = time.monotonic() - start
    if not settled:  # the page is stuck: reading its log would hang too
        return {"settled": False, "seconds": seconds, "bytes": None, "requests": 0, "largest": [], "external": []}
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    external: set[str] = set()  # the atlas must make no request outside the machine
    for entry in browser.guarded(driver.get_log, "performance", timeout=60):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            request = params["request"]
            if not request["url"].startswith((url, "data:", "blob:")):
                external.add(request["url"])
            name = request["url"].replace(url, "")
            if "_dash-update-component" in name:
                with suppress(ValueError, KeyError):
                    name = "callback " + _short_output(json.loads(request.get("postData") or "{}")["output"])
            urls[params["requestId"]] = name
        elif message["method"] == "Network.loadingFinished":
            sizes[params["requestId"]] = sizes.get(params["requestId"], 0) + int(params["encodedDataLength"])
    items = sorted(((urls.get(r, r), n) for r, n in sizes.items()), key=lambda item: -item[1])
    return {"settled": settled, "seconds": seconds, "bytes": sum(sizes.values()), "requests": len(sizes),
            "largest": items[:5], "external": sorted(external)}


def _short_output(output: str) -> str:
    first = split_output(output)[0]
    return f"{stringify_id(first[0])}.{first[1].split('@')[0]}"


@dataclass
class Click:
    """One user action in the page: tick a province (by its label) or press a group button (by its text)."""

    kind: str  # "prov" | "button"
    text: str


def click_plan(browser: Browser) -> list[Click]:
    """Two provinces and one cluster button, ticked and unticked in an order that ends at the default state."""
    from selenium.webdriver.common.by import By

    labels = [e.text.strip() for e in browser.driver.find_elements(By.CSS_SELECTOR, "#filter-prov label")]
    provs = [p for p in ("Bologna", "Ferrara") if p in labels] or labels[:2]
    buttons = sorted(b.get_attribute("textContent").strip()
                     for b in browser.driver.find_elements(By.TAG_NAME, "button")
                     if (b.get_attribute("textContent") or "").strip().startswith("All of "))
    a, b, group = provs[0], provs[1], buttons[0]
    return [Click("prov", a), Click("button", group), Click("prov", b), Click("prov", a), Click("button", group),
            Click("prov", b)]


def xpath_literal(text: str) -> str:
    """``text`` as an XPath string literal, whatever quotes it holds (e.g. Reggio nell'Emilia)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def _element(browser: Browser, click: Click):
    from selenium.webdriver.common.by import By

    text = xpath_literal(click.text)
    if click.kind == "prov":
        return browser.driver.find_element(By.XPATH, f"//*[@id='filter-prov']//label[normalize-space(.)={text}]")
    button = browser.driver.find_element(By.XPATH, f"//button[normalize-space(.)={text}]")
    if not button.is_displayed():  # in a closed sector block: open it as a person would, before timing
        button.find_element(By.XPATH, "./ancestor::details[1]/summary").click()
        time.sleep(0.3)
    return button


@dataclass
class ClickResult:
    """One click: ms until both views were repainted (None if not), and the page error that stopped the map."""

    ms: float | None
    error: str = ""


def measure_click(browser: Browser, click: Click, timeout: float) -> ClickResult:
    """Time from the click until map and network are both repainted; ``ms`` None after ``timeout`` or an error."""
    element = _element(browser, click)
    changes, errors = browser.driver.execute_script(ARM_JS)
    element.click()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = browser.status()
        # 300 ms of quiet: dash-cytoscape re-runs the layout 100 ms after elements are added or removed.
        net_done = bool(s and s["changes"] > changes and s["layouts"] == 0 and s["netPaint"] > s["lastEvent"]
                        and s["now"] - s["lastEvent"] > 300)
        if s and net_done and not s["busy"] and s["mapPaint"]:
            return ClickResult(max(s["mapPaint"], s["netPaint"]) - s["t0"])
        page_errors = browser.errors_since(errors) if s else []
        if page_errors and net_done and not s["busy"]:
            # the map will not repaint any more (its graph stays pending): say why instead of waiting
            detail = next((e for e in page_errors if e.startswith("maplibre:")), page_errors[0])
            return ClickResult(None, detail.splitlines()[0][:160])
        time.sleep(0.05)
    return ClickResult(None)


@dataclass
class BrowserResult:
    load: dict
    first: list[float]
    repeat: list[float]
    timed_out: bool
    clicks: int
    memory_after_load: float
    memory_after: float
    peak: float
    timeout: float
    #: clicks after which the map did not repaint because of a page error: (URL after the click, error)
    failures: list[tuple[str, str]] = field(default_factory=list)


def run_browser(script: str, data_dir: Path | None, rounds: int, timeout: float, log_dir: Path,
                progress: str, quick: bool) -> BrowserResult:
    """Fresh server, fresh browser: first load, then the click plan ``rounds`` times."""
    with running(script, data_dir, log_dir) as server:
        browser = Browser()
        try:
            load = first_load(browser, server.url, timeout)
            after_load = server.memory()["VmRSS"]
            say(f"  {progress} first load: {(load['bytes'] or 0) / 1e6:.2f} MB, {load['seconds']:.1f} s, "
                f"settled={load['settled']}")
            first: list[float] = []
            repeat: list[float] = []
            failures: list[tuple[str, str]] = []
            timed_out = not load["settled"]
            clicks = 0
            if not timed_out:
                plan = click_plan(browser)[:3] if quick else click_plan(browser)
                seen = {browser.driver.current_url}
                for round_ in range(rounds):
                    for click in plan:
                        if not wait_settled(browser, timeout):
                            timed_out = True
                            break
                        result = measure_click(browser, click, timeout)
                        clicks += 1
                        server.check()  # a click that "times out" on a dead server measures nothing
                        if result.ms is None and not result.error:
                            timed_out = True
                            break
                        # wait for the URL write-back, then classify by whether the state was seen before
                        wait_settled(browser, timeout)
                        current = browser.driver.current_url
                        if result.ms is None:
                            failures.append((current.replace(server.url, ""), result.error))
                            say(f"  {progress} round {round_ + 1} {click.kind} {click.text!r}: map failed: "
                                  f"{result.error}")
                            # the graph stays broken: reload the same URL (the state is in it) and go on
                            browser.driver.get(current)
                            if not wait_settled(browser, timeout):
                                timed_out = True
                                break
                        else:
                            (repeat if current in seen else first).append(result.ms)
                            say(f"  {progress} round {round_ + 1} {click.kind} {click.text!r}: {result.ms:.0f} ms")
                        seen.add(current)
                    if timed_out:
                        break
            memory = server.memory()
        finally:
            browser.close()
    return BrowserResult(load, first, repeat, timed_out, clicks, after_load, memory["VmRSS"], memory["VmHWM"], timeout,
                         failures)


# --- the report -------------------------------------------------------------------------------


@dataclass
class DatasetRun:
    label: str
    big: bool
    latency: dict[str, LatencyResult] = field(default_factory=dict)
    browser: dict[str, BrowserResult] = field(default_factory=dict)


def dataset_label(name: str, data_dir: Path) -> str:
    """``name (N actors incl. S start-ups, L links)``, counted from the dataset's CSV files."""
    counts = {"actors": 0, "startups": 0, "links": 0}
    for path in sorted(data_dir.glob("*.csv")):
        table = path.stem.split("-")[0]
        if table in ("actors", "links"):
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            counts[table] += len(rows)
            counts["startups"] += sum(1 for r in rows if r.get("kind") == "startup")
    return f"{name} ({counts['actors']:,} actors incl. {counts['startups']:,} start-ups, {counts['links']:,} links)"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


PARTS = ("state", "map", "network", "counts", "empty notice", "other")


def latency_rows(run: DatasetRun) -> list[str]:
    target = TARGET_P95_BIG_MS if run.big else TARGET_P95_DEFAULT_MS
    rows = []
    for app, result in run.latency.items():
        for kind in ("first", "repeat", "any"):
            samples = result.select(kind)
            if not samples:
                continue
            cells = [fmt_pair([s.ms[name] for s in samples if name in s.ms]) for name in PARTS]
            totals = [s.ms["total"] for s in samples]
            verdict = ""
            if app == "atlas":
                slowest = max(percentile([s.ms[n] for s in samples if n in s.ms], 95)
                              for n in PARTS if any(n in s.ms for s in samples))
                verdict = (f"< {target} ms — slowest callback's p95 {fmt_ms(slowest)}: {_met(slowest < target)}; "
                           f"sum's p95: {_met(percentile(totals, 95) < target)}")
            label = "every change (no cache)" if kind == "any" else kind
            rows.append(f"| {run.label} | {app} | {label} ({len(samples)}) | " + " | ".join(cells)
                        + f" | **{fmt_pair(totals)}** | {verdict} |")
    return rows


def step_rows(runs: list[DatasetRun]) -> list[str]:
    """Per filter change, the atlas's first-time median: sum, and the three callbacks that do the work."""
    atlas = [(run, run.latency["atlas"]) for run in runs if "atlas" in run.latency]
    if not atlas:
        return []
    header = "| filter change | " + " | ".join(f"{'shipped' if not run.big else 'generated'}: sum / map / network / "
                                             "counts" for run, _ in atlas) + " |"
    rows = [header, "|---|" + "---|" * len(atlas)]
    for step in atlas[0][1].steps:
        cells = []
        for _, result in atlas:
            samples = result.select("first", [step]) or result.select("repeat", [step])
            if not samples:
                cells.append("n/a")
                continue
            cells.append(" / ".join(fmt_ms(statistics.median([s.ms.get(n, 0.0) for s in samples]))
                                    for n in ("total", "map", "network", "counts")))
        rows.append(f"| {step} | " + " | ".join(cells) + " |")
    return rows


def ratio(naive: float, atlas: float) -> str:
    value = naive / atlas
    return f"{value:.1f}×" if value < 10 else f"{value:.0f}×"


def browser_rows(run: DatasetRun) -> list[str]:
    rows = []
    for app, r in run.browser.items():
        load = r.load
        mb = (load["bytes"] or 0) / 1e6
        load_cell = (f"{mb:.2f} MB, {load['requests']} requests, {load['seconds']:.1f} s" if load["settled"] else
                     f"did not settle in {r.timeout:.0f} s")
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
                targets.append(f"repaint < {TARGET_REPAINT_BIG_S:.0f} s: median {middle:.2f} s "
                               f"{_met(middle < TARGET_REPAINT_BIG_S)}, slowest {worst:.2f} s "
                               f"{_met(worst < TARGET_REPAINT_BIG_S)}")
        rows.append(f"| {run.label} | {app} | {load_cell} | {cell(r.first)}{note} | {cell(r.repeat)} | "
                    f"{len(every)} | {'; '.join(targets)} |")
    return rows


def memory_rows(run: DatasetRun) -> list[str]:
    rows = []
    for app, result in run.latency.items():
        b = run.browser.get(app)
        after = max(result.memory_after + ([b.memory_after] if b else []))
        peak = max(result.peak + ([b.peak] if b else []))
        rows.append(f"| {run.label} | {app} | {statistics.median(result.memory_after_load):.0f} MB | "
                    f"{after:.0f} MB | {peak:.0f} MB |")
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
            rows.append(f"| {run.label} | callbacks, sum, median (atlas: {kind}) | {fmt_ms(statistics.median(n))} ms "
                        f"| {fmt_ms(statistics.median(a))} ms | {ratio(statistics.median(n), statistics.median(a))} |")
    ab, nb = run.browser.get("atlas"), run.browser.get("naive")
    if ab and nb:
        a_all, n_all = ab.first + ab.repeat, nb.first + nb.repeat
        a_med = statistics.median(a_all) if a_all else None
        if a_med and n_all and not nb.timed_out:
            n_med = statistics.median(n_all)
            rows.append(f"| {run.label} | repaint after a click, median | {n_med / 1000:.2f} s | {a_med / 1000:.2f} s "
                        f"| {ratio(n_med, a_med)} |")
        elif a_med:
            what = "the page did not settle" if not nb.load["settled"] else "a change did not finish"
            rows.append(f"| {run.label} | repaint after a click, median | >{nb.timeout:.0f} s ({what} in "
                        f"{nb.timeout:.0f} s) | {a_med / 1000:.2f} s | >{nb.timeout * 1000 / a_med:.0f}× |")
        if nb.load["bytes"] and ab.load["bytes"]:
            rows.append(f"| {run.label} | first load | {nb.load['bytes'] / 1e6:.1f} MB | "
                        f"{ab.load['bytes'] / 1e6:.1f} MB | {ratio(nb.load['bytes'], ab.load['bytes'])} |")
    return rows


def report(runs: list[DatasetRun], args: argparse.Namespace, browser_version: str, minutes: float) -> str:
    """The markdown block (between the README markers): conditions, tables, notes."""
    today = dt.date.today().isoformat()
    first = next((r for r in runs if "atlas" in r.latency), None)
    steps = first.latency["atlas"].steps if first else []
    skipped = sorted({s for r in runs if "naive" in r.latency for s in r.latency["naive"].skipped})
    lines = [
        START,
        f"Measured by `python scripts/bench_app.py` on {today}: Python {platform.python_version()}, "
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
        "generated one), nothing cached. *state*: the URL/state "
        "callback; *other*: the network stylesheet and the two table callbacks (empty answers outside the table "
        "view). "
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
        lines += ["", "Atlas, per filter change, first time (median ms; *counts* runs first after the state "
                  "callback here, so it pays for computing the selection):", ""] + per_step
    lines += [
        "",
        "**In the browser**: first load of `/` in a fresh profile (bytes over the wire for every request, "
        "until the page is idle), then the time from a click (a province checkbox, a cluster's "
        "\"All of ...\" button) until both map and network are repainted, median (*first*: a filter state "
        f"the server had not seen). Targets: first load under {TARGET_FIRST_LOAD_MB:.0f} MB, repaint under "
        f"{TARGET_REPAINT_BIG_S:.0f} s at 100k. The naive app gets {args.naive_timeout:.0f} s per wait.",
        "",
        "| dataset | app | first load | repaint, first | repaint, repeat | clicks | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines += browser_rows(run)
    largest = [f"{run.label}: " + ", ".join(f"`{name[:70]}` {size / 1e6:.2f} MB"
                                           for name, size in run.browser["atlas"].load["largest"])
               for run in runs if "atlas" in run.browser]
    if largest:
        lines += ["", "Largest items of the atlas's first load — " + "; ".join(largest) + "."]
    for run in runs:
        for app, result in run.browser.items():
            if result.failures:
                errors = sorted({e for _, e in result.failures})
                where = ", ".join(sorted({f"`{u or '/'}`" for u, _ in result.failures}))
                lines += ["", f"Map failures ({run.label}, {app}): after clicks leading to {where} the map kept "
                          f"its old picture (graph left pending) with: {'; '.join(f'`{e}`' for e in errors)}. "
                          "Those clicks are left out of the repaint times; the page was reloaded to go on."]
            if result.load.get("external"):
                lines += ["", f"Requests outside the machine ({run.label}, {app}): "
                          + ", ".join(f"`{u[:80]}`" for u in result.load["external"]) + "."]
    mem = [row for run in runs for row in memory_rows(run)]
    if mem:
        lines += ["", "**Server memory** (VmRSS of the app process; peak: VmHWM), over the latency processes and "
                  "the browser's.", "",
                  "| dataset | app | after load (median) | after the benchmark (max) | peak |", "|---|---|---|---|---|"]
        lines += mem
    ratios = [row for run in runs for row in ratio_rows(run)]
    if ratios:
        lines += ["", "**Naive baseline** (`scripts/naive_app.py`: every callback re-filters the full frames with "
                  "pandas, every actor is a raw map point, every node and edge goes to cytoscape with a "
                  "browser-side `cose` layout; nothing cached) against the atlas: same requests, same clicks"
                  + (f"; the naive app has no control for {', '.join(skipped)}, so ratios use the other changes"
                     if skipped else "") + ".", "",
                  "| dataset | measure | naive | atlas | naive / atlas |", "|---|---|---|---|---|"]
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


# --- main -------------------------------------------------------------------------------------


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
            notes.append(f"{what}: the app process died during the measurement ({str(exc).split(':')[0]}); "
                         "the phase was run again from the start.")
    raise AssertionError("unreachable")


def generate(directory: Path, startups: int, actors: int, links: int, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "data", "generate", "--startups", str(startups), "--actors", str(actors),
                    "--links", str(links), "--seed", str(seed), "-o", str(directory)],
                   cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="fresh server processes per app and dataset")
    parser.add_argument("--naive-reps-big", type=int, default=2,
                        help="repetitions of the naive app on the generated dataset (it is slow)")
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-timeout", type=float, default=120.0, help="seconds the naive app gets in the browser")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 repetition, 4 filter changes, a 10k generated dataset, short timeouts")
    parser.add_argument("--update-readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args(argv)
    if args.quick:
        if args.update_readme:
            parser.error("--quick numbers are not for the README")
        args.reps, args.naive_reps_big, args.naive_timeout = 1, 1, 30.0
        args.startups, args.actors, args.links = 10_000, 1_000, 5_000
    if not args.no_browser and not (Path(CHROME).exists() and Path(CHROMEDRIVER).exists()):
        raise SystemExit(f"needs {CHROME} and {CHROMEDRIVER} (apt-get install chromium chromium-driver), "
                         "or --no-browser")
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
        datasets = [DatasetRun(dataset_label("shipped", shipped_dir), False),
                    DatasetRun(dataset_label("generated", big), True)]
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
                run.latency[app] = retried(partial(run_latency, script, data_dir, steps, reps, 2 if cached else 1,
                                                   cached, tmp_dir, f"[{run.label} {app}]"),
                                           f"{run.label}, {app}, latency", args.notes)
                if not args.no_browser:
                    say(f"{run.label}, {app}: browser")
                    timeout = args.naive_timeout if app == "naive" else 120.0
                    rounds = 1 if app == "naive" else 2
                    run.browser[app] = retried(partial(run_browser, script, data_dir, rounds, timeout, tmp_dir,
                                                       f"[{run.label} {app}]", args.quick),
                                               f"{run.label}, {app}, browser", args.notes)
            if run.big and "naive" in run.latency and args.naive_reps_big < args.reps:
                args.notes.append(f"the naive app ran {args.naive_reps_big} time(s) (not {args.reps}) on the "
                                  "generated dataset, to keep the run short.")
            runs.append(run)
        if not args.no_browser:
            browser = Browser()
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


if __name__ == "__main__":
    sys.exit(main())
