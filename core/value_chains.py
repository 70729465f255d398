"""The value chains as rows of a matrix (:mod:`core.strengths`): their order, grouping and states,
and which actors each row holds, made once per dataset.

Rows are grouped as the filter panel groups the value chains: by the sector of their cluster (in
``sectors.csv`` order; clusters with no sector last), then by cluster (in ``groupings.csv`` order),
then in ``gvcs.csv`` order. After a cluster's named value chains comes a **cluster row**
(:attr:`Row.gvc` empty) when the cluster has no named value chain, or when actors are tagged with
the cluster but with none of its value chains: it holds those actors. Its state is ``no_source``,
as is a value chain whose ``gvcs.csv`` record is ``unconfirmed`` (see :mod:`core.strengths`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from core.codes import column_codes, exploded
from data import Dataset

#: the kind groups counted, in column order of a cell's breakdown: kind group -> actor kinds.
#: Research counts universities with research centres (both do research for a value chain);
#: technopole labs are the technopoles and their further sites (their labs are the High Technology
#: Network's). Infrastructure, support bodies and governments host or support value chains rather
#: than make them, and are not counted.
KIND_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "startups": ("startup",),
        "firms": ("firm",),
        "research": ("research_centre", "university"),
        "labs": ("technopole", "technopole_site"),
    }
)
DATA, NO_DATA, NO_SOURCE = "data", "no_data", "no_source"
#: the abroad matrix's refinement of DATA
LINKED, HOME = "linked", "home"
ELSEWHERE, TOTAL = "elsewhere", "total"


def text(value: object) -> str:
    """A cell of a frame as text: "" for a missing value (blank CSV cells are read as NaN)."""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Row:
    """A row of a matrix: a value chain, or a cluster's actors whose value chain is not named."""

    #: the value chain's id, or for a cluster row the cluster's id
    id: str
    #: the value chain's id; "" for a cluster row
    gvc: str
    cluster: str
    #: the cluster's sector id ("" when it has none)
    sector: str
    #: DATA, NO_DATA or NO_SOURCE (see :mod:`core.strengths`)
    state: str


@dataclass(frozen=True)
class Column:
    """A column: a province (``kind`` province), ``elsewhere``, ``total``; in the abroad matrix a
    kind of partner (``partner_region``, ``network`` with the network's id, ``interreg``)."""

    id: str
    kind: str


@dataclass(frozen=True)
class Matrix:
    """A matrix of value chains. ``counts`` has shape (rows + 1, columns, groups): the last row is
    the totals row, the last column the totals column. Frozen and shared: read, never modify."""

    #: "strength" or "abroad"
    name: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    #: what the last axis of ``counts`` counts: kind groups (strength), ("links",) (abroad)
    groups: tuple[str, ...]
    counts: np.ndarray
    #: per row: its state; the abroad matrix refines DATA into LINKED or HOME
    states: tuple[str, ...]
    #: abroad: per (row, column) cell, the ids of the partners its links reach, most links first
    partners: Mapping[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    #: abroad: per (row, column) cell, the link types of its links (a click's ``link`` filter)
    link_types: Mapping[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    #: per row: whether the dataset holds anything of it, whatever the filters (a NO_SOURCE row may not)
    known: tuple[bool, ...] = ()

    @property
    def totals(self) -> np.ndarray:
        """Per cell, the sum over groups (shape rows + 1 by columns): kind groups share no actor."""
        return self.counts.sum(axis=2)

    def row_index(self, row_id: str) -> int:
        """The position of the row ``row_id`` (``total``: the totals row); ValueError if none."""
        if row_id == TOTAL:
            return len(self.rows)
        for i, row in enumerate(self.rows):
            if row.id == row_id:
                return i
        raise ValueError(f"no row {row_id!r}")

    def column_index(self, column_id: str) -> int:
        """The position of the column ``column_id``; ValueError if none."""
        for j, column in enumerate(self.columns):
            if column.id == column_id:
                return j
        raise ValueError(f"no column {column_id!r}")


@dataclass(frozen=True)
class Structure:
    """What the matrices share for one dataset, whatever the filters: the rows, and every (actor,
    row) pair by actor position (sorted by actor)."""

    rows: tuple[Row, ...]
    #: value chain id -> row; cluster id -> its cluster row
    gvc_row: Mapping[str, int]
    cluster_row: Mapping[str, int]
    #: cluster id -> every row of that cluster (a cluster's own link is about all its value chains)
    cluster_rows: Mapping[str, tuple[int, ...]]
    pair_actor: np.ndarray
    pair_row: np.ndarray
    #: per actor position: its province column (provinces in order, then ELSEWHERE's position)
    actor_column: np.ndarray
    provinces: tuple[str, ...]

    def actor_rows(self, position: int) -> np.ndarray:
        """The rows of the actor at ``position``."""
        lo, hi = np.searchsorted(self.pair_actor, [position, position + 1])
        return self.pair_row[lo:hi]


@lru_cache(maxsize=4)
def structure(dataset: Dataset) -> Structure:
    """The rows of ``dataset`` and its actors' rows (once per dataset)."""
    gvcs, groupings, actors = dataset.gvcs, dataset.groupings, dataset.actors
    clusters = groupings[groupings["kind"] == "cluster"]
    sector_of = dict(zip(clusters["id"], clusters["sector"].map(text), strict=True))
    for cluster in gvcs["cluster"]:  # a value chain's cluster that is not of kind cluster still groups it
        sector_of.setdefault(cluster, "")
    sectors = list(dataset.sectors["id"])
    order = sorted(sector_of, key=lambda c: sectors.index(sector_of[c]) if sector_of[c] in sectors else len(sectors))
    # actors with clusters but no value chain: their clusters get a cluster row
    a_pos, a_codes, a_values = exploded(dataset, "actors", "gvcs")
    c_pos, c_codes, c_values = exploded(dataset, "actors", "clusters")
    has_gvc = np.zeros(len(actors), dtype=bool)
    has_gvc[a_pos] = True
    cluster_only = ~has_gvc[c_pos]
    untagged = set(c_values[np.unique(c_codes[cluster_only])].tolist()) if cluster_only.any() else set()
    out: list[Row] = []
    gvc_row: dict[str, int] = {}
    cluster_row: dict[str, int] = {}
    cluster_rows: dict[str, tuple[int, ...]] = {}
    for cluster in order:
        first = len(out)
        members = gvcs[gvcs["cluster"] == cluster]
        for record in members.itertuples(index=False):
            gvc_row[str(record.id)] = len(out)
            state = NO_SOURCE if record.confidence == "unconfirmed" else DATA
            out.append(Row(str(record.id), str(record.id), cluster, sector_of[cluster], state))
        if (not len(members) and cluster in set(clusters["id"])) or cluster in untagged:
            cluster_row[cluster] = len(out)
            out.append(Row(cluster, "", cluster, sector_of[cluster], NO_SOURCE))
        cluster_rows[cluster] = tuple(range(first, len(out)))
    # (actor, row) pairs: an actor's value chains, or, with none, its clusters' cluster rows
    gvc_code_row = np.array([gvc_row.get(str(v), -1) for v in a_values], dtype=np.int64)
    cluster_code_row = np.array([cluster_row.get(str(v), -1) for v in c_values], dtype=np.int64)
    pair_actor = np.concatenate([a_pos, c_pos[cluster_only]]).astype(np.int64)
    pair_row = np.concatenate([gvc_code_row[a_codes], cluster_code_row[c_codes[cluster_only]]])
    keep = pair_row >= 0
    # unique pairs, sorted by actor: an item listed twice counts once
    pairs = np.unique(pair_actor[keep] * max(len(out), 1) + pair_row[keep])
    provinces = tuple(dataset.areas.loc[dataset.areas["kind"] == "province", "id"])
    codes, values = column_codes(dataset, "actors", "province")
    position = {p: i for i, p in enumerate(provinces)}
    code_column = np.array([position.get(str(v), len(provinces)) for v in values], dtype=np.int64)
    actor_column = code_column[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    for array in (pair_actor, pair_row, actor_column):
        array.setflags(write=False)
    width = max(len(out), 1)
    return Structure(
        tuple(out),
        MappingProxyType(gvc_row),
        MappingProxyType(cluster_row),
        MappingProxyType(cluster_rows),
        pairs // width,
        pairs % width,
        actor_column,
        provinces,
    )
