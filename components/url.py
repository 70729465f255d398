"""The one place where the view state is read and written: URL, controls and clicks.

A single callback has the URL, every filter control and every "select this" click as
inputs, and the URL, the controls and two stores as outputs (Dash allows such circular
updates inside one callback). So:

- opening or navigating to a URL (including back/forward) sets the controls;
- changing a control or clicking an element writes a short canonical URL, pushed to the
  history without a reload;
- the state goes out in slices (``core.state.slices``): ``ids.FILTER_STATE``, ``ids.VIEW_MODE``,
  ``ids.MAP_OPTIONS``, ``ids.NETWORK_OPTIONS``, the cameras, ``ids.RANKING``, ``ids.NODE_SIZE``
  and ``ids.SELECTION``, each only when its value changes; views rebuild on the slices they draw
  and restyle on the selection.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import MissingCallbackContextException

from components import ids
from components.strengths_panel import clicked_filters
from components.sundial_panel import clicked_element
from components.translate import T, aria
from core.i18n import t
from core.state import RANKINGS, SIZES, ViewState, parse_query, slices, to_query
from core.vocabulary import vocabulary
from data import load_dataset

DETAILS_LINK = "details-link"  # pattern id {"type": DETAILS_LINK, "target": <element id>}


def stores() -> list:
    """The location and the stores; placed once in the page."""
    return [
        dcc.Location(id=ids.URL, refresh=False),
        *(
            dcc.Store(id=slice_id)
            for slice_id in (
                ids.FILTER_STATE,
                ids.VIEW_MODE,
                ids.MAP_OPTIONS,
                ids.NETWORK_OPTIONS,
                ids.MAP_CAMERA,
                ids.NETWORK_VIEWPORT,
            )
        ),
        dcc.Store(id=ids.RANKING, data=""),
        dcc.Store(id=ids.NODE_SIZE, data=""),
        dcc.Store(id=ids.SUGGEST, data=False),
        dcc.Store(id=ids.SELECTION, data=""),
        dcc.Store(id=ids.NOTICE_DATA),
        html.Div(
            [
                html.Span(id=ids.NOTICE_TEXT),
                html.Button(
                    T("notice.dismiss"),
                    id=ids.NOTICE_CLOSE,
                    n_clicks=0,
                    className="link-button",
                    **aria("aria.dismiss"),
                ),
            ],
            id=ids.NOTICE,
            className="notice",
            hidden=True,
            role="status",
        ),
    ]


def _gvc_value_lists(state: ViewState, cluster_ids: list[str], dataset) -> list[list[str]]:
    gvcs = dataset.gvcs
    chosen = set(state.gvc)
    return [[g for g in gvcs.loc[gvcs["cluster"] == cluster, "id"] if g in chosen] for cluster in cluster_ids]


def _clicked_id(trigger, map_click, tap, table_cell, edge_tap=None) -> str | None:
    """The element id a click selects, or None when the click selects nothing.

    A tap on a network edge selects its link (``sel=<link id>``); drawn edges that stand for no
    one link record (bundles, derived memberships, member edges) select nothing."""
    if trigger == ids.MAP and map_click:
        value = (map_click.get("points") or [{}])[0].get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        return value if isinstance(value, str) and not value.startswith("agg:") else None
    if trigger == ids.NETWORK and _edge_tapped():
        edge = (edge_tap or {}).get("id", "")
        return edge if isinstance(edge, str) and edge and ":" not in edge else None
    if trigger == ids.NETWORK and tap:
        node = tap.get("id", "")
        return None if node.startswith("group:") else node
    if trigger == ids.TABLE and table_cell:
        return table_cell.get("row_id")
    if isinstance(trigger, dict) and trigger.get("type") == DETAILS_LINK:
        return trigger.get("target")
    return None


def _edge_tapped() -> bool:
    """Whether the network's trigger was a tap on an edge (the node and edge taps share the id)."""
    try:
        return any(str(t.get("prop_id", "")).endswith(".tapEdgeData") for t in ctx.triggered or [])
    except MissingCallbackContextException:  # called as a plain function (tests)
        return False


def _real_click(trigger) -> bool:
    """Pattern-matched buttons fire when they are created (n_clicks 0/None): only a click counts."""
    if isinstance(trigger, dict):
        return bool(ctx.triggered and ctx.triggered[0].get("value"))
    return True


def sync_state(
    search,
    view,
    scope,
    gvc_lists,
    _group_clicks,
    link,
    kind,
    prov,
    year,
    q,
    areas,
    layout,
    _reset,
    _empty_reset,
    map_click,
    tap,
    table_cell,
    _detail_clicks,
    _close_details,
    edge_tap=None,
    rank=None,
    size=None,
    strength_click=None,
    abroad_click=None,
    compare_on=None,
    compare_years=None,
    sundial_click=None,
    suggest_on=None,
    gvc_list_ids=(),
    current_filters=None,
    current_view=None,
    current_map=None,
    current_network=None,
    current_camera=None,
    current_viewport=None,
    current_sel="",
    current_rank="",
    current_size="",
    current_suggest=False,
):
    """Reconcile URL, controls and stores; see the module docstring. Returns every output, in order."""
    dataset = load_dataset()
    vocab = vocabulary(dataset)
    trigger = ctx.triggered_id
    cluster_ids = [i["cluster"] for i in gvc_list_ids]
    controls_from_state = False
    notices: list = []
    if trigger is None or trigger == ids.URL:
        state, notices = parse_query(search or "", vocab)
        controls_from_state = True
        new_search = no_update  # never rewrite what the user opened: it may be a shared link
    elif not _real_click(trigger):
        return (no_update,) * 3 + ([no_update] * len(cluster_ids),) + (no_update,) * 24
    else:
        gvc = tuple(g for g in vocab.gvcs if any(g in (values or []) for values in gvc_lists))
        if isinstance(trigger, dict) and trigger.get("type") == ids.GVC_GROUP_BUTTON:
            members = set(vocab.gvc_groups.get(trigger["group"], ()))
            chosen = set(gvc)
            chosen = chosen - members if members <= chosen else chosen | members
            gvc = tuple(g for g in vocab.gvcs if g in chosen)
            controls_from_state = True
        year_value = tuple(int(y) for y in year) if year else None
        if year_value and year_value == vocab.years:
            year_value = None  # the whole range is no filter at all
        state = ViewState(
            view=view or "split",
            scope=scope or "region",
            gvc=gvc,
            link=tuple(t for t in vocab.link_types if t in (link or [])),
            kind=tuple(k for k in vocab.kinds if k in (kind or [])),
            prov=tuple(p for p in vocab.provinces if p in (prov or [])),
            year=year_value,
            q=(q or "").strip()[:100],
            sel=current_sel or "",
            areas=tuple(a for a in vocab.area_layers if a in (areas or [])),
            layout=layout or "cluster",
            rank=rank if rank in RANKINGS else "",
            size=size if size in SIZES else "",
            compare=_compare_of(compare_on, compare_years),
            suggest=bool(suggest_on),
            # parameters owned by other parts (lang, step) travel on unchanged
            _extra=parse_query(search or "", vocab)[0]._extra,
        )
        if trigger in (ids.STRENGTHS_GRAPH, ids.ABROAD_GRAPH):
            state, controls_from_state = _cell_clicked(state, trigger, strength_click, abroad_click, current_filters)
        if trigger in (ids.RESET, ids.EMPTY_RESET):
            state = ViewState(
                view=state.view,
                scope=state.scope,
                layout=state.layout,
                rank=state.rank,
                size=state.size,
                suggest=state.suggest,
            )
            controls_from_state = True
        elif trigger == ids.DETAILS_CLOSE:
            state = state.with_(sel="")
        else:
            clicked = _clicked_id(trigger, map_click, tap, table_cell, edge_tap)
            if trigger == ids.SUNDIAL_GRAPH:  # an item of the sundial: selected, and shown in both views
                clicked = clicked_element(sundial_click)
                if clicked is not None and clicked in vocab.element_ids:
                    state, controls_from_state = state.with_(view="split"), True
            if clicked is not None and clicked in vocab.element_ids:
                state = state.with_(sel=clicked)
        state = _keep_cameras(state, current_filters, current_map, current_network, current_camera, current_viewport)
        query = to_query(state, vocab)
        new_search = query if query != (search or "") else no_update
    parts = slices(state)
    currents = (
        current_filters,
        current_view,
        current_map,
        current_network,
        current_camera,
        current_viewport,
        current_rank or "",
        current_size or "",
        bool(current_suggest),
    )
    # each slice goes out only when its value changes: its listeners run only then
    changed = [part if part != current else no_update for part, current in zip(parts.values(), currents, strict=True)]
    if controls_from_state:
        controls = [
            state.view,
            state.scope,
            _gvc_value_lists(state, cluster_ids, dataset),
            list(state.link),
            list(state.kind),
            list(state.prov),
            list(state.year or vocab.years),
            state.q,
            list(state.areas),
            state.layout,
        ]
        metric_controls = [
            state.rank,
            state.size,
            ["on"] if state.compare else [],
            list(state.compare) if state.compare else no_update,
            ["on"] if state.suggest else [],
        ]
    else:
        # a pattern-matching (ALL) output needs one value per matched component, even when unchanged
        controls = [no_update, no_update, [no_update] * len(cluster_ids)] + [no_update] * 7
        metric_controls = [no_update] * 5
    # the problems as (key, values): the notice is worded in the reader's language by notice_text()
    notice_data = [[n.key, n.values] for n in notices] if notices else no_update
    notice_hidden = (not notices) if (trigger is None or trigger == ids.URL) else no_update
    # the slices of the metrics (ranking, node size) go last: they came later, and the outputs'
    # positions before them are what tests and earlier code count on
    return (
        new_search,
        *controls,
        *changed[:6],
        state.sel if state.sel != (current_sel or "") else no_update,
        notice_data,
        notice_hidden,
        *metric_controls[:2],
        *changed[6:8],
        *metric_controls[2:4],
        metric_controls[4],
        changed[8],
    )


def _compare_of(compare_on, compare_years) -> tuple[int, int] | None:
    """The two years compared, from the "compare" tick and its slider (None: off, or one year twice)."""
    if not compare_on or not isinstance(compare_years, list | tuple) or len(compare_years) != 2:
        return None
    first, second = sorted(int(y) for y in compare_years)
    return (first, second) if first < second else None


def _cell_clicked(state: ViewState, trigger, strength_click, abroad_click, current_filters) -> tuple[ViewState, bool]:
    """The state after a click on a cell of the strengths view: the cell's value chain and province (or
    link types abroad) become the filters, and both views show them (True: the controls follow)."""
    which = "strength" if trigger == ids.STRENGTHS_GRAPH else "abroad"
    cell = clicked_filters(strength_click if which == "strength" else abroad_click, current_filters, which)
    if cell is None:  # a cluster row, or outside the cells: nothing to filter by
        return state, False
    vocab = vocabulary(load_dataset())
    chosen = {key: set(values) for key, values in cell.items()}
    changes: dict = {"view": "split", "gvc": tuple(g for g in vocab.gvcs if g in chosen["gvc"])}
    if "prov" in chosen:
        changes["prov"] = tuple(p for p in vocab.provinces if p in chosen["prov"])
    if "link" in chosen:
        changes["link"] = tuple(k for k in vocab.link_types if k in chosen["link"])
    return state.with_(**changes), True


def _keep_cameras(
    state: ViewState, current_filters, current_map, current_network, current_camera, current_viewport
) -> ViewState:
    """The state with the cameras the user has now (the browser keeps them in their stores as they
    move; ``assets/camera.js``), except where the change makes them meaningless: another scope or
    map width gives the map its home view again; other filters or another layout redraw the
    network, which is fitted anew."""
    parts = slices(state)
    map_now, map_before = parts["map"], current_map or {}
    same_map_frame = (map_now["scope"], map_now["room"]) == (map_before.get("scope"), map_before.get("room"))
    camera = tuple(current_camera) if current_camera and same_map_frame else None
    same_network = parts["filters"] == current_filters and parts["network"] == current_network
    viewport = tuple(current_viewport) if current_viewport and same_network else None
    return state.with_(map=camera, net=viewport)


def notice_text(problems: list | None, lang: str | None) -> str:
    """The link-problems notice in the reader's language."""
    if not problems:
        return ""
    return t(
        "notice.ignored", lang or "en", problems="; ".join(t(key, lang or "en", **values) for key, values in problems)
    )


def register(app) -> None:
    """Register the state callback and the notice's dismiss button."""
    app.callback(
        Output(ids.URL, "search"),
        Output(ids.VIEW, "value"),
        Output(ids.SCOPE, "value"),
        Output({"type": ids.GVC_LIST, "cluster": ALL}, "value"),
        Output(ids.LINK, "value"),
        Output(ids.KIND, "value"),
        Output(ids.PROV, "value"),
        Output(ids.YEAR, "value"),
        Output(ids.SEARCH, "value"),
        Output(ids.AREAS, "value"),
        Output(ids.NETWORK_LAYOUT, "value"),
        Output(ids.FILTER_STATE, "data"),
        Output(ids.VIEW_MODE, "data"),
        Output(ids.MAP_OPTIONS, "data"),
        Output(ids.NETWORK_OPTIONS, "data"),
        Output(ids.MAP_CAMERA, "data"),
        Output(ids.NETWORK_VIEWPORT, "data"),
        Output(ids.SELECTION, "data"),
        Output(ids.NOTICE_DATA, "data"),
        Output(ids.NOTICE, "hidden"),
        Output(ids.METRICS_RANK, "value"),
        Output(ids.METRICS_SIZE, "value"),
        Output(ids.RANKING, "data"),
        Output(ids.NODE_SIZE, "data"),
        Output(ids.COMPARE_ON, "value"),
        Output(ids.COMPARE_YEARS, "value"),
        Output(ids.SUGGEST_ON, "value"),
        Output(ids.SUGGEST, "data"),
        Input(ids.URL, "search"),
        Input(ids.VIEW, "value"),
        Input(ids.SCOPE, "value"),
        Input({"type": ids.GVC_LIST, "cluster": ALL}, "value"),
        Input({"type": ids.GVC_GROUP_BUTTON, "group": ALL}, "n_clicks"),
        Input(ids.LINK, "value"),
        Input(ids.KIND, "value"),
        Input(ids.PROV, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.SEARCH, "value"),
        Input(ids.AREAS, "value"),
        Input(ids.NETWORK_LAYOUT, "value"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.EMPTY_RESET, "n_clicks"),
        Input(ids.MAP, "clickData"),
        Input(ids.NETWORK, "tapNodeData"),
        Input(ids.TABLE, "active_cell"),
        Input({"type": DETAILS_LINK, "target": ALL}, "n_clicks"),
        Input(ids.DETAILS_CLOSE, "n_clicks"),
        Input(ids.NETWORK, "tapEdgeData"),
        Input(ids.METRICS_RANK, "value"),
        Input(ids.METRICS_SIZE, "value"),
        Input(ids.STRENGTHS_GRAPH, "clickData"),
        Input(ids.ABROAD_GRAPH, "clickData"),
        Input(ids.COMPARE_ON, "value"),
        Input(ids.COMPARE_YEARS, "value"),
        Input(ids.SUNDIAL_GRAPH, "clickData"),
        Input(ids.SUGGEST_ON, "value"),
        State({"type": ids.GVC_LIST, "cluster": ALL}, "id"),
        State(ids.FILTER_STATE, "data"),
        State(ids.VIEW_MODE, "data"),
        State(ids.MAP_OPTIONS, "data"),
        State(ids.NETWORK_OPTIONS, "data"),
        State(ids.MAP_CAMERA, "data"),
        State(ids.NETWORK_VIEWPORT, "data"),
        State(ids.SELECTION, "data"),
        State(ids.RANKING, "data"),
        State(ids.NODE_SIZE, "data"),
        State(ids.SUGGEST, "data"),
    )(sync_state)
    app.callback(Output(ids.NOTICE_TEXT, "children"), Input(ids.NOTICE_DATA, "data"), Input(ids.LANG, "data"))(
        notice_text
    )
    app.clientside_callback(
        "function(n) { return n ? true : window.dash_clientside.no_update; }",
        Output(ids.NOTICE, "hidden", allow_duplicate=True),
        Input(ids.NOTICE_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
