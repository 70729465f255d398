"""Which node labels can be read at which zoom: placed on the server, shown by cytoscape.

Pure (no Dash). A label drawn at 4 px is noise, and a hundred labels at 12 px are a blot. So, as
a map places its town names, the server places the labels once per layout (cached with the
positions), most important node first (most drawn links, then groupings and groups):

* Each label gets the **smallest zoom** at which it fits: a rung of ``ladder(z0)``, from the
  fitted view ``z0`` (the zoom the browser's fit gives a ``REFERENCE_VIEW`` panel) up to
  ``MAX_LABEL_ZOOM``. Its font size in model units is ``LABEL_PX / zoom``: at that zoom it is
  ``LABEL_PX`` on screen, and bigger beyond. The stylesheet hides every label drawn below
  ``MIN_READABLE_PX`` on screen (cytoscape's ``min-zoomed-font-size``), so a label appears exactly
  when it can be read: the hubs' in the fitted view, the rest as the user zooms in.
* It **fits** where its box (estimated from its wrapped lines) overlaps no box already placed
  and the centre of no node more important than its own, beside its node on one of eight sides
  (below, right, left, above, then the corners: tried in that order), and, when it is readable
  in the fitted view, inside the panel. Boxes are in model units, so two labels that do not
  overlap at one zoom never do at another: no two readable labels ever overlap.
* A label that fits nowhere is shown only from ``MAX_LABEL_ZOOM`` on (and when selected).
* Labels are **wrapped** at word boundaries (``WRAP_CHARS``), never cut with an ellipsis.

The estimate errs wide (``CHAR_EM``: a bold sans-serif's average advance, plus the text outline),
so a drawn label is never wider than its box.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from layers.graph_layout import GraphSpec, LayoutNode, layout_positions

#: on-screen size (px) of a label at the zoom it appears at
LABEL_PX = 12.5
#: below this on-screen size a label is hidden (the stylesheet's ``min-zoomed-font-size``)
MIN_READABLE_PX = 11.5
#: the network panel the fitted view is planned for (px): in the split view of a 1400x900 window
#: it measures about 523x530; planning for less only means more labels than planned on bigger panels
REFERENCE_VIEW = (510.0, 510.0)
#: the browser's fit (assets/camera.js): padding (px) around the nodes and the largest zoom it sets
FIT_PADDING = 30.0
FIT_MAX_ZOOM = 1.5
#: labels appear by the time the user reaches this zoom (cytoscape's maxZoom is 4)
MAX_LABEL_ZOOM = 3.0
#: each rung of the ladder is this much closer than the one before
LADDER_RATIO = 1.2
#: characters per wrapped line, average advance of a character and line height (in ems)
WRAP_CHARS = 22
CHAR_EM, LINE_EM = 0.6, 1.25
#: gap (model units) between a node and its label: the stylesheet's text margins
LABEL_GAP = 3.0
#: room (screen px) kept around a label: its white outline and a little air
LABEL_AIR = 4.0
#: the border cytoscape adds around a node's disc (bounding boxes include it)
BORDER = 2.0
#: the part of another node (its centre, as a fraction of its diameter) no label may cover: a
#: label may graze a node's rim, never hide the node
NODE_CORE = 0.6
SIDES = ("below", "right", "left", "above", "below-right", "below-left", "above-right", "above-left")


@dataclass(frozen=True)
class PlacedLabel:
    """Where and how big one node's label is drawn."""

    #: font size in model units (the stylesheet's ``font-size: data(fs)``)
    font: float
    #: one of ``SIDES``
    side: str
    #: the zoom from which it can be read
    zoom: float
    #: whether it fits without overlapping (False: the fallback, shown from ``MAX_LABEL_ZOOM``)
    fits: bool


def wrap(text: str, width: int = WRAP_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces (a longer word keeps its line)."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else str(text)


def fitted_zoom(
    positions: Mapping[str, tuple[float, float]],
    diameters: Mapping[str, float],
    view: tuple[float, float] = REFERENCE_VIEW,
) -> float:
    """The zoom at which the browser's fit shows every node (not the labels) in a ``view`` panel."""
    if not positions:
        return 1.0
    x1, y1, x2, y2 = _extent(positions, diameters)
    width, height = max(x2 - x1, 1e-9), max(y2 - y1, 1e-9)
    zoom = min((view[0] - 2 * FIT_PADDING) / width, (view[1] - 2 * FIT_PADDING) / height)
    return max(1e-3, min(FIT_MAX_ZOOM, zoom))


def ladder(z0: float) -> tuple[float, ...]:
    """The zooms labels are placed for: from the fitted view ``z0`` up to ``MAX_LABEL_ZOOM``, geometric."""
    steps = max(0, math.ceil(math.log(max(MAX_LABEL_ZOOM, z0) / z0) / math.log(LADDER_RATIO)))
    return tuple(min(z0 * LADDER_RATIO**i, max(MAX_LABEL_ZOOM, z0)) for i in range(steps + 1))


@lru_cache(maxsize=64)
def label_plan(spec: GraphSpec, layout: str) -> tuple[MappingProxyType, float]:
    """:func:`place_labels` for ``spec`` laid out by ``layout``, and the fitted zoom it planned for.

    Cached with the positions (same key): a click never re-places labels. Shared: never modify it.
    """
    positions = layout_positions(spec, layout)
    z0 = fitted_zoom(positions, {n.id: n.diameter for n in spec.nodes})
    return MappingProxyType(place_labels(spec.nodes, positions)), z0


def place_labels(
    nodes: Iterable[LayoutNode],
    positions: Mapping[str, tuple[float, float]],
    view: tuple[float, float] = REFERENCE_VIEW,
) -> dict[str, PlacedLabel]:
    """Per node id, where its label goes and from which zoom it is readable (see the module docstring).

    A node's ``texts`` are its label in every language (lines separated by newlines); the box
    is the widest and tallest of them, so a language switch never makes labels overlap.
    """
    nodes = [n for n in nodes if n.id in positions]
    if not nodes:
        return {}
    diameters = {n.id: n.diameter for n in nodes}
    z0 = fitted_zoom(positions, diameters, view)
    zooms = ladder(z0)
    zoom_array = np.array(zooms)
    x1, y1, x2, y2 = _extent(positions, diameters)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    frame = (cx - view[0] / 2 / z0, cy - view[1] / 2 / z0, cx + view[0] / 2 / z0, cy + view[1] / 2 / z0)
    # Nodes as boxes, most important first: a label may never hide a node more important than its
    # own (a hub's name may lie over the rims of its small members, as a city's name over villages).
    nodes.sort(key=priority)
    node_boxes = np.array(
        [
            (x - d / 2, y - d / 2, x + d / 2, y + d / 2)
            for n in nodes
            for (x, y), d in ((positions[n.id], diameters[n.id] * NODE_CORE),)
        ]
    )
    placed = np.empty((0, 4))
    out: dict[str, PlacedLabel] = {}
    for rank, node in enumerate(nodes):
        if not any(str(text).strip() for text in node.texts):
            continue
        x, y = positions[node.id]
        radius = diameters[node.id] / 2 + BORDER / 2
        # every zoom of the ladder at once (one overlap test per node, not two per zoom: the
        # per-call cost of numpy on a few boxes was most of a first-time network build)
        fonts = LABEL_PX / zoom_array * _em(node)
        widths, heights = _sizes(node, zoom_array)
        boxes = _boxes(x, y, radius, widths, heights, LABEL_AIR / zoom_array)  # (zooms, sides, 4), SIDES order
        flat = boxes.reshape(-1, 4)
        free = (~_hits(flat, placed) & ~_hits(flat, node_boxes[:rank])).reshape(boxes.shape[:2])
        # readable in the fitted view: it must be inside the panel
        free &= _inside(flat, frame).reshape(boxes.shape[:2]) | (fonts * z0 < MIN_READABLE_PX)[:, None]
        found = None
        fits = np.flatnonzero(free.any(axis=1))
        if len(fits):
            step = int(fits[0])
            side = int(np.argmax(free[step]))
            found = PlacedLabel(round(float(fonts[step]), 2), SIDES[side], round(zooms[step], 4), True)
            placed = np.vstack([placed, boxes[step, side]])
        if found is None:
            found = PlacedLabel(round(LABEL_PX / zooms[-1] * _em(node), 2), SIDES[0], round(zooms[-1], 4), False)
        out[node.id] = found
    return out


def label_box(node: LayoutNode, position: tuple[float, float], label: PlacedLabel) -> tuple[float, ...]:
    """The box (x1, y1, x2, y2, model units) :func:`place_labels` keeps free for ``label``."""
    width, height = _size(node, label.zoom)
    boxes = _boxes(position[0], position[1], node.diameter / 2 + BORDER / 2, width, height, LABEL_AIR / label.zoom)
    return tuple(float(v) for v in boxes[SIDES.index(label.side)])


def _size(node: LayoutNode, zoom: float) -> tuple[float, float]:
    """Width and height (model units) of ``node``'s label drawn to be read at ``zoom``."""
    width, height = _sizes(node, np.array([zoom]))
    return float(width[0]), float(height[0])


def _sizes(node: LayoutNode, zooms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_size` at each of ``zooms``."""
    lines = [line for text in node.texts for line in str(text).split("\n")]
    chars = max((len(line) for line in lines), default=0)
    n_lines = max((str(text).count("\n") + 1 for text in node.texts), default=1)
    font = LABEL_PX / zooms * _em(node)
    return chars * CHAR_EM * font * _bold(node), n_lines * LINE_EM * font


def priority(node: LayoutNode) -> tuple:
    """Label order: most drawn links first, then groupings, groups, actors, areas; then id."""
    rank = {"grouping": 0, "group": 1, "actor": 2, "area": 3}.get(node.entity, 9)
    return -node.degree, rank, -node.size, node.id


def _em(node: LayoutNode) -> float:
    # Groupings and groups are drawn a little bigger (see layers.network_style) ...
    return 1.15 if node.entity in ("grouping", "group") else 1.0


def _bold(node: LayoutNode) -> float:
    # ... and bold: wider characters
    return 1.1 if node.entity in ("grouping", "group") else 1.0


def _extent(
    positions: Mapping[str, tuple[float, float]], diameters: Mapping[str, float]
) -> tuple[float, float, float, float]:
    xs = [(positions[k][0], diameters.get(k, 0.0) / 2 + BORDER / 2) for k in positions]
    ys = [(positions[k][1], diameters.get(k, 0.0) / 2 + BORDER / 2) for k in positions]
    return (
        min(x - r for x, r in xs),
        min(y - r for y, r in ys),
        max(x + r for x, r in xs),
        max(y + r for y, r in ys),
    )


def _boxes(
    x: float, y: float, radius: float, width: float | np.ndarray, height: float | np.ndarray, air: float | np.ndarray
) -> np.ndarray:
    """The label's box (x1, y1, x2, y2) on each of ``SIDES``, one row per side: the text's box
    beside the node, grown by ``air`` on every side. With arrays of sizes (one per zoom), one
    such block of rows per zoom: shape (zooms, sides, 4)."""
    scalar = np.ndim(width) == 0
    w, h = np.atleast_1d(np.asarray(width, float)), np.atleast_1d(np.asarray(height, float))
    a = np.broadcast_to(np.asarray(air, float), w.shape)
    one = np.ones_like(w)
    gap = radius + LABEL_GAP
    # corners: cytoscape's text-halign left/right with text-valign top/bottom
    left, right, top, bottom = x - radius - w, (x + radius) * one, y - radius - h, (y + radius) * one
    # per side, in SIDES order: below, right, left, above, below-right, below-left, above-right, above-left
    x1 = np.stack([x - w / 2, (x + gap) * one, x - gap - w, x - w / 2, right, left, right, left])
    y1 = np.stack([(y + gap) * one, y - h / 2, y - h / 2, y - gap - h, bottom, bottom, top, top])
    x2 = np.stack([x + w / 2, x + gap + w, (x - gap) * one, x + w / 2, right + w, left + w, right + w, left + w])
    y2 = np.stack([y + gap + h, y + h / 2, y + h / 2, (y - gap) * one, bottom + h, bottom + h, top + h, top + h])
    boxes = np.stack([x1 - a, y1 - a, x2 + a, y2 + a], axis=-1).transpose(1, 0, 2)  # (zooms, sides, 4)
    return boxes[0] if scalar else boxes


def _inside(boxes: np.ndarray, frame: tuple[float, ...]) -> np.ndarray:
    return (boxes[:, 0] >= frame[0]) & (boxes[:, 1] >= frame[1]) & (boxes[:, 2] <= frame[2]) & (boxes[:, 3] <= frame[3])


def _hits(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per row of ``boxes``, whether it overlaps any row of ``others``."""
    if not len(others):
        return np.zeros(len(boxes), dtype=bool)
    a, b = boxes[:, None, :], others[None, :, :]
    apart = (b[..., 0] >= a[..., 2]) | (b[..., 2] <= a[..., 0]) | (b[..., 1] >= a[..., 3]) | (b[..., 3] <= a[..., 1])
    return ~np.all(apart, axis=1)


def readable_at(label: PlacedLabel, zoom: float) -> bool:
    """Whether the stylesheet shows ``label`` at ``zoom`` (its on-screen size reaches ``MIN_READABLE_PX``)."""
    return label.font * zoom >= MIN_READABLE_PX - 1e-9 and math.isfinite(label.font)
