"""Suggested partners as an official uses them: opened by URL for a technopole, drawn dashed and
apart from the links, never counted, listed with scores and reasons, followed, and switched off."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.selection import select
from core.state import ViewState
from core.suggest import suggest_partners
from data import load_dataset
from layers.links_map import suggested_segments
from tests.browser.helpers import TIMEOUT, counts_text, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

DAMA = "tecnopolo-bologna-dama"


def _suggested(driver) -> list[list[str]]:
    return driver.execute_script("return window.cy.edges('.suggested').map(e => [e.source().id(), e.target().id()])")


def test_suggested_partners_are_drawn_apart_listed_and_never_counted(browser, app_url: str) -> None:
    dataset = load_dataset()
    expected = suggest_partners(dataset, select(dataset, ViewState()), DAMA, 8)
    assert expected and expected[0].score > 0
    open_atlas(browser, app_url + f"/?sel={DAMA}")
    plain_counts = counts_text(browser)
    open_atlas(browser, app_url + f"/?sel={DAMA}&suggest=1")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _suggested(d))
    drawn = _suggested(browser)
    assert all(source == DAMA for source, _ in drawn)
    assert {target for _, target in drawn} <= {s.target_id for s in expected}
    assert counts_text(browser) == plain_counts  # suggestions are not links
    # on the map: dashed lines from the technopole, with their key
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script("return window.atlasHighlight.suggested().length"))
    lines = browser.execute_script("return window.atlasHighlight.suggested().length")
    assert lines == len(suggested_segments(dataset, select(dataset, ViewState()), DAMA, 8)) > 0
    assert browser.find_element(By.CSS_SELECTOR, "#atlas-map-panel .map-suggested-key").is_displayed()
    legend = browser.find_element(By.ID, "atlas-network-legend").text
    assert "Suggested link: not a real link (dashed)" in legend
    style = browser.execute_script(
        "const e = window.cy.edges('.suggested')[0]; return [e.style('line-style'), e.style('label')]"
    )
    assert style[0] == "dashed" and style[1].startswith("suggested 0.")
    details = browser.find_element(By.ID, "atlas-details").text
    first = expected[0]
    first_name = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))[first.target_id]
    assert "Suggested partners" in details and f"Score {first.score:.2f}" in details and first_name in details
    assert "Both take part in High Technology Network" in details
    # a suggestion followed: selected like a link's end
    browser.find_element(By.CSS_SELECTOR, f"#atlas-details button[id*='{first.target_id}']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == [first.target_id])
    wait_idle(browser)
    assert query(browser)["suggest"] == ["1"]
    # switched off: no suggestion drawn, the URL forgets it
    box = browser.find_element(By.CSS_SELECTOR, "#metrics-suggest input")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: "suggest" not in query(d))
    WebDriverWait(browser, TIMEOUT).until(lambda d: not _suggested(d))
    assert "Suggested partners" not in browser.find_element(By.ID, "atlas-details").text
