"""The network panel: a cytoscape graph drawn from the selection, with server-side positions.

* A filter or layout change (``ids.FILTER_STATE``, ``ids.NETWORK_OPTIONS``) or a group expanded/collapsed
  (``ids.NETWORK_EXPANDED``) rebuilds the elements (``layers.network.network_elements``; the
  layout is computed on the server and cached, the browser only runs ``preset``) and the notice.
* A selection (``ids.SELECTION``) only replaces the stylesheet: the selected node and its
  neighbours are highlighted, the rest faded; no element is rebuilt, no layout re-run.
* A tap on a group node toggles it in ``ids.NETWORK_EXPANDED``. Taps on other nodes are read
  elsewhere (``components/url.py``) to set the selection.

The layout chooser (``ids.NETWORK_LAYOUT``) is read and written by ``components/url.py``;
the choice reaches this panel as ``layout`` in the view state.
The callbacks are module-level functions so tests can call them without a browser.
"""

from __future__ import annotations

import json
from typing import Any

import dash_cytoscape as cyto
from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import MissingCallbackContextException

from components import ids, metrics_panel, shared_cache
from components.network_legend import network_legend
from components.translate import T, aria, option_label
from core.i18n import LANGUAGES, strings, t
from core.selection import select
from core.state import SIZES, state_from_dict, state_from_slices, state_to_dict
from core.suggest import suggest_partners
from data import load_dataset
from layers.network import GROUP_PREFIX, highlight_ids, network_elements, notice_text
from layers.network_analysis import SUGGESTED, change_status, mark_changes, metric_sizes, suggested_edges
from layers.network_style import base_stylesheet, language_rules, selection_stylesheet, size_rules

LAYOUT_OPTIONS = [{"label": option_label(T(f"layout.{name}")), "value": name} for name in ("cluster", "geo", "force")]
#: views that hide the network (see components/views.py): nothing to rebuild while hidden
HIDDEN_IN = ("map", "table")
#: computed once: the stylesheet does not depend on the data (shared: never modified)
BASE_STYLESHEET = base_stylesheet()


def layout() -> html.Section:
    """The network section: layout chooser, notice, graph (filled by :func:`update_network`), key."""
    return html.Section(
        [
            html.H2(T("network.title"), className="panel-title"),
            html.Fieldset(
                [
                    html.Legend(T("network.layout")),
                    dcc.RadioItems(
                        id=ids.NETWORK_LAYOUT,
                        options=LAYOUT_OPTIONS,
                        value="cluster",
                        inline=True,
                        className="radios",
                        inputClassName="check-input",
                    ),
                ],
                className="filter-group network-controls",
            ),
            html.Div(id=ids.NETWORK_NOTICE, className="notice-inline", role="status", **{"aria-live": "polite"}),
            keyboard_help(),
            cyto.Cytoscape(
                id=ids.NETWORK,
                # Positions come from the server; the browser never lays anything out.
                layout={"name": "preset", "fit": True, "padding": 30, "animate": False},
                stylesheet=BASE_STYLESHEET,
                elements=[],
                style={"width": "100%", "height": "70vh", "minHeight": "360px"},
                minZoom=0.05,
                maxZoom=4,
                boxSelectionEnabled=False,
                autoungrabify=True,
            ),
            # what the keyboard's focus reaches, read out (assets/keyboard.js writes it)
            html.Div(id=ids.NETWORK_LIVE, className="visually-hidden", role="status", **{"aria-live": "polite"}),
            html.Div(id=ids.NETWORK_KEY_TEXTS, hidden=True, **{"data-texts": _key_texts_json()}),
            metrics_panel.layout(),
            # a legend longer than its box scrolls: a tab stop, so a keyboard can scroll it too
            html.Div(id=ids.NETWORK_LEGEND, className="network-legend", tabIndex="0", **aria("aria.network_legend")),
            dcc.Store(id=ids.NETWORK_EXPANDED, data=[]),
        ],
        id=ids.NETWORK_PANEL,
        className="network-panel",
        **aria("aria.network"),
    )


KEY_HELP = ("keys.arrows", "keys.links", "keys.enter", "keys.escape", "keys.home", "keys.table")
#: what the keyboard's announcements are built from, per language (the templates with their plural forms)
ANNOUNCEMENTS = (
    "keys.announce_node",
    "keys.announce_link",
    "keys.announce_selected",
    "keys.announce_cleared",
    "keys.announce_empty",
    "aria.network_graph",
    # not the network's, but texts of the page's script too (assets/aria_repairs.js): the table's page buttons
    "table.first_page",
    "table.previous_page",
    "table.next_page",
    "table.last_page",
)


def keyboard_help() -> html.Details:
    """The network's keys, said on the page (folded): what a keyboard user needs to know first."""
    return html.Details(
        [
            html.Summary(T("keys.title")),
            html.P(T("keys.intro")),
            html.Ul([html.Li(T(key)) for key in KEY_HELP]),
        ],
        id=ids.NETWORK_KEYS,
        className="keyboard-help",
    )


def keyboard_texts() -> dict[str, dict]:
    """Per language: the announcement templates (``key`` and ``key#<plural form>``), and the labels of
    kinds and link types, for the page's keyboard script (it words what it announces itself)."""
    out: dict[str, dict] = {}
    for lang in LANGUAGES:
        table = strings(lang)
        templates = {k: v for k, v in table.items() if k.split("#", 1)[0] in ANNOUNCEMENTS}
        for key in ANNOUNCEMENTS:  # a language missing a text says it in English
            templates.setdefault(key, t(key, lang))
        labels = {k: v for k, v in table.items() if k.startswith(("kind.", "link.")) and "#" not in k}
        out[lang] = {"templates": templates, "labels": labels}
    return out


def _key_texts_json() -> str:
    return json.dumps(keyboard_texts(), ensure_ascii=False, separators=(",", ":"))


def update_network(
    view_state: dict | None, expanded: list | None, lang: str | None = "en", suggest_for: str | None = ""
) -> tuple[list | Any, str | Any, list | Any]:
    """Filter, layout or expansion change: the elements, the notice and the legend (``no_update``
    while hidden).

    The elements carry the names in both languages: a language change is a stylesheet change."""
    state = state_from_dict(view_state)
    if state.view in HIDDEN_IN:
        return no_update, no_update, no_update
    dataset = load_dataset()
    groups = frozenset(g for g in expanded or () if isinstance(g, str))

    def compute() -> tuple[list, dict | None]:
        selection = select(dataset, state)
        if selection.empty:
            return [], None
        elements, info = network_elements(dataset, selection, state.layout, groups)
        return mark_changes(elements, change_status(dataset, state)), info

    # the network's state only: not the camera, view switch or selection, which do not change it
    drawn = state.with_(sel="", map=None, net=None, view="split")
    elements, info = shared_cache.remember(
        shared_cache.key("network", dataset, state_to_dict(drawn), sorted(groups)), compute
    )
    if info is None:  # nothing selected by the filters
        return [], "", []
    if suggest_for:  # suggested partners of the selection: dashed edges over the (cached) drawing
        drawn = {e["data"]["id"] for e in elements if "source" not in e["data"]}
        elements = elements + suggested_edges(dataset, select(dataset, state), suggest_for, drawn)
    # the elements already hold both languages' names: a language change only rewords notice and legend
    return (
        no_update if _triggered_by(ids.LANG) else elements,
        notice_text(info, lang or "en"),
        network_legend(elements, lang or "en", state.compare),
    )


def _triggered_by(component_id: str) -> bool:
    try:
        return ctx.triggered_id == component_id
    except MissingCallbackContextException:  # called as a plain function (tests)
        return False


def _triggered_by_any(component_ids: tuple[str, ...]) -> bool:
    """Whether every input that fired is one of ``component_ids`` (False on the first call, or untriggered)."""
    try:
        fired = {str(t.get("prop_id", "")).split(".")[0] for t in ctx.triggered or []} - {""}
    except MissingCallbackContextException:
        return False
    return bool(fired) and fired <= set(component_ids)


def update_stylesheet(
    selected: str | None,
    view_state: dict | None,
    expanded: list | None,
    lang: str | None = "en",
    size: str | None = "",
    suggest_for: str | None = "",
) -> list | Any:
    """Selection change: the base stylesheet plus the highlight, and the node sizes when they follow a
    metric (``size``, see ``core.state.SIZES``). Style only. With suggested partners of the selection
    drawn (``suggest_for``), the partners are highlighted with its neighbours.

    The view state and the expanded groups are inputs too: after a filter change or an
    expansion the selected actor may be drawn inside a group (then the group is highlighted)
    or one by one again, and its drawn neighbours change.
    """
    state = state_from_dict(view_state)
    if state.view in HIDDEN_IN:
        return no_update
    base = BASE_STYLESHEET + language_rules(lang or "en")
    dataset = load_dataset()
    groups = frozenset(g for g in expanded or () if isinstance(g, str))
    if size and size in SIZES:
        base = base + size_rules(metric_sizes(dataset, select(dataset, state), size, groups))
    if not selected:
        return base
    selection = select(dataset, state)
    drawn, neighbours = highlight_ids(dataset, selection, selected, groups)
    if suggest_for and suggest_for == selected and drawn == selected:
        partners = {s.target_id for s in suggest_partners(dataset, selection, selected, SUGGESTED)}
        neighbours = frozenset(neighbours | partners)
    return selection_stylesheet(base, drawn, neighbours)


# A tap on a group node expands it, or collapses it when expanded; other taps change nothing here.
# In the browser: it is view state of this page only, and a server round trip per tap bought nothing.
TOGGLE_GROUP = """
function(tap, expanded) {
    const node = (tap && tap.id) || "";
    if (!node.startsWith(PREFIX)) { return window.dash_clientside.no_update; }
    const current = (expanded || []).filter(g => typeof g === "string");
    return current.includes(node) ? current.filter(g => g !== node) : current.concat([node]);
}
""".replace("PREFIX", json.dumps(GROUP_PREFIX))


def network_outputs(
    filters: dict | None,
    network_options: dict | None,
    expanded: list | None,
    lang: str | None = "en",
    suggest_for: str | None = "",
) -> tuple[list | Any, str | Any, list | Any]:
    """:func:`update_network` for the slices the network draws (filters, network options): the map's
    scope and drawn areas are not inputs, so an overlay switch never touches the network."""
    return update_network(state_from_slices(filters, network_options=network_options), expanded, lang, suggest_for)


def stylesheet_outputs(
    selected: str | None,
    filters: dict | None,
    network_options: dict | None,
    expanded: list | None,
    lang: str | None = "en",
    size: str | None = "",
    suggest_for: str | None = "",
) -> list | Any:
    """:func:`update_stylesheet` for the slices the network draws.

    With nothing selected and the default node size the stylesheet depends on the language alone:
    a filter, layout or expansion change then sends nothing (a new stylesheet restyles every element
    in the browser, ~0.2 s at 1,400 elements with software rendering, for the same rules)."""
    if not selected and not size and _triggered_by_any((ids.FILTER_STATE, ids.NETWORK_OPTIONS, ids.NETWORK_EXPANDED)):
        return no_update
    state = state_from_slices(filters, network_options=network_options)
    return update_stylesheet(selected, state, expanded, lang, size, suggest_for)


def register(app) -> None:
    """Add the panel's callbacks to ``app``: elements, stylesheet, viewport, expansion, label upkeep."""
    # The viewport: recorded by the browser as the user stops zooming or panning (assets/camera.js);
    # one from the URL is applied once the elements are laid out (preset), with no request.
    app.clientside_callback(
        "function(viewport, elements) { if (window.atlasCamera) {"
        " window.atlasCamera.applyNetwork(viewport); } return JSON.stringify(viewport || null); }",
        Output(ids.NETWORK_PANEL, "data-viewport"),
        Input(ids.NETWORK_VIEWPORT, "data"),
        Input(ids.NETWORK, "elements"),
    )
    # What the node size follows, for the legend's wording (components/network_legend.py): no request.
    app.clientside_callback(
        "function(size) { return size || 'default'; }",
        Output(ids.NETWORK_PANEL, "data-size"),
        Input(ids.NODE_SIZE, "data"),
    )
    # A selection is brought into view in the browser (assets/camera.js): no request.
    app.clientside_callback(
        "function(sel) { if (window.atlasCamera && sel) { window.atlasCamera.revealSelection(); } return sel || ''; }",
        Output(ids.NETWORK_PANEL, "data-selected"),
        Input(ids.SELECTION, "data"),
    )
    # Once a new stylesheet is drawn (a selection made or cleared), labels that now overlap a more
    # important one are hidden, and those freed are shown again (assets/camera.js): no request.
    app.clientside_callback(
        "function(sheet) { if (window.atlasCamera) { window.atlasCamera.declutter(); }"
        " return window.__atlasSheets = (window.__atlasSheets || 0) + 1; }",
        Output(ids.NETWORK_PANEL, "data-rules"),
        Input(ids.NETWORK, "stylesheet"),
    )
    app.callback(
        Output(ids.NETWORK, "elements"),
        Output(ids.NETWORK_NOTICE, "children"),
        Output(ids.NETWORK_LEGEND, "children"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.NETWORK_OPTIONS, "data"),
        Input(ids.NETWORK_EXPANDED, "data"),
        Input(ids.LANG, "data"),
        Input(ids.SUGGEST_FOR, "data"),
    )(network_outputs)
    app.callback(
        Output(ids.NETWORK, "stylesheet"),
        Input(ids.SELECTION, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.NETWORK_OPTIONS, "data"),
        Input(ids.NETWORK_EXPANDED, "data"),
        Input(ids.LANG, "data"),
        Input(ids.NODE_SIZE, "data"),
        Input(ids.SUGGEST_FOR, "data"),
    )(stylesheet_outputs)
    app.clientside_callback(
        TOGGLE_GROUP,
        Output(ids.NETWORK_EXPANDED, "data"),
        Input(ids.NETWORK, "tapNodeData"),
        State(ids.NETWORK_EXPANDED, "data"),
        prevent_initial_call=True,
    )
