"""Links are first-class: a tap on an edge selects the link, in the URL, both views and the details."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, highlighted_on_map, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

# A drawn edge that stands for one link record (not a bundle, a derived membership or a member edge),
# between two actors (both placed on the map), the shortest whose middle is clear of nodes.
PICK_EDGE = """
const edges = window.cy.edges().filter(e => !e.hasClass('derived') && !e.hasClass('aggregate')
    && !e.hasClass('member') && e.source().id() !== e.target().id()
    && e.source().hasClass('actor') && e.target().hasClass('actor'));
// its middle clear of every node (a click there must land on the edge, not on a node)
const clear = edges.filter(e => {
    const a = e.source().position(), b = e.target().position(), m = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
    return window.cy.nodes().every(n => Math.hypot(n.position().x - m.x, n.position().y - m.y) > 40);
});
const short = clear.sort((a, b) => {
    const d = e => Math.hypot(e.source().position().x - e.target().position().x,
                              e.source().position().y - e.target().position().y);
    return d(a) - d(b);
});
return short.length ? short[0].id() : null;
"""


def _click_edge(driver, edge_id: str) -> None:
    """Click the middle of an edge where it is drawn, as a mouse would (zoomed in on it first)."""
    canvas = driver.find_element(By.CSS_SELECTOR, "#atlas-network canvas:last-of-type")
    driver.execute_script(
        "const e = window.cy.$id(arguments[0]); window.cy.zoom(1.2); window.cy.center(e);",
        edge_id,
    )
    x, y, width, height = driver.execute_script(
        "const e = window.cy.$id(arguments[0]); const a = e.source().renderedPosition(),"
        " b = e.target().renderedPosition(); const p = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};"
        "const c = window.cy.container().getBoundingClientRect(); const k = arguments[1].getBoundingClientRect();"
        "return [p.x + c.left - k.left, p.y + c.top - k.top, k.width, k.height];",
        edge_id,
        canvas,
    )
    ActionChains(driver).move_to_element_with_offset(canvas, x - width / 2, y - height / 2).click().perform()


def test_a_tap_on_an_edge_selects_its_link(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/")
    edge = browser.execute_script(PICK_EDGE)
    assert edge
    _click_edge(browser, edge)
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel"))
    # the click selects the edge under the pointer (a parallel edge may lie within a pixel of it)
    edge = query(browser)["sel"][0]
    assert browser.execute_script("return window.cy.$id(arguments[0]).isEdge();", edge), edge
    wait_idle(browser)
    time.sleep(0.3)
    details = browser.find_element(By.ID, "atlas-details").text
    assert "→" in details and "Source" in details and "Source date" in details
    ends = browser.execute_script(
        "const e = window.cy.$id(arguments[0]); return [e.source().id(), e.target().id()];", edge
    )
    # both ends are buttons in the details; the edge is drawn wide in the network; the line on the map
    buttons = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#atlas-details .link-button")]
    assert len(buttons) >= 2
    assert browser.execute_script("return window.cy.$id(arguments[0]).pstyle('width').pfValue;", edge) >= 5
    on_map = highlighted_on_map(browser)
    assert edge in on_map and set(ends) <= set(on_map)  # its line and both ends


def test_the_links_tab_lists_links_and_a_row_selects_its_link(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=table&prov=IT-BO")
    browser.find_element(By.CSS_SELECTOR, "#atlas-table-tab input[value='links']").click()
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: (
            "From" in d.find_element(By.ID, "atlas-table").text
            and "Source date" in d.find_element(By.ID, "atlas-table").text
        )
    )
    wait_idle(browser)
    cell = browser.find_element(By.CSS_SELECTOR, "#atlas-table td[data-dash-column='link_type']")
    cell.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: (query(d).get("sel") or [""])[0] != "")
    selected = query(browser)["sel"][0]
    wait_idle(browser)
    assert "→" in browser.find_element(By.ID, "atlas-details").text
    assert selected not in {"", None}


def test_the_table_turns_to_the_page_of_the_selected_row(app_url: str, browser) -> None:
    from components.table import table_page

    rows, _ = table_page({"view": "table", "prov": ["IT-BO"]}, 0, 5000, None)
    target = rows[47]  # on the third page of 20
    open_atlas(browser, app_url + f"/?view=table&prov=IT-BO&sel={target['id']}")
    WebDriverWait(browser, TIMEOUT).until(lambda d: target["name"] in d.find_element(By.ID, "atlas-table").text)
    wait_idle(browser)
    current = browser.execute_script(
        "return document.querySelector('#atlas-table .current-page') ?"
        " document.querySelector('#atlas-table .current-page').value || "
        "document.querySelector('#atlas-table .current-page').placeholder : null;"
    )
    assert str(current) == "3"


def _overlap_area(a: dict, b: dict) -> float:
    width = max(0.0, min(a["right"], b["right"]) - max(a["left"], b["left"]))
    height = max(0.0, min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))
    return width * height


RECT = "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return r.toJSON();"


def test_the_detail_panel_is_docked_and_covers_no_view(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?sel=tecnopolo-bologna-dama")
    wait_idle(browser)
    time.sleep(0.6)  # the views narrow and the network refits
    panel = browser.execute_script(RECT, "atlas-details-panel")
    assert panel["width"] > 200 and "Bologna" in browser.find_element(By.ID, "atlas-details").text
    for view in ("atlas-map", "atlas-network"):
        box = browser.execute_script(RECT, view)
        assert _overlap_area(panel, box) <= 0.05 * box["width"] * box["height"], view
    # the selected node is drawn inside the network panel, not under anything
    x, y, width, height = browser.execute_script(
        "const p = window.cy.$id('tecnopolo-bologna-dama').renderedPosition();"
        "return [p.x, p.y, window.cy.width(), window.cy.height()];"
    )
    assert 0 <= x <= width and 0 <= y <= height
    # an embed shows no detail panel, unless its URL asks for one
    browser.get(app_url + "/embed?sel=tecnopolo-bologna-dama")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script("return !!window.cy"))
    wait_idle(browser)
    assert not browser.find_element(By.ID, "atlas-details-panel").is_displayed()
    browser.get(app_url + "/embed?sel=tecnopolo-bologna-dama&details=1")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-details-panel").is_displayed())


def test_the_counts_name_the_dashed_memberships_the_network_draws(app_url: str, browser) -> None:
    from tests.browser.helpers import counts_text

    open_atlas(browser, app_url + "/?gvc=mech-arer&link=partner_agreement")
    drawn = browser.execute_script(
        "return window.cy.edges('.derived').map(e => e.data('count') || 1).reduce((a, b) => a + b, 0);"
    )
    links = browser.execute_script(
        "return window.cy.edges().filter(e => !e.hasClass('derived') && !e.hasClass('member')).length;"
    )
    text = counts_text(browser)
    assert drawn > 0 and f"{links} links shown, plus {drawn} cluster memberships" in text
