"""WCAG 2.1 AA checked by a real engine: axe-core (npm, installed by .ci/run) run in the page on the
atlas, the table, an embed and a presentation, in the default view and a filtered one with a
selection, in several languages: no serious or critical violation. Colour contrast is among axe's
rules; the palettes' contrast and their colour-vision safety are checked in tests/test_palettes.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, open_atlas, wait_idle

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE}): npm install axe-core (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _violations(driver, axe_source: str) -> list[dict]:
    """Axe's serious and critical violations of WCAG 2.1 A and AA on the page as it is now."""
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));",
        TAGS,
    )
    found = json.loads(result)
    assert not isinstance(found, dict), found
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [n["target"] for n in v["nodes"][:4]],
        }
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?lang=it",
        "/?gvc=clust-er-mech&link=research_collaboration&sel=tecnopolo-bologna-dama",
        "/?view=table&prov=IT-BO&lang=de",
        "/?scope=world&link=partner_agreement&sel=CN-GD&lang=zh",
        "/?view=network&sel=high-technology-network&lang=fr",
        "/?view=map&areas=eusair&lang=pl",
        # the analyses (issue 14): rankings, suggestions and a comparison; the two matrix views
        "/?rank=brokers&size=betweenness&suggest=1&compare=2018,2024&sel=tecnopolo-bologna-dama",
        "/?view=strengths&lang=it",
        "/?view=sundial&lang=de",
    ],
)
def test_the_atlas_has_no_serious_violation(app_url: str, browser, axe_source: str, path: str) -> None:
    open_atlas(browser, app_url + path)
    assert _violations(browser, axe_source) == []


@pytest.mark.parametrize("path", ["/embed?view=network&sel=tecnopolo-bologna-dama", "/embed?view=map&scope=world"])
def test_an_embed_has_no_serious_violation(app_url: str, browser, axe_source: str, path: str) -> None:
    browser.get(app_url + path)
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script("return !!window.cy"))
    wait_idle(browser)
    assert _violations(browser, axe_source) == []


@pytest.mark.parametrize("path", ["/present/abroad", "/present/", "/present/mechatronics?lang=it"])
def test_a_presentation_has_no_serious_violation(app_url: str, browser, axe_source: str, path: str) -> None:
    browser.get(app_url + path)
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if path != "/present/":
        WebDriverWait(browser, 60).until(
            lambda d: d.execute_script("return !document.body.classList.contains('stage-waiting')")
        )
    assert _violations(browser, axe_source) == []
