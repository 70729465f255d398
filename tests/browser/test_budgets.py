"""Budgets of server requests per user action, counted in the page (counts, never times).

A selection restyles the views (a Patch, a stylesheet, the details): at most 5 callback
requests and no answer of 8 KB or more. A filter change: at most 8 requests. A network layout
change never touches the map, and an overlay switch never touches the network.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import new_driver
from tests.browser.helpers import (
    TIMEOUT,
    callback_count,
    callbacks_since,
    click_network_node,
    counts_text,
    highlighted_on_map,
    log_callbacks,
    network_node_ids,
    open_atlas,
    query,
    wait_idle,
)

pytestmark = pytest.mark.browser

SELECTION_REQUESTS, SELECTION_BYTES, FILTER_REQUESTS = 5, 8 * 1024, 8


@pytest.fixture(scope="module")
def counted() -> Iterator[object]:
    """A browser whose pages log their callback requests (its own: the wrapper stays for its life)."""
    driver = new_driver()
    log_callbacks(driver)
    yield driver
    driver.quit()


def _outputs(calls: list[dict]) -> str:
    return "\n".join(f"{c['output'][:90]} ({c['bytes']} B)" for c in calls)


def test_a_selection_costs_at_most_five_small_requests(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    mark = callback_count(counted)
    click_network_node(counted, "unibo")
    WebDriverWait(counted, TIMEOUT).until(lambda d: "unibo" in highlighted_on_map(d))
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert query(counted)["sel"] == ["unibo"]
    assert "University of Bologna" in counted.find_element(By.ID, "atlas-details").text
    assert 1 <= len(calls) <= SELECTION_REQUESTS, _outputs(calls)
    assert max(c["bytes"] for c in calls) < SELECTION_BYTES, _outputs(calls)
    assert not any("atlas-network.elements" in c["output"] for c in calls), "a selection re-sent the network"
    assert all(c["status"] in (200, 204) for c in calls)


def test_a_filter_change_costs_at_most_eight_requests(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    before = counts_text(counted)
    mark = callback_count(counted)
    counted.find_element(By.CSS_SELECTOR, "#filter-prov input[value='IT-BO']").click()
    WebDriverWait(counted, TIMEOUT).until(lambda d: counts_text(d) != before)
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert query(counted)["prov"] == ["IT-BO"]
    assert 1 <= len(calls) <= FILTER_REQUESTS, _outputs(calls)


def test_tapping_a_group_expands_it(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    groups = [n for n in network_node_ids(counted) if n.startswith("group:")]
    assert groups
    before = len(network_node_ids(counted))
    click_network_node(counted, groups[0])
    WebDriverWait(counted, TIMEOUT).until(lambda d: len(network_node_ids(d)) > before)
    wait_idle(counted)
    expanded = len(network_node_ids(counted))
    click_network_node(counted, groups[0])  # a second tap collapses it again
    WebDriverWait(counted, TIMEOUT).until(lambda d: len(network_node_ids(d)) < expanded)


def _click(driver, selector: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def test_a_layout_change_never_touches_the_map(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    mark = callback_count(counted)
    _click(counted, "#network-layout input[value='geo']")
    WebDriverWait(counted, TIMEOUT).until(lambda d: query(d).get("layout") == ["geo"])
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert any("atlas-network.elements" in c["output"] for c in calls), _outputs(calls)
    assert not any("atlas-map." in c["output"] for c in calls), _outputs(calls)


def test_an_overlay_switch_never_touches_the_network(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    mark = callback_count(counted)
    _click(counted, "#filter-areas input[value='eusair']")
    WebDriverWait(counted, TIMEOUT).until(lambda d: query(d).get("areas") == ["eusair"])
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert any("atlas-map.figure" in c["output"] for c in calls), _outputs(calls)
    assert not any("atlas-network." in c["output"] for c in calls), _outputs(calls)


def test_a_ranking_chosen_asks_for_the_ranking_only(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    mark = callback_count(counted)
    _click(counted, "#metrics-rank input[value='brokers']")
    WebDriverWait(counted, TIMEOUT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#atlas-metrics-ranking tr[data-node]")
    )
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert query(counted).get("rank") == ["brokers"]
    assert any("atlas-metrics-ranking.children" in c["output"] for c in calls), _outputs(calls)
    assert not any(("atlas-network." in c["output"] or "atlas-map." in c["output"]) for c in calls), _outputs(calls)
    assert len(calls) <= 2, _outputs(calls)


def test_a_node_size_chosen_restyles_the_network_and_never_resends_it(app_url: str, counted) -> None:
    open_atlas(counted, app_url + "/")
    mark = callback_count(counted)
    _click(counted, "#metrics-size input[value='degree']")
    WebDriverWait(counted, TIMEOUT).until(lambda d: query(d).get("size") == ["degree"])
    wait_idle(counted)
    calls = callbacks_since(counted, mark)
    assert any("atlas-network.stylesheet" in c["output"] for c in calls), _outputs(calls)
    assert not any(("atlas-network.elements" in c["output"] or "atlas-map." in c["output"]) for c in calls), _outputs(
        calls
    )
