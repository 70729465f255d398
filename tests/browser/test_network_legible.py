"""The network reads at its default view: hub labels big enough, apart, whole; nodes apart; a legend."""

from __future__ import annotations

import math
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import TIMEOUT, open_atlas, wait_idle

pytestmark = pytest.mark.browser

# What a person sees: per node, the label's on-screen font size, whether cytoscape draws it (it
# hides a label below its min-zoomed-font-size), the label's and the node's boxes on screen
# (rendered bounding boxes), the text drawn and the name it stands for.
MEASURE = """
const cy = window.cy, zoom = cy.zoom(), rect = cy.container().getBoundingClientRect();
// cytoscape skips a label under min-zoomed-font-size at the zoom rounded up to a power of two
const rounded = Math.pow(2, Math.ceil(Math.log2(zoom * (window.devicePixelRatio || 1))));
return cy.nodes().map(n => {
    const font = n.pstyle('font-size').pfValue * zoom;
    const shown = n.pstyle('label').strValue !== '' && n.pstyle('text-opacity').value > 0
        && n.pstyle('font-size').pfValue * rounded >= n.pstyle('min-zoomed-font-size').pfValue
        && n.pstyle('opacity').value > 0.5;
    const label = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    const body = n.renderedBoundingBox({includeLabels: false, includeOverlays: false});
    return {id: n.id(), font: font, shown: shown, label: label, body: body, text: n.pstyle('label').strValue,
            name: n.data('label'), wrap: n.pstyle('text-wrap').value, width: rect.width, height: rect.height};
});
"""


def _overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    apart_x = a["x2"] <= b["x1"] + slack or b["x2"] <= a["x1"] + slack
    return not (apart_x or a["y2"] <= b["y1"] + slack or b["y2"] <= a["y1"] + slack)


def _check_legible(browser) -> list[dict]:
    nodes = browser.execute_script(MEASURE)
    readable = [n for n in nodes if n["shown"] and n["font"] >= 11]
    assert len(readable) >= 15, [n["id"] for n in readable]
    assert all(n["font"] >= 11 for n in nodes if n["shown"]), "a label is drawn below 11 px"
    for i, a in enumerate(readable):
        for b in readable[i + 1 :]:
            assert not _overlap(a["label"], b["label"]), (a["id"], b["id"])
    for n in readable:  # whole: wrapped, never cut with an ellipsis; inside the panel
        assert n["wrap"] == "wrap" and " ".join(n["text"].split()) == " ".join(n["name"].split())
        box = n["label"]
        assert box["x1"] >= -1 and box["y1"] >= -1 and box["x2"] <= n["width"] + 1 and box["y2"] <= n["height"] + 1, n
    for i, a in enumerate(nodes):  # no node drawn over another (as discs: the shapes fit in them)
        for b in nodes[i + 1 :]:
            ax, ay = (a["body"]["x1"] + a["body"]["x2"]) / 2, (a["body"]["y1"] + a["body"]["y2"]) / 2
            bx, by = (b["body"]["x1"] + b["body"]["x2"]) / 2, (b["body"]["y1"] + b["body"]["y2"]) / 2
            reach = (a["body"]["w"] + b["body"]["w"]) / 2 - 2.0
            assert math.dist((ax, ay), (bx, by)) >= reach, (a["id"], b["id"])
    return readable


@pytest.mark.parametrize("query", ["/", "/?view=network"])
def test_the_default_network_is_legible(app_url: str, browser, query: str) -> None:
    open_atlas(browser, app_url + query)
    readable = _check_legible(browser)
    # level of detail: closer in, more labels can be read
    browser.execute_script("window.cy.zoom({level: window.cy.zoom() * 2, renderedPosition: {x: 300, y: 300}});")
    time.sleep(0.3)  # the page re-decides which labels are readable just after a zoom
    nodes = browser.execute_script(MEASURE)
    assert all(n["font"] >= 11 for n in nodes if n["shown"])
    assert sum(1 for n in nodes if n["shown"]) > len(readable)


def test_sizes_follow_links_and_the_page_has_a_network_legend(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/")
    sizes = browser.execute_script(
        "return window.cy.nodes('.actor').map(n => [n.data('degree'), n.renderedWidth() / window.cy.zoom()]);"
    )
    most, least = max(sizes), min(sizes)
    assert most[0] > least[0] and most[1] > least[1]
    legend = browser.find_element(By.ID, "atlas-network-legend").text
    assert "Network key" in legend and "Node size" in legend and "Links drawn" in legend


def test_selecting_a_node_makes_its_neighbours_readable(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?sel=clust-er-mech")
    wait_idle(browser)
    nodes = {n["id"]: n for n in browser.execute_script(MEASURE)}
    neighbours = browser.execute_script("return window.cy.$id('clust-er-mech').neighborhood('node').map(n => n.id());")
    assert neighbours and nodes["clust-er-mech"]["font"] >= 11
    assert all(nodes[i]["font"] >= 11 for i in neighbours)


@pytest.mark.parametrize("selected", ["tecnopolo-bologna-dama", "clust-er-mech", "unibo"])
def test_a_selections_labels_never_overlap(app_url: str, browser, selected: str) -> None:
    """A hub's neighbours get bigger labels: those that would cover a more important one give way."""
    open_atlas(browser, app_url + f"/?sel={selected}")
    wait_idle(browser)
    time.sleep(0.8)  # the panel docks, the network refits, the labels are sorted out
    nodes = {n["id"]: n for n in browser.execute_script(MEASURE)}
    shown = [n for n in nodes.values() if n["shown"]]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a["label"], b["label"]), (a["id"], b["id"])
    neighbours = browser.execute_script(f"return window.cy.$id('{selected}').neighborhood('node').map(n => n.id());")
    assert nodes[selected]["shown"] and nodes[selected]["font"] >= 11
    # the neighbours come first: as many of them readable as can be without overlapping (at least some)
    readable = [i for i in neighbours if nodes[i]["shown"] and nodes[i]["font"] >= 11]
    assert len(readable) >= min(len(neighbours), 3), (len(readable), len(neighbours))
    # cleared, the labels freed come back
    browser.find_element(By.CSS_SELECTOR, "#atlas-details-close, .details-close").click()
    # waited for, not slept on: the panel undocks, the network refits, then the labels are sorted out
    WebDriverWait(browser, TIMEOUT).until(lambda d: sum(1 for n in d.execute_script(MEASURE) if n["shown"]) >= 15)


def test_a_selection_at_the_edge_is_brought_into_view_with_its_labels(app_url: str, browser) -> None:
    open_atlas(browser, app_url + "/?sel=tecnopolo-bologna-dama")
    wait_idle(browser)
    time.sleep(0.8)  # the panel docks, the network refits and pans to the selection
    box, own, width, height = browser.execute_script(
        "const n = window.cy.$id('tecnopolo-bologna-dama');"
        "return [n.closedNeighborhood('node').renderedBoundingBox({includeLabels: true, includeEdges: false}),"
        " n.renderedBoundingBox({includeLabels: true}), window.cy.width(), window.cy.height()];"
    )
    # the selected node and its label are always wholly inside the panel
    assert own["x1"] >= 0 and own["x2"] <= width and own["y1"] >= 0 and own["y2"] <= height, own
    if box["w"] <= width - 24:  # its neighbourhood fits: all of it is inside the panel
        assert box["x1"] >= 0 and box["x2"] <= width, box
    if box["h"] <= height - 24:
        assert box["y1"] >= 0 and box["y2"] <= height, box
