"""The map figure: the registered layers stacked in order, on an offline white map.

``style='white-bg'`` draws a plain background with no tiles, fonts or sprites, so the map
makes no request at all (the atlas must run without internet); the areas give the shape of
the land. The view is set by scope: the home region fitted to the panel, or the whole world.
``uirevision`` is tied to the scope and to whether the map shares the main area, so the user's
zoom and pan survive filter changes and selections.
"""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64

from core.camera import view_for
from core.selection import Selection
from core.state import ViewState
from data import Dataset
from layers.map_layers import MAP_LAYERS
from layers.style import FONT_FAMILY, HOVERLABEL, INK


def map_layout(dataset: Dataset, state: ViewState) -> go.Layout:
    """The map's layout: offline white style, view by scope, small margins; the legend is HTML."""
    scope = state.scope
    revision = f"{scope}-{'wide' if state.view == 'map' else 'half'}"
    return go.Layout(
        # home: the scope's own view, where the map goes back to when a URL has no camera (assets/camera.js)
        meta={"home": view_for(dataset, scope, state.view)},
        # A new scope, or the map alone instead of beside the network, fits the view anew; filters keep it.
        map={"style": "white-bg", **view_for(dataset, scope, state.view), "uirevision": revision},
        # The HTML legend beside the map (components/map_panel.py) explains every colour and symbol;
        # plotly's own legend would take a third of the map's height in the split view.
        uirevision=revision,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "bgcolor": "#ffffff",
            "font": {"size": 11, "color": INK},
            "itemsizing": "constant",
            "tracegroupgap": 0,
        },
        font={"family": FONT_FAMILY, "color": INK},
        hoverlabel=HOVERLABEL,
        paper_bgcolor="#ffffff",
        clickmode="event",
        dragmode="pan",
    )


def map_traces(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """The traces of every layer of ``MAP_LAYERS``, in order, each with its stable ``uid``."""
    traces = []
    for layer, build in MAP_LAYERS.items():
        for trace in build(dataset, selection, state, lang):
            # A stable uid per layer and trace name lets plotly match traces across filter changes;
            # without it, MapLibre was seen failing to remove layers of traces that came and went
            # ("Cannot remove non-existing layer"), leaving the map stuck on its old picture.
            # (plotly also uses the uid in CSS class names: keep it to letters and digits)
            trace.uid = "t" + hashlib.sha1(f"{layer}:{trace.name or ''}".encode()).hexdigest()[:12]
            traces.append(trace)
    return traces


def map_figure(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> go.Figure:
    """The whole map for ``state``: every layer of ``MAP_LAYERS`` in order.

    An empty selection still gives a figure (the base areas): the panel shows its own
    empty-result notice. The selection's halos are not in it (``layers.highlight``).
    """
    # The traces and the layout were validated as they were built: validating the whole figure
    # again (plotly's default) took three quarters of a map build for the same JSON.
    return go.Figure(
        data=map_traces(dataset, selection, state, lang), layout=map_layout(dataset, state), _validate=False
    )


def map_figure_dict(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> dict:
    """:func:`map_figure` as the plain dict a Dash graph is sent: ``Figure.to_plotly_json()``'s
    content without its deep copy, which copied every point's hover text one by one (30-45 ms of a
    map build at 100k actors). The figure is fresh and dropped here, so nothing else holds its
    dicts; ``tests/test_map_layers.py`` checks the JSON is the same."""
    figure = map_figure(dataset, selection, state, lang)
    plain = {"data": figure._data, "layout": figure._layout}
    convert_to_base64(plain)  # numeric arrays as typed arrays, as to_plotly_json sends them
    return plain
