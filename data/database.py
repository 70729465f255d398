"""PostGIS as the dataset's home, for a GIS office that keeps its layers in PostgreSQL.

``python -m data load-db DIR --url postgresql://...`` validates a dataset directory as
``check`` does and writes its valid records into the ``atlas`` schema: one table per entity
table (typed columns, geometry in EPSG:4326 with a spatial index), the story files, and a
row in ``atlas.versions`` with the dataset's metadata and the problems found while loading.

With ``ATLAS_DATABASE_URL`` set, the app and the command line read the dataset back from
there: each table's rows go through the same validation as files (a record edited in the
database into something invalid is reported as ``atlas.<table>`` row ``__row``, field, and
left out), and the problems stored with the version are reported as they were found. The
app asks for the current version at most every ``ATLAS_DATABASE_POLL`` seconds (default 5)
and reloads when it has changed: no restart.

A load (``data/database_write.py``) replaces the tables in one transaction, holding a lock that
readers take before their snapshot, so a reader sees one whole version, never half of two.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from data.loader import TABLE_ORDER, Dataset, empty_frames, load_directory, validate_tables
from data.problems import Problem
from data.readers import RawTable
from data.schema import TABLES, Table

URL_ENV = "ATLAS_DATABASE_URL"
POLL_ENV = "ATLAS_DATABASE_POLL"
SCHEMA = "atlas"
#: the column holding each record's position (and row number in problems); "__" keeps it apart
#: from a region's own columns, which never start so (the readers leave those out)
ROW = "__row"
COLUMN_TYPES = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "list": "text[]",
    "date": "text",  # a year, a month or a day (YYYY, YYYY-MM, YYYY-MM-DD): kept as written
}
GEOMETRY_TYPES = {"point": "geometry(Point, 4326)", "polygon": "geometry(Geometry, 4326)"}
CONNECT_TIMEOUT = 5


def load_dataset(directory: str | Path | None = None) -> Dataset:
    """The dataset the atlas serves: ``directory`` if given; else, with ``ATLAS_DATABASE_URL``
    set, the database's current version (:func:`current_dataset`, reloaded when it changes);
    else ``ATLAS_DATA_DIR`` or the shipped dataset. Files are read once per process."""
    url = None if directory is not None else database_url()
    return current_dataset(url) if url else load_directory(directory)


def database_url() -> str | None:
    """``ATLAS_DATABASE_URL``, or None when the dataset comes from files."""
    return os.environ.get(URL_ENV, "").strip() or None


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def connect(url: str) -> psycopg.Connection:
    """A connection to ``url`` (a libpq URL or key=value string)."""
    return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, application_name="regional-networks-atlas")


def table_name(table: str) -> sql.Identifier:
    """``atlas.<table>``, quoted."""
    return sql.Identifier(SCHEMA, table)


# --- reading ---------------------------------------------------------------------------------


def latest_version(url: str) -> int | None:
    """The database's current dataset version; None when none was loaded. Raises
    ``psycopg.errors.LockNotAvailable`` while a load is being written (asked again later)."""
    with connect(url) as conn:
        conn.autocommit = True
        if not _has_versions(conn):
            return None
        conn.execute("SET lock_timeout = '500ms'")
        row = conn.execute(sql.SQL("SELECT max(version) FROM {}").format(table_name("versions"))).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _has_versions(conn: psycopg.Connection) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.versions",)).fetchone()
    return bool(row and row[0] is not None)


def read_database(url: str) -> Dataset:
    """Read the database's current version and validate it as files are validated. Never raises:
    an unreachable database or a missing dataset is a problem of an empty dataset."""
    try:
        with connect(url) as conn:
            conn.autocommit = True
            if not _has_versions(conn):
                return _no_dataset(url)
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            with conn.transaction():
                # Before the snapshot (taken by the first query): a load being written holds ACCESS
                # EXCLUSIVE, so this waits for its commit and then sees the whole new version.
                conn.execute(sql.SQL("LOCK TABLE {} IN ACCESS SHARE MODE").format(table_name("versions")))
                return _read(conn, url)
    except psycopg.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problem = Problem(redacted(url), None, None, f"database: {message}")
        return Dataset(Path(redacted(url)), {}, empty_frames(), (problem,), origin="database")


def _read(conn: psycopg.Connection, url: str) -> Dataset:
    row = conn.execute(
        sql.SQL("SELECT version, source, digest, meta, problems FROM {} ORDER BY version DESC LIMIT 1").format(
            table_name("versions")
        )
    ).fetchone()
    if row is None:
        return _no_dataset(url)
    version, source, digest, meta, stored = row
    meta = meta if isinstance(meta, dict) else {}
    raws = {name: _read_table(conn, TABLES[name]) for name in TABLE_ORDER}
    story_rows = conn.execute(
        sql.SQL("SELECT name, body FROM {} ORDER BY name").format(table_name("stories"))
    ).fetchall()
    stories = tuple((str(name), str(body)) for name, body in story_rows)

    def sources(table: Table) -> Iterable[tuple[str, RawTable]]:
        raw = raws[table.name]
        return [(f"{SCHEMA}.{table.name}", raw)] if raw is not None else []

    frames, found = validate_tables(meta, sources)
    problems = tuple(_problem_from_json(p) for p in stored or []) + tuple(found)
    directory = Path(source) if source else Path(redacted(url))
    return Dataset(
        directory, meta, frames, problems, origin="database", version=str(version), digest=str(digest), stories=stories
    )


def _no_dataset(url: str) -> Dataset:
    message = "database: no dataset loaded; run `python -m data load-db DIR --url ...`"
    return Dataset(
        Path(redacted(url)), {}, empty_frames(), (Problem(redacted(url), None, None, message),), origin="database"
    )


def _read_table(conn: psycopg.Connection, table: Table) -> RawTable | None:
    """A table's rows as the readers give a file's: every column as text, ``__row``, geometry."""
    present = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position",
        (SCHEMA, table.name),
    ).fetchall()
    names = [str(r[0]) for r in present if r[0] not in (ROW, "geometry")]
    if not present:
        return None
    has_geometry = any(r[0] == "geometry" for r in present)
    selected: list[sql.Composable] = [sql.Identifier(ROW), *(sql.Identifier(n) for n in names)]
    if has_geometry:
        selected.append(sql.SQL("ST_AsBinary(geometry)"))
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
            sql.SQL(", ").join(selected), table_name(table.name), sql.Identifier(ROW)
        )
    ).fetchall()
    columns: dict[str, list[str]] = {n: [] for n in names}
    numbers: list[int] = []
    shapes: list[Any] = []
    for row in rows:
        numbers.append(int(row[0]))
        for name, value in zip(names, row[1 : 1 + len(names)], strict=True):
            columns[name].append(_as_text(value))
        if has_geometry:
            shapes.append(row[-1])
    frame = pd.DataFrame(columns, dtype=str) if rows else pd.DataFrame(columns={n: [] for n in names}, dtype=str)
    frame["__row"] = numbers
    geometry = None
    if has_geometry:
        geometry = gpd.GeoSeries(shapely.from_wkb([bytes(s) if s is not None else None for s in shapes]), crs=4326)
    return RawTable(frame, geometry)


def _as_text(value: object) -> str:
    """A database value as the text a file would hold (the validation reads text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value if v is not None)
    return str(value).strip()


def _problem_from_json(item: dict) -> Problem:
    return Problem(
        str(item.get("file", "")),
        item.get("row"),
        item.get("field"),
        str(item.get("message", "")),
        "warning" if item.get("severity") == "warning" else "error",
    )


# --- the process's current version -----------------------------------------------------------


@dataclass
class _Current:
    lock: threading.Lock = field(default_factory=threading.Lock)
    dataset: Dataset | None = None
    version: int | None = None
    checked: float = -math.inf
    reachable: bool = False


_current: dict[str, _Current] = {}
_current_guard = threading.Lock()


def poll_seconds() -> float:
    """How long a process serves a version before asking the database for a newer one."""
    try:
        return max(0.0, float(os.environ.get(POLL_ENV, "5")))
    except ValueError:
        return 5.0


def current_dataset(url: str) -> Dataset:
    """The database's current version, read once per version per process.

    The version is asked at most every :func:`poll_seconds`. Between asks, while a new version
    is being read (by one thread; the others go on with the old one), and while the database
    cannot be reached, the version already read is served: a worker keeps answering through a
    load or a database restart.
    """
    with _current_guard:
        entry = _current.setdefault(url, _Current())
    if entry.dataset is not None and time.monotonic() - entry.checked < poll_seconds():
        return entry.dataset
    if not entry.lock.acquire(blocking=entry.dataset is None):
        return entry.dataset  # type: ignore[return-value]  # not None: only the first read blocks
    try:
        if entry.dataset is not None and time.monotonic() - entry.checked < poll_seconds():
            return entry.dataset
        try:
            version = latest_version(url)
            entry.reachable = True
        except psycopg.errors.LockNotAvailable:  # a load is being written: ask again at the next poll
            version = entry.version
        except psycopg.Error:
            version, entry.reachable = entry.version, False
        if entry.dataset is None or (entry.reachable and version != entry.version):
            dataset = read_database(url)
            if dataset.version or entry.dataset is None or version is None:
                entry.dataset = dataset
                entry.version = int(dataset.version) if dataset.version else None
        entry.checked = time.monotonic()
        return entry.dataset
    finally:
        entry.lock.release()


def reachable(url: str) -> bool:
    """Whether the database answers now (for ``/healthz``)."""
    try:
        with connect(url) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False
