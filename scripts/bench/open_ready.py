"""Open to both views ready: from ``driver.get(url)`` until the map and the network are drawn and no
Dash callback is in flight, for several pages side by side in one browser.

A script evaluated in every new document (before the page's own) wraps ``window.fetch`` to count the
pending ``_dash-update-component`` requests (a request ends when its body has been read), hooks
``plotly_afterplot`` on the first plotly graph as soon as it exists, and checks on every animation
frame whether the page is ready: the graph has drawn data (``gd._fullData`` non-empty, after an
``afterplot``), ``window.cy`` (dash-cytoscape's instance) has elements and runs no layout, no
``[data-dash-is-loading="true"]`` element, no pending callback request. Any activity (a request
starting or ending, a plotly redraw, a cytoscape add/remove/position/layout event) resets it, so the
time taken is the first frame of the last ready stretch, once it has lasted ``quiet`` seconds
(3 s: the naive app's browser-side layout pauses for up to ~2 s and goes on).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

import urllib3

from scripts.bench.browser import Browser, WebDriverException
from scripts.bench.common import say

READY_HOOK = """
(() => {
  const st = window.__benchReady = {pending: 0, requests: 0, readySince: 0, afterplot: 0, late: false, net: -1};
  const touch = () => { st.readySince = 0; };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : String((input && input.url) || input);
    if (!url.includes('_dash-update-component')) return realFetch.apply(this, arguments);
    st.pending++; st.requests++; touch();
    let open = true;
    const done = () => { if (open) { open = false; st.pending = Math.max(0, st.pending - 1); touch(); } };
    const promise = realFetch.apply(this, arguments);
    promise.then(res => {
      if (res.status !== 200) { done(); return; }
      // the request is over when the renderer has read the body
      for (const how of ['json', 'text']) {
        const read = res[how].bind(res);
        res[how] = () => { const p = read(); p.then(done, done); return p; };
      }
    }, done);
    return promise;
  };
  const drawnPoints = gd => {
    let n = 0;
    for (const t of gd._fullData || []) {
      if (t.type !== 'scattermap' || !String(t.mode || 'markers').includes('markers')) continue;
      for (const v of t.lon || []) if (v !== null && v !== undefined && !Number.isNaN(v)) n++;
    }
    return n;
  };
  const check = () => {
    const gd = document.querySelector('.js-plotly-plot');
    if (gd && gd.on && !gd.__benchReadyHooked) {
      gd.__benchReadyHooked = true;
      st.late = !!(gd._fullData && gd._fullData.length);  // drawn before the hook could see it
      gd.on('plotly_afterplot', () => {
        if (gd._fullData && gd._fullData.length) st.afterplot = performance.now();
        touch();
      });
    }
    const net = window.__benchNet || {};
    if ((net.lastEvent || 0) !== st.net) { st.net = net.lastEvent || 0; touch(); }
    const mapDrawn = !!(gd && gd._fullData && gd._fullData.length && (st.afterplot || st.late));
    const cy = window.cy;
    const ok = mapDrawn && st.pending === 0 && !net.running && !!cy
      && !document.querySelector('[data-dash-is-loading="true"]') && cy.elements().length > 0;
    if (!ok) st.readySince = 0;
    else if (!st.readySince) {
      st.readySince = performance.now();
      st.drawn = {points: drawnPoints(gd), nodes: cy.nodes().length, edges: cy.edges().length};
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""
READY_STATUS = """
const st = window.__benchReady;
return st ? {readySince: st.readySince, now: performance.now(), origin: performance.timeOrigin,
             pending: st.pending, requests: st.requests, drawn: st.drawn || null} : null;
"""


@dataclass
class OpenResult:
    """One page's open-to-ready times (ms), what it drew at ready, and how many runs timed out."""

    ms: list[float] = field(default_factory=list)
    timeouts: int = 0
    timeout: float = 0.0
    drawn: dict = field(default_factory=dict)
    requests: int = 0

    @property
    def median(self) -> float | None:
        """Median of the runs that finished; None if none did."""
        return statistics.median(self.ms) if self.ms else None


def open_browser() -> Browser:
    """A browser with the ready hook and no performance log (nothing reads it here)."""
    return Browser(perf_log=False, scripts=(READY_HOOK,))


def open_to_ready(browser: Browser, url: str, timeout: float, quiet: float = 3.0) -> tuple[float, dict] | None:
    """Ms from ``driver.get(url)`` until the page is ready (see the module doc), and the status then;
    None after ``timeout`` s. The browser cache is cleared first: every run is a first visit."""
    driver = browser.driver
    try:
        browser.guarded(driver.get, "about:blank", timeout=30)
        browser.guarded(driver.execute_cdp_cmd, "Network.clearBrowserCache", {}, timeout=30)
        start = time.time()
        deadline = time.monotonic() + timeout
        browser.guarded(driver.get, url, timeout=timeout)
    except (WebDriverException, urllib3.exceptions.HTTPError, OSError):  # TimeoutError is an OSError
        return None
    while time.monotonic() < deadline:
        try:
            s = browser.guarded(driver.execute_script, READY_STATUS)
        except (WebDriverException, urllib3.exceptions.HTTPError, OSError):
            s = None  # a busy page: still working
        if s and s["readySince"] and s["now"] - s["readySince"] >= 1000 * quiet:
            return s["origin"] + s["readySince"] - 1000 * start, s
        time.sleep(0.05)
    return None


def run_open_ready(
    pages: dict[str, str],
    runs: dict[str, int],
    timeouts: dict[str, float],
    progress: str,
    warm_up: bool = True,
    quiet: float = 3.0,
) -> dict[str, OpenResult]:
    """Up to ``runs[name]`` runs of each of ``pages`` (name -> URL), interleaved, in one browser (started
    again after a page that was not ready in time); a page that timed out twice is not opened again.
    ``warm_up``: open the first page once, untimed, before (the browser's own start-up costs).
    ``quiet``: how long the ready state must last (a layout may pause and go on)."""
    results = {name: OpenResult(timeout=timeouts[name]) for name in pages}
    browser = open_browser()
    try:
        if warm_up:
            name, url = next(iter(pages.items()))
            open_to_ready(browser, url, timeouts[name], quiet)
        for run in range(max(runs.values(), default=0)):
            for name, url in pages.items():
                result = results[name]
                if result.timeouts >= 2 or run >= runs[name]:
                    continue
                got = open_to_ready(browser, url, timeouts[name], quiet)
                if got is None:
                    result.timeouts += 1
                    say(f"  {progress} {name} run {run + 1}/{runs[name]}: not ready in {timeouts[name]:.0f} s")
                    browser.close()  # the page may keep the browser busy: start afresh
                    browser = open_browser()
                    continue
                ms, status = got
                result.ms.append(ms)
                result.drawn, result.requests = status.get("drawn") or {}, status.get("requests", 0)
                say(
                    f"  {progress} {name} run {run + 1}/{runs[name]}: {ms:.0f} ms, drew {result.drawn}, "
                    f"{result.requests} callback requests"
                )
    finally:
        browser.close()
    return results
