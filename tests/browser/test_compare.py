"""Two dates compared, as an official uses it: opened by URL, counted, drawn in both views, listed in
the table's changes tab, and switched off again."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.compare import compare_view
from core.state import ViewState
from data import load_dataset
from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser


def _edges(driver, selector: str) -> list[str]:
    return driver.execute_script("return window.cy.edges(arguments[0]).map(e => e.id())", selector)


def test_two_dates_compared_are_counted_drawn_and_listed(browser, app_url: str) -> None:
    dataset = load_dataset()
    comparison = compare_view(dataset, ViewState(compare=(2018, 2024)), 2018, 2024)
    counts = comparison.counts
    assert counts["ended"] == 7 and counts["added"] > 0  # ASTER's coordination of the clusters ended in 2019
    open_atlas(browser, app_url + "/?compare=2018,2024")
    summary = browser.find_element(By.ID, "filter-compare-counts").text
    assert "Changes between 2018 and 2024" in summary
    assert f"+{counts['added']} links since 2018, 7 ended" in summary
    assert browser.find_element(By.CSS_SELECTOR, "#filter-compare-on input").is_selected()
    ended = comparison.of("ended")["id"].tolist()
    WebDriverWait(browser, TIMEOUT).until(lambda d: sorted(_edges(d, ".cmp-ended")) == sorted(ended))
    added = set(comparison.of("added")["id"])
    drawn_added = _edges(browser, ".cmp-added")
    assert drawn_added and set(drawn_added) <= added
    assert "Ended by 2024 (7)" in browser.find_element(By.ID, "atlas-network-legend").text
    assert "Ended by 2024 (7)" in browser.find_element(By.ID, "atlas-map-legend").text

    # the table's changes tab, offered only while comparing, lists each change
    browser.find_element(By.CSS_SELECTOR, "#filter-view input[value='table']").click()
    tab = browser.find_element(By.CSS_SELECTOR, "#atlas-table-tab input[value='changes']")
    assert tab.find_element(By.XPATH, "..").is_displayed()
    tab.click()
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: (
            "Ended" in d.find_element(By.ID, "atlas-table").text or "Added" in d.find_element(By.ID, "atlas-table").text
        )
    )
    wait_idle(browser)
    table = browser.find_element(By.ID, "atlas-table").text
    assert "Change" in table and "Last year" in table and "Added" in table

    # switched off: the URL forgets it, the views are plain again, the tab goes
    browser.find_element(By.CSS_SELECTOR, "#filter-compare-on input").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: "compare" not in query(d))
    wait_idle(browser)
    assert not browser.find_elements(By.ID, "filter-compare-counts")
    tab = browser.find_element(By.CSS_SELECTOR, "#atlas-table-tab input[value='changes']")
    assert not tab.find_element(By.XPATH, "..").is_displayed()
