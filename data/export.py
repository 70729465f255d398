"""Export a dataset as one GeoJSON FeatureCollection that other tools can read.

Features: actors (Point), areas (Polygon/MultiPolygon), groupings (no geometry of their
own: ``null``, or their area's representative point when they have an area), and links
as LineStrings between their ends (``null`` when an end has no location). The top-level
member ``gvcs`` lists the value chains with their sector and cluster.

A part of the dataset (the atlas's filtered selection) is exported the same way: ``keep``
names the records to write; each written feature is exactly the one the full export has.
The same features can be written as CSV (:func:`to_csv`), one row per feature.

The links alone (:func:`link_collection`) are what the atlas's network draws: the link
records, and the cluster memberships it draws dashed from the actors' records (rows with
``derived`` true, link type ``cluster_membership``, id ``derived:<actor>|<cluster>``), each
with the names of both ends so that a spreadsheet reads without the other tables.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

import pandas as pd
import shapely

from data.loader import Dataset

#: properties every feature carries, in this order
COMMON = ("id", "name", "kind", "gvcs", "source", "synthetic")
#: the CSV's geometry columns, after the properties: lon/lat for point features (actors,
#: groupings placed at their area), and every geometry as WKT (lines and polygons too)
CSV_GEOMETRY = ("geometry_type", "lon", "lat", "wkt")


def node_points(dataset: Dataset) -> dict[str, tuple[float, float]]:
    """A (lon, lat) for every id that has a place: actors, areas, and groupings with an area."""
    points: dict[str, tuple[float, float]] = {}
    actors = dataset.actors
    points.update(zip(actors["id"], zip(actors["lon"].tolist(), actors["lat"].tolist(), strict=True), strict=True))
    areas = dataset.areas
    if len(areas):
        reps = shapely.point_on_surface(areas.geometry.to_numpy())
        area_points = {i: (round(p.x, 5), round(p.y, 5)) for i, p in zip(areas["id"], reps, strict=True)}
        points.update(area_points)
        for area_id, networks in zip(areas["id"], areas["networks"], strict=True):
            for grouping in networks:
                # A grouping is placed at its programme area, not at a member region's.
                if area_id.startswith("area-") or grouping not in points:
                    points[grouping] = area_points[area_id]
    return points


def _kept(frame: pd.DataFrame, keep: Collection[str] | None) -> pd.DataFrame:
    if keep is None:
        return frame
    ids = keep if isinstance(keep, (set, frozenset)) else set(keep)
    return frame[frame["id"].isin(ids)]


def features(dataset: Dataset, keep: Collection[str] | None = None) -> Iterator[dict]:
    """Yield every record of the dataset as a GeoJSON feature (dict); only the ids in ``keep``
    when given. Places (and so link geometries) always come from the whole dataset."""
    for row in _records(_kept(dataset.actors, keep).drop(columns="geometry")):
        yield _feature(row, {"type": "Point", "coordinates": [row["lon"], row["lat"]]}, "actor")
    areas = _kept(dataset.areas, keep)
    geoms = [shapely.geometry.mapping(g) for g in areas.geometry] if len(areas) else []
    for row, geom in zip(_records(areas.drop(columns="geometry")), geoms, strict=True):
        yield _feature(row, geom, "area")
    points = node_points(dataset)
    for row in _records(_kept(dataset.groupings, keep)):
        point = points.get(row["id"])
        point_geom = {"type": "Point", "coordinates": list(point)} if point else None
        yield _feature(row, point_geom, "grouping")
    for row in _records(_kept(dataset.links, keep)):
        start, end = points.get(row["source_id"]), points.get(row["target_id"])
        line_geom = {"type": "LineString", "coordinates": [list(start), list(end)]} if start and end else None
        row["name"] = f"{row['source_id']} → {row['target_id']}"
        row["kind"] = "link"
        yield _feature(row, line_geom, "link")


def to_feature_collection(dataset: Dataset, keep: Collection[str] | None = None) -> dict:
    """The whole dataset (or the records in ``keep``) as a FeatureCollection dict (see module docstring)."""
    gvcs = dataset.gvcs
    return {
        "type": "FeatureCollection",
        "name": dataset.meta.get("title", dataset.directory.name),
        "gvcs": [
            {"id": r["id"], "name": r["name"], "sector": r["sector"], "cluster": r["cluster"]}
            for r in _records(gvcs[["id", "name", "sector", "cluster"]])
        ],
        "gvc_note": dataset.meta.get("gvc_note"),
        "features": list(features(dataset, keep)),
    }


#: the links export's leading columns, in this order (then any other link field, then the geometry)
LINK_COLUMNS = (
    "id",
    "link_type",
    "source_id",
    "source_name",
    "target_id",
    "target_name",
    "year",
    "end_year",
    "source",
    "source_date",
    "confidence",
    "note",
    "derived",
    "synthetic",
)
#: the link type of a membership drawn from an actor's ``clusters`` field
MEMBERSHIP = "cluster_membership"


def link_features(
    dataset: Dataset,
    keep: Collection[str] | None = None,
    memberships: Iterable[tuple[str, str]] = (),
    names: dict[str, str] | None = None,
) -> Iterator[dict]:
    """The link records (those in ``keep``, or all), then one feature per (actor, cluster) of
    ``memberships``: LineStrings between the ends (``null`` when an end has no place)."""
    names = names if names is not None else _names(dataset)
    points = node_points(dataset)

    def line(start: str, end: str) -> dict | None:
        a, b = points.get(start), points.get(end)
        return {"type": "LineString", "coordinates": [list(a), list(b)]} if a and b else None

    for row in _records(_kept(dataset.links, keep)):
        props = {key: row.get(key) for key in LINK_COLUMNS}
        props.update(source_name=names.get(row["source_id"], ""), target_name=names.get(row["target_id"], ""))
        props.update(derived=False, synthetic=bool(row.get("synthetic")))
        props.update((k, list(v) if isinstance(v, list) else v) for k, v in row.items() if k not in props)
        geometry = line(row["source_id"], row["target_id"])
        yield {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": props}
    pairs = pd.DataFrame(list(memberships), columns=["actor", "cluster"])
    if not len(pairs):
        return
    fields = ["id", "source", "source_date", "confidence", "synthetic"]
    rows = pairs.merge(dataset.actors[fields], left_on="actor", right_on="id", how="left")
    for row in _records(rows.drop(columns="id")):
        actor_id, cluster_id = row["actor"], row["cluster"]
        feature_id = f"derived:{actor_id}|{cluster_id}"
        props = dict.fromkeys(LINK_COLUMNS)
        props.update(
            id=feature_id,
            link_type=MEMBERSHIP,
            source_id=actor_id,
            source_name=names.get(actor_id, ""),
            target_id=cluster_id,
            target_name=names.get(cluster_id, ""),
            # the membership's evidence is the actor's record: its own source, and where that says it
            source=f"clusters field of the actor's record; the record's source: {row['source'] or 'none'}",
            source_date=row["source_date"],
            confidence=row["confidence"],
            derived=True,
            synthetic=bool(row["synthetic"]),
        )
        yield {"type": "Feature", "id": feature_id, "geometry": line(actor_id, cluster_id), "properties": props}


def suggested_features(dataset: Dataset, rows: pd.DataFrame) -> list[dict]:
    """Suggested partners (rows of ``core.suggest.suggested_links``) as link features an export adds
    only when asked (``include=suggested``): link type ``suggested``, ``suggested`` true, the score and
    its reasons, and a source saying they are the atlas's suggestion, not a record of a link."""
    names = _names(dataset)
    points = node_points(dataset)
    out = []
    for row in _records(rows):
        a, b = points.get(row["source_id"]), points.get(row["target_id"])
        props = dict.fromkeys(LINK_COLUMNS)
        props.update(
            id=row["id"],
            link_type=row["link_type"],
            source_id=row["source_id"],
            source_name=names.get(row["source_id"], ""),
            target_id=row["target_id"],
            target_name=names.get(row["target_id"], ""),
            source="Suggested by the atlas from shared value chains, networks, S3 priority and geography: not a link",
            derived=False,
            synthetic=bool(row["synthetic"]),
            suggested=True,
            score=row["score"],
            reason=row["reason"],
        )
        geometry = {"type": "LineString", "coordinates": [list(a), list(b)]} if a and b else None
        out.append({"type": "Feature", "id": row["id"], "geometry": geometry, "properties": props})
    return out


def link_collection(
    dataset: Dataset, keep: Collection[str] | None = None, memberships: Iterable[tuple[str, str]] = ()
) -> dict:
    """:func:`link_features` as a FeatureCollection dict."""
    return {
        "type": "FeatureCollection",
        "name": dataset.meta.get("title", dataset.directory.name),
        "features": list(link_features(dataset, keep, memberships)),
    }


def links_csv(feature_list: list[dict]) -> str:
    """Link features as CSV: :data:`LINK_COLUMNS` first, then any other field, then the geometry."""
    columns = dict.fromkeys(LINK_COLUMNS)
    for feature in feature_list:
        columns.update(dict.fromkeys(feature["properties"]))
    return _write_csv(feature_list, list(columns))


def _names(dataset: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame in (dataset.actors, dataset.groupings, dataset.areas):
        names.update(zip(frame["id"], frame["name"].astype(str), strict=True))
    return names


def csv_columns(feature_list: Iterable[dict]) -> list[str]:
    """The CSV header: the properties in the order the features first have them, then :data:`CSV_GEOMETRY`."""
    columns = dict.fromkeys((*COMMON, "entity"))
    for feature in feature_list:
        columns.update(dict.fromkeys(feature["properties"]))
    return [*columns, *CSV_GEOMETRY]


def to_csv(feature_list: list[dict]) -> str:
    """The features as CSV text: one row per feature, every property a column (lists joined
    with ``;``, booleans ``true``/``false``, missing values empty), then the geometry columns."""
    return _write_csv(feature_list, csv_columns(feature_list)[: -len(CSV_GEOMETRY)])


def _write_csv(feature_list: list[dict], props: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*props, *CSV_GEOMETRY])
    for feature in feature_list:
        cells = [_cell(feature["properties"].get(key)) for key in props]
        writer.writerow(cells + _geometry_cells(feature["geometry"]))
    return out.getvalue()


#: what a spreadsheet reads as the start of a formula (or, for tab and carriage return, of a cell
#: it may re-parse): a text cell starting so is written behind an apostrophe (OWASP's advice)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text, never runs: one that begins like a
    formula (:data:`FORMULA_STARTS`) gets a leading apostrophe, which spreadsheets hide."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return safe_cell(";".join(_text(v) for v in value))
    if isinstance(value, dict):
        return safe_cell(json.dumps(value, ensure_ascii=False))
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)  # numbers stay numbers (a negative one is no formula)


def _text(value: object) -> str:
    return "" if value is None else ("true" if value is True else "false" if value is False else str(value))


def _geometry_cells(geometry: dict | None) -> list[str]:
    if not geometry:
        return ["", "", "", ""]
    lon = lat = ""
    if geometry["type"] == "Point":
        lon, lat = (str(c) for c in geometry["coordinates"][:2])
    return [geometry["type"], lon, lat, shapely.geometry.shape(geometry).wkt]


def write_export(dataset: Dataset, path: str | Path) -> int:
    """Write the FeatureCollection to ``path``; return the number of features."""
    collection = to_feature_collection(dataset)
    Path(path).write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(collection["features"])


def _feature(row: dict, geometry: dict | None, entity: str) -> dict:
    props = {key: row.get(key) for key in COMMON}
    props["gvcs"] = list(props["gvcs"] or ())
    props["entity"] = entity
    props.update((k, v) for k, v in row.items() if k not in props and k not in ("lon", "lat"))
    return {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": props}


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON-ready dicts: tuples to lists, missing values to None."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, tuple):
                value = list(value)
            elif value is pd.NA or value is None or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif hasattr(value, "item"):  # numpy scalar
                value = value.item()
            clean[key] = value
        out.append(clean)
    return out
