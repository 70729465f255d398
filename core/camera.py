"""The map's camera: the home view of each scope (the region fitted to the panel, or the world).

Pure geometry on the dataset (no Dash, no plotly): the map layers start from it, and the
camera in the URL (``core.state``) overrides it.
"""

from __future__ import annotations

import math

import shapely

from data import Dataset

#: the view of the world scope
WORLD_VIEW = {"center": {"lon": 10.0, "lat": 30.0}, "zoom": 0.7}
#: panel size the region view is fitted to (px): the map is ~70vh tall and half the page wide
#: in the split view; the fit errs on the small side so the region is whole in both views
FIT_WIDTH, FIT_HEIGHT = 520, 520
#: the map's width when it has the main area to itself (view=map) rather than half of it
FULL_WIDTH = 1100
FIT_PADDING = 0.25  # zoom levels of margin around the region
WORLD_PX = 512  # MapLibre's world width at zoom 0 (512 px tiles)


def region_bounds(dataset: Dataset) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the home region (``meta['region']``), else of the provinces,
    else of the actors; None for an empty dataset."""
    areas = dataset.areas
    home = areas[(areas["id"] == dataset.meta.get("region")).to_numpy()] if len(areas) else areas
    if not len(home) and len(areas):
        home = areas[(areas["kind"].isin(["region", "province"])).to_numpy()]
    if len(home):
        # the ignore below: total_bounds always has four numbers; the generator's tuple type cannot say so
        return tuple(float(v) for v in shapely.total_bounds(home.geometry.to_numpy()))  # type: ignore[return-value]
    actors = dataset.actors
    if len(actors):
        return (
            float(actors["lon"].min()),
            float(actors["lat"].min()),
            float(actors["lon"].max()),
            float(actors["lat"].max()),
        )
    return None


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(bounds: tuple[float, float, float, float], width: int = FIT_WIDTH, height: int = FIT_HEIGHT) -> dict:
    """Centre and zoom that show ``bounds`` in a ``width`` x ``height`` px map (Web Mercator; in MapLibre
    the whole world is :data:`WORLD_PX` px wide at zoom 0)."""
    west, south, east, north = bounds
    lon_span = max(east - west, 1e-4)
    y_span = max(_mercator_y(north) - _mercator_y(south), 1e-6)
    zoom_x = math.log2(width / WORLD_PX * 360 / lon_span)
    zoom_y = math.log2(height / WORLD_PX * 2 * math.pi / y_span)
    zoom = max(0.0, min(zoom_x, zoom_y, 16.0) - FIT_PADDING)
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"center": {"lon": round((west + east) / 2, 5), "lat": round(centre_lat, 5)}, "zoom": round(zoom, 2)}


def view_for(dataset: Dataset, scope: str, view: str = "split") -> dict:
    """``layout.map`` centre and zoom for ``scope`` (region: fitted to the home region, for the
    map's width in ``view``)."""
    if scope == "region":
        bounds = region_bounds(dataset)
        if bounds:
            return fit_view(bounds, width=FULL_WIDTH if view == "map" else FIT_WIDTH)
    return dict(WORLD_VIEW)
