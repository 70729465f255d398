"""Presenting a story in a room: a clicker's keys move the steps and the URL follows; the caption
band never covers the views; labels are legible from the back row at 1280x720 and 1920x1080; a
scene keeps its camera; once loaded, the story goes on with the network gone; a scene that could
not load says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from core.stories import load_stories
from data import load_dataset
from tests.browser.conftest import new_driver
from tests.browser.helpers import TIMEOUT, query

pytestmark = pytest.mark.browser

#: every scene of a story is loaded ahead, one after the other: on CI's two cores that takes a while
READY_TIMEOUT = 150


def _story(name: str):
    return load_stories(load_dataset())[0][name]


def _title(driver) -> str:
    return driver.find_element(By.ID, "present-title").text


def _press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def _step(driver) -> int:
    return int(driver.execute_script("return window.atlasStage.current()"))


def _wait_all_ready(driver, timeout: float = READY_TIMEOUT) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return window.atlasStage && window.atlasStage.ready()")
    )


def _wait_scene_ready(driver, number: int, timeout: float = READY_TIMEOUT) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return window.atlasStage.state(arguments[0])", number) == "ready"
    )


# What the current scene's frame shows, read inside it: the rectangles of the views (in the stage's
# coordinates), the map's centre and whether it is drawn, the network's drawn labels.
SCENE_JS = """
const frame = window.atlasStage.frame(window.atlasStage.current());
if (!frame || !frame.classList.contains("is-current")) { return null; }
const doc = frame.contentDocument, win = frame.contentWindow, at = frame.getBoundingClientRect();
const rect = id => {
    const el = doc.getElementById(id);
    if (!el || el.offsetParent === null) { return null; }
    const r = el.getBoundingClientRect();
    return r.width && r.height ? {x: r.left + at.left, y: r.top + at.top, w: r.width, h: r.height} : null;
};
const gd = doc.querySelector("#atlas-map .js-plotly-plot");
const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
const map = sub && sub.map;
const cy = win.cy;
let labels = [];
if (cy && rect("atlas-network")) {
    const zoom = cy.zoom(), w = cy.width(), h = cy.height();
    labels = cy.nodes().filter(n => n.visible() && n.pstyle("label").strValue !== ""
        && n.pstyle("text-opacity").value > 0 && n.pstyle("opacity").value > 0 && !n.hasClass("lod-hidden"))
      .map(n => {
        const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
        return {id: n.id(), px: n.pstyle("font-size").pfValue * zoom,
                inside: b.x1 >= -1 && b.y1 >= -1 && b.x2 <= w + 1 && b.y2 <= h + 1};
      });
}
const details = rect("atlas-details");
const legends = [...doc.querySelectorAll(".map-legend, .network-legend")]
    .filter(el => el.offsetParent !== null && el.textContent.trim())
    .map(el => { const r = el.getBoundingClientRect();
                 return {x: r.left + at.left, y: r.top + at.top, w: r.width, h: r.height}; })
    .filter(r => r.w > 0 && r.h > 0);
return {
    legends: legends,
    map: rect("atlas-map"), network: rect("atlas-network"), details: details,
    centre: map ? [map.getCenter().lat, map.getCenter().lng, map.getZoom()] : null,
    drawn: !!(gd && gd._fullData && gd._fullData.length && map && map.loaded()),
    nodes: cy ? cy.nodes().length : 0, labels: labels,
};
"""


def _scene(driver) -> dict:
    return driver.execute_script(SCENE_JS)


def _rect(driver, element_id: str) -> dict:
    return driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return {x: r.left, y: r.top, w: r.width, h: r.height};",
        element_id,
    )


def _overlap(a: dict, b: dict) -> float:
    """The area two rectangles share."""
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


@pytest.fixture(scope="module")
def stage() -> Iterator[object]:
    """A browser of its own: these tests change its screen size and cut its network."""
    driver = new_driver()
    driver.execute_cdp_cmd("Network.enable", {})
    yield driver
    driver.quit()


def _screen(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def test_step_through_a_story_with_the_keyboard(app_url: str, browser) -> None:
    story = _story("abroad")
    browser.get(app_url + "/present/abroad")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == story.steps[0].title["en"])
    assert query(browser)["step"] == ["1"]
    assert not browser.find_elements(By.ID, "atlas-filters")  # the stage shows the views, not the controls
    assert browser.find_element(By.ID, "present-counter").text == f"1 / {len(story.steps)}"
    font_px = float(
        browser.execute_script("return parseFloat(getComputedStyle(document.getElementById('present-title')).fontSize)")
    )
    assert font_px >= 32  # legible from the back of the room
    for key, expected in (
        (Keys.ARROW_RIGHT, 2),
        (Keys.PAGE_DOWN, 3),
        (Keys.SPACE, 4),
        (Keys.PAGE_UP, 3),
        (Keys.ARROW_LEFT, 2),
    ):
        _press(browser, key)
        WebDriverWait(browser, TIMEOUT).until(lambda d, n=expected: query(d).get("step") == [str(n)])
        WebDriverWait(browser, TIMEOUT).until(lambda d, n=expected: _title(d) == story.steps[n - 1].title["en"])
    # the step's view state is in the URL, as a shared link would have it
    assert query(browser)["link"] == ["partner_agreement"] and query(browser)["scope"] == ["world"]
    assert "Hessen" in browser.find_element(By.ID, "present-text").text


def test_a_step_url_opens_that_step(app_url: str, browser) -> None:
    story = _story("mechatronics")
    browser.get(app_url + "/present/mechatronics?step=3")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == story.steps[2].title["en"])
    WebDriverWait(browser, TIMEOUT).until(lambda d: "gvc" in query(d))
    assert query(browser)["step"] == ["3"] and query(browser)["gvc"] == ["clust-er-mech"]
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "present-counter").text.startswith("3 /"))
    _wait_scene_ready(browser, 3)  # a presenter clicks once the step is drawn
    browser.find_element(By.ID, "present-next").click()  # the on-screen buttons work too
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("step") == ["4"])
    # an over-long step number is no step: the first one shows (not a server error)
    browser.get(app_url + "/present/mechatronics?step=" + "9" * 5000)
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == story.steps[0].title["en"])


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_the_stage_is_never_covered_and_its_labels_are_legible(app_url: str, stage, width: int, height: int) -> None:
    _screen(stage, width, height)
    story = _story("mechatronics")
    stage.get(app_url + "/present/mechatronics")
    _wait_all_ready(stage)
    first_band = _rect(stage, "present-panel")
    labelled = 0
    for number in range(1, len(story.steps) + 1):
        if number > 1:
            _press(stage, Keys.ARROW_RIGHT)
        WebDriverWait(stage, TIMEOUT).until(lambda d, n=number: _step(d) == n and _scene(d) is not None)
        band = _rect(stage, "present-panel")
        assert band["y"] + band["h"] <= height + 1 and band["w"] >= width - 1  # the band is on the screen
        assert band == first_band, f"scene {number}: the caption band changed size, so the views did"
        scene = _scene(stage)
        views = [r for r in (scene["map"], scene["network"]) if r]
        assert views, f"scene {number} shows no view"
        for view in views:
            assert _overlap(view, band) == 0, f"scene {number}: the caption covers a view ({view} / {band})"
            assert view["x"] >= -1 and view["y"] >= -1 and view["x"] + view["w"] <= width + 1
            assert view["w"] >= 0.3 * width and view["h"] >= 0.45 * height  # the views get the room
            # a detail panel never covers more than 5 % of a view
            if scene["details"]:
                assert _overlap(view, scene["details"]) <= 0.05 * view["w"] * view["h"]
        assert scene["legends"], f"scene {number} shows no legend"
        for legend in scene["legends"]:
            assert _overlap(legend, band) == 0 and legend["y"] + legend["h"] <= height + 1, f"scene {number}"
        if scene["network"]:
            small = [(lab["id"], round(lab["px"], 1)) for lab in scene["labels"] if lab["px"] < 18 - 0.05]
            assert not small, f"scene {number} at {width}x{height}: labels under 18 px: {small[:8]}"
            cut = [lab["id"] for lab in scene["labels"] if not lab["inside"]]
            assert not cut, f"scene {number} at {width}x{height}: labels cut at the panel's edge: {cut[:8]}"
            labelled += len(scene["labels"])
    assert labelled >= 5  # the scenes do name their nodes: the checks above had labels to check


def test_stepping_back_from_a_world_scene_shows_the_region(app_url: str, stage) -> None:
    _screen(stage, 1400, 900)
    stage.get(app_url + "/present/abroad?step=2")
    _wait_scene_ready(stage, 2)
    assert _scene(stage)["centre"][0] > 30 or _scene(stage)["centre"][2] < 4  # a world view
    _press(stage, Keys.ARROW_LEFT)
    WebDriverWait(stage, TIMEOUT).until(lambda d: _step(d) == 1)
    _wait_scene_ready(stage, 1)
    WebDriverWait(stage, TIMEOUT).until(lambda d: _scene(d) and _scene(d)["drawn"])
    lat, lon, zoom = _scene(stage)["centre"]
    assert 43.7 <= lat <= 45.2 and 9.2 <= lon <= 12.8, f"the map looks at {lat}, {lon}, not at the region"
    assert zoom >= 6


def test_a_scene_restores_its_camera(app_url: str, stage) -> None:
    _screen(stage, 1400, 900)
    story = _story("technopoles")
    asked = dict(p.split("=", 1) for p in story.steps[1].state.lstrip("?").split("&"))["map"]
    lat, lon, zoom = (float(v) for v in asked.split(","))
    stage.get(app_url + "/present/technopoles?step=2")
    _wait_scene_ready(stage, 2)
    WebDriverWait(stage, TIMEOUT).until(lambda d: _scene(d) and _scene(d)["drawn"])

    def close_to_asked(driver) -> bool:
        c = _scene(driver)["centre"]
        return abs(c[0] - lat) < 0.02 and abs(c[1] - lon) < 0.02 and abs(c[2] - zoom) < 0.05

    WebDriverWait(stage, TIMEOUT).until(close_to_asked)
    # the presenter zooms out in the scene, moves on and comes back: the scene's camera is back
    frame = stage.execute_script("return window.atlasStage.frame(2)")
    stage.switch_to.frame(frame)
    stage.execute_script(
        "document.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
        "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
        "return window.Plotly.relayout(gd, {'map.zoom': 5.5, 'map.center': {lat: 44.0, lon: 11.5}});"
    )
    stage.switch_to.default_content()
    WebDriverWait(stage, TIMEOUT).until(lambda d: not close_to_asked(d))
    _press(stage, Keys.ARROW_RIGHT)
    WebDriverWait(stage, TIMEOUT).until(lambda d: _step(d) == 3)
    _press(stage, Keys.ARROW_LEFT)
    WebDriverWait(stage, TIMEOUT).until(lambda d: _step(d) == 2)
    WebDriverWait(stage, TIMEOUT).until(close_to_asked)


def test_a_loaded_presentation_goes_on_offline(app_url: str, stage) -> None:
    _screen(stage, 1280, 720)
    story = _story("abroad")
    stage.get(app_url + "/present/abroad")
    _wait_all_ready(stage)
    stage.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    try:
        order = list(range(2, len(story.steps) + 1)) + list(range(len(story.steps) - 1, 0, -1))
        for number in order:
            _press(stage, Keys.ARROW_RIGHT if number > _step(stage) else Keys.ARROW_LEFT)
            WebDriverWait(stage, TIMEOUT).until(lambda d, n=number: _step(d) == n)
            assert _title(stage) == story.steps[number - 1].title["en"]
            scene = _scene(stage)
            assert scene and (scene["map"] or scene["network"])
            if scene["map"]:
                # MapLibre is "not loaded" for a frame while it repaints a map just shown: wait that out
                WebDriverWait(stage, 10).until(
                    lambda d: _scene(d)["drawn"], message=f"scene {number}: the map is not drawn offline"
                )
            if scene["network"]:
                assert scene["nodes"] > 0
            assert not stage.find_element(By.ID, "stage-notice").is_displayed()
    finally:
        stage.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )


def test_a_scene_that_could_not_load_says_so_and_the_keys_still_work(app_url: str, stage) -> None:
    _screen(stage, 1280, 720)
    story = _story("abroad")
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    stage.get(app_url + "/present/abroad")
    _wait_scene_ready(stage, 1)
    stage.execute_cdp_cmd("Network.emulateNetworkConditions", offline)  # the Wi-Fi drops before the rest loaded
    try:
        _press(stage, Keys.END)
        WebDriverWait(stage, TIMEOUT).until(lambda d: _step(d) == len(story.steps))
        notice = stage.find_element(By.ID, "stage-notice")
        WebDriverWait(stage, 60).until(lambda d: notice.is_displayed() and "could not be loaded" in notice.text)
        assert "connection" in notice.text
        _press(stage, Keys.HOME)  # not a dead key: the scene that loaded still shows
        WebDriverWait(stage, TIMEOUT).until(lambda d: _step(d) == 1)
        WebDriverWait(stage, 10).until(lambda d: not d.find_element(By.ID, "stage-notice").is_displayed())
        WebDriverWait(stage, 10).until(lambda d: _scene(d)["drawn"])
    finally:
        stage.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
    # back online, the missing scenes load after all
    _press(stage, Keys.END)
    _wait_scene_ready(stage, len(story.steps))
    WebDriverWait(stage, TIMEOUT).until(lambda d: not d.find_element(By.ID, "stage-notice").is_displayed())


def test_the_index_lists_the_stories_in_both_languages(app_url: str, browser) -> None:
    stories = load_stories(load_dataset())[0]
    browser.get(app_url + "/present/")
    items = browser.find_elements(By.CSS_SELECTOR, "#stage-index .stage-index-item")
    assert len(items) == len(stories) >= 3
    text = browser.find_element(By.ID, "stage-index").text
    for story in stories.values():
        assert story.title["en"] in text and story.title["it"] in text
    link = browser.find_element(By.CSS_SELECTOR, "#stage-index a[href$='/present/technopoles']")
    link.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == stories["technopoles"].steps[0].title["en"])
