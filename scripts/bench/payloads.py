"""The Dash protocol as the renderer speaks it: ids, ``/_dash-dependencies``, request bodies, and a client
that replays the renderer's callback cascade over HTTP.

Everything here is driven by what the running app answers (its dependencies and layout), so the replay
keeps working when callbacks or stores are added, split or renamed; only :data:`NAMED_CALLBACKS` names
some of them for the report, and a name whose callback is gone is simply "not present".
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from scripts.bench.common import BenchError

PropKey = tuple[str, str]  # (stringified component id, property)

#: parts of the report: a callback is named by the first entry one of its outputs matches (``id.prop``);
#: the third item says whether an ``allow_duplicate`` output counts (the map's halos and figure do, the
#: presentation's URL write-back must not pass for the state callback). Every other callback is "other".
NAMED_CALLBACKS: tuple[tuple[str, str, bool], ...] = (
    ("state", "atlas-url.search", False),
    ("map", "atlas-map.figure", True),
    ("map", "atlas-map-highlight.data", True),  # a selection's halos (drawn by the page on the map)
    ("network", "atlas-network.elements", True),
    ("network", "atlas-network.stylesheet", True),
    ("counts", "filter-counts.children", True),
    ("empty notice", "atlas-empty.hidden", True),
)
#: the callback every user action must run and get data from (HTTP 200, non-empty): the state callback
REQUIRED = "state"


def stringify_id(component_id: str | dict) -> str:
    """The string form Dash uses for an id (same as ``dash._utils.stringify_id``)."""
    if isinstance(component_id, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(component_id[k])}" for k in sorted(component_id)) + "}"
    return component_id


def prop_label(component: str | dict, prop: str) -> str:
    """``id.prop`` of an output or input, without an ``allow_duplicate`` ``@hash``."""
    return f"{stringify_id(component)}.{prop.split('@')[0]}"


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
            out.append((parse_dep_id(part[: end + 1]), part[end + 2 :]))
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
    """Whether a dependency id is a pattern (a dict with a wildcard such as ``["ALL"]`` as a value)."""
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
        return prop_label(*self.outputs[0])

    @property
    def name(self) -> str:
        """The report's name for this callback (:data:`NAMED_CALLBACKS`), "other" if it has none."""
        return callback_name(self.outputs)

    @property
    def output_labels(self) -> tuple[str, ...]:
        """Every output as ``id.prop`` (no ``@hash``), in order."""
        return tuple(prop_label(c, p) for c, p in self.outputs)

    @classmethod
    def from_dependency(cls, dep: dict, ids: list[str | dict]) -> CallbackSpec:
        """The callback of one ``/_dash-dependencies`` entry; wildcard ids resolved against ``ids``."""
        spec = cls(
            output=dep["output"],
            outputs=split_output(dep["output"]),
            inputs=[(parse_dep_id(i["id"]), i["property"]) for i in dep["inputs"]],
            state=[(parse_dep_id(s["id"]), s["property"]) for s in dep.get("state", [])],
            prevent_initial_call=bool(dep.get("prevent_initial_call")),
        )
        spec.input_keys = {k for c, p in spec.inputs for k in concrete_keys(c, p, ids)}
        spec.output_keys = {k for c, p in spec.outputs for k in concrete_keys(c, p.split("@")[0], ids)}
        return spec


def callback_name(outputs: list[tuple[str | dict, str]]) -> str:
    """The first :data:`NAMED_CALLBACKS` part that one of ``outputs`` matches, else "other"."""
    for name, wanted, duplicates in NAMED_CALLBACKS:
        for component, prop in outputs:
            if (duplicates or "@" not in prop) and prop_label(component, prop) == wanted:
                return name
    return "other"


def decode_array(value: Any) -> list:
    """A plotly array as a list: plain, or plotly's typed-array form ``{"dtype", "bdata"[, "shape"]}``."""
    if isinstance(value, dict) and "bdata" in value:
        import numpy as np

        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if value.get("shape"):
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return list(value or [])


def short_output(output: str) -> str:
    """A callback's first output as ``id.prop`` (no ``@hash``), from its ``output`` string."""
    return prop_label(*split_output(output)[0])


def concrete_keys(component: str | dict, prop: str, ids: list[str | dict]) -> list[PropKey]:
    """The (id, prop) keys a dependency entry stands for: one, or every matching id for a wildcard."""
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


def build_payload(spec: CallbackSpec, store: dict[PropKey, Any], ids: list[str | dict], changed: list[str]) -> dict:
    """The body the renderer POSTs to ``/_dash-update-component`` (as dash-renderer's ``handleServerside``)."""
    outputs = [_entry(c, p, store, ids, with_value=False) for c, p in spec.outputs]
    body: dict[str, Any] = {
        "output": spec.output,
        "outputs": outputs if spec.output.startswith("..") else outputs[0],
        "inputs": [_entry(c, p, store, ids, with_value=True) for c, p in spec.inputs],
        "changedPropIds": changed,
        "parsedChangedPropsIds": [json.loads(c[: c.rindex("}") + 1]) if c.startswith("{") else c for c in changed],
    }
    if spec.state:
        body["state"] = [_entry(c, p, store, ids, with_value=True) for c, p in spec.state]
    return body


@dataclass
class Call:
    """One request: which callback, how long (client side, until the whole body is read), what it set."""

    label: str
    name: str
    seconds: float
    status: int
    size: int
    updated: set[PropKey]
    outputs: tuple[str, ...] = ()

    def writes_to(self, component: str) -> bool:
        """Whether the callback has an output on the component ``component`` (a plain id)."""
        return any(o.rsplit(".", 1)[0] == component for o in self.outputs)


def _highlight_request(store: dict[PropKey, Any]) -> Any:
    """The map's halo gate (components/map_panel.py ``HIGHLIGHT_GATE``): [selected, filters, map options]."""
    selected = store.get(("atlas-selection", "data")) or ""
    if not selected:
        return None
    return [selected, store.get(("atlas-filter-state", "data")) or {}, store.get(("atlas-map-options", "data")) or {}]


#: clientside callbacks that feed a server callback, mirrored here (the others only touch the page):
#: output -> (the inputs that run it, what it computes from the store)
CLIENTSIDE_GATES: dict[PropKey, tuple[frozenset[PropKey], Any]] = {
    ("atlas-map-highlight-request", "data"): (
        frozenset({("atlas-selection", "data"), ("atlas-filter-state", "data"), ("atlas-map-options", "data")}),
        _highlight_request,
    ),
}


class DashClient:
    """Plays the renderer's part for one page: props store, callback cascade, requests."""

    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.url = base_url.rstrip("/")
        self.session = session or requests.Session()
        deps = self._get_json("/_dash-dependencies")
        self.layout = self._get_json("/_dash-layout")
        self.store, self.ids, self.types = index_layout(self.layout)
        # Clientside callbacks run in the browser; those that feed a server callback are mirrored
        # (CLIENTSIDE_GATES), the others change nothing a server callback reads.
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
                self.store.update(
                    {(key, "pathname"): "/", (key, "search"): "", (key, "hash"): "", (key, "href"): self.url + "/"}
                )
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
            ready = [
                i
                for i in queue
                if not any(self.callbacks[j].output_keys & self.callbacks[i].input_keys for j in queue if j != i)
            ]
            index = ready[0] if ready else min(queue)
            triggers = queue.pop(index)
            runs[index] = runs.get(index, 0) + 1
            if runs[index] > 3:
                raise BenchError(f"callback {self.callbacks[index].label} keeps re-triggering")
            call = self._call(index, triggers)
            calls.append(call)
            call.updated |= self._run_gates(call.updated)
            for j, cb in enumerate(self.callbacks):
                hit = cb.input_keys & call.updated
                if j != index and hit:  # a callback's own outputs never re-trigger it
                    queue.setdefault(j, set()).update(hit)
        return calls

    def _run_gates(self, updated: set[PropKey]) -> set[PropKey]:
        """The outputs of :data:`CLIENTSIDE_GATES` that ``updated`` changes (set in the store)."""
        changed: set[PropKey] = set()
        for output, (inputs, compute) in CLIENTSIDE_GATES.items():
            if output[0] in self.ids and inputs & updated:
                value = compute(self.store)
                if value != self.store.get(output):
                    self.store[output] = value
                    changed.add(output)
        return changed

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
            if not updated and spec.name == REQUIRED:
                raise BenchError(f"{spec.label}: HTTP 200 with an empty response: {content[:200]!r}")
        elif response.status_code == 204 and spec.name != REQUIRED:
            pass  # PreventUpdate / all no_update: what e.g. the table answers outside the table view
        else:
            raise BenchError(f"{spec.label}: HTTP {response.status_code}: {content[:300]!r}")
        return Call(spec.label, spec.name, seconds, response.status_code, len(content), updated, spec.output_labels)
