"""The sundial (issue 14, third part): the programmes and policies of a filtered selection arranged by
the four dimensions of regional industrial policy (Bianchi and Labory's "sundial", the basis of
Emilia-Romagna's 2015 Labour Pact): education and training, social services, business services and
research; and whether the value chains are served by all four ("coherence between all regional
programmes and actions"). Computed once per dataset and filter state.

How it is derived, and what it is not:

**Items** are the records of the selection with a non-empty ``sundial`` list: its groupings (clusters,
programmes, policies, networks; in ``groupings.csv`` order), then its actors if the actors' files carry
a ``sundial`` column (the schema does not define one for actors; an extra column travels along as
``;``-separated text, and values outside :data:`DIMENSIONS` are ignored). The dimensions are the
data's own tags, not inferred.

**Actors served** by an item are the selection's actors that either

* are joined to it by a link of the selection, in either direction and **of any link type** (the
  data has no "serves" link: a coordinating body of a programme counts as served as much as a
  supported start-up, which overstates service for coordinators), or
* name it in their ``clusters`` list (Clust-ER membership recorded on the actor).

**Value chains served** by an item (:attr:`Item.gvcs`) are the union of

* ``listed``: the value chains in its own ``gvcs`` field, and those whose ``gvcs.csv`` cluster is
  the item (a cluster works on all its value chains), and
* those listed in the ``gvcs`` field of the actors it serves (an actor tagged only with a cluster
  adds no value chain: which of the cluster's it works in is not known).

So "served" means "reaches, through the data's links and tags", not an evaluated effect.

**Coherence** (:attr:`Sundial.coherence`): one row per value chain in ``gvcs.csv`` order, whatever
the filters (so the table keeps its shape); a value chain is served in a dimension when an item of
that dimension serves it. A value chain with no row in ``gvcs.csv`` (a cluster whose value chains no
source names) has no row: nothing can be said of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from core.codes import exploded, rows
from core.once import OncePerKey
from core.selection import Selection, node_space
from data import Dataset
from data.schema import SUNDIAL

#: the four dimensions, in the schema's order (the figure's quadrants go round in this order)
DIMENSIONS: tuple[str, ...] = SUNDIAL


@dataclass(frozen=True)
class Item:
    """A programme, policy, cluster, network (or actor) tagged with sundial dimensions."""

    id: str
    #: its kind (``support_programme``, ``policy``, ``cluster``...)
    kind: str
    #: "groupings" or "actors"
    table: str
    #: its dimensions, in :data:`DIMENSIONS` order
    dimensions: tuple[str, ...]
    #: ids of the selection's actors it serves, in the dataset's order
    actors: tuple[str, ...]
    #: the value chains it serves, in ``gvcs.csv`` order (listed and through its actors)
    gvcs: tuple[str, ...]
    #: those of :attr:`gvcs` it lists itself (its ``gvcs`` field, or a cluster's own value chains)
    listed: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """One value chain's row of the coherence table."""

    gvc: str
    #: its cluster (``gvcs.csv``), for grouping the rows
    cluster: str
    #: dimension -> ids of the items serving the value chain in that dimension (every dimension present)
    items: Mapping[str, tuple[str, ...]]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions that serve it, in :data:`DIMENSIONS` order."""
        return tuple(d for d in DIMENSIONS if self.items[d])

    @property
    def missing(self) -> tuple[str, ...]:
        """The dimensions that do not serve it."""
        return tuple(d for d in DIMENSIONS if not self.items[d])

    @property
    def complete(self) -> bool:
        """Whether all four dimensions serve it."""
        return not self.missing


@dataclass(frozen=True)
class Sundial:
    """The items of a selection and the coherence of the value chains. Shared: read, never modify."""

    items: tuple[Item, ...]
    coherence: tuple[Coverage, ...]

    def by_dimension(self, dimension: str) -> tuple[Item, ...]:
        """The items of ``dimension``, in item order."""
        return tuple(i for i in self.items if dimension in i.dimensions)

    def item(self, item_id: str) -> Item | None:
        """The item ``item_id``, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    def counts(self) -> dict[str, int]:
        """How many items each dimension has."""
        return {d: len(self.by_dimension(d)) for d in DIMENSIONS}


def dimensions_of(value: object) -> tuple[str, ...]:
    """A ``sundial`` cell as dimensions in :data:`DIMENSIONS` order: a parsed list (groupings) or
    ``;``-separated text (an extra column of actors); unknown values and blanks are dropped."""
    if isinstance(value, str):
        given = {v.strip() for v in value.split(";")}
    elif isinstance(value, tuple | list):
        given = {str(v).strip() for v in value}
    else:
        given = set()
    return tuple(d for d in DIMENSIONS if d in given)


_SUNDIALS: OncePerKey[Sundial] = OncePerKey(maxsize=16)


def sundial(dataset: Dataset, selection: Selection) -> Sundial:
    """The :class:`Sundial` of ``selection`` (cached per dataset and filter state); see the module docstring."""
    return _SUNDIALS.get((dataset, selection.key), lambda: compute_sundial(dataset, selection))


def _items_of(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The rows of ``frame`` with sundial dimensions, and their dimensions."""
    if "sundial" not in frame or not len(frame):
        return frame.iloc[:0], []
    dims = [dimensions_of(v) for v in frame["sundial"].tolist()]
    keep = np.array([bool(d) for d in dims], dtype=bool)
    return frame[keep], [d for d in dims if d]


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The positions ``starts[k]..stops[k]-1`` of every k, concatenated (vectorised)."""
    lengths = stops - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


def compute_sundial(dataset: Dataset, selection: Selection) -> Sundial:
    """:func:`sundial`, uncached."""
    gvcs = dataset.gvcs
    gvc_ids = [str(g) for g in gvcs["id"]]
    gvc_index = {g: k for k, g in enumerate(gvc_ids)}
    groupings, g_dims = _items_of(selection.groupings)
    actors_tagged, a_dims = _items_of(selection.actors)
    n_items = len(groupings) + len(actors_tagged)
    # every item's node position (the one id space of links), for joining links by integer arrays
    space = node_space(dataset)
    item_nodes = np.concatenate(
        [space.positions(dataset, "groupings", groupings), space.positions(dataset, "actors", actors_tagged)]
    ).astype(np.int64)
    item_of_node = np.full(len(space.ids), -1, dtype=np.int64)
    item_of_node[item_nodes] = np.arange(n_items)
    n_actors = len(dataset.actors)
    shown = np.zeros(n_actors, dtype=bool)
    shown[rows(dataset, "actors", selection.actors)] = True

    # (item, actor position) pairs: links either way...
    link_rows = rows(dataset, "links", selection.links)
    src, tgt = space.link_source[link_rows], space.link_target[link_rows]
    pair_item: list[np.ndarray] = []
    pair_actor: list[np.ndarray] = []
    for item_end, actor_end in ((src, tgt), (tgt, src)):
        item = np.where(item_end >= 0, item_of_node[item_end], -1)
        hit = (item >= 0) & (actor_end >= 0) & (actor_end < n_actors)
        pair_item.append(item[hit])
        pair_actor.append(actor_end[hit])
    # ...and actors naming the item in their `clusters`
    c_pos, c_codes, c_values = exploded(dataset, "actors", "clusters")
    item_ids = [str(i) for i in groupings["id"]] + [str(i) for i in actors_tagged["id"]]
    position_of_item = {i: k for k, i in enumerate(item_ids)}
    item_of_code = np.array([position_of_item.get(str(v), -1) for v in c_values], dtype=np.int64)
    if len(c_codes):
        named = item_of_code[c_codes]
        hit = named >= 0
        pair_item.append(named[hit])
        pair_actor.append(c_pos[hit].astype(np.int64))
    items_arr = np.concatenate(pair_item) if pair_item else np.zeros(0, dtype=np.int64)
    actors_arr = np.concatenate(pair_actor) if pair_actor else np.zeros(0, dtype=np.int64)
    keep = shown[actors_arr] & (actors_arr != item_nodes[items_arr])  # an actor item does not serve itself
    pairs = np.unique(items_arr[keep] * max(n_actors, 1) + actors_arr[keep])  # sorted by item, then actor
    p_item, p_actor = pairs // max(n_actors, 1), pairs % max(n_actors, 1)

    # the served actors' value chains: (item, gvc) pairs, the actors' gvcs found by range (a_pos is sorted)
    a_pos, a_codes, a_values = exploded(dataset, "actors", "gvcs")
    gvc_of_code = np.array([gvc_index.get(str(v), -1) for v in a_values], dtype=np.int64)
    starts = np.searchsorted(a_pos, p_actor, side="left")
    stops = np.searchsorted(a_pos, p_actor, side="right")
    at = _ranges(starts, stops)
    via_item = np.repeat(p_item, stops - starts)
    via_gvc = gvc_of_code[a_codes[at]] if len(at) else np.zeros(0, dtype=np.int64)
    ok = via_gvc >= 0
    via = np.unique(via_item[ok] * max(len(gvc_ids), 1) + via_gvc[ok])

    actor_ids = dataset.actors["id"].to_numpy(dtype=object)
    bounds = np.searchsorted(p_item, np.arange(n_items + 1))
    via_bounds = np.searchsorted(via // max(len(gvc_ids), 1), np.arange(n_items + 1))
    cluster_gvcs: dict[str, list[int]] = {}
    for k, cluster in enumerate(gvcs["cluster"].tolist()):
        cluster_gvcs.setdefault(str(cluster), []).append(k)
    own_lists = list(groupings["gvcs"]) if "gvcs" in groupings else [()] * len(groupings)
    own_lists += list(actors_tagged["gvcs"]) if "gvcs" in actors_tagged else [()] * len(actors_tagged)
    kinds = [str(k) for k in groupings["kind"]] + [str(k) for k in actors_tagged["kind"]]
    dims = g_dims + a_dims
    items: list[Item] = []
    for k, item_id in enumerate(item_ids):
        own = own_lists[k] if isinstance(own_lists[k], tuple | list) else ()
        listed = {gvc_index[g] for g in own if g in gvc_index} | set(cluster_gvcs.get(item_id, ()))
        reached = set((via[via_bounds[k] : via_bounds[k + 1]] % max(len(gvc_ids), 1)).tolist())
        items.append(
            Item(
                id=item_id,
                kind=kinds[k],
                table="groupings" if k < len(groupings) else "actors",
                dimensions=dims[k],
                actors=tuple(actor_ids[p_actor[bounds[k] : bounds[k + 1]]].tolist()),
                gvcs=tuple(gvc_ids[g] for g in sorted(listed | reached)),
                listed=tuple(gvc_ids[g] for g in sorted(listed)),
            )
        )
    return Sundial(tuple(items), _coherence(gvcs, items))


def _coherence(gvcs: pd.DataFrame, items: list[Item]) -> tuple[Coverage, ...]:
    """Per value chain of ``gvcs`` (in its order), the items serving it in each dimension."""
    serving: dict[str, dict[str, list[str]]] = {str(g): {d: [] for d in DIMENSIONS} for g in gvcs["id"]}
    for item in items:
        for gvc in item.gvcs:
            for dimension in item.dimensions:
                serving[gvc][dimension].append(item.id)
    return tuple(
        Coverage(
            str(gvc),
            str(cluster),
            MappingProxyType({d: tuple(ids) for d, ids in serving[str(gvc)].items()}),
        )
        for gvc, cluster in zip(gvcs["id"], gvcs["cluster"], strict=True)
    )
