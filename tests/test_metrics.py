"""Network metrics (issue 14's first part) on a hand-made network whose answers are known: a path
net - x - y - z - w with x, y in cluster A and z in cluster B, and a home province linked to a
partner region abroad."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core import metrics
from core.selection import select
from core.state import ViewState
from data import read_dataset
from tests.conftest import write_dataset

SECTORS = "id,name,source,confidence\nmech,Mechatronics,https://example.org/s,confirmed\n"
GROUPINGS = (
    "id,kind,name,sector,source,confidence\n"
    "cl-a,cluster,Cluster A,mech,https://example.org/a,confirmed\n"
    "cl-b,cluster,Cluster B,mech,https://example.org/b,confirmed\n"
    "net,regions_network,A network,,https://example.org/n,confirmed\n"
)
GVCS = "id,name,sector,cluster,source,confidence\ngvc-a,Automation,mech,cl-a,https://example.org/g,confirmed\n"
ACTORS = (
    "id,kind,name,lon,lat,province,municipality,clusters,source,confidence\n"
    "x,firm,X,11.2,44.2,IT-BO,Bologna,cl-a,https://example.org/x,confirmed\n"
    "y,firm,Y,11.4,44.4,IT-BO,Bologna,cl-a,https://example.org/y,confirmed\n"
    "z,firm,Z,11.6,44.6,IT-BO,Bologna,cl-b,https://example.org/z,confirmed\n"
    "w,university,W,11.8,44.8,IT-BO,Bologna,,https://example.org/w,confirmed\n"
)
LINKS = (
    "id,source_id,target_id,link_type,source,confidence\n"
    "l1,x,y,research_collaboration,https://example.org/1,confirmed\n"
    "l2,y,z,research_collaboration,https://example.org/2,confirmed\n"
    "l3,z,w,research_collaboration,https://example.org/3,confirmed\n"
    "l4,home,far,partner_agreement,https://example.org/4,confirmed\n"
    "l5,x,net,network_membership,https://example.org/5,confirmed\n"
)


def _square(x: float, y: float) -> list:
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def _area(area_id: str, kind: str, x: float, y: float) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": _square(x, y)},
        "properties": {"id": area_id, "kind": kind, "name": area_id, "source": "https://example.org/area",
                       "confidence": "confirmed"},
    }  # fmt: skip


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory):
    areas = {
        "type": "FeatureCollection",
        "features": [_area("home", "province", 11, 44), _area("far", "partner_region", 20, 50)],
    }
    directory = write_dataset(
        tmp_path_factory.mktemp("metrics"),
        sectors__csv=SECTORS,
        groupings__csv=GROUPINGS,
        gvcs__csv=GVCS,
        actors__csv=ACTORS,
        links__csv=LINKS,
        areas__geojson=areas,
    )
    (directory / "dataset.json").write_text(json.dumps({"region": "home"}), encoding="utf-8")
    dataset = read_dataset(directory)
    assert not dataset.errors, dataset.errors
    selection = select(dataset, ViewState(scope="world"))
    return dataset, selection, metrics.compute(dataset, selection)


def test_degree_counts_each_nodes_links(known) -> None:
    _, _, result = known
    degree = result.frame["degree"].to_dict()
    assert {k: degree[k] for k in ("x", "y", "z", "w", "net", "home", "far")} == {
        "x": 2, "y": 2, "z": 2, "w": 1, "net": 1, "home": 1, "far": 1
    }  # fmt: skip
    assert degree["cl-a"] == 0  # memberships drawn from the actors' records are not links


def test_betweenness_finds_the_broker(known) -> None:
    _, _, result = known
    between = result.frame["betweenness"]
    # on the path net-x-y-z-w: y lies on 4 of the pairs' shortest paths, x and z on 3; normalised by
    # (n-1)(n-2)/2 = 15 pairs among the 7 linked nodes
    assert between["y"] == pytest.approx(4 / 15, abs=1e-6)
    assert between["x"] == between["z"] == pytest.approx(3 / 15, abs=1e-6)
    assert between[["w", "net", "home", "far"]].eq(0).all()
    assert not result.approximate
    assert list(result.ranking("betweenness").index) == ["y", "x", "z"]
    assert result.rank_of("y", "betweenness") == 1 and result.rank_of("z", "betweenness") == 2
    assert result.rank_of("w", "betweenness") is None  # a broker of nothing has no rank


def test_bridging_counts_links_across_clusters_and_the_border(known) -> None:
    _, _, result = known
    frame = result.frame
    assert frame.loc[["y", "z"], "bridging"].tolist() == [1, 1]  # y-z: cluster A to cluster B
    assert frame.loc["x", "bridging"] == 0  # x-y: one cluster; x-net: a network has no cluster
    assert frame.loc["w", "bridging"] == 0  # z-w: w is in no cluster
    assert frame.loc[["home", "far"], "abroad"].tolist() == [1, 1]  # the partner agreement crosses the border
    assert frame.loc["net", "abroad"] == 0  # a network has no place
    assert list(result.ranking("abroad").index) == ["far", "home"]
    assert list(result.ranking("degree").index) == ["x", "y", "z", "far", "home", "net", "w"]


def test_metrics_follow_the_filters_and_are_cached(known) -> None:
    dataset, selection, _ = known
    assert metrics.network_metrics(dataset, selection) is metrics.network_metrics(dataset, selection)
    narrower = select(dataset, ViewState(scope="world", link=("research_collaboration",)))
    frame = metrics.network_metrics(dataset, narrower).frame
    assert frame.loc["x", "degree"] == 1  # the membership link is filtered out
    assert frame.loc["y", "betweenness"] == pytest.approx(2 / 3, abs=1e-6)  # on the path x-y-z-w alone


def test_a_large_network_gets_a_reproducible_estimate(monkeypatch: pytest.MonkeyPatch, known) -> None:
    dataset, selection, _ = known
    monkeypatch.setattr(metrics, "EXACT_UP_TO", 3)
    first, second = metrics.compute(dataset, selection), metrics.compute(dataset, selection)
    assert first.approximate
    assert first.frame.equals(second.frame)  # the same sample every time


def test_the_shipped_networks_hubs_and_brokers() -> None:
    from data import DEFAULT_DATA_DIR

    dataset = read_dataset(DEFAULT_DATA_DIR)
    result = metrics.compute(dataset, select(dataset, ViewState()))
    hubs = list(result.ranking("degree", 3).index)
    assert "high-technology-network" in hubs or "IT-45" in hubs  # the region and its network are hubs
    assert result.frame["degree"].sum() == 2 * len(select(dataset, ViewState()).links)
    assert Path(metrics.__file__).name == "metrics.py"


@pytest.mark.parametrize(("n", "m", "seed"), [(40, 60, 1), (300, 450, 2), (600, 500, 3)])
def test_the_array_brandes_equals_networkx(n: int, m: int, seed: int) -> None:
    """The estimate's engine, run from every source, gives networkx's exact betweenness."""
    import networkx as nx
    import numpy as np

    graph = nx.gnm_random_graph(n, m, seed=seed)
    edges = np.array(list(graph.edges()))
    exact = nx.betweenness_centrality(graph)
    mine = metrics.dependencies(n, edges[:, 0], edges[:, 1], np.arange(n)) / ((n - 1) * (n - 2))
    assert np.allclose(mine, [exact[i] for i in range(n)], atol=1e-12)


def test_the_estimate_finds_the_top_brokers() -> None:
    """On a graph with clear brokers (hubs of communities joined through bridges), the seeded
    estimate names the same top brokers as the exact computation."""
    import networkx as nx
    import numpy as np

    graph = nx.relaxed_caveman_graph(30, 12, 0.05, seed=5)
    n = graph.number_of_nodes()
    edges = np.array(list(graph.edges()))
    exact = nx.betweenness_centrality(graph)
    sources = np.sort(np.random.default_rng(metrics.SEED).choice(n, size=metrics.SAMPLES, replace=False))
    estimate = metrics.dependencies(n, edges[:, 0], edges[:, 1], sources)
    top_exact = set(sorted(exact, key=exact.get, reverse=True)[:10])
    top_estimate = set(np.argsort(-estimate)[:10].tolist())
    assert len(top_exact & top_estimate) >= 7


def test_an_actor_in_several_clusters_shares_any_of_them(tmp_path: Path) -> None:
    """An actor in clusters A and B (u): its link to v (in B) or to cluster A itself stays inside a
    cluster; v's links to x (in A) and to cluster A cross; y, in no cluster, crosses nothing."""
    actors = (
        ACTORS.split("\n", 1)[0] + "\n"
        "u,firm,U,11.2,44.2,IT-BO,Bologna,cl-a;cl-b,https://example.org/u,confirmed\n"
        "v,firm,V,11.4,44.4,IT-BO,Bologna,cl-b,https://example.org/v,confirmed\n"
        "x,firm,X,11.6,44.6,IT-BO,Bologna,cl-a,https://example.org/x,confirmed\n"
        "y,firm,Y,11.8,44.8,IT-BO,Bologna,,https://example.org/y,confirmed\n"
    )
    links = (
        LINKS.split("\n", 1)[0] + "\n"
        "l1,u,v,research_collaboration,https://example.org/1,confirmed\n"
        "l2,v,x,research_collaboration,https://example.org/2,confirmed\n"
        "l3,u,cl-a,research_collaboration,https://example.org/3,confirmed\n"
        "l4,v,cl-a,research_collaboration,https://example.org/4,confirmed\n"
        "l5,x,y,research_collaboration,https://example.org/5,confirmed\n"
    )
    areas = {"type": "FeatureCollection", "features": [_area("home", "province", 11, 44)]}
    directory = write_dataset(
        tmp_path / "clusters",
        sectors__csv=SECTORS,
        groupings__csv=GROUPINGS,
        gvcs__csv=GVCS,
        actors__csv=actors,
        links__csv=links,
        areas__geojson=areas,
    )
    dataset = read_dataset(directory)
    assert not dataset.errors, dataset.errors
    frame = metrics.compute(dataset, select(dataset, ViewState(scope="world"))).frame
    assert frame["bridging"].to_dict() == {"u": 0, "v": 2, "x": 1, "y": 0, "cl-a": 1, "cl-b": 0, "net": 0, "home": 0}
    assert frame["degree"].to_dict() == {"u": 2, "v": 3, "x": 2, "y": 1, "cl-a": 2, "cl-b": 0, "net": 0, "home": 0}


def _by_definition(dataset, selection) -> pd.DataFrame:
    """The metrics as the module docstring defines them, written plainly on ids and sets."""
    from collections import Counter

    import networkx as nx

    from core.outside import outside_places

    actors, groupings, areas = selection.actors, selection.groupings, selection.areas
    nodes = [*actors["id"], *groupings["id"], *areas["id"]]
    shown = set(nodes)
    ends = [
        (s, t)
        for s, t in zip(selection.links["source_id"], selection.links["target_id"], strict=True)
        if s in shown and t in shown
    ]
    clusters = {a: set(c) for a, c in zip(actors["id"], actors["clusters"], strict=True) if len(c)}
    clusters |= {g: {g} for g in groupings.loc[groupings["kind"] == "cluster", "id"]}
    far = set(areas.loc[areas["kind"].isin(metrics.ABROAD_KINDS), "id"]) | set(outside_places(dataset).index)
    places = set(actors["id"]) | set(areas["id"])
    degree, bridging, abroad = Counter(), Counter(), Counter()
    for s, t in ends:
        border = s in places and t in places and (s in far) != (t in far)
        cross = border or (s in clusters and t in clusters and not clusters[s] & clusters[t])
        for counter, counted in ((degree, True), (bridging, cross), (abroad, border)):
            if counted:
                counter[s] += 1
                counter[t] += 1
    between = nx.betweenness_centrality(nx.Graph([(s, t) for s, t in ends if s != t]))
    rows = {n: (degree[n], round(between.get(n, 0.0), 6), bridging[n], abroad[n]) for n in nodes}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(metrics.COLUMNS))


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(scope="world"),
        ViewState(scope="world", link=("partner_agreement", "network_membership")),
        ViewState(link=("coordination", "part_of")),
        ViewState(prov=("IT-BO",)),
        ViewState(kind=("university", "technopole")),
    ],
)
def test_the_shipped_metrics_are_those_of_the_definition(state: ViewState) -> None:
    """The array implementation against the definition, on the shipped network (clusters, links
    abroad, networks) and some of its filter states."""
    from data import DEFAULT_DATA_DIR

    dataset = read_dataset(DEFAULT_DATA_DIR)
    selection = select(dataset, state)
    frame = metrics.compute(dataset, selection).frame
    expected = _by_definition(dataset, selection)
    assert list(frame.index) == list(expected.index)
    assert frame[["degree", "bridging", "abroad"]].to_numpy().tolist() == (
        expected[["degree", "bridging", "abroad"]].to_numpy().tolist()
    )
    assert frame["betweenness"].to_numpy() == pytest.approx(expected["betweenness"].to_numpy(), abs=1e-6)
