"""The value-chain strengths view (``view=strengths``): two heatmaps of ``core.strengths``.

* Value chains (rows, by sector and cluster) by province (columns), counting the actors the
  filters show, by kind; value chains with no data or no named source drawn apart, never as zero.
* Value chains by kind of partner abroad: which are linked beyond the region, which kept at home.

Built only while the view is open (``no_update`` otherwise). A click on a cell is read by
``components/url.py``: it sets the cell's value chain and province (or link types) as filters
and shows both views. Each figure carries its caption (title, filters, counts, date), so the
image the graph's camera button saves says what it shows.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import Input, Output, dcc, html, no_update

from components import ids
from components.analysis_views import CONFIG, caption_lines, captioned, register_gate, request_parts
from components.translate import T
from core.i18n import language, t
from core.selection import select
from core.state import state_from_dict
from core.strengths import Matrix, abroad_matrix, cell_filter, strength_matrix
from data import load_dataset
from layers.strengths_figure import abroad_figure, row_of_line, strength_figure

#: the figures' hatching (a bar trace over unknown rows, after the three heatmaps): not a cell
HATCHING = 3


def layout() -> html.Section:
    """The view's heading, the two graphs (filled by :func:`strengths_outputs`) and how to read them."""
    return html.Section(
        [
            html.H2(T("view.strengths")),
            html.P(T("strengths.intro"), className="muted strengths-intro"),
            dcc.Graph(id=ids.STRENGTHS_GRAPH, config={**CONFIG, "toImageButtonOptions": {"filename": "strengths"}}),
            html.P(T("strengths.abroad.intro"), className="muted strengths-intro"),
            dcc.Graph(id=ids.ABROAD_GRAPH, config={**CONFIG, "toImageButtonOptions": {"filename": "abroad"}}),
            dcc.Store(id=ids.STRENGTHS_REQUEST),
        ],
        id=ids.STRENGTHS_PANEL,
        className="strengths-panel",
    )


def strengths_figures(filters: dict | None, lang: str | None = "en") -> tuple[go.Figure, go.Figure]:
    """Both figures for the filters (the filter slice), in ``lang``, with their captions."""
    lang = language(lang)
    dataset = load_dataset()
    state = state_from_dict(filters or {})
    selection = select(dataset, state)
    lines = caption_lines(dataset, state, lang)
    strength = strength_figure(dataset, strength_matrix(dataset, selection), lang)
    abroad = abroad_figure(dataset, abroad_matrix(dataset, selection), lang)
    return (
        captioned(strength, t("strengths.title", lang), lines),
        captioned(abroad, t("strengths.abroad.title", lang), lines),
    )


def strengths_outputs(filters: dict | None, view: str | None, lang: str | None = "en") -> tuple[Any, Any]:
    """:func:`strengths_figures` while the strengths view is open; nothing is built otherwise."""
    if view != "strengths":
        return no_update, no_update
    return strengths_figures(filters, lang)


def clicked_filters(click: dict | None, filters: dict | None, which: str) -> dict[str, list[str]] | None:
    """The filters a click on a cell of the ``which`` matrix ("strength" or "abroad") sets, or None
    (a cluster row, a header, the hatching). ``filters``: the filter slice the matrix was drawn with.
    The cell is found from the point's x (column) and y (the figure's line): Dash's click data on a
    heatmap leaves out its customdata."""
    point = ((click or {}).get("points") or [{}])[0]
    line, column = point.get("y"), point.get("x")
    if not (isinstance(line, int) and isinstance(column, int)) or point.get("curveNumber") == HATCHING:
        return None
    dataset = load_dataset()
    selection = select(dataset, state_from_dict(filters or {}))
    matrix: Matrix = strength_matrix(dataset, selection) if which == "strength" else abroad_matrix(dataset, selection)
    row = row_of_line(dataset, matrix, line)
    if row is None:
        return None
    try:
        return cell_filter(matrix, row, column)
    except IndexError:
        return None


def strengths_request(request: list | None) -> tuple[Any, Any]:
    """:func:`strengths_figures` for the gate's request [filters, language]."""
    parts = request_parts(request)
    return (no_update, no_update) if parts is None else strengths_figures(*parts)


def register(app) -> None:
    """Build the figures while the view is open (a gate in the browser asks for them)."""
    register_gate(app, "strengths", ids.STRENGTHS_REQUEST)
    app.callback(
        Output(ids.STRENGTHS_GRAPH, "figure"),
        Output(ids.ABROAD_GRAPH, "figure"),
        Input(ids.STRENGTHS_REQUEST, "data"),
        prevent_initial_call=True,
    )(strengths_request)
