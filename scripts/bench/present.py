"""Presentations: how long a shipped story takes to be ready, and how long a step takes, in headless Chromium.

Usage (from the repository root)::

    python -m scripts.bench.present                  # print the table
    python -m scripts.bench.present --update-readme  # also write it into README.md (bench-present markers)

For each story of the shipped dataset, in one fresh server and one fresh browser at 1280x720: the
time from opening ``/present/<story>`` until every scene's frame says it is drawn; then, ``rounds``
times, every step forward to the end and back to the start, each a key press (PageDown / PageUp).
A step is timed from the key's ``keydown`` in the page until the next scene is on the screen (two
animation frames after the switch), and counts as *ready* when that scene was drawn by then. The
same steps are also counted for requests to the server (there should be none). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scripts.bench.browser import Browser
from scripts.bench.common import ATLAS, README, fmt_pair, median_p95, say
from scripts.bench.servers import running

START, END = "<!-- bench-present:start -->", "<!-- bench-present:end -->"
TARGET_MS = 1000
SIZE = (1280, 720)

REQUESTS_JS = (
    "return performance.getEntriesByType('resource').length + Array.from(document.querySelectorAll('iframe'))"
    ".reduce((n, f) => { try { return n + f.contentWindow.performance.getEntriesByType('resource').length; } "
    "catch (e) { return n; } }, 0);"
)


@dataclass
class StoryResult:
    """One story: its steps, the time until every scene was drawn, and each step's time."""

    story: str
    steps: int
    ready_s: float | None = None
    step_ms: list[float] = field(default_factory=list)
    not_ready: int = 0
    requests: int = 0
    failure: str = ""


def _wait(browser: Browser, script: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if browser.driver.execute_script(script):
            return True
        time.sleep(0.1)
    return False


def measure_story(browser: Browser, url: str, story: str, steps: int, rounds: int, timeout: float) -> StoryResult:
    """Open the story, wait until every scene is drawn, then step through it ``rounds`` times."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    result = StoryResult(story, steps)
    driver = browser.driver
    began = time.monotonic()
    driver.get(f"{url}/present/{story}")
    if not _wait(browser, "return !!(window.atlasStage && window.atlasStage.ready())", timeout):
        result.failure = f"not every scene was drawn within {timeout:.0f} s"
        return result
    result.ready_s = time.monotonic() - began
    before = driver.execute_script(REQUESTS_JS)
    for _ in range(rounds):
        for key, count in ((Keys.PAGE_DOWN, steps - 1), (Keys.PAGE_UP, steps - 1)):
            for _ in range(count):
                driver.execute_script("window.atlasStage.paintedAt = 0; window.atlasStage.keyAt = 0;")
                ActionChains(driver).send_keys(key).perform()
                if not _wait(browser, "return window.atlasStage.paintedAt > 0 && window.atlasStage.keyAt > 0", 10):
                    result.failure = "a step did not reach the screen within 10 s"
                    return result
                done = driver.execute_script(
                    "const s = window.atlasStage; return [s.paintedAt - s.keyAt, s.paintedReady];"
                )
                result.step_ms.append(float(done[0]))
                result.not_ready += 0 if done[1] else 1
                time.sleep(0.3)  # a presenter's pace; also lets the frame settle
    result.requests = int(driver.execute_script(REQUESTS_JS)) - int(before)
    return result


def report(results: list[StoryResult], version: str, seconds: float) -> str:
    """The README block."""
    lines = [
        START,
        f"Measured by `python -m scripts.bench.present` on {date.today().isoformat()}: Chromium {version} headless "
        f"at {SIZE[0]}x{SIZE[1]}, the atlas (`python app.py`) on the shipped data; one server, one browser, "
        f"the run took {seconds / 60:.1f} min. A step is timed from its key's `keydown` in the page until the "
        "next scene is on the screen; *ready*: that scene was drawn by then. Target: under 1 s.",
        "",
        "| story | steps | every scene drawn after opening | step, median / p95 (n) | steps to a ready scene | "
        "requests during the steps | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.failure:
            lines.append(f"| `{r.story}` | {r.steps} | failed: {r.failure} |  |  |  |  |")
            continue
        _, p95 = median_p95(r.step_ms)
        met = "met" if p95 < TARGET_MS else "**missed**"
        lines.append(
            f"| `{r.story}` | {r.steps} | {r.ready_s:.1f} s | {fmt_pair(r.step_ms)} ({len(r.step_ms)}) | "
            f"{len(r.step_ms) - r.not_ready} of {len(r.step_ms)} | {r.requests} | < {TARGET_MS} ms: {met} |"
        )
    lines.append(END)
    return "\n".join(lines)


def update_readme(text: str, block: str) -> str:
    """``text`` with ``block`` between the markers (in place of the Presentations section's pointer)."""
    if START in text and END in text:
        return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, count=1, flags=re.S)
    return text.replace("<!-- bench-present --> see below.", "\n\n" + block, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from core.stories import load_stories
    from data import load_dataset

    stories = load_stories(load_dataset())[0]
    began = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-present-") as tmp, running(ATLAS, None, Path(tmp)) as server:
        for name, story in stories.items():
            browser = Browser(perf_log=False)
            try:
                browser.driver.execute_cdp_cmd(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": SIZE[0], "height": SIZE[1], "deviceScaleFactor": 1, "mobile": False},
                )
                say(f"story {name}: {len(story.steps)} steps")
                result = measure_story(browser, server.url, name, len(story.steps), args.rounds, args.timeout)
                version = browser.version
            finally:
                browser.close()
            say(f"  ready {result.ready_s}, steps {fmt_pair(result.step_ms)} {result.failure}")
            results.append(result)
    block = report(results, version, time.monotonic() - began)
    print(block)
    if args.update_readme:
        README.write_text(update_readme(README.read_text(encoding="utf-8"), block), encoding="utf-8")
        say(f"wrote {README}")
    return 1 if any(r.failure for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
