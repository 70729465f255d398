"""The main area: map, network and table panels, the detail panel and the empty-result notice.

Which panels show is a clientside style switch on the view state: nothing is rebuilt when
the user changes the view.
"""

from __future__ import annotations

from dash import Input, Output, html

from components import details, ids, map_panel, network_panel, strengths_panel, sundial_panel, table
from components.translate import T
from core.selection import select
from core.state import state_from_dict
from data import load_dataset


def layout() -> html.Div:
    """Panels in a grid; the detail panel beside them."""
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.P(T("empty.title"), className="empty-title"),
                            html.Button(T("filters.reset"), id=ids.EMPTY_RESET, n_clicks=0, className="reset"),
                        ],
                        id=ids.EMPTY,
                        className="empty",
                        hidden=True,
                        role="status",
                    ),
                    html.Div([map_panel.layout(), network_panel.layout()], className="views-pair"),
                    table.layout(),
                    strengths_panel.layout(),
                    sundial_panel.layout(),
                ],
                className="views",
                id="atlas-views",
            ),
            details.layout(),
        ],
        className="main-area",
    )


def empty_hidden(view_state: dict | None) -> bool:
    """Hide the empty-result notice unless the filters leave nothing to show."""
    return not select(load_dataset(), state_from_dict(view_state)).empty


# The view switch runs in the browser: it only changes classes.
VIEW_SWITCH = """
function(view) {
    view = view || "split";
    return "views view-" + view;
}
"""


def register(app) -> None:
    """The view switch and the empty-result notice."""
    app.clientside_callback(VIEW_SWITCH, Output("atlas-views", "className"), Input(ids.VIEW_MODE, "data"))
    app.callback(Output(ids.EMPTY, "hidden"), Input(ids.FILTER_STATE, "data"))(empty_hidden)
