"""What each node of a dataset has in common with others: the profiles behind suggested partners.

Every node (actor, grouping, area drawn as a node) is described by four weighted item lists, the
**components** of :mod:`core.suggest`'s score:

``chains``      its value chains
``networks``    the groupings it takes part in: clusters, networks (a Vanguard pilot), programmes
``priorities``  its S3 priority systems (the dataset's ``sectors``)
``places``      its province

An actor has its own items, weight 1: its ``gvcs``; its ``clusters`` and every grouping a link joins
it to, whatever the link's type or direction; the sectors of those value chains and groupings (the
data has no S3 field on actors, so the priority is derived); its ``province``.

A grouping has its own items (its ``gvcs``, the value chains whose cluster it is, itself and the
groupings linked to it, its ``sector`` and its value chains' sectors) and **its members' items**,
each weighted by the share of its members that have it: a cluster is where its members are and
what they do, as the map draws a cluster through its members. Members: the actors whose
``clusters`` name it, and the actors and areas a membership link (:data:`MEMBER_LINK_TYPES`) joins
to it (one that coordinates or supports it is not a member). An area has the groupings it is the
area of (``networks``) or is linked to, and a province is its own place.

Two profiles are made per dataset: ``facts`` from real records and links only, and ``full`` with
the synthetic ones too (:mod:`core.suggest` scores two real records on facts alone). Made once per
dataset, numpy arrays only; read them, never modify them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from core.codes import column_codes, exploded
from core.selection import node_space
from core.vocabulary import NODE_AREA_KINDS
from data import Dataset

COMPONENTS = ("chains", "networks", "priorities", "places")
#: the links that make a node a member of a grouping (its profile is made of its members')
MEMBER_LINK_TYPES = ("cluster_membership", "network_membership")
#: how close two provinces are: the same one 1, neighbours (their outlines within ~1 km) half
SAME_PLACE, NEIGHBOUR_PLACE = 1.0, 0.5
NEIGHBOUR_DEGREES = 0.01


@dataclass(frozen=True)
class Component:
    """One component's weighted (node, item) pairs, found by node and by item."""

    #: the item of each code (value chain, grouping, sector or province ids)
    items: np.ndarray
    #: per pair (sorted by node, then item): its node position, item code and weight in (0, 1], and
    #: whether the record itself has the item (else it is the share of a grouping's members)
    node: np.ndarray
    item: np.ndarray
    weight: np.ndarray
    own: np.ndarray
    #: the pairs of node ``n`` are ``node_start[n]:node_start[n + 1]``
    node_start: np.ndarray
    #: the pairs by item: ``by_item[item_start[i]:item_start[i + 1]]`` are the pairs of item ``i``
    by_item: np.ndarray
    item_start: np.ndarray
    #: per node, the length of its weight vector (sqrt of the sum of squares): the cosine's divisor
    norm: np.ndarray

    def of(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        """The item codes and weights of ``node``."""
        span = slice(self.node_start[node], self.node_start[node + 1])
        return self.item[span], self.weight[span]

    def shares(self, node: int) -> np.ndarray:
        """Per item of ``node`` (as :meth:`of`), the share of its members that have it; NaN where
        the record itself has it."""
        span = slice(self.node_start[node], self.node_start[node + 1])
        return np.where(self.own[span], np.nan, self.weight[span])

    def holders(self, codes: np.ndarray) -> np.ndarray:
        """Positions (in the pair arrays) of every pair whose item is one of ``codes``."""
        if not len(codes):
            return np.zeros(0, dtype=np.int64)
        return self.by_item[_ranges(self.item_start[codes], self.item_start[codes + 1])]


@dataclass(frozen=True)
class Profiles:
    """The profiles of a dataset's nodes (positions as in ``core.selection.node_space``)."""

    ids: np.ndarray
    n_actors: int
    n_groupings: int
    kind: np.ndarray
    synthetic: np.ndarray
    facts: dict[str, Component]
    full: dict[str, Component]
    #: closeness of two provinces (codes of the ``places`` items): 1 the same, 0.5 neighbours
    proximity: np.ndarray
    #: the clusters actors name in their records, as (actor node, grouping node) pairs
    record_actor: np.ndarray
    record_grouping: np.ndarray
    #: nodes never suggested: the home region and its provinces are places, not partners
    not_a_partner: np.ndarray
    #: the home region's provinces (codes of the ``places`` items): a node elsewhere is beyond the region
    home_places: np.ndarray

    def table_of(self, node: int) -> str:
        """The table (actors, groupings, areas) of a node position."""
        if node < self.n_actors:
            return "actors"
        return "groupings" if node < self.n_actors + self.n_groupings else "areas"


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(start, stop)`` for each pair, without a Python loop."""
    counts = stops - starts
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total)


def _component(
    n_nodes: int, items: np.ndarray, node: np.ndarray, item: np.ndarray, weight: np.ndarray, own: np.ndarray
) -> Component:
    """A :class:`Component` from pairs, duplicates merged (the largest weight stays; the record's
    own item before its members' at equal weight)."""
    keep = (node >= 0) & (item >= 0)
    node, item = node[keep].astype(np.int64), item[keep].astype(np.int64)
    weight, own = weight[keep].astype(float), own[keep].astype(bool)
    key = node * max(len(items), 1) + item
    order = np.lexsort((~own, -weight, key))
    ordered = key[order]
    chosen = order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(key) else order  # by node, then item
    node, item, weight, own = node[chosen], item[chosen], weight[chosen], own[chosen]
    node_start = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(node, minlength=n_nodes), out=node_start[1:])
    by_item = np.lexsort((node, item))
    item_start = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(np.bincount(item, minlength=len(items)), out=item_start[1:])
    norm = np.sqrt(np.bincount(node, weights=weight**2, minlength=n_nodes))
    for array in (node, item, weight, own, node_start, by_item, item_start, norm):
        array.setflags(write=False)
    return Component(items, node, item, weight, own, node_start, by_item, item_start, norm)


def _codes(index: pd.Index, values: np.ndarray | pd.Series) -> np.ndarray:
    """Codes of ``values`` in ``index`` (-1 for a value not in it, or blank)."""
    return index.get_indexer(pd.Index(np.asarray(values, dtype=object), dtype=object))


@lru_cache(maxsize=4)
def profiles(dataset: Dataset) -> Profiles:
    """The :class:`Profiles` of ``dataset`` (made once per dataset)."""
    space = node_space(dataset)
    actors, groupings = dataset.actors, dataset.groupings
    areas = dataset.areas[dataset.areas["kind"].isin(NODE_AREA_KINDS)]
    n_actors, n_groupings, n_nodes = len(actors), len(groupings), len(space.ids)
    kind = np.concatenate([frame["kind"].to_numpy(dtype=object) for frame in (actors, groupings, areas)])
    synthetic = np.concatenate([frame["synthetic"].to_numpy(dtype=bool) for frame in (actors, groupings, areas)])
    provinces = set(dataset.areas.loc[dataset.areas["kind"] == "province", "id"])
    _, named = column_codes(dataset, "actors", "province")
    places = pd.Index(sorted({str(p) for p in named if p} | provinces), dtype=object)
    region = str(dataset.meta.get("region") or "")
    facts = _build(dataset, space.link_source, space.link_target, places, synthetic, facts_only=True)
    full = _build(dataset, space.link_source, space.link_target, places, synthetic, facts_only=False)
    positions, codes, values = exploded(dataset, "actors", "clusters")
    record_grouping = _codes(pd.Index(groupings["id"], dtype=object), values)[codes] + n_actors
    known = record_grouping >= n_actors
    home = np.zeros(n_nodes, dtype=bool)
    home[n_actors + n_groupings :] = areas["kind"].isin(["region", "province"]).to_numpy() | (
        areas["id"].to_numpy(dtype=object) == region
    )
    return Profiles(
        ids=space.ids,
        n_actors=n_actors,
        n_groupings=n_groupings,
        kind=kind,
        synthetic=synthetic,
        facts=facts,
        full=full,
        proximity=_proximity(dataset, places),
        record_actor=positions[known],
        record_grouping=record_grouping[known],
        not_a_partner=home,
        home_places=np.flatnonzero(places.isin(provinces)),
    )


def _proximity(dataset: Dataset, places: pd.Index) -> np.ndarray:
    """The closeness of every two provinces: 1 on the diagonal, 0.5 for neighbours (outlines within
    :data:`NEIGHBOUR_DEGREES`, as simplified outlines leave slivers between them), else 0."""
    matrix = np.eye(len(places)) * SAME_PLACE
    outlines = dataset.areas[(dataset.areas["kind"] == "province").to_numpy()]
    codes = _codes(places, outlines["id"])
    shapes = outlines.geometry.to_numpy()
    for i in range(len(shapes)):
        near = shapely.dwithin(shapes[i], shapes, NEIGHBOUR_DEGREES)
        for j in np.flatnonzero(near):
            if i != j:
                matrix[codes[i], codes[j]] = NEIGHBOUR_PLACE
    matrix.setflags(write=False)
    return matrix


def _build(
    dataset: Dataset,
    link_source: np.ndarray,
    link_target: np.ndarray,
    places: pd.Index,
    synthetic: np.ndarray,
    facts_only: bool,
) -> dict[str, Component]:
    """The four components of every node; with ``facts_only``, synthetic links and synthetic
    members are left out (a synthetic record's own fields are kept: its profile serves only
    suggestions that are flagged synthetic anyway)."""
    actors, groupings, gvcs, sectors = dataset.actors, dataset.groupings, dataset.gvcs, dataset.sectors
    areas = dataset.areas[dataset.areas["kind"].isin(NODE_AREA_KINDS)]
    n_actors, n_groupings = len(actors), len(groupings)
    n_nodes = n_actors + n_groupings + len(areas)
    chain_ix = pd.Index(gvcs["id"], dtype=object)
    grouping_ix = pd.Index(groupings["id"], dtype=object)
    sector_ix = pd.Index(sectors["id"], dtype=object)
    sector_of_chain = _codes(sector_ix, gvcs["sector"].fillna("").astype(str))
    sector_of_grouping = _codes(sector_ix, groupings["sector"].fillna("").astype(str))
    first_area = n_actors + n_groupings
    own: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {c: [] for c in COMPONENTS}

    # actors' own fields
    positions, codes, values = exploded(dataset, "actors", "gvcs")
    own["chains"].append((positions, _codes(chain_ix, values)[codes]))
    positions, codes, values = exploded(dataset, "actors", "clusters")
    own["networks"].append((positions, _codes(grouping_ix, values)[codes]))
    province, named = column_codes(dataset, "actors", "province")
    own["places"].append((np.arange(n_actors), _codes(places, named)[province]))
    # groupings' own fields: their value chains, the chains whose cluster they are, themselves
    g_nodes = np.arange(n_groupings) + n_actors
    lengths = groupings["gvcs"].map(len).to_numpy()
    listed = [g for items in groupings["gvcs"] for g in items]
    own["chains"].append((np.repeat(g_nodes, lengths), _codes(chain_ix, listed)))
    own["chains"].append((_codes(grouping_ix, gvcs["cluster"]) + n_actors, np.arange(len(gvcs))))
    own["networks"].append((g_nodes, np.arange(n_groupings)))
    own["priorities"].append((g_nodes, sector_of_grouping))
    # areas' own fields: the groupings they are the area of; a province is a place
    a_nodes = np.arange(len(areas)) + first_area
    lengths = areas["networks"].map(len).to_numpy()
    listed = [g for items in areas["networks"] for g in items]
    own["networks"].append((np.repeat(a_nodes, lengths), _codes(grouping_ix, listed)))
    is_province = (areas["kind"] == "province").to_numpy()
    own["places"].append((a_nodes[is_province], _codes(places, areas["id"].to_numpy()[is_province])))

    # links to groupings: a grouping takes part in what it is linked to, and so does an actor or an area
    keep = (link_source >= 0) & (link_target >= 0)
    if facts_only:
        keep &= ~dataset.links["synthetic"].to_numpy(dtype=bool)
    src, tgt = link_source[keep], link_target[keep]
    in_grouping = (tgt >= n_actors) & (tgt < first_area)
    from_grouping = (src >= n_actors) & (src < first_area)
    own["networks"].append((src[in_grouping], tgt[in_grouping] - n_actors))
    own["networks"].append((tgt[from_grouping], src[from_grouping] - n_actors))

    pairs = {c: _merge(own[c]) for c in COMPONENTS}
    # priorities derived from the value chains' sectors and the groupings' sectors
    node, chain = pairs["chains"]
    derived = [pairs["priorities"], (node, sector_of_chain[chain])]
    node, grouping = pairs["networks"]
    derived.append((node, sector_of_grouping[grouping]))
    pairs["priorities"] = _merge(derived)

    # members: actors naming a cluster, actors and areas a membership link joins to a grouping (a body
    # that coordinates or supports a cluster takes part in it, but is not what the cluster is)
    positions, codes, values = exploded(dataset, "actors", "clusters")
    membership = dataset.links["link_type"].isin(MEMBER_LINK_TYPES).to_numpy()[keep]
    into, out_of = in_grouping & ~from_grouping & membership, from_grouping & ~in_grouping & membership
    member = [positions, src[into], tgt[out_of]]
    group = [_codes(grouping_ix, values)[codes], tgt[into] - n_actors, src[out_of] - n_actors]
    member_node, member_group = _merge(list(zip(member, group, strict=True)))
    if facts_only:
        real = ~synthetic[member_node]
        member_node, member_group = member_node[real], member_group[real]
    size = np.bincount(member_group, minlength=n_groupings).astype(float)
    items = {"chains": chain_ix, "networks": grouping_ix, "priorities": sector_ix, "places": places}
    out = {}
    for name in COMPONENTS:
        node, item = pairs[name]
        # each member's items, counted per grouping: the share of its members that have them
        start = np.zeros(n_nodes + 1, dtype=np.int64)
        order = np.argsort(node, kind="stable")
        np.cumsum(np.bincount(node, minlength=n_nodes), out=start[1:])
        at = order[_ranges(start[member_node], start[member_node + 1])]
        groups = np.repeat(member_group, start[member_node + 1] - start[member_node])
        key, count = _distinct(groups * max(len(items[name]), 1) + item[at])
        width = max(len(items[name]), 1)
        g, i = key // width, key % width
        out[name] = _component(
            n_nodes,
            items[name].to_numpy(dtype=object),
            np.concatenate([node, g + n_actors]),
            np.concatenate([item, i]),
            np.concatenate([np.ones(len(node)), count / np.maximum(size[g], 1.0)]),
            np.concatenate([np.ones(len(node), dtype=bool), np.zeros(len(g), dtype=bool)]),
        )
    return out


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(node, item) pairs from ``parts``, without blanks (-1) or duplicates."""
    node = np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts]) if parts else np.zeros(0, np.int64)
    item = np.concatenate([np.asarray(p[1], dtype=np.int64) for p in parts]) if parts else np.zeros(0, np.int64)
    keep = (node >= 0) & (item >= 0)
    node, item = node[keep], item[keep]
    width = int(item.max()) + 1 if len(item) else 1
    key, _ = _distinct(node * width + item)
    return key // width, key % width


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys``, sorted, and how many times each occurs (a sort: numpy's hashed
    ``unique`` took 30-55 ms per call on 200k integers)."""
    ordered = np.sort(keys)
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, np.int64)
    return ordered[first], np.diff(np.r_[first, len(ordered)])
