"""What the analysis views (``view=strengths``, ``view=sundial``) share: the caption a figure carries
(so the PNG its camera button saves says what it shows), and the gate that asks the server for a
view only while it is open and only when its filters or language change."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
from dash import Input, Output, State

from components import ids
from core.caption import filter_parts
from core.i18n import day, t
from core.state import ViewState
from data import Dataset

#: the graphs' configuration: no cloud, no plotly logo, no selection tools (nothing to select)
CONFIG = {"showSendToCloud": False, "displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def caption_lines(dataset: Dataset, state: ViewState, lang: str) -> list[str]:
    """The filters in words and the date: the lines under a figure's title."""
    parts = filter_parts(dataset, state, lang)
    return [
        t("export.caption.filters", lang, filters="; ".join(parts)) if parts else t("export.caption.no_filters", lang),
        t("export.caption.date", lang, date=day(date.today(), lang)),
    ]


def captioned(figure: go.Figure, title: str, lines: list[str], extra_top: int = 0) -> go.Figure:
    """``figure`` with its caption as its title (the view's name, then ``lines``), and the top margin
    to hold it (plus ``extra_top``, e.g. for labels drawn above the plot)."""
    caption = "<br>".join(f"<span style='font-size:12px'>{line}</span>" for line in lines)
    top = max(int(figure.layout.margin.t or 0), 60 + 18 * len(lines))
    figure.update_layout(
        title={
            "text": f"<b>{title}</b><br>{caption}",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 14},
        },
        margin={"t": top + extra_top},
    )
    return figure


# Asked of the server only while the view is open, and only when its filters or language change:
# elsewhere a filter change costs the view no request.
VIEW_GATE = """
function(filters, view, lang, previous) {
    if (view !== "VIEW") { return window.dash_clientside.no_update; }
    const wanted = [filters || {}, lang || "en"];
    return JSON.stringify(wanted) === JSON.stringify(previous) ? window.dash_clientside.no_update : wanted;
}
"""


def register_gate(app, view: str, request_id: str) -> None:
    """The gate of ``view``: writes [filters, language] into the store ``request_id`` while it is open."""
    app.clientside_callback(
        VIEW_GATE.replace('"VIEW"', f'"{view}"'),
        Output(request_id, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.VIEW_MODE, "data"),
        Input(ids.LANG, "data"),
        State(request_id, "data"),
    )


def request_parts(request: list | None) -> tuple[dict, str] | None:
    """The filters and language of a gate's request, or None when it holds none."""
    if not isinstance(request, list) or len(request) != 2:
        return None
    return (request[0] if isinstance(request[0], dict) else {}), (request[1] if isinstance(request[1], str) else "en")
