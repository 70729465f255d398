"""The value-chain strengths view as an official uses it: opened by URL, read, a cell clicked to
filter both views by its value chain and province."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.selection import select
from core.state import ViewState
from core.strengths import strength_matrix
from data import load_dataset
from tests.browser.helpers import TIMEOUT, counts_text, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

GRAPH = "#atlas-strengths .js-plotly-plot"
#: where a cell is drawn, relative to the graph's top-left corner, and its count as written
CELL = """
const gd = document.querySelector(arguments[0]);
const trace = gd.data.find(t => t.name === "cells");
for (let i = 0; i < trace.customdata.length; i++) {
    for (let j = 0; j < trace.customdata[i].length; j++) {
        const c = trace.customdata[i][j];
        if (c && c[0] === arguments[1] && c[1] === arguments[2]) {
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            return [xa._offset + xa.d2p(trace.x[j]), ya._offset + ya.d2p(trace.y[i]), trace.text[i][j]];
        }
    }
}
return null;
"""


def test_the_strengths_view_counts_and_a_cell_filters_both_views(browser, app_url: str) -> None:
    dataset = load_dataset()
    matrix = strength_matrix(dataset, select(dataset, ViewState()))
    row, column = matrix.row_index("create-fashion"), matrix.column_index("IT-MO")
    expected = int(matrix.counts[row, column].sum())
    open_atlas(browser, app_url + "/?view=strengths")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(CELL, GRAPH, "create-fashion", "IT-MO"))
    x, y, written = browser.execute_script(CELL, GRAPH, "create-fashion", "IT-MO")
    assert written == str(expected) and expected > 0
    panel = browser.find_element(By.ID, "atlas-strengths-panel")
    assert panel.is_displayed() and not browser.find_element(By.ID, "atlas-network-panel").is_displayed()
    text = panel.text
    assert "Value-chain strengths" in text and "Value chains not named in sources" in text
    assert "Filters: none, everything is shown" in text
    graph = browser.find_element(By.CSS_SELECTOR, GRAPH)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", graph)
    x, y, _ = browser.execute_script(CELL, GRAPH, "create-fashion", "IT-MO")
    size = graph.size
    ActionChains(browser).move_to_element_with_offset(
        graph, x - size["width"] / 2, y - size["height"] / 2
    ).click().perform()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("prov") == ["IT-MO"])
    wait_idle(browser)
    assert query(browser)["gvc"] == ["create-fashion"] and "view" not in query(browser)
    assert browser.find_element(By.ID, "atlas-network-panel").is_displayed()
    shown = select(dataset, ViewState(gvc=("create-fashion",), prov=("IT-MO",))).counts()["actors"]
    assert counts_text(browser).startswith(f"{shown} actors")
