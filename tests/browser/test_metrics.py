"""Network metrics as an official uses them: a ranking opened by URL, a name clicked to select it,
the details' network position, the node size following a metric, and another ranking chosen."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.metrics import network_metrics
from core.selection import select
from core.state import ViewState
from data import load_dataset
from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

RANKING = "#atlas-metrics-ranking"


def _ranked(driver) -> list[str]:
    # read in one script: the table may be re-rendered between two WebDriver calls
    script = "return Array.from(document.querySelectorAll(arguments[0])).map(r => r.getAttribute('data-node'))"
    return driver.execute_script(script, f"{RANKING} tr[data-node]")


def _width(driver, node_id: str) -> float:
    return float(driver.execute_script("return window.cy.$id(arguments[0]).width()", node_id))


def _visible_text(driver, selector: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, selector).text


def test_a_ranking_by_url_selects_on_click_and_sizes_the_nodes(browser, app_url: str) -> None:
    dataset = load_dataset()
    metrics = network_metrics(dataset, select(dataset, ViewState()))
    expected = metrics.ranking("betweenness", 15).index.tolist()
    open_atlas(browser, app_url + "/?view=network&rank=brokers&size=betweenness")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _ranked(d))
    assert _ranked(browser) == expected
    assert "Brokers: the top 15 of" in _visible_text(browser, RANKING)
    assert browser.find_element(By.CSS_SELECTOR, "#metrics-rank input[value='brokers']").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "#metrics-size input[value='betweenness']").is_selected()
    # the legend says what the size follows, and the top broker is drawn bigger than a node with none
    assert "Node size: betweenness" in _visible_text(browser, "#atlas-network-legend")
    assert "number of links drawn" not in _visible_text(browser, "#atlas-network-legend")
    drawn = set(browser.execute_script("return window.cy.nodes().map(n => n.id())"))
    nobody = next(n for n in metrics.frame.index[metrics.frame["betweenness"] == 0] if n in drawn)
    WebDriverWait(browser, TIMEOUT).until(lambda d: _width(d, expected[0]) > 2 * _width(d, nobody))

    second = expected[1]
    button = browser.find_element(By.CSS_SELECTOR, f"{RANKING} tr[data-node='{second}'] button")
    name = button.text
    button.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == [second])
    wait_idle(browser)
    details = _visible_text(browser, "#atlas-details")
    assert name in details and "Network position" in details
    assert f"no. 2 of {len(metrics.frame)}" in details
    row = browser.find_element(By.CSS_SELECTOR, f"{RANKING} tr[data-node='{second}']")
    assert "selected-row" in row.get_attribute("class")
    assert query(browser)["rank"] == ["brokers"] and query(browser)["size"] == ["betweenness"]


def test_choosing_hubs_in_italian_and_back_to_plain_sizes(browser, app_url: str) -> None:
    open_atlas(browser, app_url + "/?lang=it")
    assert not _ranked(browser)
    browser.find_element(By.CSS_SELECTOR, "#metrics-rank input[value='hubs']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: _ranked(d))
    assert query(browser)["rank"] == ["hubs"]
    text = _visible_text(browser, RANKING)
    assert "Hub: i primi" in text and "Collegamenti" in text
    dataset = load_dataset()
    assert (
        _ranked(browser) == network_metrics(dataset, select(dataset, ViewState())).ranking("degree", 15).index.tolist()
    )
    # a filter changes the ranking
    before = _ranked(browser)
    browser.find_element(By.CSS_SELECTOR, "#filter-prov input[value='IT-PR']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: _ranked(d) != before)
    state = ViewState(prov=("IT-PR",))
    assert _ranked(browser) == network_metrics(dataset, select(dataset, state)).ranking("degree", 15).index.tolist()
    browser.find_element(By.CSS_SELECTOR, "#metrics-rank input[value='']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: not _ranked(d))
    assert "rank" not in query(browser)
