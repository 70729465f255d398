"""Repaint in the browser: click filters as a person would, and time until both views are repainted."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.bench.browser import Browser, first_load, wait_settled
from scripts.bench.common import say
from scripts.bench.servers import running

#: armed just before a click: the map counts as redrawn at the first ``plotly_afterplot`` (a full replot) or
#: ``plotly_react`` (the end of every ``Plotly.react``, also when plotly only restyles) with new ``gd.data``
ARM_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
window.__benchMap = {old: gd.data, paint: 0, plotted: 0};
if (!gd.__benchHooked) {
  gd.__benchHooked = true;
  const done = () => {
    const m = window.__benchMap;
    if (m && !m.plotted && gd.data !== m.old) {
      m.plotted = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { m.paint = performance.now(); }));
    }
  };
  gd.on('plotly_afterplot', done);
  gd.on('plotly_react', done);
}
// maplibre reports why it rejected an update only on its own 'error' event: keep the first line
const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
if (sub && sub.map && !sub.map.__benchHooked) {
  sub.map.__benchHooked = true;
  sub.map.on('error', e => window.__benchErrors.push('maplibre: ' + String(e.error && e.error.message || e)));
}
window.__benchT0 = performance.now();
// the time starts when the click reaches the page (WebDriver takes ~50-300 ms to deliver it), not at the arming
document.addEventListener('mousedown', () => { window.__benchT0 = performance.now(); }, {capture: true, once: true});
return [window.__benchNet.changes, window.__benchErrors.length];
"""


@dataclass
class Click:
    """One user action in the page: tick a province (by its label) or press a group button (by its text)."""

    kind: str  # "prov" | "button"
    text: str


def click_plan(browser: Browser) -> list[Click]:
    """Two provinces and one cluster button, ticked and unticked in an order that ends at the default state."""
    from selenium.webdriver.common.by import By

    labels = [e.text.strip() for e in browser.driver.find_elements(By.CSS_SELECTOR, "#filter-prov label")]
    provs = [p for p in ("Bologna", "Ferrara") if p in labels] or labels[:2]
    buttons = sorted(
        b.get_attribute("textContent").strip()
        for b in browser.driver.find_elements(By.TAG_NAME, "button")
        if (b.get_attribute("textContent") or "").strip().startswith("All of ")
    )
    a, b, group = provs[0], provs[1], buttons[0]
    return [
        Click("prov", a),
        Click("button", group),
        Click("prov", b),
        Click("prov", a),
        Click("button", group),
        Click("prov", b),
    ]


def xpath_literal(text: str) -> str:
    """``text`` as an XPath string literal, whatever quotes it holds (e.g. Reggio nell'Emilia)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"


def _element(browser: Browser, click: Click) -> Any:
    from selenium.webdriver.common.by import By

    text = xpath_literal(click.text)
    if click.kind == "prov":
        return browser.driver.find_element(By.XPATH, f"//*[@id='filter-prov']//label[normalize-space(.)={text}]")
    button = browser.driver.find_element(By.XPATH, f"//button[normalize-space(.)={text}]")
    if not button.is_displayed():  # in a closed sector block: open it as a person would, before timing
        button.find_element(By.XPATH, "./ancestor::details[1]/summary").click()
        time.sleep(0.3)
    return button


@dataclass
class ClickResult:
    """One click: ms until both views were repainted (None if not), and the page error that stopped the map."""

    ms: float | None
    error: str = ""
    #: ms until the map, and until the network, was repainted (what ``ms`` is the later of)
    map_ms: float | None = None
    net_ms: float | None = None


def measure_click(browser: Browser, click: Click, timeout: float) -> ClickResult:
    """Time from the click until map and network are both repainted; ``ms`` None after ``timeout`` or an error."""
    element = _element(browser, click)
    changes, errors = browser.driver.execute_script(ARM_JS)
    element.click()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = browser.status()
        # 300 ms of quiet: dash-cytoscape re-runs the layout 100 ms after elements are added or removed.
        net_done = bool(
            s
            and s["changes"] > changes
            and s["layouts"] == 0
            and s["netPaint"] > s["lastEvent"]
            and s["now"] - s["lastEvent"] > 300
        )
        if s and net_done and not s["busy"] and s["mapPaint"]:
            return ClickResult(
                max(s["mapPaint"], s["netPaint"]) - s["t0"],
                map_ms=s["mapPaint"] - s["t0"],
                net_ms=s["netPaint"] - s["t0"],
            )
        page_errors = browser.errors_since(errors) if s else []
        if page_errors and net_done and not s["busy"]:
            # the map will not repaint any more (its graph stays pending): say why instead of waiting
            detail = next((e for e in page_errors if e.startswith("maplibre:")), page_errors[0])
            return ClickResult(None, detail.splitlines()[0][:160])
        time.sleep(0.05)
    return ClickResult(None)


@dataclass
class BrowserResult:
    """First load and repaint times of one app on one dataset, and the server's memory around them."""

    load: dict
    first: list[float]
    repeat: list[float]
    timed_out: bool
    clicks: int
    memory_after_load: float
    memory_after: float
    peak: float
    timeout: float
    #: clicks after which the map did not repaint because of a page error: (URL after the click, error)
    failures: list[tuple[str, str]] = field(default_factory=list)


def run_browser(
    script: str, data_dir: Path | None, rounds: int, timeout: float, log_dir: Path, progress: str, quick: bool
) -> BrowserResult:
    """Fresh server, fresh browser: first load, then the click plan ``rounds`` times."""
    with running(script, data_dir, log_dir) as server:
        browser = Browser()
        try:
            load = first_load(browser, server.url, timeout)
            after_load = server.memory()["VmRSS"]
            say(
                f"  {progress} first load: {(load['bytes'] or 0) / 1e6:.2f} MB, {load['seconds']:.1f} s, "
                f"settled={load['settled']}"
            )
            first: list[float] = []
            repeat: list[float] = []
            failures: list[tuple[str, str]] = []
            timed_out = not load["settled"]
            clicks = 0
            if not timed_out:
                plan = click_plan(browser)[:3] if quick else click_plan(browser)
                seen = {browser.driver.current_url}
                for round_ in range(rounds):
                    for click in plan:
                        if not wait_settled(browser, timeout):
                            timed_out = True
                            break
                        result = measure_click(browser, click, timeout)
                        clicks += 1
                        server.check()  # a click that "times out" on a dead server measures nothing
                        if result.ms is None and not result.error:
                            timed_out = True
                            break
                        # wait for the URL write-back, then classify by whether the state was seen before
                        wait_settled(browser, timeout)
                        current = browser.driver.current_url
                        if result.ms is None:
                            failures.append((current.replace(server.url, ""), result.error))
                            say(
                                f"  {progress} round {round_ + 1} {click.kind} {click.text!r}: map failed: "
                                f"{result.error}"
                            )
                            # the graph stays broken: reload the same URL (the state is in it) and go on
                            browser.driver.get(current)
                            if not wait_settled(browser, timeout):
                                timed_out = True
                                break
                        else:
                            (repeat if current in seen else first).append(result.ms)
                            say(f"  {progress} round {round_ + 1} {click.kind} {click.text!r}: {result.ms:.0f} ms")
                        seen.add(current)
                    if timed_out:
                        break
            memory = server.memory()
        finally:
            browser.close()
    return BrowserResult(
        load, first, repeat, timed_out, clicks, after_load, memory["VmRSS"], memory["VmHWM"], timeout, failures
    )
