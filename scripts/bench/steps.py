"""The user actions the benchmark replays: filter changes (with values read from the app's own layout)
and selections (a click on a network node or a map point), turned into the prop changes the browser makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from scripts.bench.common import BenchError
from scripts.bench.payloads import PropKey, decode_array, stringify_id


@dataclass(frozen=True)
class Step:
    """A filter change: the URL parameters it leads to (from the default state) and how the user makes it.

    ``gvc_via`` is ``"list"`` (tick one value chain), ``"button"`` (an "All of/in ..." button) or "".
    """

    name: str
    params: tuple[tuple[str, str], ...]
    gvc_via: str = ""


CONTROLS = {
    "scope": "filter-scope",
    "link": "filter-link",
    "kind": "filter-kind",
    "prov": "filter-prov",
    "year": "filter-year",
    "q": "filter-search",
}
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
    lists = {
        i["cluster"]: _option_values(store.get((stringify_id(i), "options")))
        for i in ids
        if isinstance(i, dict) and i.get("type") == GVC_LIST
    }
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
    steps = [
        Step("one value chain", (("gvc", first_gvc),), "list"),
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
        Step("back to default", ()),
    ]
    steps = [s for s in steps if s is not None]
    quick_names = ("one value chain", "a cluster", "one province", "back to default")
    return [s for s in steps if s.name in quick_names] if quick else steps


def plan_changes(
    step: Step, store: dict[PropKey, Any], ids: list[str | dict], defaults: dict[PropKey, Any]
) -> tuple[dict[PropKey, Any], list[PropKey]] | None:
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
        cluster = next(
            i["cluster"]
            for i in ids
            if isinstance(i, dict)
            and i.get("type") == GVC_LIST
            and params["gvc"] in _option_values(store.get((stringify_id(i), "options")))
        )
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


# --- selections -------------------------------------------------------------------------------

#: the click inputs a selection can come through: (how, component, property)
SELECT_VIA = (("network", "atlas-network", "tapNodeData"), ("map", "atlas-map", "clickData"))
MAP_FIGURE: PropKey = ("atlas-map", "figure")
NETWORK_ELEMENTS: PropKey = ("atlas-network", "elements")


@dataclass(frozen=True)
class Selection:
    """A click that selects one element: through the network (a node tap) or the map (a point click)."""

    via: str
    target: str
    key: PropKey
    value: dict


def _network_targets(elements: list | None) -> list[tuple[str, dict]]:
    """Single (not grouped) nodes drawn in the network: (id, the node's data, i.e. ``tapNodeData``)."""
    out = []
    for element in elements or []:
        data = element.get("data") or {}
        node = data.get("id")
        if isinstance(node, str) and "source" not in data and not node.startswith("group:"):
            out.append((node, data))
    return out


def _map_targets(figure: dict | None) -> list[tuple[str, dict]]:
    """Points of the map that stand for one element (not an aggregate): (id, ``clickData``)."""
    out = []
    for curve, trace in enumerate((figure or {}).get("data") or []):
        custom = decode_array(trace.get("customdata")) if trace.get("customdata") is not None else None
        if not custom:
            continue
        lons, lats = decode_array(trace.get("lon")), decode_array(trace.get("lat"))
        for index, value in enumerate(custom):
            element = value[0] if isinstance(value, list) and value else value
            if not isinstance(element, str) or element.startswith("agg:") or index >= len(lons):
                continue
            point = {
                "curveNumber": curve,
                "pointNumber": index,
                "pointIndex": index,
                "lon": lons[index],
                "lat": lats[index] if index < len(lats) else None,
                "customdata": value,
            }
            out.append((element, {"points": [point]}))
    return out


def plan_selections(store: dict[PropKey, Any], input_keys: set[PropKey], count: int) -> list[Selection]:
    """Up to ``count`` clicks on distinct elements drawn now, alternating network and map.

    Only the click inputs some server callback listens to are used: an app without them (the naive
    baseline, or a future atlas that selects elsewhere) gets [] and the measurement is "not present".
    """
    pools: list[list[Selection]] = []
    for via, component, prop in SELECT_VIA:
        key = (component, prop)
        if key not in input_keys:
            continue
        found = (
            _network_targets(store.get(NETWORK_ELEMENTS)) if via == "network" else _map_targets(store.get(MAP_FIGURE))
        )
        pools.append([Selection(via, target, key, value) for target, value in found])
    out: list[Selection] = []
    seen: set[str] = set()
    while len(out) < count and any(pools):
        for pool in pools:
            while pool:
                item = pool.pop(0)
                if item.target not in seen:
                    seen.add(item.target)
                    out.append(item)
                    break
    return out[:count]


def check_selected(selection: Selection, search: str) -> None:
    """Fail loudly unless the app's URL now names the clicked element (``sel=``)."""
    got = parse_qs((search or "").lstrip("?")).get("sel", [""])[0]
    if got != selection.target:
        raise BenchError(f"selection via {selection.via} of {selection.target!r}: the app's URL is {search!r}")
