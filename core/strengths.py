"""Value-chain strengths (issue 14, second part): where each value chain is strong, and whether it
reaches beyond the region. Two matrices of a filtered selection, each computed once per filter state.

**Rows** are the value chains grouped by sector and cluster, with a cluster row for actors whose
value chain is not named (:mod:`core.value_chains`). **Row states** say what a row's numbers mean,
so that the views never show an unknown as a zero:

``no_source`` ("no named source")
    no source read names the row's value chain: a cluster row (for Agrifood, Build and Innovate no
    public source names the value chains at all), or a value chain whose ``gvcs.csv`` record is
    ``unconfirmed`` (believed, not confirmed by a source). Its counts are still given, to be drawn
    apart from the colour scale.
``no_data``
    the dataset holds no actor of the counted kinds listing the value chain, whatever the filters
    (abroad: no actor, grouping or link lists it): nothing is known of it, which is not a zero.
``data``
    the rest: a zero is a real zero under the current filters. The abroad matrix tells these apart
    as ``linked`` (a shown link joins the value chain to a partner abroad) and ``home`` ("phases
    kept at home": none does; links abroad would complete the value chain).

:func:`strength_matrix`: columns are the home region's provinces (areas of kind ``province``, in
data order), then ``elsewhere`` when the dataset has counted actors of a row outside them (or with
no province), then ``total``. A cell counts the selection's actors (those the views show) that list
the row's value chain, split by kind group (:data:`KIND_GROUPS`). **An actor listing two value
chains counts in both rows**; the totals row counts distinct actors, so it can be less than the sum
of its column, and its last cell is the number of distinct actors in any row.

:func:`abroad_matrix`: columns are kinds of partner beyond the region: ``partner_region`` (areas of
that kind), one ``network`` column per network of regions abroad, with its pilots (a regions
network with pilots, regions networks ``part_of`` it, or with member regions drawn: the Vanguard
Initiative and its pilots; the column is named after the network), ``interreg``
(groupings of kind ``interreg_programme``), ``elsewhere`` (member regions of networks, countries,
and actors outside the region, :func:`core.outside.outside_places`), then ``total``. A cell counts
the selection's links with one end such a partner and the other a *carrier* of the row's value
chain: a link tagged with value chains is about those alone; an untagged one is about the other
end's: an actor's value chains (or, with none, its clusters' cluster rows), a cluster's rows, the
value chains a grouping lists. Other networks and macro-regions (Under2, EUSAIR) have no place and
cross no border, as in :mod:`core.metrics`. The totals count distinct links.

:func:`cell_filter`: the filters (``gvc``, ``prov`` / ``link`` URL values) a click on a cell means.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from core.codes import column_codes, exploded, rows
from core.lookup import locate
from core.once import OncePerKey
from core.outside import outside_places
from core.selection import Selection
from core.value_chains import (
    DATA,
    ELSEWHERE,
    HOME,
    KIND_GROUPS,
    LINKED,
    NO_DATA,
    NO_SOURCE,
    TOTAL,
    Column,
    Matrix,
    Row,
    structure,
)
from data import Dataset

__all__ = [
    "DATA",
    "ELSEWHERE",
    "HOME",
    "KIND_GROUPS",
    "LINKED",
    "NO_DATA",
    "NO_SOURCE",
    "TOTAL",
    "Column",
    "Matrix",
    "Row",
    "abroad_matrix",
    "cell_filter",
    "strength_matrix",
]


def _kind_groups(dataset: Dataset, groups: Sequence[str]) -> np.ndarray:
    """Per actor position, its group's position in ``groups`` (-1: a kind not counted)."""
    codes, values = column_codes(dataset, "actors", "kind")
    group_of = {kind: i for i, g in enumerate(groups) for kind in KIND_GROUPS[g]}
    per_code = np.array([group_of.get(str(v), -1) for v in values], dtype=np.int64)
    return per_code[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def _with_states(rows_in: tuple[Row, ...], known: np.ndarray) -> tuple[Row, ...]:
    """The rows, a named value chain nothing is known of marked NO_DATA."""
    return tuple(
        r if r.state == NO_SOURCE or known[i] else Row(r.id, r.gvc, r.cluster, r.sector, NO_DATA)
        for i, r in enumerate(rows_in)
    )


_strengths: OncePerKey[Matrix] = OncePerKey(maxsize=16)


def strength_matrix(dataset: Dataset, selection: Selection, kinds: Sequence[str] = tuple(KIND_GROUPS)) -> Matrix:
    """Value chains by province, counting the selection's actors of the kind groups ``kinds``
    (names of :data:`KIND_GROUPS`) per cell (cached per dataset, filter state and kinds)."""
    unknown = set(kinds) - set(KIND_GROUPS)
    if unknown:
        raise ValueError(f"unknown kind groups: {sorted(unknown)}")
    groups = tuple(g for g in KIND_GROUPS if g in set(kinds))
    return _strengths.get((dataset, selection.key, groups), lambda: compute_strengths(dataset, selection, groups))


def compute_strengths(dataset: Dataset, selection: Selection, groups: tuple[str, ...]) -> Matrix:
    """:func:`strength_matrix`, uncached."""
    s = structure(dataset)
    group = _kind_groups(dataset, groups)
    n_rows, n_groups = len(s.rows), max(len(groups), 1)
    counted = group[s.pair_actor] >= 0
    # the columns do not change with the filters: "elsewhere" is there when the dataset needs it
    outside = bool((s.actor_column[s.pair_actor[counted]] == len(s.provinces)).any())
    n_places = len(s.provinces) + int(outside)
    shown = np.zeros(len(dataset.actors), dtype=bool)
    shown[rows(dataset, "actors", selection.actors)] = True
    keep = counted & shown[s.pair_actor]
    actor, row = s.pair_actor[keep], s.pair_row[keep]
    column, kind = s.actor_column[actor], group[actor]
    counts = np.zeros((n_rows + 1, n_places + 1, n_groups), dtype=np.int64)
    cells = np.bincount((row * n_places + column) * n_groups + kind, minlength=n_rows * n_places * n_groups)
    counts[:n_rows, :n_places] = cells.reshape(n_rows, n_places, n_groups)
    distinct = np.unique(actor)  # the totals row: each actor once, however many rows it is in
    totals = np.bincount(s.actor_column[distinct] * n_groups + group[distinct], minlength=n_places * n_groups)
    counts[n_rows, :n_places] = totals.reshape(n_places, n_groups)
    counts[:, n_places] = counts[:, :n_places].sum(axis=1)  # an actor has one place: no double count
    counts.setflags(write=False)
    known = np.bincount(s.pair_row[counted], minlength=n_rows) > 0
    out_rows = _with_states(s.rows, known)
    places = [Column(p, "province") for p in s.provinces] + ([Column(ELSEWHERE, ELSEWHERE)] if outside else [])
    columns = (*places, Column(TOTAL, TOTAL))
    states = tuple(r.state for r in out_rows)
    return Matrix("strength", out_rows, columns, groups, counts, states, known=tuple(known.tolist()))


@dataclass(frozen=True)
class _Partners:
    """The partners abroad of one dataset: their columns, which links reach them, and what every
    link and grouping is about."""

    columns: tuple[Column, ...]
    #: per link position: the column of its source / target as a partner (-1: none)
    source_column: np.ndarray
    target_column: np.ndarray
    #: (link position, row) pairs of the links tagged with value chains, sorted by link
    tag_link: np.ndarray
    tag_row: np.ndarray
    #: grouping id -> the rows it is about (a cluster: all its rows; another: the value chains it lists)
    grouping_rows: Mapping[str, tuple[int, ...]]
    #: per row: whether any actor, grouping or link of the dataset lists it
    known: np.ndarray

    def tagged(self, link: int) -> np.ndarray:
        """The rows the link at position ``link`` is tagged with."""
        lo, hi = np.searchsorted(self.tag_link, [link, link + 1])
        return self.tag_row[lo:hi]


@lru_cache(maxsize=4)
def _partners(dataset: Dataset) -> _Partners:
    s = structure(dataset)
    areas, groupings, links = dataset.areas, dataset.groupings, dataset.links
    partner: dict[str, int] = {}
    columns: list[Column] = []

    def add(column: Column, ids: Sequence[str]) -> None:
        fresh = [i for i in ids if i not in partner]  # an id is in the first column that names it
        if fresh:
            partner.update(dict.fromkeys(fresh, len(columns)))
            columns.append(column)

    add(Column("partner_region", "partner_region"), list(areas.loc[areas["kind"] == "partner_region", "id"]))
    # networks of regions abroad: those with pilots (regions networks part of them) or member regions drawn
    networks = set(groupings.loc[groupings["kind"] == "regions_network", "id"])
    part_of = links[
        (links["link_type"] == "part_of") & links["source_id"].isin(networks) & links["target_id"].isin(networks)
    ]
    pilots = {str(n): list(m) for n, m in part_of.groupby("target_id", sort=False)["source_id"]}
    members = areas.loc[areas["kind"] == "member_region", "networks"]
    abroad = {n for items in members for n in items if n in networks}
    for network in (n for n in groupings["id"] if n in abroad or n in pilots):
        add(Column(network, "network"), [network, *pilots.get(network, [])])
    add(Column("interreg", "interreg"), list(groupings.loc[groupings["kind"] == "interreg_programme", "id"]))
    far = areas.loc[areas["kind"].isin(["member_region", "country"]), "id"]
    add(Column(ELSEWHERE, ELSEWHERE), [*far, *outside_places(dataset).index])
    index = pd.Index(list(partner), dtype=object)
    column_of = np.array([*partner.values(), -1], dtype=np.int64)  # get_indexer's -1 picks the last
    source_column = column_of[index.get_indexer(links["source_id"].to_numpy(dtype=object))]
    target_column = column_of[index.get_indexer(links["target_id"].to_numpy(dtype=object))]
    positions, codes, values = exploded(dataset, "links", "gvcs")
    row_of_code = np.array([s.gvc_row.get(str(v), -1) for v in values], dtype=np.int64)
    tag_row = row_of_code[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    grouping_rows: dict[str, tuple[int, ...]] = {}
    listed_rows: set[int] = set()
    for gid, kind, items in zip(groupings["id"], groupings["kind"], groupings["gvcs"], strict=True):
        listed = {s.gvc_row[g] for g in items if g in s.gvc_row}
        listed_rows.update(listed)
        grouping_rows[gid] = tuple(sorted(listed | set(s.cluster_rows.get(gid, ()) if kind == "cluster" else ())))
    known = np.zeros(len(s.rows), dtype=bool)
    known[s.pair_row] = True
    known[tag_row[tag_row >= 0]] = True
    known[sorted(listed_rows)] = True  # a value chain a grouping lists (a cluster's own rows are no record of one)
    keep = tag_row >= 0
    return _Partners(tuple(columns), source_column, target_column, positions[keep], tag_row[keep], grouping_rows, known)


_abroad: OncePerKey[Matrix] = OncePerKey(maxsize=16)


def abroad_matrix(dataset: Dataset, selection: Selection) -> Matrix:
    """Value chains by kind of partner abroad, counting the selection's links (cached per dataset and
    filter state); see the module docstring."""
    return _abroad.get((dataset, selection.key), lambda: compute_abroad(dataset, selection))


def compute_abroad(dataset: Dataset, selection: Selection) -> Matrix:
    """:func:`abroad_matrix`, uncached."""
    s, p = structure(dataset), _partners(dataset)
    n_rows, n_columns = len(s.rows), len(p.columns)
    links = selection.links
    positions = rows(dataset, "links", links)
    src, tgt = p.source_column[positions], p.target_column[positions]
    candidates = np.flatnonzero((src >= 0) | (tgt >= 0))  # the few links that reach a partner at all
    source_ids = links["source_id"].to_numpy(dtype=object)[candidates].tolist()
    target_ids = links["target_id"].to_numpy(dtype=object)[candidates].tolist()
    types = links["link_type"].to_numpy(dtype=object)[candidates].tolist()
    carried: dict[str, tuple[int, ...]] = {}

    def carrier_rows(node: str) -> tuple[int, ...]:
        if node not in carried:
            found = locate(dataset, node)
            if found is None or found[0] not in ("actors", "groupings"):
                carried[node] = ()  # an area (the region, a province) is about no value chain
            elif found[0] == "actors":
                carried[node] = tuple(s.actor_rows(found[1]).tolist())
            else:
                carried[node] = p.grouping_rows.get(node, ())
        return carried[node]

    hits: list[tuple[int, int, int, str, str]] = []  # (row, column, link, partner, link type)
    for k, source, target, link_type in zip(candidates.tolist(), source_ids, target_ids, types, strict=True):
        tagged = tuple(p.tagged(int(positions[k])).tolist())
        for column, partner, other in ((int(src[k]), source, target), (int(tgt[k]), target, source)):
            if column >= 0:
                hits.extend((r, column, k, partner, link_type) for r in (tagged or carrier_rows(other)))
    counts = np.zeros((n_rows + 1, n_columns + 1, 1), dtype=np.int64)
    partners: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    link_types: dict[tuple[int, int], set[str]] = defaultdict(set)
    seen: set[tuple[int, int, int]] = set()
    for row, column, k, partner, link_type in hits:
        for cell in ((row, column), (row, n_columns), (n_rows, column), (n_rows, n_columns)):
            if (*cell, k) not in seen:  # each link once per cell: totals count distinct links
                seen.add((*cell, k))
                counts[(*cell, 0)] += 1
                partners[cell][partner] += 1
            link_types[cell].add(link_type)
    counts.setflags(write=False)
    out_rows = _with_states(s.rows, p.known)
    states = tuple(
        r.state if r.state != DATA else (LINKED if counts[i, n_columns, 0] else HOME) for i, r in enumerate(out_rows)
    )
    return Matrix(
        "abroad",
        out_rows,
        (*p.columns, Column(TOTAL, TOTAL)),
        ("links",),
        counts,
        states,
        MappingProxyType({cell: tuple(c for c, _ in n.most_common()) for cell, n in partners.items()}),
        MappingProxyType({cell: tuple(sorted(ts)) for cell, ts in link_types.items()}),
        tuple(p.known.tolist()),
    )


def cell_filter(matrix: Matrix, row: int | str, column: int | str) -> dict[str, list[str]] | None:
    """The filters a click on the cell (``row``, ``column``: positions, or ids with ``total`` for the
    totals row) sets, as URL values: ``{"gvc": [...], "prov": [...]}`` (strength) or
    ``{"gvc": [...], "link": [...]}`` (abroad: the link types of the cell's links). An empty list is
    no filter on it (the URL's own meaning): the totals row sets no value chain, the totals column
    (and ``elsewhere``, which no province filter can say) no province. None for a cluster row: the
    ``gvc`` filter holds value chains, and its actors' value chain is not named."""
    i = matrix.row_index(row) if isinstance(row, str) else row
    j = matrix.column_index(column) if isinstance(column, str) else column
    if not (0 <= i <= len(matrix.rows) and 0 <= j < len(matrix.columns)):
        raise IndexError(f"no cell ({row}, {column})")
    if i < len(matrix.rows) and not matrix.rows[i].gvc:
        return None
    gvc = [matrix.rows[i].gvc] if i < len(matrix.rows) else []
    if matrix.name == "strength":
        target = matrix.columns[j]
        return {"gvc": gvc, "prov": [target.id] if target.kind == "province" else []}
    return {"gvc": gvc, "link": list(matrix.link_types.get((i, j), ()))}
