"""Embeds: /embed inside iframes of another origin, with and without the framing allowlist."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.stories import read_story
from data import load_dataset
from tests.browser.conftest import _free_port, start_app, stop
from tests.browser.helpers import TIMEOUT, open_atlas, wait_idle

pytestmark = pytest.mark.browser
QUERY = "?view=map&prov=IT-BO"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # the test output stays readable
        pass


@pytest.fixture(scope="module")
def host_page(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A web page on another origin (another port) that will embed the atlas."""
    folder = tmp_path_factory.mktemp("host")
    port = _free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}", folder
    server.shutdown()


@pytest.fixture(scope="module")
def allowing_app(host_page) -> Iterator[str]:
    """The atlas started with the host page's origin in ATLAS_FRAME_ANCESTORS."""
    origin, _ = host_page
    proc, url = start_app({"ATLAS_FRAME_ANCESTORS": f"'self' {origin}"})
    yield url
    stop(proc)


def _host(host_page, name: str, src: str, sandbox: bool = False) -> str:
    origin, folder = host_page
    attrs = ' sandbox="allow-scripts allow-same-origin"' if sandbox else ""
    (folder / name).write_text(
        f"<!doctype html><title>Host</title><h1>Regional news</h1>"
        f'<iframe id="atlas" src="{src}" width="900" height="600" title="Atlas"{attrs}>'
        f"</iframe>",
        encoding="utf-8",
    )
    return f"{origin}/{name}"


def _framed_map_visible(browser, page: str) -> bool:
    browser.get(page)
    frame = WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas"))
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot"))
        return browser.find_element(By.ID, "atlas-map").is_displayed()
    except Exception:
        return False
    finally:
        browser.switch_to.default_content()


def test_embed_page_shows_only_the_view_and_a_link(app_url: str, browser) -> None:
    browser.get(app_url + "/embed" + QUERY)
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot"))
    wait_idle(browser)
    assert browser.find_element(By.ID, "atlas-map").is_displayed()
    assert not browser.find_element(By.ID, "atlas-filters").is_displayed()
    assert not browser.find_element(By.TAG_NAME, "h1").is_displayed()
    assert not browser.find_element(By.ID, "atlas-network").is_displayed()  # view=map
    link = browser.find_element(By.ID, "atlas-embed-open")
    assert link.is_displayed() and link.get_attribute("href") == app_url + "/" + QUERY


def test_default_policy_refuses_other_origins(app_url: str, browser, host_page) -> None:
    page = _host(host_page, "refused.html", app_url + "/embed" + QUERY)
    assert not _framed_map_visible(browser, page)


def test_allowed_origin_can_frame_the_embed(allowing_app: str, browser, host_page) -> None:
    page = _host(host_page, "allowed.html", allowing_app + "/embed" + QUERY)
    assert _framed_map_visible(browser, page)


def test_embed_works_in_a_sandboxed_iframe(allowing_app: str, browser, host_page) -> None:
    page = _host(host_page, "sandboxed.html", allowing_app + "/embed" + QUERY, sandbox=True)
    assert _framed_map_visible(browser, page)


def test_share_dialog_gives_link_and_iframe_snippet(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?prov=IT-FE")
    browser.find_element(By.ID, "atlas-share-button").click()
    panel = browser.find_element(By.ID, "atlas-share-panel")
    WebDriverWait(browser, TIMEOUT).until(lambda d: panel.is_displayed())
    link = browser.find_element(By.ID, "atlas-share-link").get_attribute("value")
    assert link == app_url + "/?prov=IT-FE"
    snippet = browser.find_element(By.ID, "atlas-share-snippet").get_attribute("value")
    assert snippet.startswith('<iframe src="' + app_url + '/embed?prov=IT-FE"')
    assert 'width="900" height="600"' in snippet and 'title="' in snippet


def test_share_dialog_fields_are_readable_and_give_the_view_as_a_scene(app_url: str, browser, tmp_path) -> None:
    open_atlas(browser, app_url + "/?prov=IT-MO&map=44.62,10.93,9.6")
    browser.find_element(By.ID, "atlas-share-button").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-share-panel").is_displayed())
    for field in ("atlas-share-width", "atlas-share-height"):
        box = browser.execute_script(
            "const el = document.getElementById(arguments[0]);"
            "const probe = document.createElement('span'); probe.style.font = getComputedStyle(el).font;"
            "probe.textContent = el.value; document.body.appendChild(probe);"
            "const text = probe.getBoundingClientRect().width; probe.remove();"
            "return {width: el.clientWidth, text: text, value: el.value};",
            field,
        )
        assert box["value"], f"{field} shows no value"
        assert box["width"] >= box["text"] + 8, f"{field} is too narrow to read its value: {box}"
    # "Add this view as a scene": the step's JSON, which a story file accepts as it is
    browser.find_element(By.CSS_SELECTOR, ".share-scene-block summary").click()
    area = browser.find_element(By.ID, "atlas-share-scene")
    WebDriverWait(browser, TIMEOUT).until(lambda d: area.is_displayed() and area.get_attribute("value"))
    step = json.loads(area.get_attribute("value"))
    assert "prov=IT-MO" in step["state"] and "map=44.62,10.93,9.6" in step["state"]
    step["title"] = {"en": "Modena", "it": "Modena"}
    step["text"] = {"en": "Close up.", "it": "Da vicino."}
    story_file = tmp_path / "pasted.json"
    story_file.write_text(json.dumps({"title": {"en": "Pasted", "it": "Incollata"}, "steps": [step]}), "utf-8")
    story, problems = read_story(story_file, load_dataset())
    assert story is not None and not problems, problems
