"""The sundial view as an official uses it: opened by URL, its coherence read, an item clicked to
select it in the map and the network."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.selection import select
from core.state import ViewState
from core.sundial import sundial
from data import load_dataset
from tests.browser.helpers import TIMEOUT, highlighted_on_map, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

#: the drawn marker of the item with id arguments[1] in the dimension's trace named arguments[0]
POINT = """
const gd = document.querySelector("#atlas-sundial .js-plotly-plot");
const scatter = gd.data.filter(t => t.type === "scatterpolar");
const trace = scatter.findIndex(t => t.name === arguments[0]);
const point = trace < 0 ? -1 : scatter[trace].customdata.indexOf(arguments[1]);
if (point < 0) { return null; }
return gd.querySelectorAll(".scatterlayer .trace")[trace].querySelectorAll("path.point")[point] || null;
"""


def test_the_sundial_shows_coherence_and_selects_an_item(browser, app_url: str) -> None:
    dataset = load_dataset()
    dial = sundial(dataset, select(dataset, ViewState()))
    complete = sum(1 for row in dial.coherence if row.complete)
    open_atlas(browser, app_url + "/?view=sundial")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(POINT, "Research", "high-technology-network"))
    panel = browser.find_element(By.ID, "atlas-sundial-panel")
    assert panel.is_displayed() and not browser.find_element(By.ID, "atlas-map-panel").is_displayed()
    table = browser.find_element(By.ID, "atlas-sundial-coherence").text
    assert f"{complete} of {len(dial.coherence)} value chains are served by all four dimensions" in table
    assert "Missing: Education and training" in table
    marker = browser.execute_script(POINT, "Research", "high-technology-network")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", marker)
    ActionChains(browser).move_to_element(marker).click().perform()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == ["high-technology-network"])
    wait_idle(browser)
    assert "view" not in query(browser)  # both views show it
    assert "High Technology Network" in browser.find_element(By.ID, "atlas-details").text
    selected = browser.execute_script("return window.cy.$('node[id = \"high-technology-network\"]').length")
    # a network has no place of its own: the map highlights its members, the technopoles
    assert selected == 1 and "tecnopolo-bologna-dama" in highlighted_on_map(browser)
