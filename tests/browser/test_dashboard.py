"""What officials do in the atlas: filter, click, share a link, go back."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from data import load_dataset
from tests.browser.helpers import (
    TIMEOUT,
    click_network_node,
    counts_text,
    highlighted_on_map,
    map_point_ids,
    network_node_ids,
    open_atlas,
    query,
    wait_idle,
)

pytestmark = pytest.mark.browser


def test_filtering_by_a_value_chain_changes_both_views(app_url: str, browser) -> None:
    open_atlas(browser, app_url)
    before_counts = counts_text(browser)
    before_nodes = set(network_node_ids(browser))
    before_points = map_point_ids(browser)
    assert "tecnopolo-bologna-dama" in before_points and "tecnopolo-bologna-dama" in before_nodes
    # Open the sector and tick one value chain, as a person would.
    summary = browser.find_element(By.XPATH, "//summary[contains(., 'Mechatronics and motoring')]")
    summary.click()
    label = browser.find_element(By.XPATH, "//label[contains(., 'Avionics and aerospace (FLYER)')]")
    label.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: counts_text(d) != before_counts)
    wait_idle(browser)
    assert query(browser)["gvc"] == ["mech-flyer"]
    after_nodes = set(network_node_ids(browser))
    after_points = map_point_ids(browser)
    assert after_nodes != before_nodes and after_points != before_points
    assert "tecnopolo-bologna-dama" not in after_points and "tecnopolo-bologna-dama" not in after_nodes
    flyer = load_dataset().actors
    flyer = flyer[flyer["gvcs"].map(lambda g: "mech-flyer" in g)]
    assert f"({len(flyer)} start-ups)" in counts_text(browser).replace(",", "")


def test_clicking_a_network_node_selects_it_everywhere(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=split")
    click_network_node(browser, "unibo")
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == ["unibo"])
    wait_idle(browser)
    details = browser.find_element(By.ID, "atlas-details")
    assert "University of Bologna" in details.text
    assert "ansalatina.com" in details.text  # its source, as a link
    assert details.find_element(By.PARTIAL_LINK_TEXT, "ansalatina.com").get_attribute("href").startswith("https://")
    assert "unibo" in highlighted_on_map(browser)
    selected = browser.execute_script(
        "return window.cy.$id('unibo').hasClass('selected') || window.cy.$id('unibo').style('border-width')"
    )
    assert selected


def test_opening_a_url_with_filters_reproduces_them(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?prov=IT-FE&kind=technopole,technopole_site&view=network&sel=tecnopolo-ferrara")
    ferrara = browser.find_element(By.XPATH, "//div[@id='filter-prov']//label[contains(., 'Ferrara')]//input")
    assert ferrara.is_selected()
    assert browser.find_element(
        By.XPATH, "//div[@id='filter-view']//label[contains(., 'Network')]//input"
    ).is_selected()
    assert set(network_node_ids(browser)) == {"tecnopolo-ferrara", "tecnopolo-ferrara-cento"}
    assert browser.find_element(By.ID, "atlas-network-panel").is_displayed()
    assert not browser.find_element(By.ID, "atlas-map-panel").is_displayed()
    assert "Ferrara Technopole" in browser.find_element(By.ID, "atlas-details").text
    assert "2 actors" in counts_text(browser)


def test_bad_parameter_shows_a_dismissible_notice(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?colour=red&prov=IT-BO")
    notice = browser.find_element(By.ID, "atlas-notice")
    assert notice.is_displayed() and "colour" in notice.text
    browser.find_element(By.ID, "atlas-notice-close").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: not d.find_element(By.ID, "atlas-notice").is_displayed())
    assert browser.find_element(
        By.XPATH, "//div[@id='filter-prov']//label[contains(., 'Bologna')]//input"
    ).is_selected()


def test_back_and_forward_restore_filters(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/")
    browser.find_element(By.XPATH, "//div[@id='filter-prov']//label[contains(., 'Rimini')]").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("prov") == ["IT-RN"])
    wait_idle(browser)
    rimini_counts = counts_text(browser)
    browser.back()
    WebDriverWait(browser, TIMEOUT).until(lambda d: "prov" not in query(d))
    wait_idle(browser)
    assert not browser.find_element(
        By.XPATH, "//div[@id='filter-prov']//label[contains(., 'Rimini')]//input"
    ).is_selected()
    assert counts_text(browser) != rimini_counts
    browser.forward()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("prov") == ["IT-RN"])
    wait_idle(browser)
    assert counts_text(browser) == rimini_counts


def test_empty_result_offers_reset(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?q=zzzz-nothing-matches")
    empty = browser.find_element(By.ID, "atlas-empty")
    assert empty.is_displayed() and "Nothing matches" in empty.text
    browser.find_element(By.ID, "atlas-empty-reset").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: not d.find_element(By.ID, "atlas-empty").is_displayed())
    assert "q" not in query(browser)


def test_table_view_lists_filtered_records_and_selects(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?view=table&kind=university")
    wait_idle(browser)
    table = browser.find_element(By.ID, "atlas-table")
    assert table.is_displayed()
    assert "University of Ferrara" in table.text
    cell = table.find_element(By.XPATH, ".//td[contains(., 'University of Ferrara')]")
    cell.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == ["unife"])
    assert "University of Ferrara" in browser.find_element(By.ID, "atlas-details").text
