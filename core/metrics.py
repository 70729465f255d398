"""Network metrics of a filtered selection (issue 14, first part): who is a hub, a broker, a bridge.

For every node of a selection (actors, groupings, areas), computed on the link records the
filters show, each an edge between its two ends (the clusters' dashed memberships, derived from
the actors' records, are not links and do not count):

``degree``
    how many links the node has: a **hub** has many.
``betweenness``
    the share of shortest paths between two other nodes that pass through it (normalised to
    0-1, as networkx does): a **broker** connects parts of the network that would otherwise be
    far apart. Exact (networkx) up to :data:`EXACT_UP_TO` linked nodes; above, estimated from
    :data:`SAMPLES` source nodes drawn with a fixed seed (the same answer every time; ranks of
    the top brokers are stable, small values are rough), and ``approximate`` says so. The
    estimate runs Brandes' algorithm on arrays, many sources at once (:func:`dependencies`):
    networkx's pure-Python loop took 27 s on the 100k benchmark's 57k linked nodes.
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
    # plain lists and a hashed index: iterating pandas' string arrays cost 0.4 s at 50k links
    known = frame.index
    source_ids, target_ids = links["source_id"].tolist(), links["target_id"].tolist()
    both_shown = (known.get_indexer(source_ids) >= 0) & (known.get_indexer(target_ids) >= 0)
    ends = [(s, t) for s, t, keep in zip(source_ids, target_ids, both_shown, strict=True) if keep]
    if not ends:
        return Metrics(frame.astype({"degree": int, "bridging": int, "abroad": int}), False)
    sources, targets = (pd.Series([e[i] for e in ends], dtype=object) for i in (0, 1))
    frame["degree"] = pd.concat([sources, targets]).value_counts().reindex(frame.index, fill_value=0)
    crossing, abroad = _crossings(dataset, selection, sources, targets)
    for mask, column in ((crossing, "bridging"), (abroad, "abroad")):
        counted = pd.concat([sources[mask], targets[mask]]).value_counts()
        frame[column] = counted.reindex(frame.index, fill_value=0)
    pairs = {(s, t) if s < t else (t, s) for s, t in ends if s != t}  # the graph is simple and undirected
    linked = sorted({node for pair in pairs for node in pair})
    approximate = len(linked) > EXACT_UP_TO
    if approximate:
        between = _estimated_betweenness(linked, pairs)
    else:
        graph: nx.Graph[str] = nx.Graph()
        graph.add_edges_from(pairs)
        between = pd.Series(nx.betweenness_centrality(graph), dtype=float)
    frame["betweenness"] = between.reindex(frame.index, fill_value=0.0).round(6)
    return Metrics(frame.astype({"degree": int, "bridging": int, "abroad": int}), approximate)


def _estimated_betweenness(linked: list[str], pairs: set[tuple[str, str]]) -> pd.Series:
    """Betweenness from :data:`SAMPLES` seeded sources, scaled as networkx scales its estimate."""
    n = len(linked)
    position = {node: i for i, node in enumerate(linked)}
    src = np.fromiter((position[s] for s, _ in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((position[t] for _, t in pairs), dtype=np.int64, count=len(pairs))
    k = min(SAMPLES, n)
    sources = np.sort(np.random.default_rng(SEED).choice(n, size=k, replace=False))
    scale = (n / k) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return pd.Series(dependencies(n, src, dst, sources) * scale, index=linked, dtype=float)


def dependencies(n: int, src: np.ndarray, dst: np.ndarray, sources: np.ndarray, batch: int = 16) -> np.ndarray:
    """Brandes' dependencies summed over ``sources``, for the simple undirected graph of ``n`` nodes
    and edges ``src[i] - dst[i]``: a node's betweenness before normalisation when ``sources`` are
    all the nodes. Breadth-first, ``batch`` sources side by side, one array operation per level."""
    ends, others = np.concatenate([src, dst]), np.concatenate([dst, src])
    neighbours = others[np.argsort(ends, kind="stable")]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=start[1:])
    total = np.zeros(n)
    for first in range(0, len(sources), batch):
        roots = np.asarray(sources[first : first + batch], dtype=np.int64)
        k = len(roots)
        # a (node, source) pair is one cell of an n x k table, flattened: node * k + column
        level = np.full(n * k, -1, dtype=np.int64)
        paths = np.zeros(n * k)
        cells = roots * k + np.arange(k)
        level[cells], paths[cells] = 0, 1.0
        frontier_nodes, frontier_cols = roots, np.arange(k)
        steps: list[tuple[np.ndarray, np.ndarray]] = []  # per level, the shortest-path edges (from, to)
        depth = 0
        while len(frontier_nodes):
            degree = start[frontier_nodes + 1] - start[frontier_nodes]
            count = int(degree.sum())
            if not count:
                break
            offsets = np.arange(count) - np.repeat(np.cumsum(degree) - degree, degree)
            reached = neighbours[np.repeat(start[frontier_nodes], degree) + offsets]
            cols = np.repeat(frontier_cols, degree)
            came_from = np.repeat(frontier_nodes * k + frontier_cols, degree)
            cell = reached * k + cols
            new = np.unique(cell[level[cell] == -1])
            level[new] = depth + 1
            on_path = level[cell] == depth + 1
            edge_from, edge_to = came_from[on_path], cell[on_path]
            paths += np.bincount(edge_to, weights=paths[edge_from], minlength=n * k)
            steps.append((edge_from, edge_to))
            frontier_nodes, frontier_cols = new // k, new % k
            depth += 1
        dependency = np.zeros(n * k)
        for edge_from, edge_to in reversed(steps):
            share = paths[edge_from] / paths[edge_to] * (1.0 + dependency[edge_to])
            dependency += np.bincount(edge_from, weights=share, minlength=n * k)
        dependency[cells] = 0.0
        total += dependency.reshape(n, k).sum(axis=1)
    return total


def _crossings(
    dataset: Dataset, selection: Selection, sources: pd.Series, targets: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Per link: whether it crosses a boundary (clusters or the border), and whether it crosses the border."""
    clusters: dict[str, frozenset[str]] = {}
    for node, items in zip(selection.actors["id"].tolist(), selection.actors["clusters"].tolist(), strict=True):
        if items:
            clusters[node] = frozenset(items)
    groupings = selection.groupings
    for node in groupings.loc[groupings["kind"] == "cluster", "id"]:
        clusters[node] = frozenset({node})
    areas = selection.areas
    far = set(areas.loc[areas["kind"].isin(ABROAD_KINDS), "id"]) | set(outside_places(dataset).index)
    # groupings (networks, programmes) have no place: a link to one crosses no border
    places = set(selection.actors["id"].tolist()) | set(areas["id"].tolist())
    source_ids, target_ids = sources.tolist(), targets.tolist()
    across_clusters = np.array(
        [
            s in clusters and t in clusters and not (clusters[s] & clusters[t])
            for s, t in zip(source_ids, target_ids, strict=True)
        ],
        dtype=bool,
    )
    across_border = np.array(
        [s in places and t in places and (s in far) != (t in far) for s, t in zip(source_ids, target_ids, strict=True)],
        dtype=bool,
    )
    return across_clusters | across_border, across_border
