"""The cameras in the URL: what a person moved to is in the link, and the link opens exactly there."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import new_driver
from tests.browser.helpers import TIMEOUT, counts_text, open_atlas, query, wait_idle

pytestmark = pytest.mark.browser

MAP_VIEW = (
    "const m = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map;"
    "return [m.center.lat, m.center.lon, m.zoom];"
)
NETWORK_VIEW = "const p = window.cy.pan(); return [window.cy.zoom(), p.x, p.y];"


def _numbers(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def test_a_link_with_cameras_opens_exactly_there(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?prov=IT-BO&map=44.6,11.2,8.1&net=1.3,40,-20")
    time.sleep(0.5)
    lat, lon, zoom = browser.execute_script(MAP_VIEW)
    assert (round(lat, 4), round(lon, 4), round(zoom, 2)) == (44.6, 11.2, 8.1)
    assert browser.execute_script(NETWORK_VIEW) == [1.3, 40, -20]
    assert query(browser)["map"] == ["44.6,11.2,8.1"]  # an opened link is never rewritten


def test_moving_writes_the_cameras_and_a_fresh_browser_restores_them(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/")
    assert "map" not in query(browser) and "net" not in query(browser)
    canvas = browser.find_element(By.CSS_SELECTOR, "#atlas-map .maplibregl-canvas")
    ActionChains(browser).move_to_element(canvas).click_and_hold().move_by_offset(60, 40).release().perform()
    network = browser.find_element(By.CSS_SELECTOR, "#atlas-network")
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(network), 0, -300).perform()
    WebDriverWait(browser, TIMEOUT).until(lambda d: "map" in query(d) and "net" in query(d))
    time.sleep(1)  # the recording waits until the user stops moving
    camera, viewport = query(browser)["map"][0], query(browser)["net"][0]
    lat, lon, zoom = browser.execute_script(MAP_VIEW)
    assert _numbers(camera) == [round(lat, 4), round(lon, 4), round(zoom, 2)]
    net_zoom, x, y = browser.execute_script(NETWORK_VIEW)
    assert _numbers(viewport) == [round(net_zoom, 3), round(x), round(y)]
    link = browser.current_url

    # A filter change keeps the cameras in the new URL (the map keeps its view; the network is
    # redrawn and fitted anew, so its viewport goes).
    before = counts_text(browser)
    browser.find_element(By.CSS_SELECTOR, "#filter-kind input[value='university']").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: counts_text(d) != before)
    wait_idle(browser)
    assert query(browser)["map"] == [camera] and "net" not in query(browser)

    fresh = new_driver()
    try:
        open_atlas(fresh, link)
        time.sleep(0.5)
        lat, lon, zoom = fresh.execute_script(MAP_VIEW)
        assert [round(lat, 4), round(lon, 4), round(zoom, 2)] == _numbers(camera)
        assert fresh.execute_script(NETWORK_VIEW) == _numbers(viewport)
    finally:
        fresh.quit()


def test_back_returns_to_the_earlier_camera(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?map=44.6,11.2,8.1")
    open_atlas(browser, app_url + "/?map=44.2,10.5,7")
    browser.back()
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("map") == ["44.6,11.2,8.1"])
    wait_idle(browser)
    lat, lon, zoom = browser.execute_script(MAP_VIEW)
    assert (round(lat, 4), round(lon, 4), round(zoom, 2)) == (44.6, 11.2, 8.1)


def test_embeds_and_presentations_keep_the_camera(app_url: str, browser) -> None:
    browser.get(app_url + "/embed?view=map&map=44.7,11.6,9")
    wait_map_drawn(browser)
    lat, lon, zoom = browser.execute_script(MAP_VIEW)
    assert (round(lat, 4), round(lon, 4), round(zoom, 2)) == (44.7, 11.6, 9.0)
    # a step's link as the presenter had moved the map (the URL of presentations before the stage)
    browser.get(app_url + "/present/mechatronics?step=1&map=44.4,11,8.5")
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.execute_script("return window.atlasStage && window.atlasStage.state(1) === 'ready'")
    )
    browser.switch_to.frame(browser.execute_script("return window.atlasStage.frame(1)"))  # the scene's frame
    try:
        wait_map_drawn(browser)
        lat, lon, zoom = browser.execute_script(MAP_VIEW)
    finally:
        browser.switch_to.default_content()
    assert (round(lat, 4), round(lon, 4), round(zoom, 2)) == (44.4, 11.0, 8.5)
    assert query(browser)["map"] == ["44.4,11,8.5"]


def wait_map_drawn(browser) -> None:
    """Pages without the filter column (embeds, presentations): the map is drawn and the page idle."""
    drawn = (
        "const g = document.querySelector('#atlas-map .js-plotly-plot');"
        "return !!(g && g._fullLayout && g._fullLayout.map);"
    )
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(drawn))
    wait_idle(browser)
    time.sleep(0.5)
