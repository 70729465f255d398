"""Actors beyond the region are never unexplained dots: listed beside the map, each selectable,
with the world scope one click away."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser


def _outside_items(browser) -> list[str]:
    return [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#atlas-map-outside li")]


def test_actors_outside_the_region_are_listed_and_selectable(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/")
    heading = browser.find_element(By.CSS_SELECTOR, "#atlas-map-outside h3").text
    assert heading == "Outside Emilia-Romagna (4)"
    items = _outside_items(browser)
    assert any(i.startswith("CINECA Milan operating site") and "Segrate, 45 km north-west" in i for i in items), items
    # the marker itself says where it is explained
    hover = browser.execute_script(
        "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
        "for (const trace of gd.data) { const i = (trace.customdata || []).indexOf('cineca-milano');"
        "  if (i >= 0) { return trace.hovertext[i]; } } return null;"
    )
    assert hover and "Outside Emilia-Romagna: listed beside the map" in hover

    button = browser.find_element(By.CSS_SELECTOR, "#atlas-map-outside [data-atlas-select='cineca-milano']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("sel") == ["cineca-milano"])
    wait_idle(browser)
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: "CINECA Milan operating site" in d.find_element(By.ID, "atlas-details").text
    )

    world = browser.find_element(By.CSS_SELECTOR, "#atlas-map-outside [data-atlas-scope='world']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", world)
    world.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("scope") == ["world"])
    wait_idle(browser)
    assert query(browser).get("sel") == ["cineca-milano"]  # the selection stays
    checked = browser.find_element(By.CSS_SELECTOR, "#filter-scope input[value='world']")
    assert checked.is_selected()
    assert not browser.find_elements(By.ID, "atlas-map-outside")  # in the world scope they are drawn in place
    browser.back()  # one history entry per action: Back returns to the region scope
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("scope") in (None, ["region"]))
    wait_idle(browser)
    assert _outside_items(browser)


def test_a_filter_that_keeps_no_outside_actor_lists_none(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?kind=technopole")
    assert not browser.find_elements(By.ID, "atlas-map-outside")
