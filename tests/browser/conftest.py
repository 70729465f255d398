"""Browser tier: the real app in a subprocess, driven by headless Chromium through selenium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``python app.py`` on a free port, as a user would, and wait until it answers."""
    port = _free_port()
    env = {**os.environ, "PORT": str(port), **(extra_env or {})}
    env.pop("ATLAS_DEBUG", None)
    # The server's log goes to a file: an unread pipe fills up (~64 KB of request lines) and then
    # blocks the server mid-request, which looks like a page that never settles.
    log = tempfile.NamedTemporaryFile("w+", prefix="atlas-app-", suffix=".log", delete=False)  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"app exited: {log.read()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("app did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The atlas with its default settings."""
    proc, url = start_app()
    yield url
    stop(proc)


def new_driver(language: str = "en-US", extra_options: object | None = None) -> object:
    """Headless Chromium (Debian's chromium + chromium-driver) preferring ``language``, with its
    browser log kept. The atlas follows the browser's language, so tests pin it."""
    webdriver = pytest.importorskip("selenium.webdriver")
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if not chrome or not driver_path:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed in CI (see .ci/run)")
        pytest.skip("chromium/chromedriver not installed")
    options = extra_options or webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--lang={language}")
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The tests' browser, in English."""
    driver = new_driver()
    yield driver
    driver.quit()
