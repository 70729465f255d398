"""Headless Chromium for the benchmark: the browser itself (with hooks installed before any page script),
the page's status as the benchmark polls it, and the first load of a page (bytes over the wire)."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import urllib3

from scripts.bench.common import CHROME, CHROME_FLAGS, CHROMEDRIVER
from scripts.bench.payloads import short_output

try:  # selenium is needed for the browser part only; the pure helpers must import without it
    from selenium.common.exceptions import WebDriverException
except ImportError:  # pragma: no cover
    WebDriverException = OSError  # type: ignore[misc,assignment]

#: installed before any page script: counts cytoscape element changes and layouts from the first moment,
#: by catching dash-cytoscape's ``window.cy = cy``
NET_HOOK = """
(() => {
  const net = window.__benchNet = {running: 0, changes: 0, lastEvent: 0, paint: 0};
  // uncaught page errors, e.g. plotly's "Map error." when maplibre rejects an update: the map then never repaints
  const errors = window.__benchErrors = [];
  window.addEventListener('error', e => errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', e => errors.push(String(e.reason && e.reason.message || e.reason)));
  let current = null, pending = false;
  const paint = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => requestAnimationFrame(() => { pending = false; net.paint = performance.now(); }));
  };
  Object.defineProperty(window, 'cy', {configurable: true, get() { return current; }, set(cy) {
    if (cy && cy !== current) {
      cy.on('add remove data position', () => { net.changes++; net.lastEvent = performance.now(); paint(); });
      // a layout may have started before window.cy was set: never count below zero
      cy.on('layoutstart', () => { net.running++; net.lastEvent = performance.now(); });
      cy.on('layoutstop', () => {
        net.running = Math.max(0, net.running - 1);
        net.lastEvent = performance.now();
        paint();
      });
    }
    current = cy;
  }});
})();
"""
#: page state polled by Python: Dash busy?, map drawn?, network settled?
STATUS_JS = """
const gd = document.querySelector('#atlas-map .js-plotly-plot');
const net = window.__benchNet || {};
const map = window.__benchMap || {};
return {busy: document.querySelectorAll('[data-dash-is-loading="true"]').length,
        counts: (document.getElementById('filter-counts') || {}).textContent || '',
        plotted: !!(gd && gd.data && gd.data.length && gd._fullLayout), cy: !!window.cy,
        layouts: net.running || 0, changes: net.changes || 0, lastEvent: net.lastEvent || 0,
        netPaint: net.paint || 0, mapPaint: map.paint || 0, now: performance.now(), t0: window.__benchT0 || 0,
        errors: (window.__benchErrors || []).slice(-3)};
"""


class Browser:
    """Headless Chromium through chromedriver; quits (and reaps its processes) on close.

    ``perf_log``: keep Chrome's performance log (what :func:`first_load` reads; it grows with every
    request, so leave it off for long runs that never read it). ``scripts``: more sources to evaluate
    in every new document before its own scripts, after :data:`NET_HOOK`.
    """

    def __init__(self, perf_log: bool = True, scripts: tuple[str, ...] = ()) -> None:
        from selenium import webdriver

        options = webdriver.ChromeOptions()
        options.binary_location = CHROME
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        if perf_log:
            options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        # An explicit driver path: selenium must never try to download one.
        self.driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
        self.driver.set_page_load_timeout(180)
        for source in (NET_HOOK, *scripts):
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def guarded(self, fn: Callable[..., Any], *args: Any, timeout: float = 10.0) -> Any:
        """``fn(*args)`` in a daemon thread, given up after ``timeout`` s (raises ``TimeoutError``).

        A page whose main thread is blocked (the naive app at 100k) makes chromedriver wait without
        end; the benchmark must keep its own deadlines, and close() kills the browser anyway.
        """
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(*args)
            except (WebDriverException, urllib3.exceptions.HTTPError, OSError) as exc:
                box["error"] = exc

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError(f"no answer from the browser in {timeout:.0f} s")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def close(self) -> None:
        """Quit chromedriver and Chromium, killing whatever does not quit in time."""
        service = self.driver.service.process
        children = _descendants(service.pid) if service else []
        try:
            self.guarded(self.driver.quit, timeout=30)
        except (WebDriverException, OSError, urllib3.exceptions.HTTPError) as exc:
            # a hung page must not stop the cleanup below (TimeoutError is an OSError)
            print(f"  (browser quit failed: {exc!r}; killing it)", file=sys.stderr)
        for pid in [*children, *([service.pid] if service else [])]:
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def status(self) -> dict | None:
        """The page's state (:data:`STATUS_JS`), or None when the page is too busy to answer."""
        try:
            return self.guarded(self.driver.execute_script, STATUS_JS)
        except (WebDriverException, urllib3.exceptions.HTTPError, TimeoutError):
            return None  # the page is too busy to answer: still working

    def errors_since(self, count: int) -> list[str]:
        """Page errors recorded after the first ``count`` ones ([] if the page does not answer)."""
        try:
            return (
                self.guarded(self.driver.execute_script, "return window.__benchErrors.slice(arguments[0]);", count)
                or []
            )
        except (WebDriverException, urllib3.exceptions.HTTPError, TimeoutError):
            return []


def _descendants(pid: int) -> list[int]:
    """Pids of every process below ``pid`` (chromedriver's Chromium processes), read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    out, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == current]
        out += kids
        frontier += kids
    return out


def wait_settled(browser: Browser, timeout: float, quiet: float = 0.6) -> bool:
    """Wait until Dash is idle, map and network are drawn and no layout runs, for ``quiet`` s; False on timeout."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        s = browser.status()
        ok = bool(
            s
            and not s["busy"]
            and s["counts"].strip()
            and s["plotted"]
            and s["cy"]
            and s["layouts"] == 0
            and s["now"] - s["lastEvent"] > 1000 * quiet
        )
        if ok:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet:
                return True
        else:
            quiet_since = None
        time.sleep(0.1)
    return False


def first_load(browser: Browser, url: str, timeout: float) -> dict:
    """Open the page in a fresh profile; bytes of every response until idle, and the biggest ones."""
    driver = browser.driver
    driver.get_log("performance")  # drop anything logged before the navigation
    start = time.monotonic()
    driver.get(url + "/")
    settled = wait_settled(browser, timeout)
    seconds = time.monotonic() - start
    if not settled:  # the page is stuck: reading its log would hang too
        return {"settled": False, "seconds": seconds, "bytes": None, "requests": 0, "largest": [], "external": []}
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    external: set[str] = set()  # the atlas must make no request outside the machine
    for entry in browser.guarded(driver.get_log, "performance", timeout=60):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            request = params["request"]
            if not request["url"].startswith((url, "data:", "blob:")):
                external.add(request["url"])
            name = request["url"].replace(url, "")
            if "_dash-update-component" in name:
                with suppress(ValueError, KeyError):
                    name = "callback " + short_output(json.loads(request.get("postData") or "{}")["output"])
            urls[params["requestId"]] = name
        elif message["method"] == "Network.loadingFinished":
            sizes[params["requestId"]] = sizes.get(params["requestId"], 0) + int(params["encodedDataLength"])
    items = sorted(((urls.get(r, r), n) for r, n in sizes.items()), key=lambda item: -item[1])
    return {
        "settled": settled,
        "seconds": seconds,
        "bytes": sum(sizes.values()),
        "requests": len(sizes),
        "largest": items[:5],
        "external": sorted(external),
    }
