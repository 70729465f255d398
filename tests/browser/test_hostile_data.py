"""A dataset whose texts are attacks: names, notes, descriptions, sources, the dataset's title and
a story's texts hold script payloads (a ``javascript:`` URL never gets past the loader's checks).
No payload runs on any page (the atlas, a selection's details, the table, an embed, a presentation
and its index), and each shows as the text it is."""

from __future__ import annotations

import csv
import io
import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import ROOT, start_app, stop
from tests.browser.helpers import TIMEOUT, open_atlas, wait_idle

pytestmark = pytest.mark.browser

#: each payload, if it ever ran, sets window.__xss (in the page or in a frame of it)
PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload="window.__xss=1">',
    "</title><script>window.__xss=1</script>",
]
ACTOR = "tecnopolo-modena"


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        change(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _hostile_dataset(target: Path) -> Path:
    shutil.copytree(ROOT / "data" / "emilia-romagna", target)
    meta = json.loads((target / "dataset.json").read_text(encoding="utf-8"))
    meta["title"] = "Atlas " + PAYLOADS[3]
    (target / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")

    def actor(row: dict) -> None:
        if row["id"] == ACTOR:
            row["name"] = "Modena " + PAYLOADS[0]
            row["description"] = PAYLOADS[1]
            row["note"] = PAYLOADS[2]
            # (a javascript: url is refused by the loader's validation, and never a link in the details)
            row["source"] = "https://example.org/src " + PAYLOADS[0]

    _rewrite(target / "actors.csv", actor)

    def grouping(row: dict) -> None:
        if row["id"] == "high-technology-network":
            row["name"] = "HTN " + PAYLOADS[2]
            row["note"] = PAYLOADS[1]

    _rewrite(target / "groupings.csv", grouping)
    stories = target / "stories"
    stories.mkdir()
    story = {
        "title": {"en": "Attack " + PAYLOADS[3], "it": "Attacco " + PAYLOADS[0]},
        "steps": [
            {
                "title": {"en": "Step " + PAYLOADS[1], "it": "Passo " + PAYLOADS[1]},
                "text": {"en": PAYLOADS[0], "it": PAYLOADS[2]},
                "state": f"?sel={ACTOR}",
            }
        ],
    }
    (stories / "attack.json").write_text(json.dumps(story), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> Iterator[str]:
    data = _hostile_dataset(tmp_path_factory.mktemp("hostile") / "data")
    proc, url = start_app({"ATLAS_DATA_DIR": str(data)})
    yield url
    stop(proc)


RAN = """
const frames = [window, ...Array.from(document.querySelectorAll('iframe')).map(f => f.contentWindow)];
return frames.some(w => { try { return w.__xss !== undefined; } catch (e) { return false; } });
"""


def _no_payload_ran(driver) -> None:
    assert not driver.execute_script(RAN), f"a payload ran on {driver.current_url}"


def test_no_payload_runs_on_the_atlas_and_the_texts_read_as_written(hostile_url: str, browser) -> None:
    open_atlas(browser, hostile_url + f"/?sel={ACTOR}")
    WebDriverWait(browser, TIMEOUT).until(lambda d: "Modena" in d.find_element(By.ID, "atlas-details").text)
    wait_idle(browser)
    details = browser.find_element(By.ID, "atlas-details").text
    assert PAYLOADS[0] in details and PAYLOADS[1] in details and PAYLOADS[2] in details  # text, not markup
    assert not browser.find_elements(By.CSS_SELECTOR, "#atlas-details a[href^='javascript']")
    assert PAYLOADS[3] in browser.title  # the page title shows the text
    _no_payload_ran(browser)
    # the table lists the same records
    browser.get(hostile_url + "/?view=table&q=Modena")
    WebDriverWait(browser, TIMEOUT).until(lambda d: "Modena" in d.find_element(By.ID, "atlas-table").text)
    assert PAYLOADS[0] in browser.find_element(By.ID, "atlas-table").text
    _no_payload_ran(browser)
    # the map's hover shows it as text (plotly draws a hover of its own markup subset)
    browser.get(hostile_url + f"/embed?view=map&details=1&sel={ACTOR}")
    WebDriverWait(browser, TIMEOUT).until(lambda d: "Modena" in d.find_element(By.ID, "atlas-details").text)
    wait_idle(browser)
    _no_payload_ran(browser)


def test_no_payload_runs_in_a_presentation_or_its_index(hostile_url: str, browser) -> None:
    browser.get(hostile_url + "/present/")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_elements(By.ID, "stage-index"))
    assert "Attack " + PAYLOADS[3] in browser.find_element(By.ID, "stage-index").text
    _no_payload_ran(browser)
    browser.get(hostile_url + "/present/attack")
    WebDriverWait(browser, TIMEOUT).until(
        lambda d: d.execute_script("return window.atlasStage && window.atlasStage.ready()")
    )
    assert browser.find_element(By.ID, "present-title").text == "Step " + PAYLOADS[1]
    assert browser.find_element(By.ID, "present-text").text == PAYLOADS[0]
    _no_payload_ran(browser)


def test_exports_hold_the_texts_as_data(hostile_url: str) -> None:
    with urllib.request.urlopen(hostile_url + f"/export/records.csv?q=Modena&sel={ACTOR}") as response:
        text = response.read().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[ACTOR]["name"] == "Modena " + PAYLOADS[0]
    assert rows[ACTOR]["note"] == PAYLOADS[2]
