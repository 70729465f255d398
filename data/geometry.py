"""Geometry of a table's records: points from coordinates, geodata or the gazetteer, polygons
checked and repaired, all in EPSG:4326. Each bad geometry costs only its own record."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data.readers import RawTable
from data.validate import FileCheck


def point_geometry(check: FileCheck, raw: RawTable, meta: dict) -> tuple[gpd.GeoSeries, pd.Series]:
    """Points from geometry (geodata) or from lon/lat columns (CSV), in EPSG:4326.

    Also returns, per row, the precision of a gazetteer placement (None where the file
    gave the coordinates).
    """
    frame = check.frame
    n = len(frame)
    placed = pd.Series([None] * n, index=frame.index, dtype=object)
    if raw.geometry is not None:
        geoms = raw.geometry
        is_point = (geoms.geom_type == "Point").to_numpy() & ~geoms.is_empty.to_numpy()
        missing = geoms.isna().to_numpy()
        check.reject(missing, "geometry", "geometry is missing")
        check.reject(
            ~missing & ~is_point,
            "geometry",
            (f"geometry is a {t}, expected a Point" for t in geoms.geom_type[~missing & ~is_point]),
        )
        arr = geoms.to_numpy()
        lon = pd.Series(np.where(is_point, shapely.get_x(arr), np.nan), index=frame.index)
        lat = pd.Series(np.where(is_point, shapely.get_y(arr), np.nan), index=frame.index)
    else:
        x_col, y_col = ("lon", "lat") if "lon" in frame.columns else ("x", "y")
        if (x_col not in frame.columns or y_col not in frame.columns) and "municipality" not in frame.columns:
            check.file_problem(
                "lon",
                "no coordinates: add columns 'lon' and 'lat' (or 'x', 'y' with a CRS "
                "declared in dataset.json, or 'municipality' and 'province')",
            )
        if x_col not in frame.columns or y_col not in frame.columns:
            empty = pd.Series([""] * n, index=frame.index)
            frame = frame.assign(**{x_col: empty, y_col: empty})
        lon, lat = _coordinates(check, frame[x_col], frame[y_col], x_col, y_col)
        crs = (meta.get("crs") or {}).get(check.file) if isinstance(meta.get("crs"), dict) else None
        if crs:
            valid = lon.notna() & lat.notna()
            transformer = Transformer.from_crs(crs, 4326, always_xy=True)
            tx, ty = transformer.transform(lon[valid].to_numpy(), lat[valid].to_numpy())
            lon, lat = lon.copy(), lat.copy()
            lon[valid], lat[valid] = tx, ty
        placed = _place_from_gazetteer(check, lon, lat)
    out_of_range = (lon.notna() & lat.notna() & ((lon.abs() > 180) | (lat.abs() > 90))).to_numpy()
    check.reject(
        out_of_range,
        "lat",
        (
            f"coordinates ({x:.6g}, {y:.6g}) out of range: longitude must be "
            "within ±180 and latitude within ±90 (swapped or projected?)"
            for x, y in zip(lon[out_of_range], lat[out_of_range], strict=True)
        ),
    )
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs=4326), placed


def _coordinates(check: FileCheck, xs: pd.Series, ys: pd.Series, x_col: str, y_col: str) -> tuple[pd.Series, pd.Series]:
    out = []
    for col, name in ((xs, x_col), (ys, y_col)):
        values = pd.to_numeric(col.str.replace(",", ".", regex=False).where(col != "", None), errors="coerce")
        wrong = ((col != "") & values.isna()).to_numpy()
        check.reject(wrong, name, (f"'{v}' is not a number" for v in col[wrong]))
        out.append(values.astype(float))
    return out[0], out[1]


def _place_from_gazetteer(check: FileCheck, lon: pd.Series, lat: pd.Series) -> pd.Series:
    """Fill blank coordinates from the municipality gazetteer, or reject the row.

    Returns the precision reached per row ("municipality" or "province"; None where the
    file gave coordinates).
    """
    frame = check.frame
    placed = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    blank = (lon.isna() | lat.isna()).to_numpy() & ~check.bad
    if not blank.any():
        return placed
    from data import gazetteer  # imported lazily: only datasets with blank coordinates need it

    municipality = frame.get("municipality", pd.Series([""] * len(frame), index=frame.index))
    province = frame.get("province", pd.Series([""] * len(frame), index=frame.index))
    unplaced = np.zeros(len(frame), dtype=bool)
    coarse = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(blank):
        place = gazetteer.locate(municipality.iat[i], province.iat[i] or None) if municipality.iat[i] else None
        if place is None:
            unplaced[i] = True
            continue
        lon.iat[i], lat.iat[i] = place.lon, place.lat
        placed.iat[i] = place.precision
        coarse[i] = place.precision == "province"
    check.reject(unplaced, "lat", "coordinates missing and the municipality/province cannot be placed")
    check.reject(
        coarse,
        "municipality",
        (
            f"municipality '{m}' has no coordinates in the gazetteer (or is not in it); placed at the province's centre"
            for m in municipality[coarse]
        ),
        "warning",
    )
    return placed


def polygon_geometry(check: FileCheck, raw: RawTable) -> pd.Series:
    """Polygons from geodata, in EPSG:4326: missing, non-polygonal and non-finite ones rejected,
    invalid ones repaired (with a warning) or rejected when they cannot be."""
    frame = check.frame
    if raw.geometry is None:
        check.file_problem("geometry", "areas need polygons: use GeoJSON or GeoPackage")
        check.bad[:] = True
        return gpd.GeoSeries([None] * len(frame), index=frame.index, crs=4326)
    geoms = raw.geometry.copy()
    missing = (geoms.isna() | geoms.is_empty).to_numpy()
    check.reject(missing, "geometry", "geometry is missing or empty")
    polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    check.reject(
        ~missing & ~polygonal,
        "geometry",
        (f"geometry is a {t}, expected a Polygon or MultiPolygon" for t in geoms.geom_type[~missing & ~polygonal]),
    )
    # NaN or infinite coordinates: no repair can place them (make_valid raises on them)
    shapes = geoms.to_numpy()
    coords, owner = shapely.get_coordinates(shapes, return_index=True)
    not_finite = np.zeros(len(shapes), dtype=bool)
    not_finite[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = True
    not_finite &= ~missing & polygonal
    check.reject(not_finite, "geometry", "a coordinate is not a finite number (NaN or infinite)")
    invalid = ~missing & polygonal & ~not_finite & ~geoms.is_valid.to_numpy()
    if invalid.any():
        repaired, unrepaired = [], np.zeros(len(shapes), dtype=bool)
        for position in np.flatnonzero(invalid):
            try:
                repaired.append(shapely.make_valid(shapes[position]))
            except shapely.errors.GEOSException:
                repaired.append(shapes[position])
                unrepaired[position] = True
        geoms[invalid] = repaired
        check.reject(unrepaired, "geometry", "invalid polygon that cannot be repaired")
        check.reject(invalid & ~unrepaired, "geometry", "invalid polygon (self-intersection?) repaired", "warning")
    return gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs=4326)
