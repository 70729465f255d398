"""The map figure: the registered layers stacked in order, on an offline white map.

``style='white-bg'`` draws a plain background with no tiles, fonts or sprites, so the map
makes no request at all (the atlas must run without internet); the areas give the shape of
the land. The view is set by scope: the home region fitted to the panel, or the whole world.
``uirevision`` is tied to the scope and to whether the map shares the main area, so the user's
zoom and pan survive filter changes and selections.
"""

from __future__ import annotations

import hashlib
import json
import math

import plotly.graph_objects as go
import shapely

from components.state import ViewState
from data import Dataset
from layers.map_layers import MAP_LAYERS
from layers.selection import Selection
from layers.style import FONT_FAMILY, HOVERLABEL, INK

#: the view of the world scope
WORLD_VIEW = {"center": {"lon": 10.0, "lat": 30.0}, "zoom": 0.7}
#: panel size the region view is fitted to (px): the map is ~70vh tall and half the page wide
#: in the split view; the fit errs on the small side so the region is whole in both views
FIT_WIDTH, FIT_HEIGHT = 520, 520
#: the map's width when it has the main area to itself (view=map) rather than half of it
FULL_WIDTH = 1100
FIT_PADDING = 0.25  # zoom levels of margin around the region
WORLD_PX = 512  # MapLibre's world width at zoom 0 (512 px tiles)


def region_bounds(dataset: Dataset) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the home region (``meta['region']``), else of the provinces,
    else of the actors; None for an empty dataset."""
    areas = dataset.areas
    home = areas[(areas["id"] == dataset.meta.get("region")).to_numpy()] if len(areas) else areas
    if not len(home) and len(areas):
        home = areas[(areas["kind"].isin(["region", "province"])).to_numpy()]
    if len(home):
        return tuple(float(v) for v in shapely.total_bounds(home.geometry.to_numpy()))  # type: ignore[return-value]
    actors = dataset.actors
    if len(actors):
        return (float(actors["lon"].min()), float(actors["lat"].min()),
                float(actors["lon"].max()), float(actors["lat"].max()))
    return None


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(bounds: tuple[float, float, float, float], width: int = FIT_WIDTH,
             height: int = FIT_HEIGHT) -> dict:
    """Centre and zoom that show ``bounds`` in a ``width`` x ``height`` px map (Web Mercator; in MapLibre
    the whole world is :data:`WORLD_PX` px wide at zoom 0)."""
    west, south, east, north = bounds
    lon_span = max(east - west, 1e-4)
    y_span = max(_mercator_y(north) - _mercator_y(south), 1e-6)
    zoom_x = math.log2(width / WORLD_PX * 360 / lon_span)
    zoom_y = math.log2(height / WORLD_PX * 2 * math.pi / y_span)
    zoom = max(0.0, min(zoom_x, zoom_y, 16.0) - FIT_PADDING)
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"center": {"lon": round((west + east) / 2, 5), "lat": round(centre_lat, 5)}, "zoom": round(zoom, 2)}


def view_for(dataset: Dataset, scope: str, view: str = "split") -> dict:
    """``layout.map`` centre and zoom for ``scope`` (region: fitted to the home region, for the
    map's width in ``view``)."""
    if scope == "region":
        bounds = region_bounds(dataset)
        if bounds:
            return fit_view(bounds, width=FULL_WIDTH if view == "map" else FIT_WIDTH)
    return dict(WORLD_VIEW)


def view_key(state: ViewState) -> str:
    """What decides the figure's traces (filters, scope, area layers), as a short string.

    Stored in ``layout.meta`` so a selection ``Patch`` can tell whether the figure it is about
    to patch was drawn for the current filters (see ``components.map_panel.update_highlight``).
    """
    return json.dumps([state.filters(), state.scope, state.areas], separators=(",", ":"))


def map_layout(dataset: Dataset, state: ViewState) -> go.Layout:
    """The map's layout: offline white style, view by scope, small margins; the legend is HTML."""
    scope = state.scope
    revision = f"{scope}-{'wide' if state.view == 'map' else 'half'}"
    return go.Layout(
        meta={"view_key": view_key(state)},
        # A new scope, or the map alone instead of beside the network, fits the view anew; filters keep it.
        map={"style": "white-bg", **view_for(dataset, scope, state.view), "uirevision": revision},
        # The HTML legend beside the map (components/map_panel.py) explains every colour and symbol;
        # plotly's own legend would take a third of the map's height in the split view.
        uirevision=revision, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top", "bgcolor": "#ffffff",
                "font": {"size": 11, "color": INK}, "itemsizing": "constant", "tracegroupgap": 0},
        font={"family": FONT_FAMILY, "color": INK}, hoverlabel=HOVERLABEL, paper_bgcolor="#ffffff",
        clickmode="event", dragmode="pan",
    )


def map_figure(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> go.Figure:
    """The whole map for ``state``: every layer of ``MAP_LAYERS`` in order, the highlight last.

    An empty selection still gives a figure (the base areas and an empty highlight): the
    panel shows its own empty-result notice.
    """
    traces = []
    for layer, build in MAP_LAYERS.items():
        for trace in build(dataset, selection, state, lang):
            # A stable uid per layer and trace name lets plotly match traces across filter changes;
            # without it, MapLibre was seen failing to remove layers of traces that came and went
            # ("Cannot remove non-existing layer"), leaving the map stuck on its old picture.
            # (plotly also uses the uid in CSS class names: keep it to letters and digits)
            trace.uid = "t" + hashlib.sha1(f"{layer}:{trace.name or ''}".encode()).hexdigest()[:12]
            traces.append(trace)
    return go.Figure(data=traces, layout=map_layout(dataset, state))
