"""The map's highlight of the selected element and its neighbours: the points, not a trace.

A selection must not redraw the map: plotly re-plots every trace of a ``scattermap`` figure when
one trace's points change (measured: 0.3 s on the shipped data, 0.5 s at 5,000 actors, in
headless Chromium), so the halos are a native MapLibre circle layer of the map plotly draws,
fed with :func:`highlighted`'s points by the page (``assets/map_highlight.js``). Updating it
redraws nothing else. Circles need no fonts or sprites: nothing is downloaded.

Each highlighted element gets a translucent halo around the place where it is drawn: the
selected element a big one, its neighbours smaller. The halo takes no hover or click, so
clicks reach the marker under it.

What is highlighted: the selected node and the nodes joined to it by a visible link
(``core.selection.neighbours``); for a selected link, its two ends and its line, as a row of
small halos between them (id: the link's). Only nodes shown by the current filters, and only
those with a place on the map.
"""

from __future__ import annotations

from core.lookup import position
from core.selection import Selection, neighbours, shown_nodes
from data import Dataset
from layers.actors_map import node_positions
from layers.style import HIGHLIGHT

#: a selected link's line is drawn as this many steps of small halos between its ends
LINE_DOTS = 24


def highlighted(dataset: Dataset, selection: Selection, selected: str) -> dict[str, list]:
    """The highlight's points: ``lon``, ``lat``, ``customdata`` (ids) and ``size`` (diameter, px),
    selected first."""
    out: dict[str, list] = {"lon": [], "lat": [], "customdata": [], "size": []}
    if not selected:
        return out
    link = _shown_link(dataset, selection, selected)
    ends: list[str] = []
    if link is not None:
        first, others = None, list(link)
        ends = others
    else:
        first, others = selected, sorted(shown_nodes(dataset, selection, neighbours(selection, selected, dataset)))
    positions = node_positions(dataset)
    items = [(first, HIGHLIGHT["selected_size"])] if first and shown_nodes(dataset, selection, [first]) else []
    items += [(i, HIGHLIGHT["neighbour_size"]) for i in others if i != first]
    seen: set[str] = set()
    for element, size in items:
        if element in positions and element not in seen:
            seen.add(element)
            lon, lat = positions[element]
            out["lon"].append(float(lon))
            out["lat"].append(float(lat))
            out["customdata"].append(element)
            out["size"].append(size)
    if len(ends) == 2 and all(e in positions for e in ends):
        (lon0, lat0), (lon1, lat1) = positions[ends[0]], positions[ends[1]]
        for step in range(1, LINE_DOTS):
            f = step / LINE_DOTS
            out["lon"].append(float(lon0 + (lon1 - lon0) * f))
            out["lat"].append(float(lat0 + (lat1 - lat0) * f))
            out["customdata"].append(selected)
            out["size"].append(HIGHLIGHT["line_size"])
    return out


def _shown_link(dataset: Dataset, selection: Selection, selected: str) -> tuple[str, str] | None:
    """The two ends of link ``selected`` if it is shown, else None (looked up, not compared)."""
    at = position(dataset, "links", selected)
    if at is None:
        return None
    links = dataset.frame("links")
    if links.index[at] not in selection.links.index:
        return None
    return str(links["source_id"].iat[at]), str(links["target_id"].iat[at])


def highlight_data(dataset: Dataset, selection: Selection, selected: str) -> dict:
    """:func:`highlighted` with the halo's colour and opacity: what the page draws (``{}`` for none)."""
    points = highlighted(dataset, selection, selected)
    if not points["customdata"]:
        return {}
    return {**points, "colour": HIGHLIGHT["colour"], "opacity": HIGHLIGHT["opacity"]}
