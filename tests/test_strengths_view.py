"""The strengths view called as functions: built only while open, captioned, a cell's click as filters."""

from __future__ import annotations

from dash import no_update

from components import ids
from components.strengths_panel import clicked_filters, strengths_figures, strengths_outputs
from core.selection import select
from core.state import ViewState
from core.strengths import strength_matrix
from data import load_dataset
from tests.test_callbacks import run


def _click_on(gvc: str, province: str) -> dict:
    """A click as Dash reports it on the heatmap: the cell's x (column) and y (the figure's line)."""
    figure, _ = strengths_figures({}, "en")
    cells = figure.data[0]
    for y, row in enumerate(cells.customdata):
        for x, custom in enumerate(row):
            if custom is not None and custom[0] == gvc and custom[1] == province:
                return {"points": [{"curveNumber": 0, "x": x, "y": y}]}
    raise AssertionError(f"no cell {gvc} x {province}")


def test_the_figures_are_built_only_while_the_view_is_open() -> None:
    assert strengths_outputs({}, "split", "en") == (no_update, no_update)
    strength, abroad = strengths_outputs({"prov": ["IT-BO"]}, "strengths", "it")
    assert "Filtri: Province: Bologna" in strength.layout.title.text
    assert "Catene del valore collegate oltre la regione" in abroad.layout.title.text


def test_a_cell_click_gives_its_value_chain_and_province() -> None:
    assert clicked_filters(_click_on("create-fashion", "IT-MO"), {}, "strength") == {
        "gvc": ["create-fashion"],
        "prov": ["IT-MO"],
    }
    header = {"points": [{"curveNumber": 0, "x": 0, "y": 0}]}  # the first line is a sector's header
    assert clicked_filters(header, {}, "strength") is None
    assert clicked_filters({"points": [{"curveNumber": 3, "x": 1, "y": 5}]}, {}, "strength") is None
    assert clicked_filters(None, {}, "strength") is None


def test_a_cell_click_filters_both_views_and_leaves_the_matrix() -> None:
    click = _click_on("create-fashion", "IT-MO")
    out = run(
        ids.STRENGTHS_GRAPH,
        value=click,
        _prop="clickData",
        strength_click=click,
        view="strengths",
        search="?view=strengths&kind=startup",
        kind=["startup"],
    )
    assert out[0] == "?gvc=create-fashion&kind=startup&prov=IT-MO"
    assert out[1] == "split" and out[6] == ["IT-MO"]  # the controls follow
    dataset = load_dataset()
    matrix = strength_matrix(dataset, select(dataset, ViewState()))
    assert matrix.counts[matrix.row_index("create-fashion"), matrix.column_index("IT-MO")].sum() > 0
