"""Writing a validated dataset into PostGIS as a new version (``python -m data load-db``); see
``data/database.py`` for the tables, the versions and how they are read back."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from data.database import COLUMN_TYPES, GEOMETRY_TYPES, ROW, SCHEMA, connect, table_name
from data.loader import TABLE_ORDER, Dataset
from data.problems import Problem
from data.schema import TABLES, Table

# --- writing ---------------------------------------------------------------------------------


def write_dataset(
    dataset: Dataset,
    url: str,
    stories: Sequence[tuple[str, str]] = (),
    source: str = "",
    read_roles: Sequence[str] = (),
) -> int:
    """Write ``dataset``'s valid records, its metadata, its problems and ``stories`` (file name,
    text) as a new version; return the version number. Replaces the previous version's tables,
    and grants ``read_roles`` (the app servers' roles) the right to read the new ones."""
    with connect(url) as conn:
        _ensure_schema(conn)
    with connect(url) as conn, conn.transaction():
        # Readers take ACCESS SHARE before their snapshot: they wait for this commit, then see all of it
        conn.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(table_name("versions")))
        for name in TABLE_ORDER:
            _write_table(conn, TABLES[name], dataset.frame(name))
        conn.execute(sql.SQL("DELETE FROM {}").format(table_name("stories")))
        with conn.cursor() as cur:
            cur.executemany(
                sql.SQL("INSERT INTO {} (name, body) VALUES (%s, %s)").format(table_name("stories")),
                list(stories),
            )
            cur.execute(
                sql.SQL(
                    "INSERT INTO {} (source, digest, meta, problems, counts) VALUES (%s, %s, %s, %s, %s) "
                    "RETURNING version"
                ).format(table_name("versions")),
                (
                    source,
                    content_digest(dataset, stories),
                    json.dumps(dataset.meta),
                    json.dumps([_problem_json(p) for p in dataset.problems]),
                    json.dumps(dataset.counts()),
                ),
            )
            row = cur.fetchone()
        for role in read_roles:  # the tables are new: grants on the old ones went with them
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), sql.Identifier(role)))
            conn.execute(
                sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                    sql.Identifier(SCHEMA), sql.Identifier(role)
                )
            )
    assert row is not None
    return int(row[0])


def content_digest(dataset: Dataset, stories: Sequence[tuple[str, str]] = ()) -> str:
    """A digest of the records, metadata and stories: equal content, equal digest, whatever the
    database (shared caches are keyed by it)."""
    digest = hashlib.sha256(json.dumps(dataset.meta, sort_keys=True, default=str).encode())
    for name in TABLE_ORDER:
        frame = dataset.frame(name)
        if "geometry" in frame.columns:
            digest.update(b"".join(shapely.to_wkb(np.asarray(frame.geometry.to_numpy(), dtype=object))))
            frame = pd.DataFrame(frame.drop(columns="geometry"))
        digest.update(name.encode())
        digest.update(frame.to_json(orient="split", default_handler=str).encode())
    for story_name, body in sorted(stories):
        digest.update(story_name.encode() + b"\0" + body.encode())
    return digest.hexdigest()[:16]


def _ensure_schema(conn: psycopg.Connection) -> None:
    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (version bigserial PRIMARY KEY, loaded_at timestamptz NOT NULL "
            "DEFAULT now(), source text NOT NULL, digest text NOT NULL, meta jsonb NOT NULL, problems jsonb NOT NULL, "
            "counts jsonb NOT NULL)"
        ).format(table_name("versions"))
    )
    conn.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, body text NOT NULL)").format(
            table_name("stories")
        )
    )


def _columns(table: Table, frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, SQL type) of ``frame``: the schema's typed fields, then a region's own columns as text."""
    out = []
    skip = {"lon", "lat"} if table.geometry == "point" else set()  # the point geometry holds them
    for name in frame.columns:
        if name in skip or name == "geometry":
            continue
        try:
            kind = COLUMN_TYPES[table.field(name).type]
        except KeyError:
            kind = "text"
        out.append((str(name), kind))
    return out


def _write_table(conn: psycopg.Connection, table: Table, frame: pd.DataFrame) -> None:
    columns = _columns(table, frame)
    definition = [sql.SQL("{} integer PRIMARY KEY").format(sql.Identifier(ROW))]
    definition += [sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in columns]
    if table.geometry != "none":
        definition.append(sql.SQL("geometry {} NOT NULL").format(sql.SQL(GEOMETRY_TYPES[table.geometry])))
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table_name(table.name)))
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table_name(table.name), sql.SQL(", ").join(definition)))
    conn.execute(
        sql.SQL("COMMENT ON TABLE {} IS {}").format(
            table_name(table.name), sql.Literal(table.description.split("\n")[0])
        )
    )
    names = [ROW, *(name for name, _ in columns)] + (["geometry"] if table.geometry != "none" else [])
    cells = [_sql_values(frame[name], kind) for name, kind in columns]
    if table.geometry != "none":
        shapes = shapely.set_srid(np.asarray(frame.geometry.to_numpy(), dtype=object), 4326)
        cells.append(list(shapely.to_wkb(shapes, hex=True, include_srid=True)))
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        table_name(table.name), sql.SQL(", ").join(sql.Identifier(n) for n in names)
    )
    with conn.cursor() as cur, cur.copy(copy_sql) as copy:
        copy.set_types(
            ["int4", *(_copy_type(kind) for _, kind in columns)] + (["text"] if table.geometry != "none" else [])
        )
        for number, row in enumerate(zip(*cells, strict=True) if cells else [() for _ in range(len(frame))], 1):
            copy.write_row((number, *row))
    if table.geometry != "none":
        conn.execute(sql.SQL("CREATE INDEX ON {} USING gist (geometry)").format(table_name(table.name)))


def _copy_type(kind: str) -> str:
    return {"bigint": "int8", "double precision": "float8", "boolean": "bool", "text[]": "text[]"}.get(kind, "text")


def _sql_values(column: pd.Series, kind: str) -> list[Any]:
    """The cells of ``column`` as Python values for ``kind`` (None for a missing value)."""
    out: list[Any] = []
    for value in column.tolist():
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append(None)
        elif kind == "text[]":
            out.append([str(v) for v in value])
        elif kind == "bigint":
            out.append(int(value))
        elif kind == "double precision":
            out.append(float(value))
        elif kind == "boolean":
            out.append(bool(value))
        else:
            out.append(str(value))
    return out


def _problem_json(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "row": problem.row,
        "field": problem.field,
        "message": problem.message,
        "severity": problem.severity,
    }
