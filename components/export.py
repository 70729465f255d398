"""Exports: the current view as an image with a caption, and the shown records as data.

* **Images** (map or network, PNG or SVG) are made in the browser by ``assets/export.js``
  from what is on screen, with a caption under it. The caption's text comes from the server
  (:func:`caption_json`, in the reader's language) into a hidden element the script reads.
* **Images** carry the legend of their view as on screen (read from the page's HTML legend by
  the script) and name the selected element in the caption.
* **Data**: ``/export/records.csv`` and ``/export/records.geojson`` take the page's own query
  string and return the records the filters show, with the fields of ``python -m data
  export`` (``data/export.py``). ``/export/links.csv`` and ``/export/links.geojson`` hold
  exactly the links the counts name and the network draws: the link records shown, then the
  cluster memberships drawn dashed. The links' hrefs follow the URL, in the browser.

Nothing leaves the machine: the script is served from ``assets/``, the images are drawn from
the page's own canvases and the data come from the atlas's server.

In the main page the Export button is always there. In ``/embed`` it is shown only with
``?export=1`` (a passthrough parameter, see ``core/state.py``): an embedding site
decides whether its readers may download. The data routes work in any case: they serve only
what the page shows anyway.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from dash import Input, Output, State, dcc, html
from flask import Response, request

from components import ids
from components.translate import T, titled
from core.caption import caption, selection_ids
from core.i18n import language, t
from core.selection import select
from core.state import parse_query, state_from_dict
from core.suggest import suggested_links
from core.vocabulary import vocabulary
from data import load_dataset
from data.export import link_collection, links_csv, suggested_features, to_csv, to_feature_collection
from layers.network import derived_memberships, membership_pairs
from layers.network_analysis import SUGGESTED

#: the data formats of the records route: extension -> MIME type
DATA_FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json; charset=utf-8"}
#: the ``export`` values that switch the menu on in ``/embed``
ENABLED_VALUES = ("1", "true", "yes", "on")
IMAGE_ITEMS = (
    (ids.EXPORT_MAP_PNG, "map-png", "export.map_png"),
    (ids.EXPORT_MAP_SVG, "map-svg", "export.map_svg"),
    (ids.EXPORT_NETWORK_PNG, "network-png", "export.network_png"),
    (ids.EXPORT_NETWORK_SVG, "network-svg", "export.network_svg"),
)
#: the data links: id, route (the page's query string is appended in the browser), label
DATA_ITEMS = (
    (ids.EXPORT_CSV, "export/records.csv", "export.csv"),
    (ids.EXPORT_GEOJSON, "export/records.geojson", "export.geojson"),
    (ids.EXPORT_LINKS_CSV, "export/links.csv", "export.links_csv"),
    (ids.EXPORT_LINKS_GEOJSON, "export/links.geojson", "export.links_geojson"),
)


def button() -> html.Button:
    """The header's Export button, beside Share."""
    return html.Button(
        T("export.button"),
        id=ids.EXPORT_BUTTON,
        n_clicks=0,
        className="reset export-button",
        **titled("export.aria_button"),
        **{"aria-haspopup": "dialog", "aria-controls": ids.EXPORT_PANEL},
    )


def layout() -> html.Div:
    """The embed's button, the export dialog (hidden until a button opens it) and the caption's holder."""
    images = [
        html.Li(
            html.Button(
                T(key), id=item_id, n_clicks=0, className="link-button export-item", **{"data-atlas-export": action}
            )
        )
        for item_id, action, key in IMAGE_ITEMS
    ]
    data, links = (
        [
            html.Li(html.A(T(key), id=item_id, href=href, download="", className="export-item"))
            for item_id, href, key in items
        ]
        for items in (DATA_ITEMS[:2], DATA_ITEMS[2:])
    )
    return html.Div(
        [
            html.Button(
                T("export.button"),
                id=ids.EXPORT_EMBED_BUTTON,
                n_clicks=0,
                hidden=True,
                className="export-embed-button",
                **titled("export.aria_button"),
                **{"aria-haspopup": "dialog", "aria-controls": ids.EXPORT_PANEL},
            ),
            html.Div(
                [
                    html.H2(T("export.title"), id="atlas-export-title"),
                    html.H3(T("export.images")),
                    html.Ul(images, className="export-list"),
                    html.P(T("export.hidden_note"), className="muted export-hidden-note"),
                    html.H3(T("export.data")),
                    html.Ul(data, className="export-list"),
                    html.P(T("export.data_note"), className="muted"),
                    html.H3(T("export.links")),
                    html.Ul(links, className="export-list"),
                    html.P(T("export.links_note"), className="muted"),
                    html.P(id=ids.EXPORT_STATUS, className="export-status", role="status", **{"aria-live": "polite"}),
                    html.Button(T("export.close"), id=ids.EXPORT_CLOSE, n_clicks=0, className="reset"),
                ],
                id=ids.EXPORT_PANEL,
                className="export-panel",
                hidden=True,
                role="dialog",
                **{"aria-labelledby": "atlas-export-title"},
            ),
            html.Div(id=ids.EXPORT_CAPTION, hidden=True),
            dcc.Store(id=ids.EXPORT_REQUEST),
        ],
        className="export-menu",
    )


def caption_json(
    view_state: dict | None, lang: str | None, panel_hidden: bool | None = False, selected: str | None = ""
) -> str:
    """The caption of images of the current view, as JSON text for ``assets/export.js``.

    Besides the caption (see :func:`core.caption.caption`) it carries the script's status
    messages in the same language, with a ``{name}`` placeholder for the file name.
    Computed only while the Export dialog is open (its sources line reads the whole selection:
    ~30 ms at 100k records, for nothing on every filter change); "" otherwise, so that a
    caption for other filters is never used (the script waits for the current one).
    """
    if panel_hidden:
        return ""
    lang = language(lang)
    dataset = load_dataset()
    state = state_from_dict(view_state)
    memberships = derived_memberships(dataset, select(dataset, state))
    data: dict[str, Any] = caption(dataset, state, lang, memberships=memberships, selected=selected or "")
    data["date"] = date.today().isoformat()
    data["messages"] = {key: t(f"export.{key}", lang) for key in ("working", "done", "failed")}
    return json.dumps(data, ensure_ascii=False)


def caption_for_request(request: list | None) -> str:
    """:func:`caption_json` for ``[view state, language, selected id]`` while the dialog is open; ""
    once it closes."""
    if not request:
        return ""
    view_state, lang, selected = [*list(request), "", "", ""][:3]
    return caption_json(view_state, lang, selected=selected if isinstance(selected, str) else "")


# While the dialog is closed a filter change asks nothing of the server; opening it (or a change while
# open) sends the view state and language once; closing it clears the caption (one request).
CAPTION_GATE = """
function(filters, view, mapOptions, networkOptions, lang, selected, hidden, ranking, size, current) {
    const map = mapOptions || {}, network = networkOptions || {};
    const state = Object.assign({}, filters || {}, {view: view || "split", scope: map.scope || "region",
                                                    areas: map.areas || [], layout: network.layout || "cluster",
                                                    rank: ranking || "", size: size || ""});
    const wanted = hidden ? null : [state, lang || "en", selected || ""];
    if (JSON.stringify(wanted) === JSON.stringify(current === undefined ? null : current)) {
        return window.dash_clientside.no_update;
    }
    return wanted;
}
"""


def records_response(query: str, fmt: str) -> Response:
    """The records the filters of ``query`` (the page's query string) show, as CSV or GeoJSON."""
    if fmt not in DATA_FORMATS:
        return Response("Unknown format: use records.csv or records.geojson\n", status=404, mimetype="text/plain")
    dataset = load_dataset()
    state, _notices = parse_query(query, vocabulary(dataset))  # unknown parameters: ignored, as by the page
    collection = to_feature_collection(dataset, keep=selection_ids(select(dataset, state)))
    text = to_csv(collection["features"]) if fmt == "csv" else ""
    return _download(collection, text, fmt, "records")


def links_response(query: str, fmt: str) -> Response:
    """The links the network of ``query``'s filters draws (records, then memberships), as CSV or GeoJSON."""
    if fmt not in DATA_FORMATS:
        return Response("Unknown format: use links.csv or links.geojson\n", status=404, mimetype="text/plain")
    dataset = load_dataset()
    state, _notices = parse_query(query, vocabulary(dataset))
    selection = select(dataset, state)
    collection = link_collection(dataset, frozenset(selection.links["id"]), membership_pairs(dataset, selection))
    # suggested partners are not links: in an export only when asked for, and marked as such
    if state.sel and "suggested" in _included(query):
        rows = suggested_links(dataset, selection, state.sel, SUGGESTED, "en")
        collection["features"] += suggested_features(dataset, rows)
    text = links_csv(collection["features"]) if fmt == "csv" else ""
    return _download(collection, text, fmt, "links")


def _included(query: str) -> set[str]:
    """The values of the export's ``include`` parameter (``include=suggested``)."""
    return {v.strip() for k, value in parse_qsl(query.lstrip("?")) if k == "include" for v in value.split(",")}


def _download(collection: dict, csv_text: str, fmt: str, what: str) -> Response:
    # a byte-order mark, so that spreadsheet programs read the accents as UTF-8
    body = "\ufeff" + csv_text if fmt == "csv" else json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, mimetype=DATA_FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = DATA_FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="atlas-{what}-{date.today().isoformat()}.{fmt}"'
    return response


TOGGLE = """
function(openClicks, embedClicks, closeClicks, hidden) {
    const ctx = window.dash_clientside.callback_context;
    const id = ctx.triggered.length ? ctx.triggered[0].prop_id.split(".")[0] : "";
    if (id === "atlas-export-close") { return true; }
    return !hidden;
}
"""
# The embed's button only on /embed with ?export=1 (the header, with the main button, is hidden there).
EMBED_BUTTON = """
function(pathname, search) {
    const embedded = (pathname || "").replace(/\\/+$/, "").endsWith("/embed");
    const value = (new URLSearchParams(search || "").get("export") || "").trim().toLowerCase();
    return !(embedded && %s.includes(value));
}
"""
# Image items only for a view on screen: the map is hidden in the network and table views, the network
# in the map and table views (components/views.py), and a hidden graph has nothing current to draw.
DISABLED = """
function(view) {
    view = view || "split";
    const noMap = view === "network" || view === "table", noNetwork = view === "map" || view === "table";
    return [noMap, noMap, noNetwork, noNetwork];
}
"""
# The data links carry the page's query: the route computes the same selection.
HREFS = """
function(search) {
    const base = %s;
    return %s.map(function (route) { return base + route + (search || ""); });
}
"""


def register(app) -> None:
    """The data route, the caption callback and the dialog's clientside switches."""
    prefix = app.config.routes_pathname_prefix or "/"

    @app.server.route(prefix + "export/records.<fmt>")
    def _records(fmt: str) -> Response:
        return records_response(request.query_string.decode("utf-8", "replace"), fmt)

    @app.server.route(prefix + "export/links.<fmt>")
    def _links(fmt: str) -> Response:
        return links_response(request.query_string.decode("utf-8", "replace"), fmt)

    app.clientside_callback(
        CAPTION_GATE,
        Output(ids.EXPORT_REQUEST, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.VIEW_MODE, "data"),
        Input(ids.MAP_OPTIONS, "data"),
        Input(ids.NETWORK_OPTIONS, "data"),
        Input(ids.LANG, "data"),
        Input(ids.SELECTION, "data"),
        Input(ids.EXPORT_PANEL, "hidden"),
        Input(ids.RANKING, "data"),
        Input(ids.NODE_SIZE, "data"),
        State(ids.EXPORT_REQUEST, "data"),
    )
    app.callback(Output(ids.EXPORT_CAPTION, "children"), Input(ids.EXPORT_REQUEST, "data"), prevent_initial_call=True)(
        caption_for_request
    )
    app.clientside_callback(
        TOGGLE,
        Output(ids.EXPORT_PANEL, "hidden"),
        Input(ids.EXPORT_BUTTON, "n_clicks"),
        Input(ids.EXPORT_EMBED_BUTTON, "n_clicks"),
        Input(ids.EXPORT_CLOSE, "n_clicks"),
        State(ids.EXPORT_PANEL, "hidden"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        EMBED_BUTTON % json.dumps(list(ENABLED_VALUES)),
        Output(ids.EXPORT_EMBED_BUTTON, "hidden"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    app.clientside_callback(
        DISABLED, *(Output(item_id, "disabled") for item_id, _, _ in IMAGE_ITEMS), Input(ids.VIEW_MODE, "data")
    )
    requests_prefix = app.config.requests_pathname_prefix or "/"
    app.clientside_callback(
        HREFS % (json.dumps(requests_prefix), json.dumps([route for _, route, _ in DATA_ITEMS])),
        *(Output(item_id, "href") for item_id, _, _ in DATA_ITEMS),
        Input(ids.URL, "search"),
    )
