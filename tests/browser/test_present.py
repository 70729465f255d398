"""Presenting a story with a clicker: keys move the steps, the URL follows, a step URL opens it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from core.stories import load_stories
from data import load_dataset
from tests.browser.helpers import TIMEOUT, query, wait_idle

pytestmark = pytest.mark.browser


def _title(driver) -> str:
    return driver.find_element(By.ID, "present-title").text


def _press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def test_step_through_a_story_with_the_keyboard(app_url: str, browser) -> None:
    story = load_stories(load_dataset())[0]["abroad"]
    browser.get(app_url + "/present/abroad")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == story.steps[0].title["en"])
    wait_idle(browser)
    assert query(browser)["step"] == ["1"]
    assert not browser.find_element(By.ID, "atlas-filters").is_displayed()
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
    wait_idle(browser)
    # the step's view state is in the URL, as a shared link would have it
    assert query(browser)["link"] == ["partner_agreement"] and query(browser)["scope"] == ["world"]
    assert "Hessen" in browser.find_element(By.ID, "present-text").text


def test_a_step_url_opens_that_step(app_url: str, browser) -> None:
    story = load_stories(load_dataset())[0]["mechatronics"]
    browser.get(app_url + "/present/mechatronics?step=3")
    WebDriverWait(browser, TIMEOUT).until(lambda d: _title(d) == story.steps[2].title["en"])
    WebDriverWait(browser, TIMEOUT).until(lambda d: "gvc" in query(d))
    assert query(browser)["step"] == ["3"] and query(browser)["gvc"] == ["clust-er-mech"]
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "present-counter").text.startswith("3 /"))
    wait_idle(browser, timeout=60)  # a presenter clicks once the step is drawn
    browser.find_element(By.ID, "present-next").click()  # the on-screen buttons work too
    WebDriverWait(browser, TIMEOUT).until(lambda d: query(d).get("step") == ["4"])
