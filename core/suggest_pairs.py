"""Suggested links inside a value chain: the best-scoring pairs of its actors that have no link.

A value chain has thousands of actors at scale (6,000 per chain in the 100k benchmark: 18 million
pairs), but few distinct profiles: actors with the same value chains, groupings, priorities and
province score the same against anyone. So the actors are grouped by **signature** (their profile,
plus whether they are synthetic and which profile is used), the score is computed once per pair
of signatures (a few hundred: 340 per chain at 100k), and only the pairs of the best signature
pairs are listed, in the order of :mod:`core.suggest` (score, then the ids), skipping linked ones.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import numpy as np

from core.suggest_profiles import Component, Profiles, _ranges

#: signature rows scored at a time (a block is BLOCK x signatures floats)
BLOCK = 512


def chain_pairs(
    prof: Profiles,
    members: np.ndarray,
    linked: set[tuple[int, int]],
    weights: dict[str, float],
    min_score: float,
    limit: int,
) -> list[tuple[int, int, float]]:
    """The ``limit`` best unlinked pairs of ``members`` (node positions of actors, sorted by id), as
    (index, index, score) with the first index lower (so the first id sorts first), best first, ties
    by the ids. ``linked``: (lower, higher) member indexes joined by a link. Two real actors are
    scored on their ``facts`` profiles, a pair with a synthetic actor on the ``full`` ones."""
    if len(members) < 2 or limit <= 0:
        return []
    synthetic = prof.synthetic[members]
    real = np.flatnonzero(~synthetic)
    # one row per member and profile: real members twice (facts, for real partners; full, for synthetic ones)
    row_member = np.concatenate([real, np.arange(len(members))])
    row_variant = np.concatenate([np.zeros(len(real), dtype=np.int64), np.ones(len(members), dtype=np.int64)])
    columns, matrices = [], {}
    for name in ("chains", "networks", "priorities"):
        dense = _incidence(
            [prof.facts[name], prof.full[name]], members[row_member], row_variant, len(prof.full[name].items)
        )
        matrices[name] = dense.shape[1]
        columns.append(dense)
    place = _place_codes(prof.full["places"], members[row_member])
    columns += [place[:, None], row_variant[:, None], synthetic[row_member].astype(np.int64)[:, None]]
    table = np.hstack(columns)
    signatures, inverse = np.unique(table, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    k = len(signatures)
    # the members of each signature, by id (their index)
    order = np.lexsort((row_member, inverse))
    start = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(inverse, minlength=k), out=start[1:])
    sorted_members = row_member[order]
    count = (start[1:] - start[:-1]).astype(np.int64)
    parts, at = {}, 0
    for name, width in matrices.items():
        parts[name] = signatures[:, at : at + width].astype(float)
        at += width
    sig_place, sig_variant, sig_synthetic = signatures[:, at], signatures[:, at + 1], signatures[:, at + 2].astype(bool)
    norms = {name: np.sqrt((matrix**2).sum(axis=1)) for name, matrix in parts.items()}
    # closeness of two signatures' provinces, with a last row and column of zeros for "no province"
    closeness = np.zeros((len(prof.proximity) + 1,) * 2)
    closeness[:-1, :-1] = prof.proximity
    sig_place = np.where(sig_place < 0, len(prof.proximity), sig_place)
    need = limit + len(linked)
    kept = [np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)]
    for first in range(0, k, BLOCK):
        rows = np.arange(first, min(first + BLOCK, k))
        score = weights["places"] * closeness[sig_place[rows]][:, sig_place]
        for name, matrix in parts.items():
            dot = matrix[rows] @ matrix.T
            divisor = np.outer(norms[name][rows], norms[name])
            score += weights[name] * np.divide(dot, divisor, out=np.zeros_like(dot), where=divisor > 0)
        score = np.round(score, 3)
        i, j = np.nonzero(np.arange(k)[None, :] >= rows[:, None])  # each pair of signatures once
        a = rows[i]
        capacity = np.where(a == j, count[a] * (count[a] - 1) // 2, count[a] * count[j])
        both_facts = (sig_variant[a] == 0) & (sig_variant[j] == 0)
        with_synthetic = (sig_variant[a] == 1) & (sig_variant[j] == 1) & (sig_synthetic[a] | sig_synthetic[j])
        ok = (capacity > 0) & (both_facts | with_synthetic) & (score[i, j] >= min_score)
        found = (score[i, j][ok], a[ok], j[ok], capacity[ok])
        kept = _prune([np.concatenate([old, new]) for old, new in zip(kept, found, strict=True)], need)
    return _best_pairs(kept, start, sorted_members, linked, limit)


def _incidence(components: list[Component], nodes: np.ndarray, variant: np.ndarray, width: int) -> np.ndarray:
    """Rows x items (only the items some row has) 0/1 matrix: row ``r`` has the items of node
    ``nodes[r]`` in ``components[variant[r]]``."""
    row_parts, item_parts = [], []
    for v, component in enumerate(components):
        rows = np.flatnonzero(variant == v)
        starts, stops = component.node_start[nodes[rows]], component.node_start[nodes[rows] + 1]
        row_parts.append(np.repeat(rows, stops - starts))
        item_parts.append(component.item[_ranges(starts, stops)])
    row, item = np.concatenate(row_parts), np.concatenate(item_parts)
    used, column = np.unique(item, return_inverse=True)
    dense = np.zeros((len(nodes), len(used)), dtype=np.int64)
    dense[row, column.reshape(-1)] = 1
    return dense


def _place_codes(places: Component, nodes: np.ndarray) -> np.ndarray:
    """Per node (an actor: one province at most), its province code, or -1."""
    starts, stops = places.node_start[nodes], places.node_start[nodes + 1]
    return np.where(stops > starts, places.item[np.minimum(starts, len(places.item) - 1)], -1).astype(np.int64)


def _prune(kept: list[np.ndarray], need: int) -> list[np.ndarray]:
    """The signature pairs that can still hold the best ``need`` member pairs: the best ones whose
    pairs add up to ``need``, and every pair tied with the last of them."""
    score, first, second, capacity = kept
    if capacity.sum() <= need:
        return kept
    order = np.argsort(-score, kind="stable")
    enough = int(np.searchsorted(np.cumsum(capacity[order]), need))
    threshold = score[order[min(enough, len(order) - 1)]]
    keep = score >= threshold
    return [score[keep], first[keep], second[keep], capacity[keep]]


def _best_pairs(
    kept: list[np.ndarray],
    start: np.ndarray,
    sorted_members: np.ndarray,
    linked: set[tuple[int, int]],
    limit: int,
) -> list[tuple[int, int, float]]:
    """Walk the signature pairs best first (and, among equals, by their smallest member pair) and
    list their member pairs in id order until nothing left can beat the ``limit``-th found."""
    score, first, second, _ = kept
    lists: dict[int, list[int]] = {}

    def members_of(sig: int) -> list[int]:
        if sig not in lists:
            lists[sig] = sorted_members[start[sig] : start[sig + 1]].tolist()
        return lists[sig]

    smallest = sorted_members[start[:-1]]
    second_smallest = np.where(start[1:] - start[:-1] > 1, sorted_members[np.minimum(start[:-1] + 1, start[-1] - 1)], 0)
    low = np.where(first == second, smallest[first], np.minimum(smallest[first], smallest[second]))
    high = np.where(first == second, second_smallest[first], np.maximum(smallest[first], smallest[second]))
    best: list[tuple[float, int, int]] = []
    for e in np.lexsort((high, low, -score)).tolist():
        bound = (-float(score[e]), int(low[e]), int(high[e]))
        if len(best) == limit and bound > best[-1]:
            break
        for pair in _pairs(members_of(int(first[e])), members_of(int(second[e])), first[e] == second[e]):
            if pair in linked:
                continue
            key = (-float(score[e]), pair[0], pair[1])
            if len(best) == limit and key >= best[-1]:
                break
            bisect.insort(best, key)
            del best[limit:]
    return [(lo, hi, -negative) for negative, lo, hi in best]


def _pairs(a: list[int], b: list[int], same: bool) -> Iterator[tuple[int, int]]:
    """The pairs (lower, higher) of one member of ``a`` and one of ``b`` (of two members of ``a``
    when ``same``), in lexicographic order; both lists sorted."""
    if same:
        for at, x in enumerate(a):
            for y in a[at + 1 :]:
                yield x, y
        return
    i = j = 0
    while i < len(a) or j < len(b):
        if j >= len(b) or (i < len(a) and a[i] < b[j]):
            x, other, i = a[i], b, i + 1
        else:
            x, other, j = b[j], a, j + 1
        for y in other[bisect.bisect_right(other, x) :]:
            yield x, y
