"""Network layer: the selection as cytoscape elements, positioned on the server.

Pure (no Dash). What is drawn:

* **Nodes**: the selection's actors, groupings and node areas. Classes: the entity
  (``actor``/``grouping``/``area``/``group``), the kind, and ``synthetic`` for generated records.
* **Edges**: ``selection.links`` (class: the link type).
* **Derived edges** (class ``derived``, drawn dashed): an actor whose ``clusters`` attribute
  names a cluster that is drawn, and that has no explicit link to it (of any type, either way),
  gets an edge actor → cluster. The membership is a fact of the actor's record, not a link
  record; drawing it keeps start-ups (which rarely have links) attached to their cluster. Data:
  ``derived: True``, link type ``cluster_membership``. A group says it once for all its members
  (one edge group → cluster with ``count``), expanded or not.
* **Groups**: when more than ``max_nodes`` nodes pass the filters, start-ups are drawn as one
  node per value chain (their first one), labelled "N start-ups — <value chain>"; if that is
  still too many, every actor is grouped ("N firms — …", "N actors — …"). When the grouped
  actors share fewer than ``MIN_GVC_GROUPS`` value chains (a value-chain filter), they are
  grouped by province instead, which says more. Group ids start with ``GROUP_PREFIX``. Links
  to a grouped actor become one edge per group–neighbour pair (class ``aggregate``, data
  ``count``); links inside a group are not drawn (counted in ``info['internal_links']``).
* **Expanded groups** (ids in ``expanded``) draw their members one by one, most connected
  first, while the node count stays within ``max_nodes``; the rest stay in the group. The group
  node stays as a hub (class ``expanded``), joined to its drawn members by ``member`` edges, so
  it can be tapped again to collapse. A group of a province sits at its members' centroid in
  the geo layout; a group of a value chain has no place (it goes to the layout's side band).
* **Edge budget**: at most ``max_elements`` elements in all, and at most ``EDGES_PER_NODE``
  edges per drawn node (a denser drawing is a hairball). Edges are kept in this order:
  links between drawn nodes, member edges, derived edges, then bundles by size; what does not
  fit is counted in ``info['hidden_links']``.

Everything but the positions is cached per (dataset, selection key, expanded, limits), the
positions per that and the layout (``layers.graph_layout``), so a click never rebuilds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from core.codes import code_of_values, codes_of, equals, exploded, rows
from core.i18n import LANGUAGES, all_names, label, names_by_id, number, t
from core.selection import Selection, node_space
from data import Dataset
from layers.graph_layout import GraphSpec, LayoutNode, home_frame, layout_positions, node_places
from layers.network_labels import LABEL_PX, label_plan, wrap

MAX_NODES = 150  # above this, start-ups (then other actors) are grouped: a ~600 px panel stays readable
#: nodes + edges; dash-cytoscape slows down past a few thousand elements
MAX_ELEMENTS = 1400
#: at most this many edges per drawn node (then the strongest bundles are kept)
EDGES_PER_NODE = 4
GROUP_PREFIX = "group:"
MIN_GVC_GROUPS = 3
#: while something is selected the detail panel docks beside the views and the network refits to
#: about this share of its home zoom: highlighted labels are sized to stay readable there
DOCKED_ZOOM = 0.6
#: longest value-chain name used in a group label before falling back to the acronym
MAX_NAME = 40


class _Keyed:
    """A selection hashed and compared by its key: its frames are not hashable, the key is.

    ``_build`` drops the selection once it has used it, so its cache keeps no frames alive.
    """

    __slots__ = ("key", "selection")

    def __init__(self, selection: Selection) -> None:
        self.key = selection.key
        self.selection: Selection | None = selection

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


@dataclass(frozen=True)
class _Built:
    """The drawn graph without positions (shared by the cache: never modified)."""

    nodes: tuple[dict, ...]
    edges: tuple[dict, ...]
    info: dict
    spec: GraphSpec
    #: per actor of the dataset (by position), the code in ``group_names`` of the group node it is
    #: drawn in (-1: drawn by itself, or not shown)
    grouped_into: np.ndarray
    group_names: np.ndarray
    #: drawn node id -> drawn neighbour ids
    adjacency: dict[str, frozenset[str]]
    #: drawn edge id -> (source, target)
    edge_ends: dict[str, tuple[str, str]]
    #: every (actor, cluster) membership the dashed edges stand for, drawn or cut by the edge budget:
    #: two aligned arrays of ids (pairs are made only when asked for: an export)
    memberships: tuple[np.ndarray, np.ndarray] = (np.empty(0, dtype=object), np.empty(0, dtype=object))


def network_elements(
    dataset: Dataset,
    selection: Selection,
    layout: str,
    expanded: frozenset[str] = frozenset(),
    max_nodes: int = MAX_NODES,
) -> tuple[list[dict], dict]:
    """Cytoscape elements (every node with a ``position``) and an info dict for the notice.

    ``info`` keys: ``grouped`` (actors drawn inside group nodes), ``grouped_startups``,
    ``groups``, ``group_by`` ("gvc", "province" or ""), ``shown_nodes``, ``shown_edges``,
    ``hidden_links``, ``internal_links``, ``derived_edges``, ``truncated`` (group id ->
    [shown, total]), ``group_labels`` (group id -> its name), ``max_nodes``.
    """
    built = _build(dataset, _Keyed(selection), frozenset(expanded), max_nodes, MAX_ELEMENTS)
    positions = layout_positions(built.spec, layout)
    labels, z0 = label_plan(built.spec, layout)
    nodes = [_placed(node, positions, labels, z0) for node in built.nodes]
    info = {**built.info, "truncated": dict(built.info["truncated"]), "group_labels": dict(built.info["group_labels"])}
    return nodes + [dict(edge) for edge in built.edges], info


def _placed(node: dict, positions: Any, labels: Any, z0: float) -> dict:
    """A built node with its position, its label's size (``fs``; ``fs_hl`` when highlighted: readable
    in the fitted view with the detail panel docked) and side (class ``label-<side>``)."""
    node_id = node["data"]["id"]
    x, y = positions[node_id]
    placed = labels.get(node_id)
    if placed is None:
        return {**node, "position": {"x": x, "y": y}}
    grow = 1.15 if node["data"]["entity"] in ("grouping", "group") else 1.0
    highlighted = LABEL_PX * grow / (z0 * DOCKED_ZOOM)
    data = {**node["data"], "fs": placed.font, "fs_hl": round(max(placed.font, highlighted), 2)}
    return {"data": data, "classes": f"{node['classes']} label-{placed.side}", "position": {"x": x, "y": y}}


def highlight_ids(
    dataset: Dataset,
    selection: Selection,
    element_id: str,
    expanded: frozenset[str] = frozenset(),
    max_nodes: int = MAX_NODES,
) -> tuple[str, frozenset[str]]:
    """The drawn element that stands for ``element_id`` and its drawn neighbours.

    A grouped actor is stood for by its group node; a drawn link by itself (neighbours: its
    ends). ``("", frozenset())`` when nothing drawn stands for it.
    """
    if not element_id:
        return "", frozenset()
    built = _build(dataset, _Keyed(selection), frozenset(expanded), max_nodes, MAX_ELEMENTS)
    if element_id in built.edge_ends:
        return element_id, frozenset(built.edge_ends[element_id])
    drawn = element_id
    position = int(code_of_values(dataset, "actors", "id", [element_id])[0])  # ids are unique: code = row
    if position >= 0 and built.grouped_into[position] >= 0:
        drawn = str(built.group_names[built.grouped_into[position]])
    if drawn not in built.adjacency:
        return "", frozenset()
    return drawn, built.adjacency[drawn]


def drawn_nodes(
    dataset: Dataset, selection: Selection, expanded: frozenset[str] = frozenset(), max_nodes: int = MAX_NODES
) -> list[dict]:
    """The data of each node the network draws for ``selection`` (group nodes too), from the cached
    build: what ``layers.network_analysis`` sizes and links without rebuilding anything."""
    built = _build(dataset, _Keyed(selection), frozenset(expanded), max_nodes, MAX_ELEMENTS)
    return [node["data"] for node in built.nodes]


def notice_text(info: dict, lang: str = "en") -> str:
    """One line saying what is grouped, cut or hidden, in ``lang`` ("" when everything is drawn)."""
    parts = []
    if info.get("groups"):
        startups, others = info.get("grouped_startups", 0), info.get("grouped", 0) - info.get("grouped_startups", 0)
        what = t("network.and", lang).join(
            text
            for text in (
                t("network.grouped_startups", lang, count=number(startups, lang)) if startups else "",
                t("network.grouped_others", lang, count=number(others, lang)) if others else "",
            )
            if text
        ) or t("network.actors", lang)
        by = t("network.by_province" if info.get("group_by") == "province" else "network.by_gvc", lang)
        parts.append(t("network.grouped", lang, what=what, by=by))
    labels = info.get("group_labels", {})
    for group_id, (shown, total) in sorted(info.get("truncated", {}).items()):
        names = labels.get(group_id, {})
        parts.append(
            t(
                "network.truncated",
                lang,
                name=names.get(lang) or names.get("en") or group_id,
                shown=number(shown, lang),
                total=number(total, lang),
                max=number(info.get("max_nodes", MAX_NODES), lang),
            )
        )
    if info.get("hidden_links"):
        parts.append(t("network.hidden_links", lang, count=number(info["hidden_links"], lang)))
    return "; ".join(parts)


def derived_memberships(dataset: Dataset, selection: Selection) -> int:
    """How many actor -> cluster memberships the network stands for with its dashed edges (from the
    actors' records; a group's bundle stands for several): the number the counts name beside the
    links, and the membership rows of the links export.

    Read from the network's own cached build (the one the network view draws), so the two agree
    and nothing is computed twice; expanding a group does not change it (the hub says it once).
    Memberships cut by the edge budget are counted too: the network's notice names them."""
    return len(_build(dataset, _Keyed(selection), frozenset(), MAX_NODES, MAX_ELEMENTS).memberships[0])


def membership_pairs(dataset: Dataset, selection: Selection) -> tuple[tuple[str, str], ...]:
    """The (actor id, cluster id) memberships behind the network's dashed edges (see
    :func:`derived_memberships`), in id order."""
    actor_ids, cluster_ids = _build(dataset, _Keyed(selection), frozenset(), MAX_NODES, MAX_ELEMENTS).memberships
    return tuple(sorted(zip(actor_ids.tolist(), cluster_ids.tolist(), strict=True)))


def is_group(node_id: str) -> bool:
    """Whether a node id is a group node's."""
    return isinstance(node_id, str) and node_id.startswith(GROUP_PREFIX)


# --- building -----------------------------------------------------------------------------------


def _selection_codes(dataset: Dataset, actors: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Integer codes (and their values, "" for none) of the kind, first value chain and province of
    a selection's actors: what grouping reads (:mod:`core.codes`, factorised once per dataset)."""
    return {
        name: codes_of(dataset, "actors", actors, column)
        for name, column in (("kind", "kind"), ("gvc", "gvcs"), ("province", "province"))
    }


class _Groups(NamedTuple):
    """Per actor, the group it is drawn in, as a code into ``names`` (the group node ids; -1 = drawn
    one by one); ``by`` is what the groups are by ("gvc", "province" or "")."""

    code: np.ndarray
    names: np.ndarray
    by: str


def _group_plan(dataset: Dataset, actors: pd.DataFrame, fixed: int, max_nodes: int) -> _Groups:
    """Which actors are drawn in groups, and in which.

    Worked on integer codes (value chain, province, kind), names made once per group: at 100k
    actors the same on strings took 0.1 s per filter state."""
    n = len(actors)
    if fixed + n <= max_nodes:
        return _Groups(np.full(n, -1), np.empty(0, dtype=object), "")
    codes = _selection_codes(dataset, actors)
    kind_codes, kind_values = codes["kind"]
    startup_code = np.flatnonzero(kind_values == "startup")
    is_startup = np.isin(kind_codes, startup_code) if len(startup_code) else np.zeros(n, dtype=bool)
    group_code = np.full(n, -1)
    names = np.empty(0, dtype=object)
    by = ""
    # Start-ups first (the many, alike, mostly synthetic); everything only when that is not enough.
    for groupable in (is_startup, np.ones(n, dtype=bool)):
        if not groupable.any():
            continue

        def distinct(name: str, rows: np.ndarray = groupable) -> int:
            values_codes, values = codes[name]
            present = np.flatnonzero(np.bincount(values_codes[rows], minlength=len(values)))
            return int(sum(1 for c in present if values[c] != ""))

        n_gvc, n_prov = distinct("gvc"), distinct("province")
        by = "gvc" if n_gvc >= MIN_GVC_GROUPS or n_gvc >= n_prov else "province"
        value_codes, values = _gvc_or_cluster(dataset, actors, *codes["gvc"]) if by == "gvc" else codes["province"]
        category = np.where(is_startup, 0, 1)  # 0: start-ups, 1: other actors
        combined = value_codes * 2 + category
        # small non-negative codes: bincount and a rank table instead of sorting 100k of them
        present = np.flatnonzero(np.bincount(combined[groupable], minlength=2 * len(values)))
        rank = np.full(2 * len(values), -1)
        rank[present] = np.arange(len(present))
        inverse = rank[combined[groupable]]
        # one name per distinct (category, value), not one per actor (110k strings)
        names = np.array(
            [
                f"{GROUP_PREFIX}{'startup' if c % 2 == 0 else 'actor'}:{by}:{values[c // 2] or 'none'}"
                for c in present.tolist()
            ],
            dtype=object,
        )
        group_code = np.full(n, -1)
        group_code[groupable] = inverse
        n_groups = len(present)
        if fixed + int((~groupable).sum()) + n_groups <= max_nodes:
            break
    return _Groups(group_code, names, by)


def _gvc_or_cluster(
    dataset: Dataset, actors: pd.DataFrame, gvc_codes: np.ndarray, gvc_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Codes of each actor's first value chain, or, for one tagged with a cluster only (a cluster
    whose value chains the data does not name), of its first cluster: its own group, not "none"."""
    cluster_codes, cluster_values = codes_of(dataset, "actors", actors, "clusters")
    no_gvc = np.isin(gvc_codes, np.flatnonzero(gvc_values == "")) & (cluster_values[cluster_codes] != "")
    values = np.concatenate([gvc_values, cluster_values]).astype(object)
    return np.where(no_gvc, len(gvc_values) + cluster_codes, gvc_codes), values


def _degrees(links: pd.DataFrame) -> pd.Series:
    return pd.concat([links["source_id"], links["target_id"]]).value_counts()


def _short_gvc_names(dataset: Dataset) -> dict[str, str]:
    gvcs = dataset.gvcs
    out = {}
    for gid, name, acronym in zip(
        gvcs["id"], gvcs["name"], gvcs["acronym"] if "acronym" in gvcs else gvcs["id"], strict=True
    ):
        text = str(name)
        if len(text) > MAX_NAME:
            text = str(acronym) if isinstance(acronym, str) and acronym else text[: MAX_NAME - 1] + "…"
        out[gid] = text
    return out


@lru_cache(maxsize=16)
def _build(dataset: Dataset, keyed: _Keyed, expanded: frozenset[str], max_nodes: int, max_elements: int) -> _Built:
    selection = keyed.selection
    if selection is None:  # only a fresh _Keyed can miss the cache, and a fresh one has its selection
        raise RuntimeError("network build called without a selection")
    keyed.selection = None
    actors, groupings, areas, links = selection.actors, selection.groupings, selection.areas, selection.links
    fixed = len(groupings) + len(areas)
    groups = _group_plan(dataset, actors, fixed, max_nodes)
    by = groups.by
    actor_ids = actors["id"].to_numpy(dtype=object)
    grouped = groups.code >= 0
    group_ids = sorted(groups.names[np.unique(groups.code[grouped])].tolist())
    code_of_group = {str(name): i for i, name in enumerate(groups.names.tolist())}
    n_nodes = fixed + int((~grouped).sum()) + len(group_ids)
    shown: dict[str, list[str]] = {}
    truncated: dict[str, list[int]] = {}
    opened = sorted(expanded & set(group_ids))
    degree = _degrees(links) if opened else None  # only an expanded group's members are ranked by it
    for gid in opened:
        members = pd.DataFrame({"id": actor_ids[groups.code == code_of_group[gid]]})
        members["degree"] = members["id"].map(degree).fillna(0)
        members = members.sort_values(["degree", "id"], ascending=[False, True])
        k = min(len(members), max(0, max_nodes - n_nodes))
        shown[gid] = members["id"].iloc[:k].tolist()
        n_nodes += k
        if k < len(members):
            truncated[gid] = [k, len(members)]
    shown_ids = {i for ids in shown.values() for i in ids}
    in_group = grouped & ~pd.Series(actor_ids).isin(shown_ids).to_numpy() if shown_ids else grouped
    space = node_space(dataset)
    actor_nodes = space.positions(dataset, "actors", actors)
    # per node position of the dataset, the node drawn for it: itself (its position), a group
    # (len(space.ids) + group code), or -1 (not shown)
    drawn_node = np.full(len(space.ids), -1, dtype=np.int64)
    drawn_node[actor_nodes] = np.where(in_group, len(space.ids) + groups.code, actor_nodes)
    for table, frame in (("groupings", groupings), ("areas", areas)):
        at = space.positions(dataset, table, frame)
        drawn_node[at] = at
    grouped_into = np.full(len(dataset.actors), -1, dtype=np.int32)
    grouped_into[rows(dataset, "actors", actors)[in_group]] = groups.code[in_group]
    places = node_places(dataset)

    nodes: list[dict] = []
    layout_nodes: list[LayoutNode] = []
    # every record's name per language (all_names: built once per dataset and language)
    names_in = {code: all_names(dataset, code) for code in LANGUAGES if code != "en"}

    def local(node_id: str) -> dict[str, object]:
        return {code: names.get(node_id) for code, names in names_in.items()}

    def add(
        node_id: str,
        label: str,
        kind: str,
        entity: str,
        synthetic: bool,
        hints: tuple = (),
        parent: str = "",
        extra: dict | None = None,
        place: tuple | None = None,
        size: int = 1,
        local: dict[str, object] | None = None,
    ) -> None:
        classes = [entity, kind] + (["synthetic"] if synthetic else [])
        if entity == "group":
            classes += ["group"] + (["expanded"] if (extra or {}).get("expanded") else [])
        # label_<lang> and text_<lang> only where a language's name differs: that language's
        # stylesheet shows it (layers.network_style), the others the English one
        own = {
            code: name
            for code, name in (local or {}).items()
            if code != "en" and isinstance(name, str) and name.strip() and name != label
        }
        texts = (wrap(label), *(wrap(name) for name in own.values()))
        translated: dict[str, str] = {}
        for (code, name), text in zip(own.items(), texts[1:], strict=True):
            translated[f"label_{code}"], translated[f"text_{code}"] = name, text
        nodes.append(
            {
                "data": {
                    "id": node_id,
                    "label": label,
                    "text": texts[0],
                    "kind": kind,
                    "synthetic": synthetic,
                    "entity": entity,
                    **translated,
                    **(extra or {}),
                },
                "classes": " ".join(dict.fromkeys(classes)),
            }
        )
        layout_nodes.append(LayoutNode(node_id, entity, kind, hints, parent, place, size, texts=texts))

    for row in groupings[["id", "name", "kind", "synthetic"]].itertuples(index=False):
        add(row.id, row.name, row.kind, "grouping", bool(row.synthetic), place=places.get(row.id), local=local(row.id))
    for row in areas[["id", "name", "kind", "synthetic"]].itertuples(index=False):
        add(row.id, row.name, row.kind, "area", bool(row.synthetic), place=places.get(row.id), local=local(row.id))
    parent_of = {a: gid for gid, ids in shown.items() for a in ids}
    one_by_one = actors.loc[~in_group, ["id", "name", "kind", "synthetic", "clusters"]]
    for row in one_by_one.itertuples(index=False):
        add(
            row.id,
            row.name,
            row.kind,
            "actor",
            bool(row.synthetic),
            tuple(row.clusters),
            parent_of.get(row.id, ""),
            place=places.get(row.id),
            local=local(row.id),
        )
    if group_ids:
        _add_groups(add, dataset, actors, groups, group_ids, shown, truncated)

    # Legibility before completeness: past a few edges per node a drawing is a hairball whatever its
    # layout, so the weakest bundles go first (the notice counts them); also the browser's cost.
    budget = max(0, min(max_elements - len(nodes), EDGES_PER_NODE * len(nodes)))
    # Members of an expanded group hang from its hub: their cluster membership is said once, by the hub.
    edges, info_edges, memberships = _edges(dataset, actors, groupings, links, drawn_node, groups, shown, budget)
    # Importance: a node's drawn edges (member edges of an expanded group's hub do not count).
    drawn_degree: dict[str, int] = {}
    for e in edges:
        if e["classes"] != "member":
            for end in (e["data"]["source"], e["data"]["target"]):
                drawn_degree[end] = drawn_degree.get(end, 0) + 1
    layout_nodes = [n._replace(degree=drawn_degree.get(n.id, 0)) for n in layout_nodes]
    for node, laid in zip(nodes, layout_nodes, strict=True):
        node["data"]["size"] = laid.diameter
        node["data"]["degree"] = laid.degree
    spec = GraphSpec(
        key=(dataset, selection.key, expanded, max_nodes, max_elements),
        nodes=tuple(layout_nodes),
        edges=tuple((e["data"]["source"], e["data"]["target"], float(e["data"].get("count", 1))) for e in edges),
        frame=home_frame(dataset),
    )
    adjacency: dict[str, set[str]] = {n["data"]["id"]: set() for n in nodes}
    for e in edges:
        adjacency[e["data"]["source"]].add(e["data"]["target"])
        adjacency[e["data"]["target"]].add(e["data"]["source"])
    is_startup = equals(dataset, "actors", actors, "kind", "startup")
    labels = {
        n["data"]["id"]: {code: n["data"].get(f"name_{code}", n["data"]["name"]) for code in LANGUAGES}
        for n in nodes
        if n["data"]["entity"] == "group"
    }
    info = {
        "grouped": int(in_group.sum()),
        "grouped_startups": int((in_group & is_startup).sum()),
        "groups": len(group_ids),
        "group_by": by,
        "shown_nodes": len(nodes),
        "shown_edges": len(edges),
        "truncated": truncated,
        "group_labels": labels,
        "max_nodes": max_nodes,
        **info_edges,
    }
    return _Built(
        tuple(nodes),
        tuple(edges),
        info,
        spec,
        grouped_into,
        groups.names,
        {k: frozenset(v) for k, v in adjacency.items()},
        {e["data"]["id"]: (e["data"]["source"], e["data"]["target"]) for e in edges},
        memberships,
    )


def _add_groups(
    add: Callable[..., None],
    dataset: Dataset,
    actors: pd.DataFrame,
    groups: _Groups,
    group_ids: list[str],
    shown: dict[str, list[str]],
    truncated: dict[str, list[int]],
) -> None:
    """One node per group: label with the count, place at the members' centroid, main cluster as hint."""
    # grouped by integer codes of the group ids and kinds: a groupby on 100k strings cost 0.1 s
    grouped = groups.code >= 0
    group_codes, group_names = groups.code[grouped], groups.names
    kind_codes, kind_names = codes_of(dataset, "actors", actors, "kind")
    kind_codes = kind_codes[grouped]
    cluster_codes, cluster_names = codes_of(dataset, "actors", actors, "clusters")
    cluster_codes = cluster_codes[grouped]
    # per group, with numpy's bincount (a pandas groupby of the same took 8 ms at 100k)
    width = len(group_names)
    count_of = np.bincount(group_codes, minlength=width)
    synthetic = actors["synthetic"].fillna(False).to_numpy(dtype=bool)[grouped]
    all_synthetic = np.bincount(group_codes, weights=~synthetic, minlength=width) == 0
    centre = {}
    for axis in ("lon", "lat"):
        values = actors[axis].to_numpy(dtype=float)[grouped]
        placed = ~np.isnan(values)
        total = np.bincount(group_codes[placed], weights=values[placed], minlength=width)
        n_placed = np.bincount(group_codes[placed], minlength=width)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre[axis] = np.where(n_placed > 0, total / np.maximum(n_placed, 1), np.nan)
    n_kinds = np.bincount(np.unique(group_codes * len(kind_names) + kind_codes) // len(kind_names), minlength=width)
    present, first_row = np.unique(group_codes, return_index=True)
    first_kind = dict(zip(present.tolist(), kind_names[kind_codes[first_row]].tolist(), strict=True))
    # the main cluster: most members, ties to the first cluster in data order
    named = ~np.isin(cluster_codes, np.flatnonzero(cluster_names == ""))
    pairs, pair_counts = np.unique(group_codes[named] * len(cluster_names) + cluster_codes[named], return_counts=True)
    pair_group, pair_cluster = pairs // len(cluster_names), pairs % len(cluster_names)
    order = np.lexsort((pair_cluster, -pair_counts, pair_group))
    main_cluster: dict[str, str] = {}
    for g, c in zip(pair_group[order].tolist(), pair_cluster[order].tolist(), strict=True):
        main_cluster.setdefault(str(group_names[g]), str(cluster_names[c]))
    code_of_group = {str(name): i for i, name in enumerate(group_names.tolist())}
    gvc_names = _short_gvc_names(dataset)
    area_names = {lang: names_by_id(dataset.areas, lang) for lang in LANGUAGES}
    grouping_names = {lang: names_by_id(dataset.groupings, lang) for lang in LANGUAGES}
    for gid in group_ids:
        g = code_of_group[gid]
        _, category, by, value = gid.split(":", 3)
        kind = "startup" if category == "startup" else (first_kind[g] if n_kinds[g] == 1 else "mixed")
        count = int(count_of[g])
        labels = {}
        for lang in LANGUAGES:
            if value == "none":
                name = t("network.no_gvc" if by == "gvc" else "network.no_province", lang)
            elif by == "gvc" and value not in gvc_names:  # a cluster whose value chains are not named
                name = t("network.cluster_only", lang, cluster=grouping_names[lang].get(value, value))
            else:
                name = gvc_names.get(value, value) if by == "gvc" else area_names[lang].get(value, value)
            plural = label("plural", kind, lang, t("plural.mixed", lang, count=count), count=count)
            labels[lang] = t("network.group_label", lang, count=number(count, lang), plural=plural, name=name)
        names = dict(labels)
        expanded = gid in shown
        if expanded:
            k = len(shown[gid])
            for lang in LANGUAGES:
                labels[lang] += (
                    t("network.first_drawn", lang, count=number(k, lang))
                    if gid in truncated
                    else t("network.tap_collapse", lang)
                )
        # A province group sits at its members' centroid; a value chain has no place of its own (its
        # centroid is the middle of the region for every chain), so the geo layout puts it in the band.
        lon, lat = float(centre["lon"][g]), float(centre["lat"][g])
        place = (lon, lat) if by == "province" and not np.isnan(lon) else None
        add(
            gid,
            labels["en"],
            kind,
            "group",
            bool(all_synthetic[g]),
            (main_cluster[gid],) if gid in main_cluster else (),
            extra={
                "count": count,
                "expanded": expanded,
                "group_by": by,
                "name": names["en"],
                **{f"name_{code}": names[code] for code in LANGUAGES if code != "en"},
            },
            place=place,
            size=count,
            local=labels,
        )


def _edges(
    dataset: Dataset,
    actors: pd.DataFrame,
    groupings: pd.DataFrame,
    links: pd.DataFrame,
    drawn_node: np.ndarray,
    groups: _Groups,
    shown: dict[str, list[str]],
    budget: int,
) -> tuple[list[dict], dict, tuple[np.ndarray, np.ndarray]]:
    """Links, member and derived edges, bundled where an end is a group; cut to ``budget``; and
    the (actor, cluster) memberships the derived edges stand for.

    ``drawn_node``: per node position (:func:`core.selection.node_space`), the drawn node standing
    for it (see :func:`_build`). Ends are joined on these integer codes: a map of 50k link ends
    through an id lookup, and a groupby of the bundles' id pairs, took a third of a build at 100k."""
    candidates: list[tuple[tuple, dict, int]] = []  # (sort key, edge, links it stands for)
    space = node_space(dataset)
    at = rows(dataset, "links", links)
    ends = space.link_source[at], space.link_target[at]
    src, tgt = (np.where(end >= 0, drawn_node[np.maximum(end, 0)], -1) for end in ends)
    ok = (src >= 0) & (tgt >= 0)
    direct = ok & (src == ends[0]) & (tgt == ends[1])
    internal = ok & ~direct & (src == tgt)
    bundled = ok & ~direct & ~internal
    for row in links.loc[direct, ["id", "source_id", "target_id", "link_type", "weight", "synthetic"]].itertuples(
        index=False
    ):
        weight = float(row.weight) if pd.notna(row.weight) else 1.0
        edge = {
            "data": {
                "id": row.id,
                "source": row.source_id,
                "target": row.target_id,
                "link_type": row.link_type,
                "weight": weight,
                "synthetic": bool(row.synthetic),
            },
            "classes": row.link_type,
        }
        candidates.append(((0, 0, row.id), edge, 1))
    if bundled.any():
        n_space = len(space.ids)

        def drawn_id(code: int) -> str:
            return str(space.ids[code]) if code < n_space else str(groups.names[code - n_space])

        width = np.int64(n_space + len(groups.names))
        low, high = np.minimum(src[bundled], tgt[bundled]), np.maximum(src[bundled], tgt[bundled])
        pairs, pair_of, counts = np.unique(low * width + high, return_inverse=True, return_counts=True)
        type_codes, type_values = codes_of(dataset, "links", links, "link_type")
        type_codes = type_codes[bundled]
        n_types = len(type_values)
        pair_types = np.unique(pair_of.astype(np.int64) * n_types + type_codes)
        kinds_per_pair = np.bincount(pair_types // n_types, minlength=len(pairs))
        one_type = type_values[pair_types % n_types]  # per pair: a type it has (its only one if just one)
        type_of_pair = np.empty(len(pairs), dtype=object)
        type_of_pair[pair_types // n_types] = one_type
        # columns zipped, not iterrows: a few thousand bundles at 100k
        for pair, count, types, first in zip(
            pairs.tolist(), counts.tolist(), kinds_per_pair.tolist(), type_of_pair.tolist(), strict=True
        ):
            # bundles are undirected: one edge per pair, ends in id order
            a, b = sorted((drawn_id(pair // int(width)), drawn_id(pair % int(width))))
            link_type = first if types == 1 else "mixed"
            edge = {
                "data": {
                    "id": f"agg:{a}|{b}",
                    "source": a,
                    "target": b,
                    "link_type": link_type,
                    "count": count,
                    "label": f"{count:,}",
                },
                "classes": f"aggregate {link_type}",
            }
            candidates.append(((3, -count, edge["data"]["id"]), edge, count))
    for gid, members in shown.items():
        for member in members:
            edge = {
                "data": {"id": f"member:{gid}|{member}", "source": gid, "target": member, "link_type": "member"},
                "classes": "member",
            }
            candidates.append(((1, 0, edge["data"]["id"]), edge, 0))
    derived, memberships = _derived(dataset, actors, groupings, links, groups)
    candidates += derived
    candidates.sort(key=lambda c: c[0])
    kept = candidates[:budget]
    hidden = sum(c[2] for c in candidates[budget:])
    return (
        [c[1] for c in kept],
        {
            "hidden_links": hidden,
            "internal_links": int(internal.sum()),
            "derived_edges": sum(1 for c in kept if "derived" in c[1]["classes"]),
            "derived_memberships": sum(c[2] for c in kept if "derived" in c[1]["classes"]),
        },
        memberships,
    )


def _derived(
    dataset: Dataset, actors: pd.DataFrame, groupings: pd.DataFrame, links: pd.DataFrame, groups: _Groups
) -> tuple[list[tuple[tuple, dict, int]], tuple[np.ndarray, np.ndarray]]:
    """Actor → cluster edges from the actors' ``clusters`` attribute (see the module docstring),
    and the (actor, cluster) pairs they stand for.

    ``groups``: each actor's group node (members of expanded groups too: the hub says it once).
    Worked on integer codes (row, cluster): on id strings this was a third of a build at 100k.
    """
    positions, cluster_codes, cluster_values = exploded(dataset, "actors", "clusters")
    local_of = np.full(len(dataset.actors), -1)
    local_of[rows(dataset, "actors", actors)] = np.arange(len(actors))
    local = local_of[positions]
    inside = local >= 0
    local, codes = local[inside], cluster_codes[inside]
    cluster_ids = set(groupings["id"])
    keep = pd.Series(cluster_values, dtype=object).isin(cluster_ids).to_numpy()[codes]
    if not keep.any():
        return [], (np.empty(0, dtype=object), np.empty(0, dtype=object))
    # An explicit link either way already says it (whatever its type): no second, derived edge.
    # Pairs are coded as dataset actor position * clusters + cluster code, links' ends likewise.
    width = len(cluster_values)
    cluster_code_of = {c: i for i, c in enumerate(cluster_values.tolist())}
    ends = [codes_of(dataset, "links", links, column) for column in ("source_id", "target_id")]
    is_cluster = [
        np.isin(end_codes, code_of_values(dataset, "links", column, cluster_ids))
        for column, (end_codes, _) in zip(("source_id", "target_id"), ends, strict=True)
    ]
    touching = is_cluster[0] | is_cluster[1]
    if touching.any():
        known = []
        for a, b in ((0, 1), (1, 0)):  # (actor end, cluster end), both ways
            actor_end = ends[a][1][ends[a][0][touching]]
            cluster_end = ends[b][1][ends[b][0][touching]]
            actor_rows = code_of_values(dataset, "actors", "id", actor_end)  # ids are unique: code = position
            cluster_rows = np.array([cluster_code_of.get(c, -1) for c in cluster_end.tolist()], dtype=np.int64)
            ok = (actor_rows >= 0) & (cluster_rows >= 0)
            known.append(actor_rows[ok].astype(np.int64) * width + cluster_rows[ok])
        pair_codes = positions[inside].astype(np.int64) * width + codes
        keep &= ~np.isin(pair_codes, np.concatenate(known))
    local, codes = local[keep], codes[keep]
    actor_col, cluster_col = actors["id"].to_numpy(dtype=object)[local], cluster_values[codes]
    pairs = (actor_col, cluster_col)
    group_code = groups.code[local]
    out = []
    one = group_code < 0
    for actor, cluster in zip(actor_col[one], cluster_col[one], strict=True):
        edge: dict[str, Any] = {
            "data": {
                "id": f"derived:{actor}|{cluster}",
                "source": actor,
                "target": cluster,
                "link_type": "cluster_membership",
                "derived": True,
            },
            "classes": "derived cluster_membership",
        }
        out.append(((2, 0, edge["data"]["id"]), edge, 1))
    if (~one).any():
        # counted on integer codes: a groupby on 100k pairs of strings took most of this function
        width = len(cluster_values)
        combined, counts = np.unique(group_code[~one].astype(np.int64) * width + codes[~one], return_counts=True)
        bundles = sorted(
            (groups.names[c // width], cluster_values[c % width], int(n))
            for c, n in zip(combined.tolist(), counts.tolist(), strict=True)
        )
        for group, cluster, count in bundles:
            edge = {
                "data": {
                    "id": f"derived:{group}|{cluster}",
                    "source": group,
                    "target": cluster,
                    "link_type": "cluster_membership",
                    "derived": True,
                    "count": int(count),
                    "label": f"{int(count):,}",
                },
                "classes": "derived aggregate cluster_membership",
            }
            out.append(((3, -int(count), edge["data"]["id"]), edge, int(count)))
    return out, pairs
