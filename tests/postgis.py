"""A throw-away PostgreSQL + PostGIS server for the database tests (Debian's ``postgresql`` and
``postgis`` packages, which ``.ci/run`` installs): a fresh cluster in a temporary directory,
reachable only through a Unix socket there, removed when the tests end.

Run by hand: ``python -m tests.postgis`` starts one and prints its URL until Ctrl-C.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

PORT = 54329  # only names the socket file: the server listens on no TCP port


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's binaries, or None."""
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*/bin/initdb")), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def postgis_installed(bin_dir: Path) -> bool:
    """Whether the PostGIS extension is installed for that PostgreSQL."""
    version = bin_dir.parent.name
    return any(Path(f"/usr/share/postgresql/{version}/extension").glob("postgis.control"))


@dataclass
class Server:
    """A running throw-away cluster."""

    base: Path
    bin_dir: Path
    url: str

    def stop(self) -> None:
        """Stop the server and remove its files."""
        _run(self.bin_dir / "pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)

    def database(self, name: str) -> str:
        """A new, empty database with PostGIS; its URL."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = self.url.replace("/postgres?", f"/{name}?")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        return url


def _as_postgres() -> list[str]:
    # initdb refuses to run as root: run the server as the packages' "postgres" user then
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*args: object, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([*_as_postgres(), *map(str, args)], check=check, capture_output=True, text=True)


def start() -> Server:
    """Start a fresh cluster; raise RuntimeError saying what is missing."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql postgis)")
    if not postgis_installed(bin_dir):
        raise RuntimeError("PostGIS is not installed for PostgreSQL (apt-get install postgis)")
    base = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    (base / "sock").mkdir()
    if os.geteuid() == 0:
        os.chown(base / "sock", user.pw_uid, user.pw_gid)
    _run(bin_dir / "initdb", "-D", base / "data", "-U", "atlas", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-k {base / 'sock'} -p {PORT} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    log_file = base / "log"
    started = _run(bin_dir / "pg_ctl", "-D", base / "data", "-o", options, "-l", log_file, "-w", "start", check=False)
    if started.returncode != 0:
        log = (base / "log").read_text() if (base / "log").exists() else started.stderr
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {log[-2000:]}")
    url = f"postgresql://atlas@/postgres?host={base / 'sock'}&port={PORT}"
    for _ in range(50):
        try:
            with psycopg.connect(url, connect_timeout=2):
                break
        except psycopg.OperationalError:
            time.sleep(0.1)
    return Server(base, bin_dir, url)


if __name__ == "__main__":
    server = start()
    print(server.database("atlas"), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
