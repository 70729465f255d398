"""Exports, downloaded by headless Chromium and read back: images with their caption, records as data."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from core.i18n import day
from tests.browser.helpers import TIMEOUT, open_atlas, requests_made, wait_idle, wait_network_ready

pytestmark = pytest.mark.browser
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def downloads(browser, tmp_path: Path) -> Path:
    """Downloads of the shared browser go to this test's own folder."""
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    return tmp_path


def _wait_file(browser, folder: Path, pattern: str, timeout: float = TIMEOUT) -> Path:
    """The downloaded file matching ``pattern`` once complete (Chromium writes ``.crdownload`` until then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            time.sleep(0.2)  # let the file be closed
            return done[0]
        time.sleep(0.2)
    raise AssertionError(
        f"no download matching {pattern} in {folder}: {[p.name for p in folder.iterdir()]}; "
        f"export status: {browser.find_element(By.ID, 'atlas-export-status').text!r}"
    )


def _open_menu(browser) -> None:
    browser.find_element(By.ID, "atlas-export-button").click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-export-panel").is_displayed())


def _png_size_and_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width and height from the PNG header, and the decompressed image data (to see it is not blank)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def _svg_text(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def _shown_count(browser) -> int:
    """Records shown, as the counts line says: actors + networks and programmes + areas + links."""
    text = browser.find_element(By.ID, "filter-counts").text
    numbers = {
        label: int(n.replace(",", ""))
        for n, label in re.findall(r"([\d,]+) (actors|networks and programmes|areas|links)", text)
    }
    assert set(numbers) == {"actors", "networks and programmes", "areas", "links"}, text
    return sum(numbers.values())


def _legend_texts(browser, legend_id: str) -> tuple[list[str], list[str]]:
    """The headings (of sections with items) and the item texts of a view's HTML legend, as shown."""
    return browser.execute_script(
        "const holder = document.getElementById(arguments[0]);"
        "const headings = Array.from(holder.querySelectorAll('h3')).filter(h => {"
        "  const next = h.nextElementSibling; return next && next.tagName === 'UL'; }).map(h => h.textContent.trim());"
        "const items = Array.from(holder.querySelectorAll('li')).filter(li => !li.querySelector('.badge-synthetic'))"
        "  .map(li => li.textContent.trim().replace(/\\s+/g, ' '));"
        "return [headings, items];",
        legend_id,
    )


def _svg_legend(root: ET.Element) -> str:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    return " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))


def _assert_legend_drawn(browser, root: ET.Element, legend_id: str) -> None:
    """Every heading and item of the page's legend is in the image's legend, in words."""
    headings, items = _legend_texts(browser, legend_id)
    assert headings and items
    drawn = _svg_legend(root)
    missing = [text for text in headings + items if text not in drawn]
    assert not missing, (missing, drawn)


def _requests_outside(browser) -> list[str]:
    urls = requests_made(browser)
    assert urls  # the log works, so an empty "outside" list means something
    return [
        u
        for u in urls
        if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]


def test_map_png_and_svg_with_caption(app_url: str, browser, downloads: Path) -> None:
    open_atlas(browser, app_url + "/?prov=IT-BO")
    browser.get_log("performance")
    width, height = browser.execute_script(
        "const gd = document.querySelector('#atlas-map .js-plotly-plot');"
        "return [Math.round(gd._fullLayout.width), Math.round(gd._fullLayout.height)];"
    )
    _open_menu(browser)
    browser.find_element(By.ID, "atlas-export-map-png").click()
    png = _wait_file(browser, downloads, "atlas-map-*.png")
    png_width, png_height, pixels = _png_size_and_pixels(png)
    assert png_width == 2 * width
    assert png_height > 2 * height + 100  # the caption is under the map
    assert len(set(pixels[:: max(1, len(pixels) // 20000)])) > 10  # drawn, not a blank canvas

    browser.find_element(By.ID, "atlas-export-map-svg").click()
    svg = _wait_file(browser, downloads, "atlas-map-*.svg")
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag == f"{SVG}svg"
    assert float(root.get("width")) == width and float(root.get("height")) > height
    caption = _svg_text(root)
    assert "Emilia-Romagna innovation networks — Map" in caption
    assert "Provinces: Bologna" in caption
    assert "synthetic demo data" in caption  # Bologna's start-ups are the synthetic sample
    assert f"Exported on {day(date.today(), 'en')}" in caption
    assert "Sources:" in caption
    _assert_legend_drawn(browser, root, "atlas-map-legend")
    # the map itself: plotly's SVG, with the MapLibre canvas as an embedded PNG
    images = [e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter(f"{SVG}image")]
    assert any(src and src.startswith("data:image/png") for src in images)
    assert _requests_outside(browser) == []


def test_network_png_and_svg_with_caption(app_url: str, browser, downloads: Path) -> None:
    open_atlas(browser, app_url + "/?kind=technopole,university&view=network")
    wait_network_ready(browser)
    width, height, nodes = browser.execute_script(
        "const c = window.cy.container(); return [c.clientWidth, c.clientHeight, window.cy.nodes().length];"
    )
    assert nodes > 5
    _open_menu(browser)
    assert not browser.find_element(By.ID, "atlas-export-map-png").is_enabled()  # the map is hidden in this view
    browser.find_element(By.ID, "atlas-export-network-png").click()
    png = _wait_file(browser, downloads, "atlas-network-*.png")
    png_width, png_height, pixels = _png_size_and_pixels(png)
    assert png_width == 2 * width and png_height > 2 * height + 100
    assert len(set(pixels[:: max(1, len(pixels) // 20000)])) > 10

    browser.find_element(By.ID, "atlas-export-network-svg").click()
    svg = _wait_file(browser, downloads, "atlas-network-*.svg")
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    svg.unlink()
    assert float(root.get("width")) == width and float(root.get("height")) > height
    caption = _svg_text(root)
    assert "— Network" in caption and "Kinds: Technopole, University" in caption
    assert "synthetic demo data" not in caption  # no start-up among technopoles and universities
    view = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "nodes")
    assert len(list(view)) == nodes  # every node drawn (the fitted view shows them all)
    _assert_legend_drawn(browser, root, "atlas-network-legend")
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert len([e for e in legend if e.tag != f"{SVG}text"]) >= 3  # swatches: shapes and lines, not words only

    # Zoomed in, as a reader does to read names: the labels cytoscape now draws are in the SVG too.
    every, inside = browser.execute_script(
        "const cy = window.cy; cy.zoom({level: 2, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});"
        "return [cy.nodes().map(n => n.style('label')), cy.nodes().filter(n => { const p = n.renderedPosition();"
        "  return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(); }).map(n => n.style('label'))];"
    )
    assert inside
    browser.find_element(By.ID, "atlas-export-network-svg").click()
    root = ET.fromstring(_wait_file(browser, downloads, "atlas-network-*.svg").read_text(encoding="utf-8"))
    drawn = [
        ("".join(t.itertext())).rstrip("…")
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "labels"
        for t in g.iter(f"{SVG}text")
    ]
    assert drawn and all(any(label.startswith(d) for label in every) for d in drawn)
    assert all(any(label.startswith(d) for d in drawn) for label in inside)


def test_records_csv_and_geojson_match_the_counts(app_url: str, browser, downloads: Path) -> None:
    query = "?prov=IT-BO,IT-FE&year=2010-2019"
    open_atlas(browser, app_url + "/" + query)
    shown = _shown_count(browser)
    assert shown > 10
    _open_menu(browser)
    link = browser.find_element(By.ID, "atlas-export-csv")
    assert link.get_attribute("href") == app_url + "/export/records.csv" + query
    link.click()
    rows = list(csv.DictReader(io.StringIO(_wait_file(browser, downloads, "*.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == shown
    assert {"id", "name", "kind", "gvcs", "source", "synthetic", "entity", "lon", "lat", "wkt"} <= rows[0].keys()

    browser.find_element(By.ID, "atlas-export-geojson").click()
    collection = json.loads(_wait_file(browser, downloads, "*.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == shown
    assert {f["id"] for f in collection["features"]} == {r["id"] for r in rows}
    assert all(f["type"] == "Feature" and "properties" in f and "geometry" in f for f in collection["features"])


def test_an_image_names_the_selection(app_url: str, browser, downloads: Path) -> None:
    open_atlas(browser, app_url + "/?view=network&kind=technopole&sel=tecnopolo-bologna-cnr")
    wait_network_ready(browser)
    _open_menu(browser)
    browser.find_element(By.ID, "atlas-export-network-svg").click()
    root = ET.fromstring(_wait_file(browser, downloads, "atlas-network-*.svg").read_text(encoding="utf-8"))
    assert "Selected: Bologna CNR Technopole — Technopole" in _svg_text(root)


def _counts_links(browser) -> tuple[int, int]:
    """The counts line's links and cluster memberships: "N links shown, plus M cluster memberships ..."."""
    text = browser.find_element(By.ID, "filter-counts").text
    links = re.search(r"([\d,]+) links shown", text)
    memberships = re.search(r"plus ([\d,]+) cluster memberships", text)
    assert links, text
    return int(links.group(1).replace(",", "")), int(memberships.group(1).replace(",", "")) if memberships else 0


@pytest.mark.parametrize("query", ["?kind=technopole,university,research_centre,support_body", ""])
def test_links_export_matches_the_counts_and_the_network(app_url: str, browser, downloads: Path, query: str) -> None:
    open_atlas(browser, app_url + "/" + query)
    wait_network_ready(browser)
    links, memberships = _counts_links(browser)
    # what the network draws: each edge stands for its count (a bundle) or itself; a group's hub edges are not links
    drawn, singles = browser.execute_script(
        "const edges = window.cy.edges().filter(e => !e.hasClass('member'));"
        "return [edges.reduce((n, e) => n + (e.data('count') || 1), 0),"
        "        edges.filter(e => !e.data('count')).map(e => e.id())];"
    )
    notice = browser.find_element(By.ID, "atlas-network-notice").text
    assert "not drawn" not in notice  # nothing cut by the edge budget here: every link is drawn
    _open_menu(browser)
    browser.find_element(By.ID, "atlas-export-links-csv").click()
    rows = list(csv.DictReader(io.StringIO(_wait_file(browser, downloads, "atlas-links-*.csv").read_text("utf-8-sig"))))
    assert len(rows) == links + memberships == drawn
    assert sum(r["derived"] == "true" for r in rows) == memberships
    assert set(singles) <= {r["id"] for r in rows}
    browser.find_element(By.ID, "atlas-export-links-geojson").click()
    collection = json.loads(_wait_file(browser, downloads, "atlas-links-*.geojson").read_text(encoding="utf-8"))
    assert len(collection["features"]) == len(rows)


def test_embed_has_the_export_menu_only_when_enabled(app_url: str, browser, downloads: Path) -> None:
    browser.get(app_url + "/embed?view=map&prov=IT-FE")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot"))
    wait_idle(browser)
    assert not browser.find_element(By.ID, "atlas-export-button").is_displayed()
    assert not browser.find_element(By.ID, "atlas-export-embed-button").is_displayed()

    browser.get(app_url + "/embed?view=map&prov=IT-FE&export=1")
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-map .js-plotly-plot"))
    wait_idle(browser)
    assert not browser.find_element(By.ID, "atlas-notice").is_displayed()  # `export` is not an unknown parameter
    button = browser.find_element(By.ID, "atlas-export-embed-button")
    assert button.is_displayed()
    button.click()
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element(By.ID, "atlas-export-panel").is_displayed())
    browser.find_element(By.ID, "atlas-export-map-png").click()
    width, _, _ = _png_size_and_pixels(_wait_file(browser, downloads, "atlas-map-*.png"))
    assert width > 200
    browser.find_element(By.ID, "atlas-export-geojson").click()
    collection = json.loads(_wait_file(browser, downloads, "*.geojson").read_text(encoding="utf-8"))
    assert collection["features"] and all(
        f["properties"]["province"] in (None, "IT-FE")
        for f in collection["features"]
        if f["properties"]["entity"] == "actor"
    )
