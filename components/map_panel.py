"""The map panel: the map, its HTML legend, and the callbacks that keep them current.

* A change of the filters or of the map's options (``ids.FILTER_STATE``, ``ids.MAP_OPTIONS``)
  rebuilds the figure and the legend from the one cached
  selection (``core.selection.select``).
* A selection (``ids.SELECTION``) asks only for its halos' points (``ids.MAP_HIGHLIGHT``), which
  the page draws as a MapLibre layer on the map plotly drew (``assets/map_highlight.js``): the
  figure is neither re-sent nor redrawn.

Map clicks are read elsewhere (``components/url.py``) from ``clickData``:
``points[0]['customdata']`` is the element id, or ``agg:<start-up id>`` for a start-up
bubble (see ``layers.startups_map``).

The callbacks are module-level functions so tests can call them without a browser.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dash import Input, Output, State, dcc, get_app, html, no_update

from components import geo_assets, ids, shared_cache
from components.map_legend import legend
from components.translate import T, aria
from core.i18n import language, t
from core.selection import select
from core.state import ViewState, state_from_dict, state_from_slices, state_to_dict
from data import Dataset, load_dataset
from layers import highlight
from layers.links_map import suggested_segments
from layers.map_figure import map_figure_dict
from layers.network_analysis import SUGGESTED
from layers.style import SUGGESTED_COLOUR

#: modebar: keep "download as image" (local); drop everything that could link outside
#: plotly's own English texts on the map (modebar), as our string keys: Italian is given to plotly
#: as a locale in the graph's config (plotly ships no locale files to Dash)
MODEBAR_KEYS = ("modebar.download", "modebar.pan", "modebar.zoom_in", "modebar.zoom_out", "modebar.reset")
GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"],
    "scrollZoom": True,
    "toImageButtonOptions": {"filename": "regional-networks-atlas-map"},
}
#: views that hide the map (see components/views.py): nothing to rebuild while hidden
HIDDEN_IN = ("network", "table")


def graph_config(lang: str | None) -> dict:
    """The map's config in ``lang``: the modebar's texts through a plotly locale."""
    lang = language(lang)
    if lang == "en":
        return GRAPH_CONFIG
    dictionary = {t(key, "en"): t(key, lang) for key in MODEBAR_KEYS}
    return {**GRAPH_CONFIG, "locale": lang, "locales": {lang: {"dictionary": dictionary}}}


def layout() -> html.Section:
    """The map section: the graph (filled by :func:`update_map`) and its legend."""
    return html.Section(
        [
            html.H2(T("map.title"), className="panel-title"),
            dcc.Graph(
                id=ids.MAP, config=GRAPH_CONFIG, style={"height": "70vh", "minHeight": "360px"}, clear_on_unhover=True
            ),
            html.P(
                [html.Span(className="suggested-swatch", **{"aria-hidden": "true"}), *T("suggest.legend")],
                className="map-suggested-key",
            ),
            html.Div(id=ids.MAP_LEGEND, className="map-legend", tabIndex="0", **aria("aria.map_legend")),
            dcc.Store(id=ids.MAP_HIGHLIGHT_REQUEST),
            dcc.Store(id=ids.MAP_HIGHLIGHT),
        ],
        id=ids.MAP_PANEL,
        className="map-panel",
        **aria("aria.map"),
    )


def update_map(view_state: dict | None, lang: str | None = "en") -> tuple[dict | Any, list | Any]:
    """Filter change: the whole figure and the legend (``no_update`` while the map is hidden).

    The figure for a filter state is built once and cached (per worker). The selection is not
    in it: its halos are drawn by the page (:func:`highlight_points`), so a rebuilt map and a
    selection never wait for each other.
    """
    state: ViewState = state_from_dict(view_state)
    if state.view in HIDDEN_IN:
        return no_update, no_update
    dataset = load_dataset()
    # Only what changes the drawing is in the cache key: the network layout does not, and of the
    # view only whether the map has the main area to itself (its fitted zoom).
    key = state.with_(sel="", layout="cluster", view="map" if state.view == "map" else "split")
    return _base_figure(dataset, key, lang or "en")


@lru_cache(maxsize=32)
def _base_figure(dataset: Dataset, state: ViewState, lang: str) -> tuple[dict, list]:
    prefix = _requests_prefix()

    def compute() -> tuple[dict, list]:
        selection = select(dataset, state)
        figure = geo_assets.externalise(map_figure_dict(dataset, selection, state, lang), dataset, prefix)
        return figure, legend(dataset, selection, state, lang)

    # built by one worker of any machine, read by the others (with ATLAS_REDIS_URL; else computed here)
    return shared_cache.remember(shared_cache.key("map", dataset, state_to_dict(state), lang, prefix), compute)


def _requests_prefix() -> str:
    try:
        return get_app().config.requests_pathname_prefix or "/"
    except Exception:  # no app (the layers called from a test or a script): the site's root
        return "/"


def map_outputs(filters: dict | None, map_options: dict | None, lang: str | None, camera: list | None = None) -> tuple:
    """The map callback's outputs, from the two slices the map draws (filters, map options): figure
    and legend (:func:`update_map`), and the config that words plotly's own texts in ``lang`` (sent
    with the figure, so the map is drawn once). The network layout and the view switch are not
    inputs: a layout change never touches the map."""
    figure, legend_children = update_map(state_from_slices(filters, map_options=map_options), lang)
    if figure is not no_update:
        figure = with_camera(figure, camera)
    return figure, legend_children, (no_update if figure is no_update else graph_config(lang))


def highlight_points(request: list | None) -> dict:
    """The halos of ``[selected id, filters, map options]`` (the gate's request): points, sizes,
    colour (:func:`layers.highlight.highlight_data`); ``{}`` for no selection. The page draws them
    as a MapLibre layer (``assets/map_highlight.js``): the figure is neither sent nor redrawn."""
    if not request or not isinstance(request, list) or len(request) not in (3, 4) or not request[0]:
        return {}
    selected, filters, map_options = request[:3]
    if not isinstance(selected, str):
        return {}
    state = state_from_dict(state_from_slices(filters if isinstance(filters, dict) else {}, map_options=map_options))
    dataset = load_dataset()
    selection = select(dataset, state)
    data = highlight.highlight_data(dataset, selection, selected)
    if len(request) == 4 and request[3] is True:  # suggested partners: dashed lines over the map
        segments = suggested_segments(dataset, selection, selected, SUGGESTED)
        if segments:
            data = {**data, "suggested": segments, "suggested_colour": SUGGESTED_COLOUR}
    return data


# The halos depend on the selection and on what the filters show (a neighbour filtered out loses its
# halo). With nothing selected a filter change asks nothing; a cleared selection asks once (to clear).
HIGHLIGHT_GATE = """
function(selected, filters, mapOptions, suggest, current) {
    const wanted = selected ? [selected, filters || {}, mapOptions || {}, Boolean(suggest)] : null;
    if (JSON.stringify(wanted) === JSON.stringify(current === undefined ? null : current)) {
        return window.dash_clientside.no_update;
    }
    return wanted;
}
"""


def with_camera(figure: dict, camera: list | None) -> dict:
    """``figure`` looking through ``camera`` ([lat, lon, zoom], from the URL's ``map``); as built
    (the scope's home view) when there is none. The cached figure is not modified."""
    if not camera or len(camera) != 3:
        return figure
    lat, lon, zoom = camera
    layout = figure.get("layout") or {}
    return {
        **figure,
        "layout": {**layout, "map": {**(layout.get("map") or {}), "center": {"lat": lat, "lon": lon}, "zoom": zoom}},
    }


def register(app) -> None:
    """Add the panel's callbacks to ``app``: figure and legend, camera, halos."""
    app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.MAP_LEGEND, "children"),
        Output(ids.MAP, "config"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.MAP_OPTIONS, "data"),
        Input(ids.LANG, "data"),
        State(ids.MAP_CAMERA, "data"),
    )(map_outputs)
    # The camera: the browser records it as the user stops moving (assets/camera.js); a camera that
    # arrives from the URL (back/forward, a presentation step) moves the map there, with no request.
    app.clientside_callback(
        "function(camera) { if (window.atlasCamera) { window.atlasCamera.applyMap(camera); }"
        " return JSON.stringify(camera || null); }",
        Output(ids.MAP_PANEL, "data-camera"),
        Input(ids.MAP_CAMERA, "data"),
    )
    # MapLibre's canvas gets its own English aria-label when drawn: say it in the page's language
    app.clientside_callback(
        "function(figure, lang, texts) { if (window.atlasApplyAttributeTexts) {"
        " setTimeout(() => window.atlasApplyAttributeTexts(texts, lang), 500); } }",
        Input(ids.MAP, "figure"),
        Input(ids.LANG, "data"),
        State(ids.LANG_STRINGS, "data"),
    )
    app.clientside_callback(
        HIGHLIGHT_GATE,
        Output(ids.MAP_HIGHLIGHT_REQUEST, "data"),
        Input(ids.SELECTION, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.MAP_OPTIONS, "data"),
        Input(ids.SUGGEST, "data"),
        State(ids.MAP_HIGHLIGHT_REQUEST, "data"),
    )
    app.callback(Output(ids.MAP_HIGHLIGHT, "data"), Input(ids.MAP_HIGHLIGHT_REQUEST, "data"))(highlight_points)
    # drawn by the page on the map plotly drew, and again after every redraw of the figure
    app.clientside_callback(
        "function(data) { if (window.atlasHighlight) { window.atlasHighlight.show(data); }"
        " return ((data || {}).customdata || []).length; }",
        Output(ids.MAP_PANEL, "data-highlight"),
        Input(ids.MAP_HIGHLIGHT, "data"),
    )
    # the key of the suggested partners' dashed lines, shown while the map draws some: no request
    app.clientside_callback(
        "function(data) { return String(((data || {}).suggested || []).length); }",
        Output(ids.MAP_PANEL, "data-suggested"),
        Input(ids.MAP_HIGHLIGHT, "data"),
    )
