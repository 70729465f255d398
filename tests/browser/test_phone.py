"""The atlas on a phone (375 px) and a tablet (768 px): nothing scrolls sideways, the filters are a
drawer, the views stack and fill the width, the details are readable, a tap selects."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, query, wait_idle

pytestmark = pytest.mark.browser

WIDTHS = [(375, 812), (768, 1024)]


def _open(driver, url: str) -> None:
    """Open a view when the filters (and their counts) are in a closed drawer."""
    driver.get(url)
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.execute_script(
            "return !!window.cy && document.getElementById('filter-counts').textContent.trim().length > 0"
        )
    )
    wait_idle(driver)


def _wider_than_the_viewport(driver) -> list[str]:
    return driver.execute_script(
        """const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('body *'))
          .filter(e => { const r = e.getBoundingClientRect();
                         return r.width > 0 && r.right > width + 1 && getComputedStyle(e).visibility !== 'hidden'; })
          .slice(0, 5).map(e => e.tagName + '#' + e.id);"""
    )


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    browser.set_window_size(width, height)
    time.sleep(0.3)
    yield browser
    browser.set_window_size(1400, 900)


@pytest.mark.parametrize("sized", WIDTHS, indirect=True, ids=["phone-375", "tablet-768"])
def test_nothing_scrolls_sideways_and_the_views_fill_the_width(app_url: str, sized) -> None:
    browser = sized
    _open(browser, app_url + "/?sel=tecnopolo-bologna-dama")
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") == viewport
    assert _wider_than_the_viewport(browser) == []
    # the views stacked, each the page's width
    for panel in ("atlas-map-panel", "atlas-network-panel"):
        box = browser.find_element(By.ID, panel).rect
        assert box["width"] >= 0.9 * viewport, (panel, box)
    map_box, network_box = (browser.find_element(By.ID, p).rect for p in ("atlas-map-panel", "atlas-network-panel"))
    assert network_box["y"] >= map_box["y"] + map_box["height"] - 1  # one under the other
    # the details: the page's width, readable, within it
    details = browser.find_element(By.CSS_SELECTOR, ".details.open")  # the panel around #atlas-details
    assert details.is_displayed() and "Bologna Technopole DAMA" in details.text
    assert details.rect["width"] >= 0.9 * viewport and details.rect["x"] >= 0
    assert details.rect["x"] + details.rect["width"] <= viewport + 1
    size = browser.execute_script("return parseFloat(getComputedStyle(arguments[0]).fontSize)", details)
    assert size >= 14


@pytest.mark.parametrize("sized", WIDTHS, indirect=True, ids=["phone-375", "tablet-768"])
def test_the_filters_are_a_drawer(app_url: str, sized) -> None:
    browser = sized
    _open(browser, app_url + "/")
    filters = browser.find_element(By.ID, "atlas-filters")
    toggle = browser.find_element(By.ID, "atlas-filters-toggle")
    assert not filters.is_displayed() and toggle.is_displayed()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-filters").is_displayed())
    assert toggle.get_attribute("aria-expanded") == "true"
    time.sleep(0.3)  # the drawer slides in
    box = filters.rect
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert box["x"] >= -1 and box["x"] + box["width"] <= viewport + 1
    browser.find_element(By.CSS_SELECTOR, "#filter-prov input[value='IT-BO']").click()  # a filter works in it
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("prov") == ["IT-BO"])
    browser.find_element(By.ID, "atlas-filters-close").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: not d.find_element(By.ID, "atlas-filters").is_displayed())
    assert toggle.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("sized", [WIDTHS[0]], indirect=True, ids=["phone-375"])
def test_a_tap_on_a_node_selects_it(app_url: str, sized) -> None:
    browser = sized
    _open(browser, app_url + "/?view=network")
    browser.execute_script("document.getElementById('atlas-network').scrollIntoView({block: 'center'})")
    time.sleep(0.5)
    node_id, x, y = browser.execute_script(
        """const cy = window.cy, box = document.getElementById('atlas-network').getBoundingClientRect();
        const node = cy.nodes().filter(n => n.visible() && !n.id().startsWith('group:'))
          .sort((a, b) => b.degree() - a.degree())[0];
        const p = node.renderedPosition();
        return [node.id(), box.left + p.x, box.top + p.y];"""
    )
    for kind, points in (("touchStart", [{"x": x, "y": y}]), ("touchEnd", [])):
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == [node_id])
    wait_idle(browser)
    assert browser.find_element(By.ID, "atlas-details").is_displayed()
