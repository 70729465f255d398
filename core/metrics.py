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

Computed once per filter state and dataset (:func:`network_metrics`), shared read-only, on integer
positions: the links' ends are matched to the nodes once per dataset, a filter state takes its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd

from core.codes import exploded, rows
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
#: the tables whose rows are a selection's nodes, in the order of :class:`Metrics`' frame
NODE_TABLES = ("actors", "groupings", "areas")


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
    shown = (selection.actors, selection.groupings, selection.areas)
    nodes = np.concatenate([frame["id"].to_numpy(dtype=object) for frame in shown])
    n = len(nodes)
    graph = _dataset_graph(dataset)
    # On integer positions throughout: matching the link ends by id, sets of pairs of ids, a Python
    # test per link and pandas' value counts cost about 1 s at 50k links, besides the betweenness. A
    # selection's frames keep the dataset's row labels (core.codes.rows): no id is looked up here.
    at = np.concatenate(
        [
            offset + rows(dataset, table, frame)
            for table, frame, offset in zip(NODE_TABLES, shown, graph.offsets, strict=True)
        ]
    ).astype(np.int64)
    # dataset node -> its position among the shown nodes, -1 if hidden; the extra last cell, read by
    # a link end that is no node's id (-1), says hidden too
    shown_at = np.full(graph.size + 1, -1, dtype=np.int64)
    shown_at[at] = np.arange(n)
    link_rows = rows(dataset, "links", selection.links)
    sources, targets = shown_at[graph.sources[link_rows]], shown_at[graph.targets[link_rows]]
    both_shown = (sources >= 0) & (targets >= 0)
    sources, targets = sources[both_shown], targets[both_shown]
    index = pd.Index(nodes, name="id")
    if not len(sources):
        zeros = np.zeros(n, dtype=np.int64)
        return Metrics(pd.DataFrame(dict(zip(COLUMNS, (zeros, np.zeros(n), zeros, zeros), strict=True)), index), False)
    crossing, abroad = _crossings(dataset, selection, graph, shown_at, graph.far[at], sources, targets)
    degree, bridging, far_links = (_count(n, sources[mask], targets[mask]) for mask in (slice(None), crossing, abroad))
    # the graph is simple and undirected: each pair of distinct nodes once, as (lower, higher) position
    distinct = sources != targets
    lower = np.minimum(sources[distinct], targets[distinct])
    higher = np.maximum(sources[distinct], targets[distinct])
    # (np.unique hashes: several times slower than a sort here, or a mark per node)
    pairs = np.sort(lower * n + higher)
    lower, higher = np.divmod(pairs[np.diff(pairs, prepend=-1) != 0], n)
    marked = np.zeros(n, dtype=bool)
    marked[lower], marked[higher] = True, True
    linked = np.flatnonzero(marked)
    approximate = len(linked) > EXACT_UP_TO
    between = np.zeros(n)
    if approximate:
        between[linked] = _estimated_betweenness(nodes, linked, lower, higher)
    else:
        network: nx.Graph[int] = nx.Graph()
        network.add_edges_from(zip(lower.tolist(), higher.tolist(), strict=True))
        exact = nx.betweenness_centrality(network)
        between[list(exact)] = list(exact.values())
    columns = (degree, between.round(6), bridging, far_links)
    return Metrics(pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)), index=index), approximate)


def _count(n: int, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per node (of ``n``), how many of the links ``sources[i] - targets[i]`` it is an end of."""
    return np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)


def _runs(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``starts[i] .. starts[i] + lengths[i] - 1`` of every run, one run after the other."""
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(starts - (ends - lengths), lengths)


@dataclass(frozen=True)
class _Graph:
    """Per dataset, on positions among its nodes (its actors, then groupings, then areas; ``offsets``
    says where each table starts, ``size`` how many in all): the two ends of each link row (-1 where
    an id is no node's), and per node whether it lies beyond the region's border (a partner region,
    country or member region, or an actor outside the region)."""

    offsets: tuple[int, ...]
    size: int
    sources: np.ndarray
    targets: np.ndarray
    far: np.ndarray


@lru_cache(maxsize=4)
def warm(dataset: Dataset) -> None:
    """Build the metrics' per-dataset part (the links' ends as positions) ahead of the first ranking:
    the app's start-up calls it, so no visitor waits for it."""
    _dataset_graph(dataset)


def _dataset_graph(dataset: Dataset) -> _Graph:
    """The dataset's :class:`_Graph`, made once (70 ms at 100k start-ups; a filter state then pays none)."""
    frames = [dataset.frame(table) for table in NODE_TABLES]
    offsets = tuple(np.cumsum([0] + [len(frame) for frame in frames[:-1]]).tolist())
    # object dtype on purpose: pandas 3's "str" index looks strings up several times slower
    ids = pd.Index(np.concatenate([frame["id"].to_numpy(dtype=object) for frame in frames]), dtype=object)
    links = dataset.frame("links")
    sources, targets = (ids.get_indexer(links[end].to_numpy(dtype=object)) for end in ("source_id", "target_id"))
    far = np.zeros(len(ids), dtype=bool)
    outside = ids.get_indexer(outside_places(dataset).index.to_numpy(dtype=object))
    far[outside[outside >= 0]] = True
    far[offsets[-1] + np.flatnonzero(frames[-1]["kind"].isin(ABROAD_KINDS).to_numpy())] = True
    for array in (sources, targets, far):
        array.setflags(write=False)
    return _Graph(offsets, len(ids), sources, targets, far)


def _estimated_betweenness(nodes: np.ndarray, linked: np.ndarray, lower: np.ndarray, higher: np.ndarray) -> np.ndarray:
    """The betweenness of the ``linked`` nodes (positions in ``nodes``, ascending), in their order, for
    the edges ``lower[i] - higher[i]``: from :data:`SAMPLES` seeded sources, scaled as networkx scales
    its estimate. The linked nodes are numbered in the order of their ids, so a seed draws the same
    sources whatever the order of the frames."""
    n = len(linked)
    ids = nodes[linked]
    rank = np.empty(n, dtype=np.int64)  # per linked node, its place in id order
    rank[sorted(range(n), key=ids.__getitem__)] = np.arange(n)
    numbered = np.zeros(len(nodes), dtype=np.int64)
    numbered[linked] = rank
    k = min(SAMPLES, n)
    sources = np.sort(np.random.default_rng(SEED).choice(n, size=k, replace=False))
    scale = (n / k) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return dependencies(n, numbered[lower], numbered[higher], sources)[rank] * scale


def dependencies(n: int, src: np.ndarray, dst: np.ndarray, sources: np.ndarray, batch: int = 16) -> np.ndarray:
    """Brandes' dependencies summed over ``sources``, for the simple undirected graph of ``n`` nodes
    and edges ``src[i] - dst[i]``: a node's betweenness before normalisation when ``sources`` are
    all the nodes. Breadth-first, ``batch`` sources side by side, one array operation per level."""
    ends, others = np.concatenate([src, dst]), np.concatenate([dst, src])
    neighbours = others[np.argsort(ends, kind="stable")]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=start[1:])
    degree_of = np.diff(start)
    total = np.zeros(n)
    for first in range(0, len(sources), batch):
        roots = np.asarray(sources[first : first + batch], dtype=np.int64)
        k = len(roots)
        # A (node, source) pair is one cell of an n x k table, flattened: node * k + column. Only
        # which cells are reached spans the table; the path counts and dependencies are kept per
        # level, for that level's cells alone (whole-table arrays per level cost 4x the time).
        seen = np.zeros(n * k, dtype=bool)
        slot = np.empty(n * k, dtype=np.int64)  # a cell's place in its level (written before read)
        frontier = roots * k + np.arange(k)
        seen[frontier] = True
        paths: np.ndarray = np.ones(k)  # the shortest paths from its source to each cell of the frontier
        # per level: its cells, their path counts, and the shortest-path edges to the next level
        # (from, to: places in the two levels)
        steps: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        while True:
            nodes, columns = np.divmod(frontier, k)
            degree = degree_of[nodes]
            came_from = np.repeat(np.arange(len(frontier)), degree)
            # every frontier cell's node's neighbours, one run after the other (as :func:`_runs`, with
            # one repeat fewer: came_from is needed anyway)
            first_edge = start[nodes] - (np.cumsum(degree) - degree)
            cell = neighbours[np.arange(len(came_from)) + first_edge[came_from]] * k + columns[came_from]
            fresh = ~seen[cell]  # the edges to cells not reached before: the next level's
            reached = cell[fresh]
            if not len(reached):
                break
            order = np.arange(len(reached))
            slot[reached] = order
            new = reached[slot[reached] == order]  # each cell once (the last write won its slot)
            seen[new] = True
            slot[new] = np.arange(len(new))
            edge_from, edge_to = came_from[fresh], slot[reached]
            steps.append((frontier, paths, edge_from, edge_to))
            frontier, paths = new, np.bincount(edge_to, weights=paths[edge_from], minlength=len(new))
        dependency: np.ndarray = np.zeros(len(frontier))
        for level, (cells, before, edge_from, edge_to) in reversed(list(enumerate(steps))):
            share = before[edge_from] / paths[edge_to] * (1.0 + dependency[edge_to])
            dependency, paths = np.bincount(edge_from, weights=share, minlength=len(cells)), before
            if level:  # a source's own dependency is not betweenness
                total += np.bincount(cells // k, weights=dependency, minlength=n)
    return total


def _crossings(
    dataset: Dataset,
    selection: Selection,
    graph: _Graph,
    shown_at: np.ndarray,
    far: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per link ``sources[i] - targets[i]`` (positions among the shown nodes, whose dataset positions
    ``shown_at`` maps and whose ``far`` says which lie abroad): whether it crosses a boundary (clusters
    or the border), and whether it crosses the border."""
    n, actors = len(far), len(selection.actors)
    # who is in which cluster, as (node, cluster code) pairs: an actor in those its record names
    # (coded once per dataset by core.codes), a cluster in itself
    positions, items, names = exploded(dataset, "actors", "clusters")
    member = shown_at[graph.offsets[0] + positions]
    groupings = selection.groupings
    is_cluster = (groupings["kind"] == "cluster").to_numpy()
    own = pd.Index(names, dtype=object).get_indexer(groupings["id"].to_numpy(dtype=object)[is_cluster])
    own = np.where(own >= 0, own, len(names) + np.arange(len(own)))
    node = np.concatenate([member[member >= 0], actors + np.flatnonzero(is_cluster)])
    cluster = np.concatenate([items[member >= 0], own])[np.argsort(node, kind="stable")]
    count = np.bincount(node, minlength=n)
    start = np.cumsum(count) - count
    in_clusters = np.flatnonzero((count[sources] > 0) & (count[targets] > 0))
    width = len(names) + len(own)

    def pairs(ends: np.ndarray) -> np.ndarray:
        """Per link of ``in_clusters``, one ``link * width + cluster`` per cluster of its ``ends``."""
        held = count[ends[in_clusters]]
        return np.repeat(in_clusters, held) * width + cluster[_runs(start[ends[in_clusters]], held)]

    of_source, of_target = pairs(sources), pairs(targets)
    shares = np.zeros(len(sources), dtype=bool)
    shares[of_source[np.isin(of_source, of_target)] // width] = True
    across_clusters = np.zeros(len(sources), dtype=bool)
    across_clusters[in_clusters] = ~shares[in_clusters]
    # groupings (networks, programmes) have no place: a link to one crosses no border
    place = np.ones(n, dtype=bool)
    place[actors : actors + len(groupings)] = False
    across_border = place[sources] & place[targets] & (far[sources] != far[targets])
    return across_clusters | across_border, across_border
