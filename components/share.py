"""The Share dialog: the current view's link, a ready iframe snippet for web pages, and the view as a
scene of a story (the JSON of one step, to paste into a story file).

Everything is computed in the browser from the current URL: nothing to ask the server.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from components import ids
from components.translate import T, option_label


def button() -> html.Button:
    return html.Button(
        T("share.button"),
        id=ids.SHARE_BUTTON,
        n_clicks=0,
        className="reset share-button",
        **{"aria-haspopup": "dialog", "aria-controls": ids.SHARE_PANEL},
    )


def _size_field(label: str, field_id: str, value: int) -> html.Label:
    """A labelled pixel size of the iframe snippet (wide enough to read its value: .share-number)."""
    number = dcc.Input(id=field_id, type="number", min=200, max=4000, value=value, className="share-number")
    return html.Label([*T(label), " ", number], className="share-row")


def layout() -> html.Div:
    """The dialog, hidden until the Share button is pressed."""
    return html.Div(
        [
            html.H2(T("share.title"), id="atlas-share-title"),
            html.Label(T("share.link"), htmlFor=ids.SHARE_LINK),
            dcc.Input(id=ids.SHARE_LINK, type="text", readOnly=True, className="share-field"),
            html.Fieldset(
                [
                    html.Legend(T("share.embed")),
                    html.Div(
                        [
                            html.Label(
                                [
                                    *T("share.show"),
                                    " ",
                                    dcc.Dropdown(
                                        id=ids.SHARE_VIEW,
                                        clearable=False,
                                        searchable=False,
                                        value="split",
                                        options=[
                                            {"label": option_label(T(f"view.{v}")), "value": v}
                                            for v in ("split", "map", "network")
                                        ],
                                        style={"minWidth": "12rem"},
                                    ),
                                ],
                                className="share-row",
                            ),
                            _size_field("share.width", ids.SHARE_WIDTH, 900),
                            _size_field("share.height", ids.SHARE_HEIGHT, 600),
                        ],
                        className="share-options",
                    ),
                    html.Label(T("share.html"), htmlFor=ids.SHARE_SNIPPET),
                    dcc.Textarea(id=ids.SHARE_SNIPPET, readOnly=True, className="share-field share-snippet"),
                ],
                className="filter-group",
            ),
            html.Details(
                [
                    html.Summary(T("share.scene")),
                    html.P(T("share.scene_hint"), className="muted"),
                    html.Label(T("share.scene_json"), htmlFor=ids.SHARE_SCENE),
                    dcc.Textarea(id=ids.SHARE_SCENE, readOnly=True, className="share-field share-scene"),
                ],
                className="share-scene-block",
            ),
            html.Button(T("share.close"), id=ids.SHARE_CLOSE, n_clicks=0, className="reset"),
        ],
        id=ids.SHARE_PANEL,
        className="share-panel",
        hidden=True,
        role="dialog",
        **{"aria-labelledby": "atlas-share-title"},
    )


TOGGLE = """
function(openClicks, closeClicks) {
    const ctx = window.dash_clientside.callback_context;
    const id = ctx.triggered.length ? ctx.triggered[0].prop_id.split(".")[0] : "";
    return id !== "atlas-share-button";
}
"""
# The link and the snippet follow the current URL and the chosen options.
SNIPPET = """
function(search, hidden, view, width, height, pathname, lang, texts) {
    const here = window.location;
    search = here.search || search || "";  // the address bar: it also holds the cameras (assets/camera.js)
    const link = here.origin + here.pathname.replace(/\\/?embed\\/?$/, "/") + search;
    const params = new URLSearchParams(search);
    if (view && view !== "split") { params.set("view", view); } else { params.delete("view"); }
    const query = params.toString();
    const src = here.origin + "/embed" + (query ? "?" + query : "");
    const suffix = ((texts || {})[lang] || {})["share.iframe_title"] || "(interactive view)";
    const title = (document.title || "Atlas") + " " + suffix;
    const w = Math.max(200, parseInt(width, 10) || 900), h = Math.max(200, parseInt(height, 10) || 600);
    const esc = s => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    const snippet = '<iframe src="' + esc(src) + '" width="' + w + '" height="' + h + '" title="' + esc(title) +
        '" style="border:0" loading="lazy"></iframe>';
    // the view as a step of a story file (core/stories.py): its state is this URL's view parameters
    const state = new URLSearchParams(search);
    ["lang", "step", "embed", "show", "export", "details", "stage", "scene"].forEach(k => state.delete(k));
    const stateText = state.toString().replace(/%2C/g, ",");
    const scene = JSON.stringify({
        title: {en: "", it: ""},
        text: {en: "", it: ""},
        state: stateText ? "?" + stateText : "",
    }, null, 2);
    return [link, snippet, scene];
}
"""


def register(app) -> None:
    """Open/close the dialog; fill the link and the snippet (all in the browser)."""
    app.clientside_callback(
        TOGGLE,
        Output(ids.SHARE_PANEL, "hidden"),
        Input(ids.SHARE_BUTTON, "n_clicks"),
        Input(ids.SHARE_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        SNIPPET,
        Output(ids.SHARE_LINK, "value"),
        Output(ids.SHARE_SNIPPET, "value"),
        Output(ids.SHARE_SCENE, "value"),
        Input(ids.URL, "search"),
        Input(ids.SHARE_PANEL, "hidden"),
        Input(ids.SHARE_VIEW, "value"),
        Input(ids.SHARE_WIDTH, "value"),
        Input(ids.SHARE_HEIGHT, "value"),
        State(ids.URL, "pathname"),
        State(ids.LANG, "data"),
        State(ids.LANG_STRINGS, "data"),
    )
