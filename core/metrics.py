"""Network metrics of a filtered selection (issue 14, first part): who is a hub, a broker, a bridge.

For every node of a selection (actors, groupings, areas), computed on the link records the
filters show, each an edge between its two ends (the clusters' dashed memberships, derived from
the actors' records, are not links and do not count):

``degree``
    how many links the node has: a **hub** has many.
``betweenness``
    the share of shortest paths between two other nodes that pass through it (networkx,
    normalised to 0-1): a **broker** connects parts of the network that would otherwise be far
    apart. Exact up to :data:`EXACT_UP_TO` linked nodes; above, estimated from
    :data:`SAMPLES` source nodes drawn with a fixed seed (the same answer every time; ranks of
    the top brokers are stable, small values are rough), and ``approximate`` says so.
``bridging``
    how many of its links cross a boundary: to a node of another cluster (both ends in clusters,
    none shared), or across the region's border (one end abroad: a partner region, country,
    member region of a network, or an actor outside the region; groupings have no place, so a
    link to a network crosses no border). ``abroad`` counts the latter alone: the **bridges
    abroad**.

Computed once per filter state and dataset (:func:`network_metrics`), shared read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from core.once import OncePerKey
from core.outside import outside_places
from core.selection import Selection
from data import Dataset

#: graphs with at most this many linked nodes get exact betweenness
EXACT_UP_TO = 2_000
#: source nodes sampled for the betweenness of larger graphs (a fixed seed: reproducible)
SAMPLES = 96
SEED = 14
#: area kinds that lie beyond the home region
ABROAD_KINDS = frozenset({"partner_region", "country", "member_region"})
COLUMNS = ("degree", "betweenness", "bridging", "abroad")


@dataclass(frozen=True)
class Metrics:
    """The metrics of a selection's nodes (``frame``: one row per node id, :data:`COLUMNS`) and
    whether the betweenness is an estimate."""

    frame: pd.DataFrame
    approximate: bool

    def ranking(self, metric: str, limit: int = 50) -> pd.DataFrame:
        """The ``limit`` nodes highest on ``metric`` (ties: more links first, then by id), with their
        rank; nodes scoring zero are left out (no hub has no link)."""
        frame = self.frame[self.frame[metric] > 0]
        ordered = frame.assign(node=frame.index.to_numpy()).sort_values(
            [metric, "degree", "node"], ascending=[False, False, True], kind="mergesort"
        )
        top = ordered.head(limit).drop(columns="node")
        return top.assign(rank=np.arange(1, len(top) + 1))

    def rank_of(self, node_id: str, metric: str) -> int | None:
        """The rank of ``node_id`` on ``metric`` among the nodes that score above zero (1 = highest)."""
        if node_id not in self.frame.index or self.frame.at[node_id, metric] <= 0:
            return None
        value = self.frame.at[node_id, metric]
        return int((self.frame[metric] > value).sum()) + 1


_cache: OncePerKey[Metrics] = OncePerKey(maxsize=16)


def network_metrics(dataset: Dataset, selection: Selection) -> Metrics:
    """The metrics of ``selection``'s nodes (cached per dataset and filter state)."""
    return _cache.get((dataset, selection.key), lambda: compute(dataset, selection))


def compute(dataset: Dataset, selection: Selection) -> Metrics:
    """The metrics of ``selection``'s nodes, uncached (see the module docstring)."""
    nodes = np.concatenate(
        [frame["id"].to_numpy(dtype=object) for frame in (selection.actors, selection.groupings, selection.areas)]
    )
    frame = pd.DataFrame(0, index=pd.Index(nodes, name="id"), columns=list(COLUMNS), dtype=float)
    links = selection.links
    shown = set(nodes.tolist())
    ends = [(s, t) for s, t in zip(links["source_id"], links["target_id"], strict=True) if s in shown and t in shown]
    if not ends:
        return Metrics(frame.astype({"degree": int, "bridging": int, "abroad": int}), False)
    sources, targets = (pd.Series([e[i] for e in ends], dtype=object) for i in (0, 1))
    frame["degree"] = pd.concat([sources, targets]).value_counts().reindex(frame.index, fill_value=0)
    crossing, abroad = _crossings(dataset, selection, sources, targets)
    for mask, column in ((crossing, "bridging"), (abroad, "abroad")):
        counted = pd.concat([sources[mask], targets[mask]]).value_counts()
        frame[column] = counted.reindex(frame.index, fill_value=0)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_edges_from(e for e in ends if e[0] != e[1])
    approximate = graph.number_of_nodes() > EXACT_UP_TO
    if approximate:
        between = nx.betweenness_centrality(graph, k=min(SAMPLES, graph.number_of_nodes()), seed=SEED)
    else:
        between = nx.betweenness_centrality(graph)
    frame["betweenness"] = pd.Series(between, dtype=float).reindex(frame.index, fill_value=0.0).round(6)
    return Metrics(frame.astype({"degree": int, "bridging": int, "abroad": int}), approximate)


def _crossings(
    dataset: Dataset, selection: Selection, sources: pd.Series, targets: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Per link: whether it crosses a boundary (clusters or the border), and whether it crosses the border."""
    clusters: dict[str, frozenset[str]] = {}
    for node, items in zip(selection.actors["id"], selection.actors["clusters"], strict=True):
        if items:
            clusters[node] = frozenset(items)
    groupings = selection.groupings
    for node in groupings.loc[groupings["kind"] == "cluster", "id"]:
        clusters[node] = frozenset({node})
    areas = selection.areas
    far = set(areas.loc[areas["kind"].isin(ABROAD_KINDS), "id"]) | set(outside_places(dataset).index)
    # groupings (networks, programmes) have no place: a link to one crosses no border
    places = set(selection.actors["id"]) | set(areas["id"])
    across_clusters = np.array(
        [
            s in clusters and t in clusters and not (clusters[s] & clusters[t])
            for s, t in zip(sources, targets, strict=True)
        ],
        dtype=bool,
    )
    across_border = np.array(
        [s in places and t in places and (s in far) != (t in far) for s, t in zip(sources, targets, strict=True)],
        dtype=bool,
    )
    return across_clusters | across_border, across_border
