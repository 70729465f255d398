"""The map panel: the map, its HTML legend, and the two callbacks that keep them current.

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

from components import geo_assets, ids
from components.translate import T, aria
from core.i18n import language, names_by_id, number, record_name, t
from core.outside import outside_actors
from core.selection import Selection, select
from core.state import ViewState, state_from_dict, state_from_slices
from core.vocabulary import vocabulary
from data import Dataset, load_dataset
from data.schema import LINK_TYPES
from layers import cluster_extent, highlight
from layers.links_map import MAX_MAP_LINKS
from layers.map_figure import map_figure
from layers.style import (
    ACTOR_STYLE,
    AREA_STYLE,
    CLUSTER_COLOURS,
    HIGHLIGHT,
    STARTUP_STYLE,
    actor_style,
    kind_label,
    link_label,
    link_style,
    programme_colour,
    rgba,
)

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
            html.Div(id=ids.MAP_LEGEND, className="map-legend", **aria("aria.map_legend")),
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
    selection = select(dataset, state)
    figure = geo_assets.externalise(
        map_figure(dataset, selection, state, lang).to_plotly_json(), dataset, _requests_prefix()
    )
    return figure, legend(dataset, selection, state, lang)


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
    if not request or not isinstance(request, list) or len(request) != 3 or not request[0]:
        return {}
    selected, filters, map_options = request
    if not isinstance(selected, str):
        return {}
    state = state_from_dict(state_from_slices(filters if isinstance(filters, dict) else {}, map_options=map_options))
    dataset = load_dataset()
    return highlight.highlight_data(dataset, select(dataset, state), selected)


# The halos depend on the selection and on what the filters show (a neighbour filtered out loses its
# halo). With nothing selected a filter change asks nothing; a cleared selection asks once (to clear).
HIGHLIGHT_GATE = """
function(selected, filters, mapOptions, current) {
    const wanted = selected ? [selected, filters || {}, mapOptions || {}] : null;
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
    """Add the panel's two callbacks to ``app``."""
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


# --- the HTML legend ---------------------------------------------------------------------------------

#: every swatch sits in a box of the same width, so the labels line up whatever the marker size
_BOX = {
    "display": "inline-flex",
    "width": "24px",
    "justifyContent": "center",
    "alignItems": "center",
    "verticalAlign": "middle",
    "marginRight": ".4em",
}


def _dot(colour: str, size: float, opacity: float = 1.0) -> html.Span:
    dot = html.Span(
        style={
            "display": "inline-block",
            "width": f"{size}px",
            "height": f"{size}px",
            "borderRadius": "50%",
            "background": colour,
            "opacity": opacity,
        }
    )
    return html.Span(dot, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _line(colour: str, width: float) -> html.Span:
    # Drawn thicker than on the map: a 1 px line is hard to read as a colour in a legend.
    line = html.Span(
        style={"display": "inline-block", "width": "22px", "borderTop": f"{max(width * 1.5, 3)}px solid {colour}"}
    )
    return html.Span(line, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _patch(fill: str, line: str) -> html.Span:
    patch = html.Span(
        style={
            "display": "inline-block",
            "width": "18px",
            "height": "12px",
            "background": fill,
            "border": f"1.5px solid {line}",
        }
    )
    return html.Span(patch, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _items(rows: list) -> html.Ul:
    return html.Ul([html.Li(r) for r in rows], style={"listStyle": "none", "padding": 0, "margin": ".1rem 0"})


def _heading(text: str) -> html.H3:
    return html.H3(text, style={"fontSize": ".95rem", "margin": ".5rem 0 .1rem"})


def legend(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list:
    """Children of the HTML legend, in ``lang``: every colour and symbol on the map now, and what they mean."""
    out: list = [html.H2(t("legend.title", lang), style={"fontSize": "1rem", "margin": ".3rem 0"})]
    if state.scope == "region":
        out += outside_rows(dataset, selection, lang)
    actors = selection.actors
    kinds = [k for k in ACTOR_STYLE if k != "startup" and (actors["kind"] == k).any()]
    kinds += sorted(set(actors["kind"]) - set(ACTOR_STYLE))
    if kinds:
        counts = actors["kind"].value_counts()
        out += [
            _heading(t("legend.actors", lang)),
            _items([[_dot(*actor_style(k)), f"{kind_label(k, lang)} ({number(int(counts[k]), lang)})"] for k in kinds]),
        ]
    is_startup = (actors["kind"] == "startup").to_numpy()
    startups = int(is_startup.sum())
    if startups:
        synthetic = int(actors.loc[is_startup, "synthetic"].fillna(False).astype(bool).sum())
        note = (
            t("legend.startups_synthetic", lang, count=number(synthetic, lang), badge=t("badge.synthetic", lang))
            if synthetic
            else ""
        )
        out += [
            _heading(t("legend.startups", lang)),
            _items(
                [
                    [
                        _dot(STARTUP_STYLE["colour"], 18, STARTUP_STYLE["opacity"]),
                        t("legend.startups_text", lang, count=number(startups, lang), note=note),
                    ]
                ]
            ),
        ]
    present = set(selection.links["link_type"])
    link_types = [t for t in LINK_TYPES if t in present] + sorted(present - set(LINK_TYPES))
    if link_types:
        out += [
            _heading(t("legend.links", lang)),
            _items([[_line(*link_style(k)), link_label(k, lang)] for k in link_types]),
            html.P(
                t("legend.links_region" if state.scope == "region" else "legend.links_world", lang)
                + t("legend.links_network_only", lang)
                + (
                    t(
                        "legend.links_capped",
                        lang,
                        max=number(MAX_MAP_LINKS, lang),
                        total=number(len(selection.links), lang),
                    )
                    if len(selection.links) > MAX_MAP_LINKS
                    else ""
                ),
                className="muted",
            ),
        ]
    shown_kinds = set(selection.areas["kind"])
    area_kinds = ["region", "province"] + (["partner_region", "member_region"] if state.scope == "world" else [])
    area_rows = [
        [
            _patch(rgba(AREA_STYLE[k]["fill"], max(AREA_STYLE[k]["opacity"], 0.15)), AREA_STYLE[k]["line"]),
            t(f"area.{k}", lang),
        ]
        for k in area_kinds
        if k in shown_kinds
    ]
    if set(dataset.areas.loc[dataset.areas["kind"].isin(["region", "province"]), "id"]) - set(selection.areas["id"]):
        style = AREA_STYLE["context"]
        area_rows.append([_patch(rgba(style["fill"], 1), style["line"]), t("area.context", lang)])
    if area_rows:
        out += [_heading(t("legend.areas", lang)), _items(area_rows)]
    out += _programme_rows(dataset, state, lang)
    out += _cluster_rows(dataset, state, lang)
    out += [
        _heading(t("legend.symbols", lang)),
        _items(
            [
                [_dot(HIGHLIGHT["colour"], 18, HIGHLIGHT["opacity"]), t("legend.halo", lang)],
                [html.Span(t("badge.synthetic", lang), className="badge-synthetic"), t("legend.synthetic", lang)],
                t("legend.places", lang),
            ]
        ),
    ]
    return out


#: actors named one by one in the "outside the region" list
MAX_OUTSIDE = 8


def outside_rows(dataset: Dataset, selection: Selection, lang: str = "en") -> list:
    """The selection's actors beyond the home region, listed where the region map cannot show them:
    each a button that selects it, with its place, distance and direction; and the world scope."""
    far = outside_actors(dataset, selection.actors)
    if not len(far):
        return []
    region = dataset.text("region_name", lang) or ""
    rows = []
    for row in far.head(MAX_OUTSIDE).to_dict(orient="records"):
        direction = t(f"outside.dir.{row['direction']}", lang)
        place = row.get("municipality") if isinstance(row.get("municipality"), str) else ""
        where = (
            t("outside.place", lang, place=place, km=number(row["km"], lang), direction=direction)
            if place
            else t("outside.place_unknown", lang, km=number(row["km"], lang), direction=direction)
        )
        name = record_name(row, lang)
        # selected in the browser (assets/url_actions.js): the URL's sel, as a click on the map would
        button = html.Button(name, className="link-button", type="button", **{"data-atlas-select": row["id"]})
        rows.append([_dot(*actor_style(row["kind"])), button, f" — {kind_label(row['kind'], lang)}; {where}"])
    more = len(far) - MAX_OUTSIDE
    if more > 0:
        rows.append(t("outside.more", lang, count=number(more, lang)))
    return [
        html.Div(
            [
                _heading(t("outside.title", lang, region=region, count=number(len(far), lang))),
                _items(rows),
                html.P(
                    [
                        t("outside.note", lang),
                        " ",
                        html.Button(
                            t("outside.world", lang),
                            className="link-button",
                            type="button",
                            **{"data-atlas-scope": "world"},
                        ),
                    ],
                    className="muted",
                ),
            ],
            className="map-outside",
            id=ids.MAP_OUTSIDE,
        )
    ]


def _cluster_rows(dataset: Dataset, state: ViewState, lang: str) -> list:
    drawn = cluster_extent.clusters_to_draw(dataset, state)
    if not drawn:
        return []
    groupings = dataset.groupings
    all_clusters = groupings.loc[groupings["kind"] == "cluster", "id"].tolist()
    names = names_by_id(groupings, lang)
    rows = [
        [
            _patch(
                rgba(CLUSTER_COLOURS[all_clusters.index(c) % len(CLUSTER_COLOURS)], 0.15),
                CLUSTER_COLOURS[all_clusters.index(c) % len(CLUSTER_COLOURS)],
            ),
            names.get(c, c),
        ]
        for c in drawn
    ]
    return [
        _heading(t("legend.clusters", lang)),
        _items(rows),
        html.P(t("legend.clusters_note", lang), className="muted"),
    ]


def _programme_rows(dataset: Dataset, state: ViewState, lang: str) -> list:
    clusters = set(dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"])
    layers = tuple(g for g in vocabulary(dataset).area_layers if g not in clusters)
    if not layers:
        return []
    names = names_by_id(dataset.groupings, lang)
    on = [g for g in layers if g in set(state.areas)]
    if not on:
        return [_heading(t("legend.programmes", lang)), html.P(t("legend.programmes_none", lang), className="muted")]
    rows = [
        [_patch(rgba(programme_colour(layers.index(g)), 0.3), programme_colour(layers.index(g))), names.get(g, g)]
        for g in on
    ]
    return [
        _heading(t("legend.programmes", lang)),
        _items(rows),
        html.P(t("legend.programmes_note", lang), className="muted"),
    ]
