"""The sundial view (``view=sundial``): the programmes and policies of the filtered selection by the
four sundial dimensions (``core.sundial``, drawn by ``layers.sundial_figure``), and a coherence table:
which value chains all four dimensions serve, and which miss one.

Built only while the view is open (``no_update`` otherwise). A click on an item's point selects it:
:func:`clicked_element` reads its id from Dash's click data (the URL callbacks, wired in
``components/url.py``, set ``sel``). The figure carries its caption (title, filters, date), so the
image the graph's camera button saves says what it shows.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import Input, Output, dcc, html, no_update

from components import ids
from components.analysis_views import CONFIG as ANALYSIS_CONFIG
from components.analysis_views import caption_lines, captioned, register_gate, request_parts
from components.translate import T
from core.i18n import label, language, names_by_id, number, t
from core.selection import select
from core.state import state_from_dict
from core.sundial import DIMENSIONS, Sundial, sundial
from data import Dataset, load_dataset
from layers.sundial_figure import sundial_figure

#: the graph's configuration: no cloud, no plotly logo; the camera button saves a PNG with its caption
CONFIG = {**ANALYSIS_CONFIG, "toImageButtonOptions": {"filename": "sundial"}}
TICK = "✓"
#: the most item names a tick's tooltip lists
NAMES_IN_TITLE = 8


def layout() -> html.Section:
    """The view's heading, how to read it, the graph and the coherence table (filled by :func:`sundial_outputs`)."""
    return html.Section(
        [
            html.H2(T("view.sundial")),
            html.P(T("sundial.intro"), className="muted sundial-intro"),
            dcc.Graph(id=ids.SUNDIAL_GRAPH, config=CONFIG),
            html.Div(id=ids.SUNDIAL_COHERENCE, className="sundial-coherence"),
            dcc.Store(id=ids.SUNDIAL_REQUEST),
        ],
        id=ids.SUNDIAL_PANEL,
        className="sundial-panel",
    )


def coherence_table(dataset: Dataset, dial: Sundial, lang: str = "en") -> list:
    """The coherence table: value chains (rows, under a header per cluster) by the four dimensions, a
    tick where an item of the dimension serves the value chain, and "all four" or what is missing."""
    if not dial.coherence:
        return [html.P(t("sundial.coherence.empty", lang), className="muted")]
    gvcs, groupings = names_by_id(dataset.gvcs, lang), names_by_id(dataset.groupings, lang)
    items = {i.id: i for i in dial.items}
    item_names = {**groupings}
    wanted = {i.id for i in dial.items if i.table == "actors"}
    if wanted:
        item_names.update(names_by_id(dataset.actors[dataset.actors["id"].isin(wanted)], lang))
    dims = {d: label("sundial", d, lang) for d in DIMENSIONS}
    header = html.Tr(
        [
            html.Th(t("sundial.coherence.gvc", lang), scope="col"),
            *(html.Th(dims[d], scope="col", className=f"sundial-dim sundial-{d}") for d in DIMENSIONS),
            html.Th(t("sundial.coherence.verdict", lang), scope="col"),
        ]
    )
    body: list = []
    cluster: str | None = None
    for row in dial.coherence:
        if row.cluster != cluster:
            cluster = row.cluster
            heading = groupings.get(cluster, cluster)
            body.append(html.Tr(html.Th(heading, scope="colgroup", colSpan=len(DIMENSIONS) + 2), className="group"))
        cells = []
        for d in DIMENSIONS:
            serving = [item_names.get(i, i) for i in row.items[d] if i in items]
            if serving:
                shown = ", ".join(serving[:NAMES_IN_TITLE]) + (" …" if len(serving) > NAMES_IN_TITLE else "")
                cells.append(
                    html.Td(
                        [
                            html.Span(TICK, **{"aria-hidden": "true"}),
                            html.Span(t("sundial.coherence.served", lang), className="visually-hidden"),
                        ],
                        title=t("sundial.coherence.served_by", lang, names=shown),
                        className="served",
                    )
                )
            else:
                cells.append(html.Td(html.Span(t("sundial.coherence.not_served", lang), className="visually-hidden")))
        if row.complete:
            verdict = t("sundial.coherence.all", lang)
        elif not row.dimensions:
            verdict = t("sundial.coherence.none", lang)
        else:
            verdict = t("sundial.coherence.missing", lang, values=", ".join(dims[d] for d in row.missing))
        body.append(
            html.Tr(
                [html.Th(gvcs.get(row.gvc, row.gvc), scope="row"), *cells, html.Td(verdict)],
                className="complete" if row.complete else "incomplete",
                **{"data-gvc": row.gvc},
            )
        )
    complete = sum(1 for row in dial.coherence if row.complete)
    total = len(dial.coherence)
    summary = t("sundial.coherence.summary", lang, complete=number(complete, lang), total=number(total, lang))
    return [
        html.H3(t("sundial.coherence.title", lang)),
        html.P(summary, className="sundial-summary"),
        html.Table(
            [html.Caption(t("sundial.coherence.caption", lang)), html.Thead(header), html.Tbody(body)],
            className="metrics-table sundial-table",
        ),
        html.P(t("sundial.coherence.note", lang), className="muted"),
    ]


def sundial_view(filters: dict | None, lang: str | None = "en", selected: str | None = None) -> tuple[go.Figure, list]:
    """The figure (with its caption) and the coherence table for the filters (the filter slice), in ``lang``."""
    lang = language(lang)
    dataset = load_dataset()
    state = state_from_dict(filters if isinstance(filters, dict) else {})
    dial = sundial(dataset, select(dataset, state))
    lines = caption_lines(dataset, state, lang)
    # room above the plot for the quadrants' names
    figure = captioned(sundial_figure(dataset, dial, lang, selected), t("sundial.title", lang), lines, extra_top=30)
    return figure, coherence_table(dataset, dial, lang)


def sundial_outputs(
    filters: dict | None, view: str | None, lang: str | None = "en", selected: str | None = None
) -> tuple[Any, Any]:
    """:func:`sundial_view` while the sundial view is open; nothing is built otherwise."""
    if view != "sundial":
        return no_update, no_update
    return sundial_view(filters, lang, selected)


def clicked_element(click: dict | None) -> str | None:
    """The id of the item a click on the sundial hit, from Dash's ``clickData`` (None for no point, or
    a quadrant's background). Dash copies a scatterpolar point's ``customdata`` (the item's id, see
    ``layers/sundial_figure.py``); an ``id`` (what plotly calls a point of a trace with ``ids``) is read
    too, should the figure carry ids one day."""
    points = (click or {}).get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    point = points[0]
    for key in ("customdata", "id"):
        value = point.get(key)
        if isinstance(value, list) and value:  # customdata given as [id, ...]
            value = value[0]
        if isinstance(value, str) and value:
            return value
    return None


def sundial_request(request: list | None) -> tuple[Any, Any]:
    """:func:`sundial_view` for the gate's request [filters, language]."""
    parts = request_parts(request)
    return (no_update, no_update) if parts is None else sundial_view(*parts)


def register(app) -> None:
    """Build the figure and the table while the view is open (a gate in the browser asks for them)."""
    register_gate(app, "sundial", ids.SUNDIAL_REQUEST)
    app.callback(
        Output(ids.SUNDIAL_GRAPH, "figure"),
        Output(ids.SUNDIAL_COHERENCE, "children"),
        Input(ids.SUNDIAL_REQUEST, "data"),
        prevent_initial_call=True,
    )(sundial_request)
