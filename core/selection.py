"""The filtered selection: computed once per filter state, shared by every view.

Rules (the same for map, network and table):

* Each filter applies to some kinds of record: ``kind`` and ``q`` to every node; ``prov``
  to actors and provinces; ``year`` to records with a year; ``gvc`` to actors tagged with a
  value chain (or its cluster) and to clusters. A record that **fails** a filter that
  applies to it is hidden.
* A record that passes every filter that applies to it, and to which every active filter
  applies, is a **match**. A record to which some active filter does not apply (a network
  when filtering by province, a record with no year when filtering by year, a record that
  does not match the search) is **context**: shown only when a visible link joins it to a
  match. So filtering Bologna's province shows its actors and the networks they belong to.
* Links are shown when their type and year pass and both ends are shown; with two dates compared
  (``compare``), when they exist at either date (the year filter is then set aside).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from core.codes import contains_any, equals, has_items, rows
from core.lookup import incident_links, locate
from core.once import OncePerKey
from core.state import ViewState
from core.vocabulary import NODE_AREA_KINDS
from data import Dataset


@dataclass(frozen=True)
class Selection:
    """What passes the filters. Frames are shared: read them, never modify them."""

    actors: pd.DataFrame
    groupings: pd.DataFrame
    areas: pd.DataFrame
    links: pd.DataFrame
    #: ids of the matches (the rest of the nodes shown is context)
    matched_ids: np.ndarray
    key: str
    #: how many of ``actors`` are start-ups (counted on codes when selected: a compare of 100k strings cost 4 ms)
    startups: int = 0

    @cached_property
    def matched(self) -> frozenset[str]:
        """Ids of the matches, as a set (built on first use)."""
        return frozenset(self.matched_ids.tolist())

    @cached_property
    def node_ids(self) -> frozenset[str]:
        """Ids of every shown node: actors, groupings and areas (built once per selection: 110k ids
        at 100k, read by every click's highlight)."""
        return frozenset(self.actors["id"]) | frozenset(self.groupings["id"]) | frozenset(self.areas["id"])

    def counts(self) -> dict[str, int]:
        """How many actors, start-ups, groupings, areas and links are shown (the counts line)."""
        return {
            "actors": len(self.actors),
            "startups": self.startups,
            "groupings": len(self.groupings),
            "areas": len(self.areas),
            "links": len(self.links),
        }

    @property
    def empty(self) -> bool:
        """Whether the filters leave no node at all."""
        return not (len(self.actors) or len(self.groupings) or len(self.areas))


def normalise_text(text: str) -> str:
    """Lower case without accents, for search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


@dataclass(frozen=True)
class _Index:
    """Per-dataset arrays that make filtering vectorised."""

    actors: pd.DataFrame
    groupings: pd.DataFrame
    areas: pd.DataFrame
    links: pd.DataFrame
    actor_names: np.ndarray
    grouping_names: np.ndarray
    area_names: np.ndarray
    cluster_of_gvc: dict[str, str]
    #: every node id (actors, groupings, areas, in that order): the id space links point into
    node_ids: np.ndarray
    #: per link, the position of its source / target in ``node_ids`` (-1: not a node)
    link_source: np.ndarray
    link_target: np.ndarray


@lru_cache(maxsize=4)
def _index(dataset: Dataset) -> _Index:
    actors = dataset.actors
    groupings = dataset.groupings
    areas = dataset.areas
    # keeps the dataset's row labels, like every frame of a selection (core.codes finds rows by them)
    areas = areas[areas["kind"].isin(NODE_AREA_KINDS)]

    def names(frame: pd.DataFrame) -> np.ndarray:
        # every language's name is searchable, whatever the page's language
        text = frame["name"].fillna("").astype(str)
        for column in (c for c in frame.columns if str(c).startswith("name_")):
            text = text + " | " + frame[column].fillna("").astype(str)
        return text.map(normalise_text).to_numpy()

    gvcs = dataset.gvcs
    node_ids = np.concatenate([frame["id"].to_numpy(dtype=object) for frame in (actors, groupings, areas)])
    position = pd.Index(node_ids)
    links = dataset.links
    return _Index(
        actors,
        groupings,
        areas,
        links,
        names(actors),
        names(groupings),
        names(areas),
        dict(zip(gvcs["id"], gvcs["cluster"], strict=True)),
        node_ids,
        position.get_indexer(links["source_id"].to_numpy(dtype=object)),
        position.get_indexer(links["target_id"].to_numpy(dtype=object)),
    )


@dataclass(frozen=True)
class NodeSpace:
    """Every node record of a dataset (actors, then groupings, then the areas drawn as nodes) by
    position, and each link's ends as positions in it: what lets the views join links to nodes with
    integer arrays instead of id strings."""

    ids: np.ndarray
    #: per link of the dataset (by position), its source's / target's node position (-1: not a node)
    link_source: np.ndarray
    link_target: np.ndarray
    _offsets: dict[str, int]
    _area_rows: pd.Index

    def positions(self, dataset: Dataset, table: str, frame: pd.DataFrame) -> np.ndarray:
        """The node positions of the rows of ``frame``, a selection's ``table`` (actors, groupings, areas)."""
        if table == "areas":
            found = self._area_rows.get_indexer(frame.index)
            if (found < 0).any():
                raise ValueError("frame rows are not areas drawn as nodes")
            return found + self._offsets["areas"]
        return rows(dataset, table, frame) + self._offsets[table]


@lru_cache(maxsize=4)
def node_space(dataset: Dataset) -> NodeSpace:
    """The dataset's :class:`NodeSpace` (made once per dataset)."""
    ix = _index(dataset)
    n_actors, n_groupings = len(ix.actors), len(ix.groupings)
    return NodeSpace(
        ix.node_ids,
        ix.link_source,
        ix.link_target,
        {"actors": 0, "groupings": n_actors, "areas": n_actors + n_groupings},
        ix.areas.index,
    )


# Status codes per record and filter.
PASS, FAIL, NA = 1, 0, 2


#: selections by (dataset, filters): one filter state's first computation never blocks another's hit
_SELECTIONS: OncePerKey[Selection] = OncePerKey(maxsize=64)


def select(dataset: Dataset, state: ViewState) -> Selection:
    """The records the filters of ``state`` pick. Computed once per dataset and filter state."""
    filters = state.filters()
    return _SELECTIONS.get((dataset, filters), lambda: _select(dataset, filters))


def _select(dataset: Dataset, filters: tuple) -> Selection:
    gvc, link_types, kinds, provs, year, query, compare = filters
    ix = _index(dataset)
    statuses: dict[str, list[np.ndarray]] = {"actors": [], "groupings": [], "areas": []}
    frames = {"actors": ix.actors, "groupings": ix.groupings, "areas": ix.areas}
    names = {"actors": ix.actor_names, "groupings": ix.grouping_names, "areas": ix.area_names}
    for table, frame in frames.items():
        n = len(frame)
        if kinds:
            statuses[table].append(np.where(frame["kind"].isin(kinds).to_numpy(), PASS, FAIL))
        if query:
            statuses[table].append(
                np.where([query in s for s in names[table]], PASS, NA).astype(int) if n else np.zeros(0, int)
            )
        if provs:
            if table == "actors":
                statuses[table].append(np.where(frame["province"].isin(provs).to_numpy(), PASS, FAIL))
            elif table == "areas":
                is_prov = (frame["kind"] == "province").to_numpy()
                statuses[table].append(np.where(is_prov, np.where(frame["id"].isin(provs), PASS, FAIL), NA))
            else:
                statuses[table].append(np.full(n, NA))
        if year:
            if "year" in frame:
                years = frame["year"]
                inside = years.between(year[0], year[1]).fillna(False).to_numpy(dtype=bool)
                statuses[table].append(np.where(years.isna().to_numpy(), NA, np.where(inside, PASS, FAIL)))
            else:
                statuses[table].append(np.full(n, NA))
        if gvc:
            statuses[table].append(_gvc_status(dataset, table, frame, ix, set(gvc)))
    shown, matched = {}, {}
    for table, frame in frames.items():
        if statuses[table]:
            stack = np.vstack(statuses[table])
            failed = (stack == FAIL).any(axis=0)
            strict = (stack == PASS).all(axis=0)
        else:
            failed = np.zeros(len(frame), dtype=bool)
            strict = np.ones(len(frame), dtype=bool)
        matched[table] = strict & ~failed
        shown[table] = ~failed  # context candidates; narrowed below
    links = ix.links
    link_ok = np.ones(len(links), dtype=bool)
    if link_types:
        link_ok &= links["link_type"].isin(link_types).to_numpy()
    if year:
        link_ok &= (links["year"].isna() | links["year"].between(year[0], year[1]).fillna(False)).to_numpy(bool)
    if compare:  # two dates compared: the links that exist at either (core/compare.py's rule)
        link_ok &= links_existing_in(links, compare[0]) | links_existing_in(links, compare[1])
    if gvc:  # a link tagged with value chains passes when one of them is asked for; untagged ones pass
        link_ok &= ~has_items(dataset, "links", links, "gvcs") | contains_any(dataset, "links", links, "gvcs", set(gvc))
    # Over the one id space of nodes, by position (links point at any table): boolean arrays, no sets of ids.
    is_match = np.concatenate([matched[t] for t in frames])
    is_candidate = np.concatenate([shown[t] & ~matched[t] for t in frames])
    ends_known = (ix.link_source >= 0) & (ix.link_target >= 0)
    ok = link_ok & ends_known
    src, tgt = ix.link_source[ok], ix.link_target[ok]
    context = np.zeros(len(is_match), dtype=bool)
    context[tgt[is_match[src]]] = True
    context[src[is_match[tgt]]] = True
    visible = is_match | (context & is_candidate)
    keep_links = np.zeros(len(links), dtype=bool)
    keep_links[np.flatnonzero(ok)[visible[src] & visible[tgt]]] = True
    out, start = {}, 0
    for table, frame in frames.items():
        part = visible[start : start + len(frame)]
        out[table] = frame[part] if not part.all() else frame
        start += len(frame)
    key = hashlib.sha1(repr(filters).encode()).hexdigest()[:16]
    startups = int(equals(dataset, "actors", out["actors"], "kind", "startup").sum())
    return Selection(
        out["actors"], out["groupings"], out["areas"], links[keep_links], ix.node_ids[is_match], key, startups
    )


def links_existing_in(links: pd.DataFrame, year: int) -> np.ndarray:
    """Per link (by position), whether it exists in ``year``: started (``year``) then or before, or
    undated, and not ended (``end_year``) before it (the rule ``core.compare`` explains)."""
    start = pd.to_numeric(links["year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    end = (
        pd.to_numeric(links["end_year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "end_year" in links
        else np.full(len(links), np.nan)
    )
    return (np.isnan(start) | (start <= year)) & (np.isnan(end) | (end >= year))


def _gvc_status(dataset: Dataset, table: str, frame: pd.DataFrame, ix: _Index, gvcs: set[str]) -> np.ndarray:
    n = len(frame)
    clusters = {ix.cluster_of_gvc[g] for g in gvcs if g in ix.cluster_of_gvc}
    if table == "actors":
        # on the coded lists (core.codes): np.isin over 100k object ids took 10 ms per filter
        has_gvc = has_items(dataset, table, frame, "gvcs")
        has_cluster = has_items(dataset, table, frame, "clusters")
        gvc_hit = contains_any(dataset, table, frame, "gvcs", gvcs)
        cluster_hit = contains_any(dataset, table, frame, "clusters", clusters)
        # Tagged with value chains: matched by them; tagged only with a cluster: by the cluster.
        hit = np.where(has_gvc, gvc_hit, cluster_hit)
        return np.where(has_gvc | has_cluster, np.where(hit, PASS, FAIL), NA)
    if table == "groupings":
        is_cluster = (frame["kind"] == "cluster").to_numpy()
        in_clusters = frame["id"].isin(clusters).to_numpy()
        tagged = frame["gvcs"].map(len).to_numpy() > 0
        gvc_hit = frame["gvcs"].map(lambda items: bool(set(items) & gvcs)).to_numpy(bool)
        status = np.where(tagged, np.where(gvc_hit, PASS, FAIL), NA)
        return np.where(is_cluster, np.where(in_clusters, PASS, FAIL), status)
    return np.full(n, NA)


def links_of(dataset: Dataset, selection: Selection, element_id: str) -> pd.DataFrame:
    """The shown links with ``element_id`` at one end: rows of ``selection.links``, in its order
    (found through ``core.lookup``: no compare of every link's ends)."""
    positions = incident_links(dataset, element_id)
    links = selection.links
    if not len(positions) or not len(links):
        return links.iloc[:0]
    labels = dataset.frame("links").index[positions]
    at = links.index.get_indexer(labels)
    return links.iloc[np.sort(at[at >= 0])]


NODE_TABLES = ("actors", "groupings", "areas")


def shown_nodes(dataset: Dataset, selection: Selection, element_ids: Iterable[str]) -> list[str]:
    """Those of ``element_ids`` that are nodes the selection shows, in their order (looked up by
    id, one vectorised check per table: no set of every shown id is built, which cost a first
    click 60 ms at 100k)."""
    ids = list(element_ids)
    found = [locate(dataset, i) for i in ids]
    keep = np.zeros(len(ids), dtype=bool)
    for table in NODE_TABLES:
        mine = [k for k, f in enumerate(found) if f is not None and f[0] == table]
        if not mine:
            continue
        labels = dataset.frame(table).index[[found[k][1] for k in mine]]  # type: ignore[index]  # not None: filtered above
        keep[mine] = getattr(selection, table).index.get_indexer(labels) >= 0
    return [i for i, shown in zip(ids, keep, strict=True) if shown]


def neighbours(selection: Selection, element_id: str, dataset: Dataset | None = None) -> frozenset[str]:
    """Ids joined to ``element_id`` by a visible link (and those links' ids). With the ``dataset``
    the links are looked up (:func:`links_of`) rather than found by comparing every link's ends."""
    links = selection.links if dataset is None else links_of(dataset, selection, element_id)
    out = links.loc[links["source_id"] == element_id, "target_id"].tolist()
    out += links.loc[links["target_id"] == element_id, "source_id"].tolist()
    link_ids = links.loc[(links["source_id"] == element_id) | (links["target_id"] == element_id), "id"].tolist()
    return frozenset(out) | frozenset(link_ids)
