"""A throw-away Redis server for the shared-cache tests (Debian's ``redis-server``, which ``.ci/run``
installs): no TCP port, a Unix socket in a temporary directory, no persistence."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RedisServer:
    """A running throw-away server."""

    process: subprocess.Popen
    base: Path

    @property
    def url(self) -> str:
        """Its URL for ``ATLAS_REDIS_URL``."""
        return f"unix://{self.base / 'redis.sock'}?db=0"

    def stop(self) -> None:
        """Stop it and remove its files."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.base, ignore_errors=True)


def start() -> RedisServer:
    """Start one; raise RuntimeError when ``redis-server`` is missing or does not answer."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    base = Path(tempfile.mkdtemp(prefix="atlas-redis-"))
    socket = base / "redis.sock"
    process = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no", "--dir", str(base)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            return RedisServer(process, base)
        time.sleep(0.05)
    process.kill()
    shutil.rmtree(base, ignore_errors=True)
    raise RuntimeError("redis-server did not start")
