"""Suggested partners (issue 14, fourth part; ``suggest=1``): who a selected element could work with.

For a selected **actor** (or any node: a cluster, a network, a partner region), the nodes of the
current selection it has no link with, scored on what they share; for a selected **value chain**,
the pairs of its actors that have no link with each other (:mod:`core.suggest_pairs`).

The score (0 to 1) is a weighted sum of four components, each 0 to 1 (:data:`WEIGHTS`):

``chains``      shared value chains        0.35
``networks``    shared groupings           0.35  (a cluster, a Vanguard pilot, a programme)
``priorities``  shared S3 priority         0.15  (derived from value chains and clusters)
``places``      the same province (1) or a neighbouring one (0.5)    0.15

The first three are the cosine of the two weighted item lists of :mod:`core.suggest_profiles`
(shared items over the geometric mean of how many each has: 1 when both have the same, 1/sqrt(n)
when one has a single item of the other's n). ``places`` is the closeness of the two provinces;
for a grouping, of where its members are (the share of members there; half for a neighbour). A
candidate is suggested only when it shares a value chain, a grouping or a priority (a province
alone is no reason to work together) and scores at least :data:`MIN_SCORE`.

Never suggested: the element itself, anything a link of the dataset joins to it (any type, either
direction, shown or filtered out, ended or not: they know each other), the clusters an actor's
record names (and, for a cluster, the actors naming it), the home region and its provinces
(places, not partners). Suggestions between two real records rest on facts alone: synthetic links
and members are left out of both profiles; a suggestion with a synthetic end is scored on
everything and flagged ``synthetic`` (``include_synthetic=False`` leaves synthetic records out).
Candidates are the nodes the filters show; ties are broken by id, so the answer is always the same.

Suggestions are never links: :func:`suggested_links` gives them as link-like rows of their own
type, ``suggested``, for the views to draw apart; ``dataset.links`` is never touched.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from core.codes import rows
from core.i18n import all_names, names_by_id, number, t
from core.lookup import incident_links, position
from core.once import OncePerKey
from core.selection import NODE_TABLES, Selection, node_space
from core.suggest_pairs import chain_pairs
from core.suggest_profiles import COMPONENTS, Component, Profiles, profiles
from core.vocabulary import NODE_AREA_KINDS
from data import Dataset

WEIGHTS = {"chains": 0.35, "networks": 0.35, "priorities": 0.15, "places": 0.15}
#: below this, what two records share is too thin to be worth a suggestion
MIN_SCORE = 0.05
#: suggestions computed and cached per element (a larger ``limit`` is computed afresh)
CACHED = 50
#: ids listed per reason (the rest are counted in ``more``)
MAX_IDS = 3
REASON_KEYS = {"chains": "suggest.reason.chains", "networks": "suggest.reason.networks",
               "priorities": "suggest.reason.priority"}  # fmt: skip
LINK_TYPE = "suggested"
ABROAD_AREA_KINDS = frozenset({"partner_region", "member_region", "country"})


@dataclass(frozen=True)
class Reason:
    """Why a candidate is suggested, as data: the UI words it in each language (:func:`reason_texts`).

    ``key`` is a locale key (``suggest.reason.chains``, ``.networks``, ``.priority``, ``.province``,
    ``.neighbour``, ``.beyond``, ``.isolated``); ``ids`` what is shared (value chain, grouping,
    sector or province ids; for ``beyond`` and ``isolated``, node ids); ``points`` what it adds to
    the score (0 for a note); ``shares`` per id, on the source's and the target's side, the share of
    a grouping's members that have it (0-1), or None where the record itself has it (or, for the two
    provinces of ``neighbour``, on the side the province is not); ``more`` how many shared ids are
    not listed."""

    key: str
    ids: tuple[str, ...]
    points: float = 0.0
    shares: tuple[tuple[float | None, float | None], ...] = ()
    more: int = 0


@dataclass(frozen=True)
class Suggestion:
    """A suggested link: ``source_id`` (the selected element; for a value chain, one of its actors)
    to ``target_id`` (the candidate), its ``score`` (0-1), its ``components`` (each 0-1, before
    :data:`WEIGHTS`), its reasons, and whether it rests on synthetic records."""

    source_id: str
    target_id: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    synthetic: bool = False


_cache: OncePerKey[tuple[Suggestion, ...]] = OncePerKey(maxsize=64)


def suggest_partners(
    dataset: Dataset, selection: Selection, element_id: str, limit: int = 10, include_synthetic: bool = True
) -> list[Suggestion]:
    """The ``limit`` best suggestions for ``element_id`` (a node id or a value chain id) among the
    nodes ``selection`` shows, best first, ties by id; empty for an id that is neither. Cached per
    dataset, filter state and element. ``include_synthetic=False`` leaves synthetic records out."""
    if limit > CACHED:
        return list(_compute(dataset, selection, element_id, limit, include_synthetic))
    key = (dataset, selection.key, element_id, include_synthetic)
    found = _cache.get(key, lambda: _compute(dataset, selection, element_id, CACHED, include_synthetic))
    return list(found[: max(limit, 0)])


def suggested_links(
    dataset: Dataset,
    selection: Selection,
    element_id: str,
    limit: int = 10,
    lang: str = "en",
    include_synthetic: bool = True,
) -> pd.DataFrame:
    """The suggestions as link-like rows for the views to draw (dashed, labelled "suggested") and for
    exports that ask for them (``include=suggested``): ``id``, ``source_id``, ``target_id``,
    ``link_type`` (always ``suggested``), ``score``, ``reason`` (worded in ``lang``), ``synthetic``.
    Never mixed into ``dataset.links`` or a selection's links, never counted as links."""
    found = suggest_partners(dataset, selection, element_id, limit, include_synthetic)
    return pd.DataFrame(
        {
            "id": pd.Series([f"suggested:{s.source_id}:{s.target_id}" for s in found], dtype=object),
            "source_id": pd.Series([s.source_id for s in found], dtype=object),
            "target_id": pd.Series([s.target_id for s in found], dtype=object),
            "link_type": pd.Series([LINK_TYPE] * len(found), dtype=object),
            "score": pd.Series([s.score for s in found], dtype=float),
            "reason": pd.Series(["; ".join(reason_texts(dataset, s, lang)) for s in found], dtype=object),
            "synthetic": pd.Series([s.synthetic for s in found], dtype=bool),
        }
    )


def reason_texts(dataset: Dataset, suggestion: Suggestion, lang: str = "en") -> list[str]:
    """Each reason of ``suggestion`` in words, in ``lang`` (names, not ids; shares of a grouping's
    members in brackets)."""
    names = _names(dataset, lang)
    texts = []
    for reason in suggestion.reasons:
        parts = []
        for at, item in enumerate(reason.ids):
            text = names.get(item, item)
            shares = reason.shares[at] if at < len(reason.shares) else (None, None)
            notes = []
            for side, share in zip((suggestion.source_id, suggestion.target_id), shares, strict=True):
                if share is not None:  # a share of a grouping's members
                    percent = number(round(share * 100), lang) if share >= 0.005 else "<1"
                    notes.append(t("suggest.share", lang, percent=percent, name=names.get(side, side)))
            parts.append(f"{text} ({', '.join(notes)})" if notes else text)
        listed = ", ".join(parts)
        if reason.more:
            listed += " " + t("suggest.more", lang, count=reason.more)
        texts.append(t(reason.key, lang, names=listed, count=len(reason.ids)))
    return texts


@lru_cache(maxsize=8)
def _names(dataset: Dataset, lang: str) -> dict[str, str]:
    """Id -> name in ``lang`` of nodes, value chains and sectors (what reasons name)."""
    names = dict(all_names(dataset, lang))
    names.update(names_by_id(dataset.gvcs, lang))
    names.update(names_by_id(dataset.sectors, lang))
    return names


def _compute(
    dataset: Dataset, selection: Selection, element_id: str, limit: int, include_synthetic: bool
) -> tuple[Suggestion, ...]:
    prof = profiles(dataset)
    node = _node_of(dataset, prof, element_id)
    if node is not None:
        return _for_node(dataset, selection, prof, node, limit, include_synthetic)
    chain = position(dataset, "gvcs", element_id)
    if chain is not None:
        return _for_chain(dataset, selection, prof, chain, limit, include_synthetic)
    return ()


def _node_of(dataset: Dataset, prof: Profiles, element_id: str) -> int | None:
    """The node position of ``element_id`` (actors, groupings, areas drawn as nodes), or None."""
    for table in NODE_TABLES:
        at = position(dataset, table, element_id)
        if at is None:
            continue
        if table == "areas":
            frame = dataset.areas.iloc[[at]]
            if not frame["kind"].isin(NODE_AREA_KINDS).all():
                return None  # a programme area or a country: no node
            return int(node_space(dataset).positions(dataset, table, frame)[0])
        return at + (prof.n_actors if table == "groupings" else 0)
    return None


def _shown(dataset: Dataset, selection: Selection, prof: Profiles) -> np.ndarray:
    """Per node, whether ``selection`` shows it."""
    space = node_space(dataset)
    shown = np.zeros(len(prof.ids), dtype=bool)
    for table in NODE_TABLES:
        shown[space.positions(dataset, table, getattr(selection, table))] = True
    return shown


def _tied(dataset: Dataset, prof: Profiles, node: int) -> np.ndarray:
    """Nodes already tied to ``node``: joined by any link of the dataset, or by an actor's record
    naming a cluster."""
    space = node_space(dataset)
    links = incident_links(dataset, str(prof.ids[node]))
    ends = np.concatenate([space.link_source[links], space.link_target[links]])
    named = [prof.record_grouping[prof.record_actor == node], prof.record_actor[prof.record_grouping == node]]
    return np.concatenate([ends[ends >= 0], *named])


def _values(comps: dict[str, Component], prof: Profiles, node: int) -> dict[str, np.ndarray]:
    """Per node, each component's value against ``node`` (0-1)."""
    n = len(prof.ids)
    out = {}
    for name in ("chains", "networks", "priorities"):
        comp = comps[name]
        codes, weights = comp.of(node)
        at = comp.holders(codes)
        mine = np.zeros(len(comp.items))
        mine[codes] = weights
        dot = np.bincount(comp.node[at], weights=comp.weight[at] * mine[comp.item[at]], minlength=n)
        divisor = comp.norm * comp.norm[node]
        out[name] = np.minimum(np.divide(dot, divisor, out=np.zeros(n), where=divisor > 0), 1.0)
    places = comps["places"]
    codes, weights = places.of(node)
    reach = prof.proximity[:, codes] @ weights if len(codes) else np.zeros(len(places.items))
    at = places.holders(np.flatnonzero(reach > 0))
    near = np.bincount(places.node[at], weights=places.weight[at] * reach[places.item[at]], minlength=n)
    out["places"] = np.minimum(near, 1.0)
    return out


def _for_node(
    dataset: Dataset, selection: Selection, prof: Profiles, node: int, limit: int, include_synthetic: bool
) -> tuple[Suggestion, ...]:
    candidates = _shown(dataset, selection, prof) & ~prof.not_a_partner
    candidates[node] = False
    candidates[_tied(dataset, prof, node)] = False
    if not include_synthetic:
        candidates &= ~prof.synthetic
    full = _values(prof.full, prof, node)
    if prof.synthetic[node]:
        values = full
    else:  # a real element: real candidates on facts, synthetic ones on everything
        facts = _values(prof.facts, prof, node)
        values = {name: np.where(prof.synthetic, full[name], facts[name]) for name in COMPONENTS}
    score = np.round(sum(WEIGHTS[name] * values[name] for name in COMPONENTS), 3)
    shares_something = (values["chains"] > 0) | (values["networks"] > 0) | (values["priorities"] > 0)
    chosen = _top(prof, score, np.flatnonzero(candidates & shares_something & (score >= MIN_SCORE)), limit)
    return tuple(_suggestion(dataset, prof, node, int(other), float(score[other])) for other in chosen)


def _top(prof: Profiles, score: np.ndarray, eligible: np.ndarray, limit: int) -> list[int]:
    """The ``limit`` best of ``eligible`` nodes: highest score first, ties by id (only the tied
    nodes at the cut are compared by id: all 100k may tie)."""
    if len(eligible) > limit:
        cut = -np.partition(-score[eligible], limit - 1)[limit - 1]
        above = eligible[score[eligible] > cut]
        tied = eligible[score[eligible] == cut]
        rest = heapq.nsmallest(limit - len(above), tied.tolist(), key=lambda n: str(prof.ids[n]))
        eligible = np.concatenate([above, np.asarray(rest, dtype=np.int64)])
    return sorted(eligible.tolist(), key=lambda n: (-score[n], str(prof.ids[n])))


def _pair(prof: Profiles, a: int, b: int) -> tuple[dict[str, Component], dict[str, float]]:
    """The profiles a pair is scored on and its component values (as :func:`_values`, for one pair)."""
    comps = prof.full if prof.synthetic[a] or prof.synthetic[b] else prof.facts
    values = {}
    for name in ("chains", "networks", "priorities"):
        comp = comps[name]
        (ca, wa), (cb, wb) = comp.of(a), comp.of(b)
        _, ia, ib = np.intersect1d(ca, cb, assume_unique=True, return_indices=True)
        divisor = comp.norm[a] * comp.norm[b]
        values[name] = min(float((wa[ia] * wb[ib]).sum() / divisor), 1.0) if divisor > 0 else 0.0
    (pa, wa), (pb, wb) = comps["places"].of(a), comps["places"].of(b)
    values["places"] = min(float(wa @ prof.proximity[np.ix_(pa, pb)] @ wb), 1.0) if len(pa) and len(pb) else 0.0
    return comps, values


def _suggestion(dataset: Dataset, prof: Profiles, a: int, b: int, score: float) -> Suggestion:
    """The suggestion ``a`` -> ``b`` with its components and reasons."""
    comps, values = _pair(prof, a, b)
    reasons = []
    for name, key in REASON_KEYS.items():
        if values[name] <= 0:
            continue
        comp = comps[name]
        (ca, wa), (cb, wb) = comp.of(a), comp.of(b)
        sa, sb = comp.shares(a), comp.shares(b)
        common, ia, ib = np.intersect1d(ca, cb, assume_unique=True, return_indices=True)
        order = sorted(range(len(common)), key=lambda k: (-wa[ia[k]] * wb[ib[k]], str(comp.items[common[k]])))
        listed = order[:MAX_IDS]
        reasons.append(
            Reason(
                key,
                tuple(str(comp.items[common[k]]) for k in listed),
                round(WEIGHTS[name] * values[name], 3),
                tuple((_share(sa[ia[k]]), _share(sb[ib[k]])) for k in listed),
                len(order) - len(listed),
            )
        )
    if values["places"] > 0:
        reasons.append(_place_reason(prof, comps["places"], a, b, values["places"]))
    if _beyond(dataset, prof, b) and not _beyond(dataset, prof, a):
        reasons.append(Reason("suggest.reason.beyond", (str(prof.ids[b]),)))
    return Suggestion(
        str(prof.ids[a]),
        str(prof.ids[b]),
        score,
        {name: round(values[name], 3) for name in COMPONENTS},
        tuple(reasons),
        bool(prof.synthetic[a] or prof.synthetic[b]),
    )


def _place_reason(prof: Profiles, places: Component, a: int, b: int, value: float) -> Reason:
    """The provinces that bring ``a`` and ``b`` closest (for a grouping, where most of its members are)."""
    (pa, wa), (pb, wb) = places.of(a), places.of(b)
    weight = wa[:, None] * wb[None, :] * prof.proximity[np.ix_(pa, pb)]
    i, j = min(
        zip(*np.nonzero(weight > 0), strict=True),
        key=lambda ij: (-weight[ij], str(places.items[pa[ij[0]]]), str(places.items[pb[ij[1]]])),
    )
    share_a, share_b = _share(places.shares(a)[i]), _share(places.shares(b)[j])
    points = round(WEIGHTS["places"] * value, 3)
    if pa[i] == pb[j]:
        return Reason("suggest.reason.province", (str(places.items[pa[i]]),), points, ((share_a, share_b),))
    # two provinces: the first is the source's (its share on the source's side), the second the target's
    ids = (str(places.items[pa[i]]), str(places.items[pb[j]]))
    return Reason("suggest.reason.neighbour", ids, points, ((share_a, None), (None, share_b)))


def _share(value: float) -> float | None:
    """A share of members for a reason (rounded), or None for the record's own item (NaN)."""
    return None if np.isnan(value) else round(float(value), 3)


def _beyond(dataset: Dataset, prof: Profiles, node: int) -> bool:
    """Whether ``node`` lies beyond the home region: an area abroad, or an actor in no province of
    the region (placed outside its outline when its record names no province). Groupings have no place."""
    table = prof.table_of(node)
    if table == "areas":
        return str(prof.kind[node]) in ABROAD_AREA_KINDS
    if table == "groupings" or not len(prof.home_places):
        return False
    codes, _ = prof.full["places"].of(node)
    if len(codes):
        return not np.isin(codes, prof.home_places).any()
    home = _home_outline(dataset)
    actor = dataset.actors.iloc[node]
    lon, lat = float(actor["lon"]), float(actor["lat"])
    if home is None or not (np.isfinite(lon) and np.isfinite(lat)):
        return False
    return not bool(shapely.intersects(home, shapely.points(lon, lat)))


@lru_cache(maxsize=4)
def _home_outline(dataset: Dataset) -> shapely.Geometry | None:
    """The home region's outline (its area, else its provinces'), or None."""
    areas = dataset.areas
    home = areas[(areas["id"] == dataset.meta.get("region")).to_numpy()]
    if not len(home):
        home = areas[(areas["kind"] == "province").to_numpy()]
    return shapely.union_all(shapely.make_valid(home.geometry.to_numpy())) if len(home) else None


def _for_chain(
    dataset: Dataset, selection: Selection, prof: Profiles, chain: int, limit: int, include_synthetic: bool
) -> tuple[Suggestion, ...]:
    chains = prof.full["chains"]
    holders = chains.node[chains.holders(np.array([chain]))]
    shown = np.zeros(prof.n_actors, dtype=bool)
    shown[rows(dataset, "actors", selection.actors)] = True
    holders = holders[holders < prof.n_actors]
    members = holders[shown[holders]]
    if not include_synthetic:
        members = members[~prof.synthetic[members]]
    members = members[np.argsort(prof.ids[members].astype(str), kind="stable")]  # by id: index order is id order
    # member index per node position; the extra last cell answers -1 for link ends that are no node (-1)
    index = np.full(len(prof.ids) + 1, -1, dtype=np.int64)
    index[members] = np.arange(len(members))
    space = node_space(dataset)
    source, target = index[space.link_source], index[space.link_target]
    joined = (source >= 0) & (target >= 0) & (source != target)
    low, high = np.minimum(source, target)[joined], np.maximum(source, target)[joined]
    linked = set(zip(low.tolist(), high.tolist(), strict=True))
    connected = set(low.tolist()) | set(high.tolist())
    out = []
    for i, j, score in chain_pairs(prof, members, linked, WEIGHTS, MIN_SCORE, limit):
        found = _suggestion(dataset, prof, int(members[i]), int(members[j]), score)
        alone = tuple(str(prof.ids[members[m]]) for m in (i, j) if m not in connected)
        if alone:
            found = replace(found, reasons=(*found.reasons, Reason("suggest.reason.isolated", alone)))
        out.append(found)
    return tuple(out)
