"""Actors outside the home region: where they are relative to it, for the map's region scope.

The region scope frames the home region (``core.camera``); an actor elsewhere (CINECA's
operating sites in Segrate and Rome, a partner's office abroad) would be a dot at the edge of
the map, or off it, with nothing to say what it is. The map panel lists these actors beside the
map, each with its place and its distance and direction from the region, and offers the world
scope where they are drawn in place. Pure geometry on the dataset, computed once per dataset.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from data import Dataset

#: 8-point compass, clockwise from north: locale keys ``outside.dir.<value>``
DIRECTIONS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")
KM_PER_DEGREE = 111.32
#: an actor this close to the region's outline (km) is on the border, not outside: municipality
#: points and the simplified outline can disagree by a little
BORDER_KM = 2.0


def _home(dataset: Dataset) -> shapely.Geometry | None:
    areas = dataset.areas
    if not len(areas):
        return None
    home = areas[(areas["id"] == dataset.meta.get("region")).to_numpy()]
    if not len(home):
        home = areas[areas["kind"].isin(["region", "province"]).to_numpy()]
    if not len(home):
        return None
    return shapely.union_all(shapely.make_valid(home.geometry.to_numpy()))


@lru_cache(maxsize=4)
def outside_places(dataset: Dataset) -> pd.DataFrame:
    """Every actor outside the home region, by id: ``km`` (distance to the region's outline, rounded
    to 10 km; 5 km steps under 50 km) and ``direction`` (one of :data:`DIRECTIONS`, from the region's
    centre). Empty when the dataset has no home region. Shared: do not modify."""
    home = _home(dataset)
    actors = dataset.actors
    if home is None or shapely.is_empty(home) or not len(actors):
        return pd.DataFrame({"km": pd.Series(dtype=float), "direction": pd.Series(dtype=object)})
    lon, lat = actors["lon"].to_numpy(float), actors["lat"].to_numpy(float)
    known = np.isfinite(lon) & np.isfinite(lat)
    # an actor the data places in one of the region's provinces is in the region, whatever the outline
    # says (a municipality that joined the region after the boundaries were drawn, e.g. Sassofeltrio)
    provinces = set(dataset.areas.loc[dataset.areas["kind"] == "province", "id"])
    inside = np.array(actors["province"].isin(provinces), dtype=bool)  # a copy: pandas may hand out a read-only view
    # only the others are made points and tested against the outline: at 100k actors, making and
    # testing every point took 0.8 s
    test = known & ~inside
    points = np.full(len(actors), None, dtype=object)
    points[test] = shapely.points(lon[test], lat[test])
    inside[test] = shapely.intersects(home, points[test])
    candidates = np.flatnonzero(known & ~inside)
    centre = shapely.centroid(home)
    cx, cy = shapely.get_x(centre), shapely.get_y(centre)
    scale = math.cos(math.radians(cy))  # degrees of longitude are shorter away from the equator
    rows = []
    for i in candidates:
        nearest = shapely.shortest_line(home, points[i]).coords
        dx, dy = (nearest[1][0] - nearest[0][0]) * scale, nearest[1][1] - nearest[0][1]
        km = math.hypot(dx, dy) * KM_PER_DEGREE
        if km < BORDER_KM:
            continue
        bearing = math.degrees(math.atan2((lon[i] - cx) * scale, lat[i] - cy)) % 360
        step = 5 if km < 50 else 10
        rows.append((actors["id"].iat[i], max(step, round(km / step) * step), DIRECTIONS[round(bearing / 45) % 8]))
    frame = pd.DataFrame(rows, columns=["id", "km", "direction"]).set_index("id")
    return frame


def outside_actors(dataset: Dataset, actors: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``actors`` (a selection's) outside the home region, with ``km`` and ``direction``,
    nearest first."""
    places = outside_places(dataset)
    if not len(places) or not len(actors):
        return actors.iloc[0:0].assign(km=pd.Series(dtype=float), direction=pd.Series(dtype=object))
    shown = actors[actors["id"].isin(places.index)]
    joined = shown.join(places, on="id")
    return joined.sort_values(["km", "id"])
