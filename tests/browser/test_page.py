"""What a person sees when opening the atlas."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from data import load_dataset
from tests.browser.helpers import open_atlas, requests_made

pytestmark = pytest.mark.browser


def test_page_loads_offline_without_console_errors(app_url: str, browser) -> None:
    browser.get_log("browser")
    browser.get_log("performance")
    open_atlas(browser, app_url)
    assert "Emilia-Romagna" in browser.find_element(By.TAG_NAME, "h1").text
    expected = len(load_dataset().actors)
    assert f"{expected:,} actors" in browser.find_element(By.ID, "atlas-summary").text
    assert "synthetic demo data" in browser.find_element(By.CLASS_NAME, "badge-synthetic").text
    assert "9 are not yet named" in browser.find_element(By.ID, "atlas-gvc-note").text
    assert browser.find_element(By.ID, "atlas-map").is_displayed()
    assert browser.find_element(By.ID, "atlas-network").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "#atlas-map .maplibregl-canvas, #atlas-map canvas")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = requests_made(browser)
    assert any("/_dash-layout" in u for u in requests)  # the request log works, so the next check means something
    outside = [
        u
        for u in requests
        if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]
    assert outside == []


def test_no_send_to_cloud_or_outside_links_in_the_mode_bar(app_url: str, browser) -> None:
    open_atlas(browser, app_url)
    bar = browser.find_elements(By.CSS_SELECTOR, "#atlas-map .modebar a, #atlas-map .modebar-btn")
    for button in bar:
        title = (button.get_attribute("data-title") or "").lower()
        href = button.get_attribute("href") or ""
        assert "cloud" not in title and "plotly" not in title and "chart studio" not in title
        assert not href.startswith("http")
