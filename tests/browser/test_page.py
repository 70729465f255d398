"""What a person sees when opening the atlas."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from data import load_dataset

pytestmark = pytest.mark.browser


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_page_loads_offline_without_console_errors(app_url: str, browser) -> None:
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(app_url)
    summary = WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "atlas-summary")))
    assert "Emilia-Romagna" in browser.find_element(By.TAG_NAME, "h1").text
    expected = len(load_dataset().actors)
    assert f"{expected} actors" in summary.text
    assert "synthetic demo data" in browser.find_element(By.CLASS_NAME, "badge-synthetic").text
    assert "9 of 27 value chains are not yet named" in browser.find_element(By.ID, "atlas-gvc-note").text
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = _requests(browser)
    assert any("/_dash-layout" in u for u in requests)  # the request log works, so the next check means something
    outside = [u for u in requests
               if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == []
