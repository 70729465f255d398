"""The processes under test: the apps (``python <app>`` on a free loopback port), their memory, the
generated datasets, and a tiny static file server for the floor page."""

from __future__ import annotations

import csv
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from scripts.bench.common import ROOT, BenchError, ServerDied


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process now (VmRSS) and at its peak (VmHWM), in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) / 1024
    return out


@dataclass
class Server:
    """A running app process: its URL and its log file."""

    proc: subprocess.Popen
    url: str
    log: Path

    def check(self) -> None:
        """Raise :class:`ServerDied` (with the end of its log) if the app process has exited."""
        if self.proc.poll() is not None:
            raise ServerDied(
                f"{self.proc.args[1]} exited with {self.proc.returncode} during the benchmark "
                f"(negative: killed by that signal): {self.log.read_text()[-1500:]}"
            )

    def memory(self) -> dict[str, float]:
        """VmRSS and VmHWM of the app process, in MB (:class:`ServerDied` if it has exited)."""
        self.check()
        return rss_mb(self.proc.pid)


@contextmanager
def running(script: str, data_dir: Path | None, log_dir: Path) -> Iterator[Server]:
    """Start ``python <script>`` on a free 127.0.0.1 port and stop it afterwards, whatever happens."""
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    env.pop("ATLAS_DEBUG", None)
    if data_dir is not None:
        env["ATLAS_DATA_DIR"] = str(data_dir)
    else:
        env.pop("ATLAS_DATA_DIR", None)
    log_path = log_dir / f"{Path(script).stem}-{port}.log"
    with log_path.open("w") as log:  # a file, not a pipe: an unread pipe would block the server's request log
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / script)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise BenchError(f"{script} exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
            try:
                if requests.get(url + "/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"{script} did not answer within 180 s")
            time.sleep(0.3)
        yield Server(proc, url, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def generate(directory: Path, startups: int, actors: int, links: int, seed: int) -> None:
    """Write a synthetic dataset to ``directory`` with ``python -m data generate``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "data",
            "generate",
            "--startups",
            str(startups),
            "--actors",
            str(actors),
            "--links",
            str(links),
            "--seed",
            str(seed),
            "-o",
            str(directory),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def dataset_label(name: str, data_dir: Path) -> str:
    """``name (N actors incl. S start-ups, L links)``, counted from the dataset's CSV files."""
    counts = {"actors": 0, "startups": 0, "links": 0}
    for path in sorted(data_dir.glob("*.csv")):
        table = path.stem.split("-")[0]
        if table in ("actors", "links"):
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            counts[table] += len(rows)
            counts["startups"] += sum(1 for r in rows if r.get("kind") == "startup")
    return f"{name} ({counts['actors']:,} actors incl. {counts['startups']:,} start-ups, {counts['links']:,} links)"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free 127.0.0.1 port (in a thread); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
