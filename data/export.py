"""Export a dataset as one GeoJSON FeatureCollection that other tools can read.

Features: actors (Point), areas (Polygon/MultiPolygon), groupings (no geometry of their
own: ``null``, or their area's representative point when they have an area), and links
as LineStrings between their ends (``null`` when an end has no location). The top-level
member ``gvcs`` lists the value chains with their sector and cluster.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import shapely

from data.loader import Dataset

#: properties every feature carries, in this order
COMMON = ("id", "name", "kind", "gvcs", "source", "synthetic")


def node_points(dataset: Dataset) -> dict[str, tuple[float, float]]:
    """A (lon, lat) for every id that has a place: actors, areas, and groupings with an area."""
    points: dict[str, tuple[float, float]] = {}
    actors = dataset.actors
    points.update(zip(actors["id"], zip(actors["lon"].tolist(), actors["lat"].tolist(), strict=True),
                      strict=True))
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


def features(dataset: Dataset) -> Iterator[dict]:
    """Yield every record of the dataset as a GeoJSON feature (dict)."""
    for row in _records(dataset.actors.drop(columns="geometry")):
        yield _feature(row, {"type": "Point", "coordinates": [row["lon"], row["lat"]]}, "actor")
    areas = dataset.areas
    geoms = [shapely.geometry.mapping(g) for g in areas.geometry] if len(areas) else []
    for row, geom in zip(_records(areas.drop(columns="geometry")), geoms, strict=True):
        yield _feature(row, geom, "area")
    points = node_points(dataset)
    for row in _records(dataset.groupings):
        point = points.get(row["id"])
        geom = {"type": "Point", "coordinates": list(point)} if point else None
        yield _feature(row, geom, "grouping")
    for row in _records(dataset.links):
        start, end = points.get(row["source_id"]), points.get(row["target_id"])
        geom = {"type": "LineString", "coordinates": [list(start), list(end)]} if start and end else None
        row["name"] = f"{row['source_id']} → {row['target_id']}"
        row["kind"] = "link"
        yield _feature(row, geom, "link")


def to_feature_collection(dataset: Dataset) -> dict:
    """The whole dataset as a FeatureCollection dict (see module docstring)."""
    gvcs = dataset.gvcs
    return {
        "type": "FeatureCollection",
        "name": dataset.meta.get("title", dataset.directory.name),
        "gvcs": [{"id": r["id"], "name": r["name"], "sector": r["sector"], "cluster": r["cluster"]}
                 for r in _records(gvcs[["id", "name", "sector", "cluster"]])],
        "gvc_note": dataset.meta.get("gvc_note"),
        "features": list(features(dataset)),
    }


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
