"""Server-side positions for the network view: the browser only ever runs the ``preset`` layout.

Pure (no Dash). ``cose`` in the browser takes seconds for a few hundred nodes and differs between
visits; here each layout is computed once, deterministically (same graph, same positions), and
cached per graph key and layout, so a click (a style-only change) never re-runs it.

``cluster``  clusters, networks and programmes on a ring, each with its members in a disc around
             it (an actor whose ``clusters`` names it, else the node it has the heaviest links
             to); an expanded group gets its own place on the ring, next to its cluster; nodes
             attached to nothing sit in the middle.
``geo``      lon/lat (``data.export.node_points``; province groups at their members' centroid),
             equirectangular. The frame is the home region (its region and province areas, else
             where most actors are), so partners abroad do not squeeze the region into a dot:
             places outside it are held at its edge, in their direction. Nodes without a place
             (most groupings, value-chain groups) form a band below a wide map, right of a tall one.
``force``    ``networkx.spring_layout`` with a fixed seed per connected component, started from the
             cluster layout (fewer iterations on bigger components); components packed in rows,
             so isolated nodes do not squeeze the rest.

Then overlapping nodes are pushed apart (sizes from ``node_diameter``, which the stylesheet uses).
Positions fit a ``CANVAS`` of about 1000×800; the cluster and force layouts grow beyond it rather
than put nodes closer than ``MIN_GAP`` px (cytoscape's ``fit`` zooms to whatever is drawn).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import networkx as nx
import numpy as np

from data import Dataset
from data.export import node_points

LAYOUTS = ("cluster", "geo", "force")
CANVAS = (1000.0, 800.0)
MARGIN = 40.0
#: smallest distance (px) the cluster layout keeps between neighbouring nodes
MIN_GAP = 30.0
#: the geo layout's band of unplaced nodes: px per column and per row; the map keeps at least MIN_MAP_WIDTH
BAND_COLUMN, BAND_ROW, MIN_MAP_WIDTH = 170.0, 48.0, 600.0
FORCE_SEED = 7
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
ENTITY_RANK = {"group": 0, "actor": 1, "area": 2, "grouping": 3}
#: node diameters (px) per entity; the stylesheet draws them at these sizes, the layouts keep them apart
DIAMETERS = {"actor": 24.0, "grouping": 34.0, "area": 30.0, "group": 36.0}
MAX_GROUP_DIAMETER = 90.0
#: rounds of pushing apart and holding at the map's edge in the geo layout
GEO_ROUNDS = 20
#: overlap removal is O(n²) per round: above this many nodes it is skipped
MAX_DECLUTTER = 1000


#: a node grows with its importance (drawn links) up to this many times its base diameter
MAX_GROWTH = 1.8


def node_diameter(entity: str, size: int = 1, degree: int = 0) -> float:
    """Drawn diameter (px) of a node: its kind's base, grown with the square root of its drawn links
    (hubs stand out), and for a group of the square root of its count."""
    if entity == "group":
        grown = DIAMETERS["group"] + 2.5 * math.sqrt(max(size, 1)) + 1.5 * math.sqrt(max(degree, 0))
        return round(min(MAX_GROUP_DIAMETER, grown), 1)
    base = DIAMETERS.get(entity, DIAMETERS["actor"])
    return round(min(base * MAX_GROWTH, base + 3.0 * math.sqrt(max(degree, 0))), 1)


class LayoutNode(NamedTuple):
    """What a layout needs to know about one drawn node."""

    id: str
    entity: str  # actor | grouping | area | group
    kind: str
    #: preferred anchors, best first (an actor's ``clusters``; a group's main cluster)
    hints: tuple[str, ...] = ()
    #: the hub the node hangs from (the group node of an expanded group), or ""
    parent: str = ""
    #: (lon, lat) or None
    place: tuple[float, float] | None = None
    #: how many records it stands for (group nodes)
    size: int = 1
    #: how many drawn edges touch it (its importance: size and label priority)
    degree: int = 0
    #: its label in every language, wrapped (``layers.network_labels`` places it)
    texts: tuple[str, ...] = ()

    @property
    def diameter(self) -> float:
        """The node's drawn diameter in model units, from its kind, size and degree."""
        return node_diameter(self.entity, self.size, self.degree)


@dataclass(frozen=True, eq=False)
class GraphSpec:
    """The drawn graph, as the layouts see it.

    Hashed and compared by ``key`` (what the graph was built from: dataset, selection key,
    expanded groups, limits), so ``layout_positions`` is cached per that key and layout.
    """

    key: tuple
    nodes: tuple[LayoutNode, ...]
    #: (source, target, weight) of every drawn edge
    edges: tuple[tuple[str, str, float], ...]
    #: (lon_min, lat_min, lon_max, lat_max) of the home region: the geo layout's frame, or None
    frame: tuple[float, float, float, float] | None = None

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GraphSpec) and other.key == self.key


@lru_cache(maxsize=4)
def node_places(dataset: Dataset) -> MappingProxyType:
    """``data.export.node_points`` of ``dataset``, computed once per dataset (read-only)."""
    return MappingProxyType(node_points(dataset))


@lru_cache(maxsize=4)
def home_frame(dataset: Dataset) -> tuple[float, float, float, float] | None:
    """Bounds (lon/lat) of the home region (area kinds region and province), or None."""
    areas = dataset.areas
    home = areas[areas["kind"].isin(("region", "province"))]
    if home.empty:
        return None
    bounds = home.total_bounds
    # the ignore below: four bounds, as above: a generator's tuple has no fixed length
    return tuple(float(b) for b in bounds) if np.isfinite(bounds).all() else None  # type: ignore[return-value]


@lru_cache(maxsize=64)
def layout_positions(spec: GraphSpec, layout: str) -> MappingProxyType:
    """Node id -> (x, y) in canvas pixels (y down). Cached: the same spec returns the same object.

    An unknown ``layout`` falls back to ``cluster``. The mapping is shared: read it, never modify it.
    """
    if not spec.nodes:
        return MappingProxyType({})
    if layout == "geo":
        points = _geo(spec)
    else:
        units = _force(spec) if layout == "force" else _cluster(spec)
        points = _fit(_declutter_dict(spec, units, MIN_GAP, gap=0.15), *CANVAS, min_gap=MIN_GAP)
    return MappingProxyType({k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in points.items()})


# --- cluster -------------------------------------------------------------------------------------


def _sort_key(node: LayoutNode) -> tuple:
    return ENTITY_RANK.get(node.entity, 9), -node.size, node.kind, node.id


def _heaviest(neighbours: dict[str, float], allowed: dict | set) -> str:
    candidates = [(w, n) for n, w in neighbours.items() if n in allowed]
    # Heaviest first; ties broken by id so the answer never depends on dict order.
    return min(candidates, key=lambda c: (-c[0], c[1]))[1] if candidates else ""


def _owners(spec: GraphSpec, anchor_ids: set[str]) -> dict[str, str]:
    """Per non-anchor node, the ring item it sits around ("" = the middle)."""
    by_id = {n.id: n for n in spec.nodes}
    # weights are floats: a Counter adds them as well as counts
    adj: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for source, target, weight in spec.edges:
        adj[source][target] += weight
        adj[target][source] += weight
    owner: dict[str, str] = {}
    for node in spec.nodes:
        if node.id in anchor_ids:
            continue
        if node.parent in by_id:
            owner[node.id] = node.parent
            continue
        hint = next((h for h in node.hints if h in anchor_ids), "")
        owner[node.id] = hint or _heaviest(adj[node.id], anchor_ids)
    # Second pass: a node linked to no anchor joins the disc of its heaviest anchored neighbour
    # (a partner region next to the home region), so fewer nodes pile up in the middle.
    anchored = {k: v for k, v in owner.items() if v in anchor_ids}
    for node_id, own in list(owner.items()):
        if not own:
            neighbour = _heaviest(adj[node_id], anchored)
            owner[node_id] = anchored.get(neighbour, "")
    return owner


def _cluster(spec: GraphSpec) -> dict[str, tuple[float, float]]:
    """Positions in gap units (1 unit = ``MIN_GAP`` px at the smallest scale)."""
    anchors = sorted(
        (n for n in spec.nodes if n.entity == "grouping"), key=lambda n: (n.kind != "cluster", n.kind, n.id)
    )
    anchor_ids = {a.id for a in anchors}
    owner = _owners(spec, anchor_ids)
    hubs = sorted({own for own in owner.values() if own and own not in anchor_ids})
    ring: list[str] = []
    for anchor in anchors:
        ring.append(anchor.id)
        ring.extend(h for h in hubs if owner.get(h) == anchor.id)
    ring.extend(h for h in hubs if owner.get(h) not in anchor_ids)
    ring_set = set(ring)
    members: dict[str, list[LayoutNode]] = defaultdict(list)
    for node in spec.nodes:
        if node.id not in ring_set:
            own = owner.get(node.id, "")
            members[own if own in ring_set else ""].append(node)
    for group in members.values():
        group.sort(key=_sort_key)

    def step(nodes: list[LayoutNode]) -> float:
        # Spiral step in units, wider where big group nodes sit in the disc.
        return 0.55 * max([1.0] + [n.diameter / MIN_GAP for n in nodes])

    def radius(nodes: list[LayoutNode]) -> float:
        return 1.5 + step(nodes) * math.sqrt(len(nodes)) if nodes else 0.5

    pos: dict[str, tuple[float, float]] = {}
    centre = members.get("", [])
    centre_r = radius(centre) if centre else 0.0
    radii = [radius(members.get(item, [])) for item in ring]
    if ring:
        circumference = sum(2 * r + 1.0 for r in radii)
        big_r = max(circumference / (2 * math.pi), centre_r + max(radii) + 1.0)
        if len(ring) == 1 and not centre:
            big_r = 0.0
        cumulative = 0.0
        for item, r in zip(ring, radii, strict=True):
            angle = -math.pi / 2 + 2 * math.pi * (cumulative + r + 0.5) / circumference
            cumulative += 2 * r + 1.0
            cx, cy = big_r * math.cos(angle), big_r * math.sin(angle)
            pos[item] = (cx, cy)
            disc = members.get(item, [])
            _sunflower(pos, disc, cx, cy, start=1.2, turn=angle, step=step(disc))
    _sunflower(pos, centre, 0.0, 0.0, start=0.0 if len(centre) == 1 else 0.5, turn=0.0, step=step(centre))
    return pos


def _sunflower(
    pos: dict, nodes: list[LayoutNode], cx: float, cy: float, start: float, turn: float, step: float
) -> None:
    """Vogel's spiral: points spread evenly in a disc, the first ones nearest the centre."""
    for i, node in enumerate(nodes):
        r = start + step * math.sqrt(i + 0.5) if start or i else 0.0
        theta = turn + math.pi + i * GOLDEN_ANGLE
        pos[node.id] = (cx + r * math.cos(theta), cy + r * math.sin(theta))


# --- geo ----------------------------------------------------------------------------------------


def _finite(place: tuple[float, float] | None) -> bool:
    return place is not None and all(math.isfinite(v) for v in place)


def _geo(spec: GraphSpec) -> dict[str, tuple[float, float]]:
    placed = [n for n in spec.nodes if _finite(n.place)]
    unplaced = [n for n in spec.nodes if not _finite(n.place)]
    if not placed:
        return _band(unplaced, CANVAS[0], across=True)
    # the ignore below: placed holds only nodes with a finite place (filtered above), never None
    lons = np.array([n.place[0] for n in placed])  # type: ignore[index]
    lats = np.array([n.place[1] for n in placed])  # type: ignore[index]  # as above
    if spec.frame:
        lon_lo, lat_lo, lon_hi, lat_hi = spec.frame
    else:
        # No home region drawn: the frame is where most actors are (a few far away do not set it).
        core = np.array([n.entity in ("actor", "group") for n in placed])
        pick = core if core.any() else np.ones(len(placed), dtype=bool)
        lon_lo, lon_hi = np.quantile(lons[pick], [0.05, 0.95])
        lat_lo, lat_hi = np.quantile(lats[pick], [0.05, 0.95])
    k = math.cos(math.radians((lat_lo + lat_hi) / 2))
    pad = 0.08 * max((lon_hi - lon_lo) * k, lat_hi - lat_lo, 0.05)
    box = (lon_lo * k - pad, -lat_hi - pad, lon_hi * k + pad, -lat_lo + pad)
    aspect = (box[2] - box[0]) / max(box[3] - box[1], 1e-9)
    # The band goes where the map leaves room: below a wide region, right of a tall one.
    if aspect >= CANVAS[0] / CANVAS[1]:
        map_w = CANVAS[0]
        map_h = min(CANVAS[1], (map_w - 2 * MARGIN) / aspect + 2 * MARGIN)
        band = {k_: (x, map_h + y - MARGIN / 2) for k_, (x, y) in _band(unplaced, CANVAS[0], across=True).items()}
    else:
        columns = _band(unplaced, CANVAS[1], across=False)
        band_w = max(x for x, _ in columns.values()) + BAND_COLUMN / 2 if columns else 0.0
        map_w, map_h = max(CANVAS[0] - band_w, MIN_MAP_WIDTH), CANVAS[1]
        band = {k_: (map_w + x - MARGIN / 2, y) for k_, (x, y) in columns.items()}
    # Places outside the frame go to its edge, in their direction.
    xs = np.clip(lons * k, box[0], box[2])
    ys = np.clip(-lats, box[1], box[3])
    corners = {"\0lo": (box[0], box[1]), "\0hi": (box[2], box[3])}
    fitted = _fit({**{n.id: (x, y) for n, x, y in zip(placed, xs, ys, strict=True)}, **corners}, map_w, map_h)
    for corner in corners:
        fitted.pop(corner)
    # Pushed apart, a node may leave the map: it is held at the map's edge (the scale stays geographic),
    # where it may land on another (places abroad pile up on the edge): push apart and hold again.
    lo, hi_x, hi_y = MARGIN / 2, map_w - MARGIN / 2, map_h - MARGIN / 2
    apart = fitted
    for _ in range(GEO_ROUNDS):
        apart = _declutter_dict(spec, apart, 1.0, gap=4.0, only=placed)
        apart = {k_: (min(max(x, lo), hi_x), min(max(y, lo), hi_y)) for k_, (x, y) in apart.items()}
    return {**band, **apart}


def _band(nodes: list[LayoutNode], length: float, across: bool) -> dict[str, tuple[float, float]]:
    """Nodes without a place in rows (``across``) or columns of ``length`` px, from (MARGIN, MARGIN).

    Groupings first (clusters first), then groups, biggest first. A row item is ``BAND_COLUMN``
    wide (room for its label); a column item is as tall as the node and its label below.
    """
    nodes = sorted(nodes, key=lambda n: (n.entity != "grouping", n.kind != "cluster", n.kind, -n.size, n.id))
    out: dict[str, tuple[float, float]] = {}
    start = BAND_COLUMN / 2 if across else MARGIN  # a row's first label must not stick out on the left
    main, cross, line = start, MARGIN, 0.0  # position along the line, of the line, and its thickness
    for node in nodes:
        step = BAND_COLUMN if across else max(BAND_ROW, node.diameter + 24)
        if main > start and main + step > length - MARGIN + (BAND_COLUMN / 2 if across else 0):
            cross += line
            main, line = start, 0.0
        centre = main + (0 if across else step / 2 - BAND_ROW / 2)
        out[node.id] = (centre, cross) if across else (cross, centre)
        main += step
        line = max(line, node.diameter + 30 if across else max(BAND_COLUMN, node.diameter + 20))
    return out


# --- force --------------------------------------------------------------------------------------


def _force(spec: GraphSpec) -> dict[str, tuple[float, float]]:
    """Spring layout per connected component (started from the cluster layout), components packed."""
    start = _cluster(spec)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(n.id for n in spec.nodes)
    for source, target, weight in spec.edges:
        if source == target:
            continue
        w = 1.0 + math.log1p(weight)  # strong ties pull harder, but a 5,000-link bundle does not collapse
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += w
        else:
            graph.add_edge(source, target, weight=w)
    order = {n.id: i for i, n in enumerate(spec.nodes)}
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)), key=lambda c: (-len(c), order[c[0]])
    )
    boxes: list[dict[str, tuple[float, float]]] = []
    for nodes in components:
        if len(nodes) < 3:
            boxes.append({node: (float(i), 0.0) for i, node in enumerate(nodes)})
            continue
        xs = np.array([start[n][0] for n in nodes])
        ys = np.array([start[n][1] for n in nodes])
        span = max(xs.max() - xs.min(), ys.max() - ys.min(), 1e-9)
        init = {n: ((x - xs.min()) / span, (y - ys.min()) / span) for n, x, y in zip(nodes, xs, ys, strict=True)}
        iterations = 50 if len(nodes) <= 200 else 30 if len(nodes) <= 600 else 15
        try:
            found = nx.spring_layout(
                graph.subgraph(nodes), pos=init, iterations=iterations, seed=FORCE_SEED, weight="weight", method="force"
            )
        except ImportError:  # 500+ nodes need scipy's sparse arrays; keep the cluster layout without it
            # spring_layout's stubs say arrays; these pairs are read the same way below
            found = {n: (x / span * 2, y / span * 2) for n, x, y in zip(nodes, xs, ys, strict=True)}  # type: ignore[misc]
        scale = 0.9 * math.sqrt(len(nodes))  # a component's area grows with its node count
        boxes.append({n: (float(v[0]) * scale, float(v[1]) * scale) for n, v in found.items()})
    return _pack(boxes)


def _pack(boxes: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: components left to right in rows about as wide as the whole is tall."""
    sizes = []
    for box in boxes:
        xs = [p[0] for p in box.values()]
        ys = [p[1] for p in box.values()]
        sizes.append((min(xs), min(ys), max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5))
    row_width = max(max(s[2] for s in sizes), math.sqrt(sum(s[2] * s[3] for s in sizes)) * 1.25)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for box, (x0, y0, w, h) in zip(boxes, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        out.update({n: (x + px - x0, y + py - y0) for n, (px, py) in box.items()})
        x += w
        row_height = max(row_height, h)
    return out


# --- overlaps and fitting -----------------------------------------------------------------------


def _declutter_dict(
    spec: GraphSpec,
    points: dict[str, tuple[float, float]],
    unit: float,
    gap: float,
    only: list[LayoutNode] | None = None,
    rounds: int = 20,
) -> dict[str, tuple[float, float]]:
    """Push overlapping nodes apart: discs of the nodes' diameters (px) over ``unit``, half the overlap
    each, a few rounds (O(n²) each: skipped above ``MAX_DECLUTTER`` nodes). Deterministic."""
    nodes = [n for n in (only if only is not None else spec.nodes) if n.id in points]
    if not 2 <= len(nodes) <= MAX_DECLUTTER:
        return dict(points)
    index = np.arange(len(nodes))
    # Nodes on the very same spot need a direction to move in: a fixed one per node.
    xy = np.array([points[n.id] for n in nodes], dtype=float) + 1e-3 * max(gap, 1e-3) * np.column_stack(
        [np.cos(index * GOLDEN_ANGLE), np.sin(index * GOLDEN_ANGLE)]
    )
    radii = np.array([n.diameter / 2 / unit for n in nodes])
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        diff = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=-1))
        overlap = need - dist
        if overlap.max() <= 0.02 * gap:
            break
        push = diff / np.maximum(dist, 1e-9)[..., None] * (np.clip(overlap, 0.0, None) / 2)[..., None]
        xy = xy + 0.6 * push.sum(axis=1)
    return {**points, **{n.id: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}}


def _fit(
    points: dict[str, tuple[float, float]], width: float, height: float, min_gap: float = 0.0
) -> dict[str, tuple[float, float]]:
    """Scale (uniformly) and shift ``points`` into ``width``×``height`` with a margin.

    With ``min_gap`` the input is in gap units and the scale never drops below ``min_gap``
    pixels per unit: a crowded graph grows past the canvas instead of overlapping.
    """
    if not points:
        return {}
    xs = np.array([p[0] for p in points.values()])
    ys = np.array([p[1] for p in points.values()])
    dx, dy = xs.max() - xs.min(), ys.max() - ys.min()
    inner_w, inner_h = width - 2 * MARGIN, height - 2 * MARGIN
    if dx == 0 and dy == 0:
        return {k: (width / 2, height / 2) for k in points}
    scale = min(inner_w / dx if dx else math.inf, inner_h / dy if dy else math.inf)
    if min_gap:
        scale = max(scale, min_gap)
    off_x = MARGIN + (inner_w - dx * scale) / 2 if dx * scale <= inner_w else MARGIN
    off_y = MARGIN + (inner_h - dy * scale) / 2 if dy * scale <= inner_h else MARGIN
    return {k: (off_x + (x - xs.min()) * scale, off_y + (y - ys.min()) * scale) for k, (x, y) in points.items()}
