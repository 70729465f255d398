"""Small waits and reads for the browser tests: what a person would see, read from the page."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 30


def requests_made(driver) -> list[str]:
    """Every URL the page requested since the performance log was last read (Chrome's log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_idle(driver, timeout: float = TIMEOUT) -> None:
    """Wait until Dash has no callback in flight and the page has settled."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        busy = driver.execute_script(
            "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length + (window.__atlasPending || 0);"
        )
        if not busy:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 0.6:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    busy_ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-dash-is-loading=\"true\"]')).map(e => e.id || e.className)"
    )
    raise TimeoutError(f"the page did not settle; still loading: {busy_ids}")


def open_atlas(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, TIMEOUT).until(ec.visibility_of_element_located((By.ID, "filter-counts")))
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, "filter-counts").text.strip())
    wait_network_ready(driver)
    wait_idle(driver)


def wait_network_ready(driver) -> None:
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script("return !!window.cy"))


def counts_text(driver) -> str:
    return driver.find_element(By.ID, "filter-counts").text


def network_node_ids(driver) -> list[str]:
    return driver.execute_script("return window.cy.nodes().map(n => n.id());")


def map_point_ids(driver) -> set[str]:
    """Element ids carried by the points drawn on the map (plotly's own data on the graph div)."""
    data = driver.execute_script(
        "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
        "return JSON.stringify((gd && gd.data || []).filter(t => t.visible !== false && t.name !== 'highlight')"
        ".map(t => t.customdata || []));"
    )
    out: set[str] = set()
    for trace in json.loads(data):
        for value in trace:
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, str):
                out.add(value)
    return out


def highlighted_on_map(driver) -> list:
    """The ids the map's halo layer draws now (a MapLibre layer of the page's: assets/map_highlight.js)."""
    return driver.execute_script("return window.atlasHighlight ? window.atlasHighlight.drawn() : [];")


def query(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def click_network_node(driver, node_id: str) -> None:
    """Click a node where it is drawn on the canvas, as a mouse would."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element(By.CSS_SELECTOR, "#atlas-network canvas:last-of-type")
    # Zoom in on the node first, as a person does with the wheel before clicking a small node.
    driver.execute_script(
        "const n = window.cy.$id(arguments[0]), cy = window.cy; cy.zoom(1.5);"
        # by its position: cy.center() centres the node's box with its label, which may lie to one side
        " cy.pan({x: cy.width() / 2 - 1.5 * n.position('x'), y: cy.height() / 2 - 1.5 * n.position('y')});",
        node_id,
    )
    pos = driver.execute_script(
        "const n = window.cy.$id(arguments[0]); const p = n.renderedPosition();"
        "const c = window.cy.container().getBoundingClientRect();"
        "const k = arguments[1].getBoundingClientRect();"
        "return [p.x + c.left - k.left, p.y + c.top - k.top, k.width, k.height];",
        node_id,
        canvas,
    )
    x, y, width, height = pos
    # ActionChains offsets are from the element's centre.
    ActionChains(driver).move_to_element_with_offset(canvas, x - width / 2, y - height / 2).click().perform()


# Counts Dash's callback requests and the size of each answer, from inside the page: Dash posts
# every server callback with fetch() to /_dash-update-component. Installed before the page's own
# scripts run (CDP), so the first load is counted too.
CALLBACK_LOG_JS = """
(() => {
  const log = window.__atlasCallbacks = [];
  window.__atlasPending = 0;
  const original = window.fetch;
  window.fetch = function(resource, init) {
    const url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    if (!url.includes("_dash-update-component")) { return original.apply(this, arguments); }
    let output = "";
    try { output = JSON.parse((init && init.body) || "{}").output || ""; } catch (e) {}
    window.__atlasPending += 1;
    return original.apply(this, arguments).then(response => {
      response.clone().text().then(text => {
        log.push({output: output, status: response.status, bytes: new TextEncoder().encode(text).length});
        window.__atlasPending -= 1;
      });
      return response;
    }, error => { window.__atlasPending -= 1; throw error; });
  };
})();
"""


def log_callbacks(driver) -> None:
    """From now on, every page this driver opens records its callback requests (see :func:`callbacks_since`)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CALLBACK_LOG_JS})


def callbacks_since(driver, mark: int) -> list[dict]:
    """The callback requests after the first ``mark`` ones: ``{"output", "status", "bytes"}`` each."""
    return driver.execute_script("return (window.__atlasCallbacks || []).slice(arguments[0]);", mark)


def callback_count(driver) -> int:
    return driver.execute_script("return (window.__atlasCallbacks || []).length;")
