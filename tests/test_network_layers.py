"""Network layer, layouts, stylesheet and network panel callbacks: unit tier, no browser."""

from __future__ import annotations

import itertools
import math
import time
from pathlib import Path

import pytest
from dash import no_update

from components import ids, network_panel
from core.i18n import LANGUAGES
from core.selection import select
from core.state import ViewState, state_to_dict
from data import DEFAULT_DATA_DIR, Dataset, load_dataset, read_dataset
from data.generate import generate_dataset
from layers import graph_layout, network
from layers.graph_layout import LAYOUTS, layout_positions
from layers.network import (
    GROUP_PREFIX,
    MAX_ELEMENTS,
    MAX_NODES,
    _build,
    _Keyed,
    highlight_ids,
    is_group,
    network_elements,
    notice_text,
)
from layers.network_labels import label_box, label_plan, ladder, readable_at, wrap
from layers.network_style import base_stylesheet, selection_stylesheet
from tests.conftest import LINKS, write_dataset

ROOT = Path(__file__).resolve().parents[1]
ELEMENT_LIMIT = 1500


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, shipped: Dataset) -> Dataset:
    """22,000 synthetic actors and 10,000 links: enough to force grouping of every actor."""
    directory = tmp_path_factory.mktemp("net") / "big"
    generate_dataset(shipped, directory, startups=20000, actors=2000, links=10000, seed=1)
    return read_dataset(directory)


def split(elements: list[dict]) -> tuple[dict[str, dict], list[dict]]:
    nodes = {e["data"]["id"]: e for e in elements if "source" not in e["data"]}
    edges = [e for e in elements if "source" in e["data"]]
    return nodes, edges


def check_consistent(elements: list[dict]) -> tuple[dict[str, dict], list[dict]]:
    """Unique ids, every edge between drawn nodes, every node placed, synthetic nodes marked."""
    nodes, edges = split(elements)
    assert len(nodes) + len(edges) == len(elements)
    assert len({e["data"]["id"] for e in elements}) == len(elements), "duplicate element ids"
    for edge in edges:
        assert edge["data"]["source"] in nodes and edge["data"]["target"] in nodes, edge
        assert edge["data"]["link_type"]
    for node in nodes.values():
        position = node["position"]
        assert math.isfinite(position["x"]) and math.isfinite(position["y"]), node
        assert {"id", "label", "kind", "synthetic"} <= set(node["data"])
        classes = node["classes"].split()
        assert node["data"]["kind"] in classes
        assert ("synthetic" in classes) == bool(node["data"]["synthetic"]), node
    return nodes, edges


# --- shipped data ------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_shipped_elements_are_consistent(shipped: Dataset, layout: str) -> None:
    elements, info = network_elements(shipped, select(shipped, ViewState()), layout)
    nodes, edges = check_consistent(elements)
    assert len(elements) < ELEMENT_LIMIT
    assert info["shown_nodes"] == len(nodes) and info["shown_edges"] == len(edges)
    # Real actors one by one; groupings and node areas all drawn.
    real = shipped.actors.loc[shipped.actors["kind"] != "startup", "id"]
    assert set(real) <= set(nodes)
    assert set(shipped.groupings["id"]) <= set(nodes)
    assert not any("synthetic" in n["classes"] for i, n in nodes.items() if i in set(real))


def test_shipped_startups_are_grouped_by_value_chain(shipped: Dataset) -> None:
    actors = shipped.actors
    startups = actors[actors["kind"] == "startup"]
    elements, info = network_elements(shipped, select(shipped, ViewState()), "cluster")
    nodes, edges = split(elements)
    groups = {i: n for i, n in nodes.items() if is_group(i)}
    # by value chain, or by cluster for those tagged with a cluster only (Agrifood, Build, Innovate)
    first_gvcs = {g[0] if g else c[0] for g, c in zip(startups["gvcs"], startups["clusters"], strict=True)}
    assert {"clust-er-agrifood", "clust-er-build", "clust-er-innovate"} <= first_gvcs
    assert info["grouped"] == info["grouped_startups"] == len(startups)
    assert info["groups"] == len(groups) == len(first_gvcs)
    assert info["group_by"] == "gvc"
    assert sum(n["data"]["count"] for n in groups.values()) == len(startups)
    for node in groups.values():
        assert {"group", "startup", "synthetic"} <= set(node["classes"].split())
        assert node["data"]["label"].startswith(f"{node['data']['count']:,} start-ups — ")
        assert "no value chain" not in node["data"]["label"]
    assert not set(startups["id"]) & set(nodes)
    assert notice_text(info) == f"{len(startups):,} start-ups grouped by value chain — click a group to expand"
    # Each group hangs from its cluster by one dashed, derived edge counting its members.
    derived = [e for e in edges if "derived" in e["classes"].split()]
    assert {e["data"]["source"] for e in derived} == set(groups)
    assert all(e["data"]["target"].startswith("clust-er-") for e in derived)


def test_small_selection_is_drawn_one_by_one(shipped: Dataset) -> None:
    elements, info = network_elements(shipped, select(shipped, ViewState(kind=("university",))), "force")
    nodes, _ = check_consistent(elements)
    assert info["groups"] == 0 and notice_text(info) == ""
    assert not any(is_group(i) for i in nodes)


def test_derived_cluster_edges_drawn_one_by_one_below_the_threshold(shipped: Dataset) -> None:
    selection = select(shipped, ViewState(kind=("startup", "cluster")))
    elements, info = network_elements(shipped, selection, "cluster", max_nodes=2000)
    _nodes, edges = check_consistent(elements)
    startups = selection.actors
    derived = [e for e in edges if "derived" in e["classes"].split()]
    assert info["groups"] == 0
    assert len(derived) == sum(len(c) for c in startups["clusters"]) == info["derived_edges"]
    for edge in derived:
        assert edge["data"]["derived"] is True and edge["data"]["target"] in set(shipped.groupings["id"])


def test_no_derived_edge_where_an_explicit_link_says_it(tmp_path: Path) -> None:
    explicit = LINKS + "l4,a1,cl-mech,cluster_membership,,,https://example.org/l4,confirmed\n"
    for links, expected in ((LINKS, {"derived:a1|cl-mech"}), (explicit, set())):
        dataset = read_dataset(write_dataset(tmp_path / str(len(links)), **{"links.csv": links}))
        elements, _ = network_elements(dataset, select(dataset, ViewState()), "geo")
        _, edges = check_consistent(elements)
        assert {e["data"]["id"] for e in edges if "derived" in e["classes"].split()} == expected


def test_expanding_a_group_draws_its_members(shipped: Dataset) -> None:
    selection = select(shipped, ViewState())
    group = "group:startup:gvc:mech-daama"
    members = {a for a, g in zip(shipped.actors["id"], shipped.actors["gvcs"], strict=True) if g[:1] == ("mech-daama",)}
    elements, info = network_elements(shipped, selection, "cluster", frozenset({group}), max_nodes=400)
    nodes, edges = check_consistent(elements)
    assert members <= set(nodes)
    assert "expanded" in nodes[group]["classes"].split()
    assert {
        e["data"]["target"] for e in edges if e["data"]["source"] == group and "member" in e["classes"].split()
    } == members
    assert info["grouped"] == len(selection.actors[selection.actors["kind"] == "startup"]) - len(members)
    assert info["truncated"] == {}
    # A stale id (a group that does not exist under these filters) changes nothing.
    again, _ = network_elements(
        shipped, selection, "cluster", frozenset({group, "group:startup:gvc:nope"}), max_nodes=400
    )
    assert split(again)[0].keys() == nodes.keys()


def test_an_expansion_beyond_the_cap_is_cut_and_said(shipped: Dataset) -> None:
    selection = select(shipped, ViewState())
    group = "group:startup:gvc:create-fashion"
    base_nodes = len(split(network_elements(shipped, selection, "cluster")[0])[0])
    cap = base_nodes + 5
    elements, info = network_elements(shipped, selection, "cluster", frozenset({group}), max_nodes=cap)
    nodes, _ = check_consistent(elements)
    assert len(nodes) == cap
    shown, total = info["truncated"][group]
    assert shown == 5 and total == nodes[group]["data"]["count"]
    assert f"the first 5 of {total}" in notice_text(info)


# --- at scale ----------------------------------------------------------------------------------


def test_grouping_keeps_big_data_bounded(big: Dataset) -> None:
    cases = {"default": ViewState(), "gvc filter": ViewState(gvc=("mech-daama",))}
    for name, state in cases.items():
        selection = select(big, state)
        started = time.perf_counter()
        elements, info = network_elements(big, selection, "cluster")
        print(
            f"network_elements on 22k actors, {name}: {time.perf_counter() - started:.3f} s, {len(elements)} elements"
        )
        nodes, _ = check_consistent(elements)
        assert len(elements) <= ELEMENT_LIMIT and len(nodes) <= network.MAX_NODES
        assert info["grouped"] > 0 and info["groups"] == sum(is_group(i) for i in nodes)
        assert "grouped by" in notice_text(info)
    # Too many for start-ups alone: every actor is grouped; a single value chain is grouped by province.
    _, info = network_elements(big, select(big, ViewState()), "geo")
    assert info["grouped"] == len(big.actors) and info["group_by"] == "gvc"
    _, info = network_elements(big, select(big, ViewState(gvc=("mech-daama",))), "geo")
    assert info["group_by"] == "province"


def test_expanding_a_big_group_stays_within_the_cap(big: Dataset) -> None:
    selection = select(big, ViewState())
    nodes, _ = split(network_elements(big, selection, "cluster")[0])
    biggest = max((n for n in nodes.values() if is_group(n["data"]["id"])), key=lambda n: n["data"]["count"])
    group = biggest["data"]["id"]
    for layout in LAYOUTS:
        elements, info = network_elements(big, selection, layout, frozenset({group}))
        nodes, edges = check_consistent(elements)
        assert len(elements) <= ELEMENT_LIMIT and len(nodes) == network.MAX_NODES
        shown, total = info["truncated"][group]
        assert shown == sum(1 for e in edges if e["data"]["source"] == group and "member" in e["classes"].split())
        assert total == biggest["data"]["count"] and "first" in notice_text(info)


# --- layouts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts_are_deterministic_and_cached(shipped: Dataset, layout: str) -> None:
    selection = select(shipped, ViewState())
    first, _ = network_elements(shipped, selection, layout)
    spec = network._build(shipped, network._Keyed(selection), frozenset(), network.MAX_NODES, network.MAX_ELEMENTS).spec
    assert layout_positions(spec, layout) is layout_positions(spec, layout)
    # a repeat is served from the caches, not built again (counted, not timed: a timed assertion
    # fails whenever the machine is busy)
    builds = network._build.cache_info()
    second, _ = network_elements(shipped, selection, layout)
    assert network._build.cache_info().hits == builds.hits + 1
    assert network._build.cache_info().misses == builds.misses
    # Computed again from nothing: the same positions.
    network._build.cache_clear()
    graph_layout.layout_positions.cache_clear()
    third, _ = network_elements(shipped, selection, layout)
    positions = [{e["data"]["id"]: e.get("position") for e in run} for run in (first, second, third)]
    assert positions[0] == positions[1] == positions[2]


def test_layouts_differ_and_fit_the_canvas(shipped: Dataset) -> None:
    selection = select(shipped, ViewState())
    by_layout = {}
    for layout in LAYOUTS:
        nodes, _ = split(network_elements(shipped, selection, layout)[0])
        xs = [n["position"]["x"] for n in nodes.values()]
        ys = [n["position"]["y"] for n in nodes.values()]
        assert min(xs) >= 0 and min(ys) >= 0 and max(xs) < 3000 and max(ys) < 3000
        by_layout[layout] = {i: (n["position"]["x"], n["position"]["y"]) for i, n in nodes.items()}
    assert by_layout["cluster"] != by_layout["geo"] != by_layout["force"]
    # Geographic: Piacenza (west) left of Rimini (east), Ferrara (north) above Forlì-Cesena (south).
    geo = by_layout["geo"]
    assert geo["IT-PC"][0] < geo["IT-RN"][0] and geo["IT-FE"][1] < geo["IT-FC"][1]


# --- style -------------------------------------------------------------------------------------


def test_selection_stylesheet_highlights_the_selection() -> None:
    base = base_stylesheet()
    assert selection_stylesheet(base, "", frozenset()) == base
    rules = selection_stylesheet(base, "unibo", frozenset({"high-technology-network", 'odd"id'}))
    assert len(rules) > len(base) and rules[: len(base)] == base
    selectors = " ".join(r["selector"] for r in rules[len(base) :])
    assert 'node[id = "unibo"]' in selectors and 'edge[source = "unibo"]' in selectors
    assert '"high-technology-network"' in selectors and r'"odd\"id"' in selectors
    assert base == base_stylesheet(), "the base stylesheet must not be modified"


def test_stylesheet_marks_synthetic_groups_and_shapes() -> None:
    rules = {r["selector"]: r["style"] for r in base_stylesheet()}
    assert rules["node.synthetic"]["border-style"] == "dashed"
    assert rules["node.group"]["width"] == "data(size)" and rules["node[size]"]["width"] == "data(size)"
    assert rules["node.area"]["shape"] == "hexagon" and rules["node.grouping"]["shape"] == "diamond"
    assert rules["edge.derived"]["line-style"] == "dashed"
    numeric = [style["font-size"] for style in rules.values() if isinstance(style.get("font-size"), int | float)]
    assert all(size >= 12 for size in numeric)
    # labels sized by the server are hidden while they would be drawn too small to read, and never cut
    assert rules["node[fs]"]["font-size"] == "data(fs)"
    assert rules["node.lod-hidden"]["text-opacity"] == 0 and rules["node"]["text-wrap"] == "wrap"


def test_highlight_of_a_grouped_actor_is_its_group(shipped: Dataset) -> None:
    selection = select(shipped, ViewState())
    startup = shipped.actors.loc[shipped.actors["kind"] == "startup"].iloc[0]
    drawn, neighbours = highlight_ids(shipped, selection, startup["id"])
    assert drawn == f"{GROUP_PREFIX}startup:gvc:{startup['gvcs'][0]}"
    assert startup["clusters"][0] in neighbours
    drawn, neighbours = highlight_ids(shipped, selection, "unibo")
    assert drawn == "unibo" and "high-technology-network" in neighbours
    assert highlight_ids(shipped, selection, "no-such-id") == ("", frozenset())


def test_layers_do_not_import_dash() -> None:
    for name in ("network", "graph_layout", "network_style"):
        source = (ROOT / "layers" / f"{name}.py").read_text(encoding="utf-8")
        assert "import dash" not in source and "from dash" not in source


# --- panel callbacks ---------------------------------------------------------------------------


def _view_state(**changes: object) -> dict:
    data = state_to_dict(ViewState(**changes))
    data.pop("sel")
    return data


def test_panel_layout_has_its_parts() -> None:
    panel = network_panel.layout()
    found = {}

    def walk(node: object) -> None:
        if hasattr(node, "id") and isinstance(getattr(node, "id", None), str):
            found[node.id] = node
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(panel)
    assert {ids.NETWORK, ids.NETWORK_LAYOUT, ids.NETWORK_NOTICE, ids.NETWORK_EXPANDED} <= set(found)
    graph = found[ids.NETWORK]
    assert graph.layout["name"] == "preset" and graph.boxSelectionEnabled is False
    labels = [{span.lang: span.children for span in o["label"].children} for o in found[ids.NETWORK_LAYOUT].options]
    assert [{k: v for k, v in label.items() if k in ("en", "it")} for label in labels] == [
        {"en": "By cluster", "it": "Per cluster"},
        {"en": "Geographic", "it": "Geografico"},
        {"en": "Force", "it": "A forze"},
    ]
    assert all(set(label) == set(LANGUAGES) for label in labels)  # every language on the page
    assert found[ids.NETWORK_EXPANDED].data == []


def test_panel_callbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    elements, notice, legend = network_panel.update_network(_view_state(), [])
    check_consistent(elements)
    assert "start-ups grouped by value chain — click a group to expand" in notice
    legend_text = str(legend)
    assert "Network key" in legend_text and "Technopole" in legend_text and "Node size" in legend_text
    group = next(e["data"]["id"] for e in elements if is_group(e["data"]["id"]))
    expanded = [group]  # what the tap on it stores (network_panel.TOGGLE_GROUP, in the browser)
    more, _, _ = network_panel.update_network(_view_state(layout="geo"), expanded)
    assert len(more) > len(elements)
    assert network_panel.update_network(_view_state(view="map"), []) == (no_update, no_update, no_update)
    assert network_panel.update_network(_view_state(q="zzzz-nothing"), []) == ([], "", [])
    base = network_panel.update_stylesheet("", _view_state(), [])
    assert base == network_panel.BASE_STYLESHEET
    styled = network_panel.update_stylesheet("unibo", _view_state(), [])
    assert len(styled) > len(base) and any('"unibo"' in r["selector"] for r in styled)
    assert network_panel.update_stylesheet("unibo", _view_state(view="table"), []) is no_update


@pytest.mark.parametrize("layout", ["cluster", "geo", "force"])
def test_labels_are_placed_apart_and_the_hubs_readable_in_the_fitted_view(shipped: Dataset, layout: str) -> None:
    selection = select(shipped, ViewState(layout=layout))
    elements, _ = network_elements(shipped, selection, layout)
    nodes = [e for e in elements if "position" in e]
    built = _build(shipped, _Keyed(selection), frozenset(), MAX_NODES, MAX_ELEMENTS)
    labels, z0 = label_plan(built.spec, layout)
    by_id = {n.id: n for n in built.spec.nodes}
    boxes = [
        label_box(by_id[k], (n["position"]["x"], n["position"]["y"]), labels[k])
        for n in nodes
        for k in (n["data"]["id"],)
        if labels[k].fits
    ]
    for i, a in enumerate(boxes):  # boxes are in model units: apart at one zoom, apart at every zoom
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    readable = [k for k, v in labels.items() if readable_at(v, z0)]
    assert len(readable) >= 15
    # hubs first: the most connected node's label is readable, and more appear as one zooms in
    assert max(built.spec.nodes, key=lambda n: n.degree).id in readable
    assert sum(readable_at(v, 2 * z0) for v in labels.values()) > len(readable)
    for node in nodes:  # nothing cut: the wrapped text holds every word of the name
        assert node["data"]["text"].replace("\n", " ") == " ".join(str(node["data"]["label"]).split())
        assert node["data"]["fs"] > 0 and node["data"]["fs_hl"] >= node["data"]["fs"]


def test_node_size_follows_its_links(shipped: Dataset) -> None:
    elements, _ = network_elements(shipped, select(shipped, ViewState()), "cluster")
    actors = [e["data"] for e in elements if e["data"].get("entity") == "actor"]
    most = max(actors, key=lambda d: d["degree"])
    least = min(actors, key=lambda d: d["degree"])
    assert most["degree"] > least["degree"] and most["size"] > least["size"]


def test_ladder_and_wrap() -> None:
    steps = ladder(0.4)
    assert steps[0] == 0.4 and steps[-1] == pytest.approx(3.0) and all(b > a for a, b in itertools.pairwise(steps))
    assert ladder(3.5) == (3.5,)
    assert wrap("Clust-ER Agrifood Association for the agro-food industry") == (
        "Clust-ER Agrifood\nAssociation for the\nagro-food industry"
    )
    assert wrap("Supercalifragilisticexpialidocious-network") == "Supercalifragilisticexpialidocious-network"
