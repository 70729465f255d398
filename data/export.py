"""Export a dataset as one GeoJSON FeatureCollection that other tools can read.

Features: actors (Point), areas (Polygon/MultiPolygon), groupings (no geometry of their
own: ``null``, or their area's representative point when they have an area), and links
as LineStrings between their ends (``null`` when an end has no location). The top-level
member ``gvcs`` lists the value chains with their sector and cluster.

A part of the dataset (the atlas's filtered selection) is exported the same way: ``keep``
names the records to write; each written feature is exactly the one the full export has.
The same features can be written as CSV (:func:`to_csv`), one row per feature.
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


def csv_columns(feature_list: Iterable[dict]) -> list[str]:
    """The CSV header: the properties in the order the features first have them, then :data:`CSV_GEOMETRY`."""
    columns = dict.fromkeys((*COMMON, "entity"))
    for feature in feature_list:
        columns.update(dict.fromkeys(feature["properties"]))
    return [*columns, *CSV_GEOMETRY]


def to_csv(feature_list: list[dict]) -> str:
    """The features as CSV text: one row per feature, every property a column (lists joined
    with ``;``, booleans ``true``/``false``, missing values empty), then the geometry columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = csv_columns(feature_list)
    writer.writerow(columns)
    props = columns[: -len(CSV_GEOMETRY)]
    for feature in feature_list:
        cells = [_cell(feature["properties"].get(key)) for key in props]
        writer.writerow(cells + _geometry_cells(feature["geometry"]))
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


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
