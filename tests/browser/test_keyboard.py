"""The atlas by keyboard, as a keyboard or screen-reader user meets it: a skip link to the network,
arrows through its nodes, L through a node's links, Enter to select, Escape to clear, each read out
by a live region; the table's rows by arrow keys; the focus always visible."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle, wait_network_ready

pytestmark = pytest.mark.browser


def _live(driver) -> str:
    return driver.find_element(By.ID, "atlas-network-live").get_attribute("textContent").strip()


def _press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def _ring(driver) -> list[str]:
    return driver.execute_script("return window.cy.elements('.kbd-focus').map(e => e.id())")


def _contrast(rgb: str) -> float:
    """Contrast ratio of a CSS colour against white (WCAG's relative luminance)."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_network_by_keyboard(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=network")
    wait_network_ready(browser)
    # the first Tab of the page reaches the skip link; following it lands on the network
    browser.execute_script("document.activeElement && document.activeElement.blur()")
    browser.execute_script("window.getSelection().removeAllRanges(); document.body.focus()")
    _press(browser, Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to the network" and skip.is_displayed()
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.switch_to.active_element.get_attribute("id") == "atlas-network")
    network = browser.switch_to.active_element
    assert network.get_attribute("role") == "application"
    assert network.get_attribute("aria-label") == "Network of the current view: use the arrow keys"
    style = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineWidth, s.outlineColor]", network
    )
    assert float(style[0].rstrip("px")) >= 2 and _contrast(style[1]) >= 3  # the focus is visible
    # on focus: the most connected node, read out with its kind and number of links
    WebDriverWait(browser, TIMEOUT).until(lambda d: _live(d))
    first = _live(browser)
    assert re.fullmatch(r".+, .+, \d+ links?", first), first
    assert len(_ring(browser)) == 1
    start = _ring(browser)[0]
    _press(browser, Keys.ARROW_RIGHT)
    WebDriverWait(browser, TIMEOUT).until(lambda d: _ring(d) and _ring(d)[0] != start)
    focused = _ring(browser)[0]
    assert _live(browser) != first
    # its links one by one
    _press(browser, "l")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _live(d).startswith("Link: "))
    assert " from " in _live(browser) and " to " in _live(browser)
    _press(browser, Keys.ARROW_LEFT)  # back among the nodes
    WebDriverWait(browser, TIMEOUT).until(lambda d: not _live(d).startswith("Link: "))
    focused = _ring(browser)[0]
    name = browser.execute_script("return window.cy.getElementById(arguments[0]).data('label')", focused)
    # Enter selects it, as a click does: the URL, the details, the announcement
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == [focused])
    wait_idle(browser)
    assert _live(browser).startswith("Selected: ")
    assert name.split()[0] in browser.find_element(By.ID, "atlas-details").text
    assert browser.switch_to.active_element.get_attribute("id") == "atlas-network"  # the focus stays
    _press(browser, Keys.ESCAPE)
    WebDriverWait(browser, TIMEOUT).until(lambda d: "sel" not in query(d))
    assert _live(browser) == "Selection cleared"
    # the keys are said on the page
    help_text = browser.find_element(By.ID, "atlas-network-keys")
    help_text.find_element(By.TAG_NAME, "summary").click()
    assert "Arrow keys" in help_text.text and "Escape" in help_text.text


def test_the_networks_announcements_follow_the_language(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=network&lang=it")
    wait_network_ready(browser)
    browser.execute_script("document.getElementById('atlas-network').focus()")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _live(d))
    assert re.fullmatch(r".+, .+, \d+ collegament[io]", _live(browser)), _live(browser)
    network = browser.find_element(By.ID, "atlas-network")
    assert network.get_attribute("aria-label") == "Rete della vista corrente: usa i tasti freccia"


def test_the_tables_rows_by_keyboard(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=table&prov=IT-FE")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-table td.dash-cell"))
    grid = browser.find_element(By.CSS_SELECTOR, "#atlas-table table.cell-table")
    assert grid.get_attribute("tabindex") == "0"  # a tab stop
    # reached by Tab from the search field
    browser.find_element(By.ID, "filter-search").click()
    for _ in range(80):
        if browser.switch_to.active_element == grid:
            break
        _press(browser, Keys.TAB)
    assert browser.switch_to.active_element == grid
    _press(browser, Keys.ENTER)
    WebDriverWait(browser, TIMEOUT).until(lambda d: "sel" in query(d))
    wait_idle(browser)
    first = query(browser)["sel"]
    _press(browser, Keys.ARROW_DOWN)
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") not in (None, first))
    wait_idle(browser)
    assert browser.find_element(By.ID, "atlas-details").text.strip()
