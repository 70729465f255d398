"""Make the README's screenshot from the real app in headless Chromium.

Usage: ``python scripts/screenshot.py [--query "?sel=unibo"] [-o docs/screenshot.png]``

Starts ``python app.py`` on a free port, opens the URL, waits until both views are drawn,
saves a PNG, and stops the app. Needs Debian's ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_QUERY = "?sel=tecnopolo-bologna-dama"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    from selenium import webdriver

    from tests.browser.helpers import open_atlas

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--query", default=DEFAULT_QUERY, help="URL query of the view to capture")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--size", default="1600,1000", help="window width,height in px")
    parser.add_argument("--scroll", type=int, default=0, help="scroll the page down this many px first")
    args = parser.parse_args(argv)

    port = _free_port()
    app = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        options = webdriver.ChromeOptions()
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--window-size={args.size}",
            "--hide-scrollbars",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
        )
        try:
            open_atlas(driver, url + args.query)
            if args.scroll:
                driver.execute_script("window.scrollTo(0, arguments[0])", args.scroll)
            time.sleep(1.5)  # let MapLibre finish drawing its canvas
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(args.output)
        finally:
            driver.quit()
    finally:
        app.terminate()
        app.wait(timeout=10)
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
