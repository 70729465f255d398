"""Every number on screen counts what is drawn, and a filter that hides what was asked for says so."""

from __future__ import annotations

import json
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from data import load_dataset
from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle, wait_network_ready

pytestmark = pytest.mark.browser


def _counts(browser) -> dict[str, int]:
    text = browser.find_element(By.ID, "filter-counts").text
    found = {
        label: int(n.replace(",", ""))
        for n, label in re.findall(r"([\d,]+) (actors|start-ups|networks and programmes|areas|links shown)", text)
    }
    found.setdefault("start-ups", 0)
    return found


def _map_actors(browser) -> tuple[int, int]:
    """Actors drawn on the map: single markers (other kinds) and the start-ups the bubbles stand for."""
    traces = json.loads(
        browser.execute_script(
            "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
            "return JSON.stringify(gd.data.filter(t => t.visible !== false && t.name !== 'highlight')"
            "  .map(t => ({ids: t.customdata || [], hover: t.hovertext || []})));"
        )
    )
    actor_ids = set(load_dataset().actors["id"])
    singles = bubbles = 0
    for trace in traces:
        for value, hover in zip(trace["ids"], trace["hover"] or [""] * len(trace["ids"]), strict=False):
            if isinstance(value, str) and value.startswith("agg:"):
                many = re.search(r"([\d,]+) start-ups", hover or "")
                bubbles += int(many.group(1).replace(",", "")) if many else 1
            elif isinstance(value, str) and value in actor_ids:
                singles += 1
    return singles, bubbles


@pytest.mark.parametrize("path", ["/", "/?prov=IT-BO,IT-MO", "/?gvc=mech-moves", "/?kind=technopole,university"])
def test_the_counts_are_what_the_views_draw(app_url: str, browser, path: str) -> None:
    open_atlas(browser, app_url + path)
    wait_network_ready(browser)
    counts = _counts(browser)
    singles, bubbles = _map_actors(browser)
    assert singles + bubbles == counts["actors"] and bubbles == counts["start-ups"], (singles, bubbles, counts)
    drawn = browser.execute_script(
        "const cy = window.cy; const count = cls => cy.nodes('.' + cls).reduce((n, e) => n + 1, 0);"
        "return {groupings: count('grouping'), areas: count('area'),"
        " actors: cy.nodes('.actor').length + cy.nodes('.group').reduce((n, g) => n + (g.data('count') || 0), 0)};"
    )
    assert drawn["groupings"] == counts["networks and programmes"]
    assert drawn["areas"] == counts["areas"]
    assert drawn["actors"] == counts["actors"]  # a group node stands for its members


def test_a_link_type_hidden_by_the_value_chain_filter_is_explained_and_shown_on_request(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?gvc=mech-moves&link=partner_agreement")
    hint = browser.find_element(By.CSS_SELECTOR, "#filter-counts .filter-hint")
    assert "“Partner-region agreement”: none shown — the value-chain filter hides every one of them" in hint.text
    assert _counts(browser)["links shown"] == 0
    hint.find_element(By.CSS_SELECTOR, "[data-atlas-clear='gvc']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: "gvc" not in query(d))
    wait_idle(browser)
    assert query(browser)["link"] == ["partner_agreement"]  # the link type asked for stays
    assert _counts(browser)["links shown"] > 0
    assert not browser.find_elements(By.CSS_SELECTOR, "#filter-counts .filter-hint")
    wait_network_ready(browser)
    assert browser.execute_script("return window.cy.nodes('.partner_region').length;") > 0
