"""Map layer: the highlight of the selected element and its neighbours.

One trace, always present and always named :data:`NAME` (possibly empty), so the map panel
can find it by name and replace only its points with a ``dash.Patch`` when the selection
changes, without rebuilding the figure.

Each highlighted element gets a translucent dark halo around the place where it is drawn
(plotly map markers have no outline, so a true ring is not possible without a second
trace): the selected element a big one, its neighbours smaller. The halo takes no hover or
click (``hoverinfo='skip'``), so clicks reach the marker under it; its customdata still
lists the ids, so tests and the panel can read what is highlighted.

What is highlighted: the selected node and the nodes joined to it by a visible link
(``core.selection.neighbours``); for a selected link, its two ends and its line, as a row of
small halos between them (customdata: the link's id). Only nodes shown by the current filters,
and only those with a place on the map.
"""

from __future__ import annotations

import plotly.graph_objects as go

from core.selection import Selection, neighbours
from core.state import ViewState
from data import Dataset
from layers.actors_map import node_positions
from layers.style import HIGHLIGHT

NAME = "highlight"
#: a selected link's line is drawn as this many steps of small halos between its ends
LINE_DOTS = 24


def highlighted(dataset: Dataset, selection: Selection, selected: str) -> dict[str, list]:
    """The highlight's points: ``lon``, ``lat``, ``customdata`` (ids) and ``size``, selected first."""
    out: dict[str, list] = {"lon": [], "lat": [], "customdata": [], "size": []}
    if not selected:
        return out
    visible = selection.node_ids
    links = selection.links
    link = links[(links["id"] == selected).to_numpy()]
    ends: list[str] = []
    if len(link):
        first, others = None, [link["source_id"].iat[0], link["target_id"].iat[0]]
        ends = others
    else:
        first, others = selected, sorted(i for i in neighbours(selection, selected) if i in visible)
    positions = node_positions(dataset)
    items = [(first, HIGHLIGHT["selected_size"])] if first in visible else []
    items += [(i, HIGHLIGHT["neighbour_size"]) for i in others if i != first]
    for element, size in items:
        if element in positions and element not in out["customdata"]:
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


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """The one highlight trace for ``state.sel`` (empty when nothing is selected)."""
    points = highlighted(dataset, selection, state.sel)
    return [
        go.Scattermap(
            name=NAME,
            mode="markers",
            lon=points["lon"],
            lat=points["lat"],
            customdata=points["customdata"],
            marker={"size": points["size"], "color": HIGHLIGHT["colour"], "opacity": HIGHLIGHT["opacity"]},
            hoverinfo="skip",
            showlegend=False,
        )
    ]
