"""Map layer: the links of the selection, as lines between the places their ends are drawn.

One ``Scattermap`` line trace per link type (colour and width from ``layers.style``), its
segments separated by gaps (NaN, sent as ``null``), so thousands of links cost a handful of
traces. Ends are placed where the other layers draw them (``layers.actors_map.node_positions``):
actors at their spread marker, start-ups at their municipality bubble, areas at a point
inside them, groupings at their area. Links to a grouping without an area (a cluster, a
programme) have no second place and are shown in the network view only.

Links longer than :data:`ARC_KM` follow the great circle (:data:`ARC_POINTS` points), so world
links bend as on a globe instead of cutting straight across a Mercator map.

In the region scope only links with both ends in (or near) the region are drawn; links
abroad are for the world scope, where they fit the view.

Lines take no hover or click (``hoverinfo='skip'``): on a map a line is hoverable at its
vertices only, which are the nodes' own places, where they would steal the nodes' clicks.
The link type is named in the legend.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.camera import region_bounds
from core.codes import codes_of, rows
from core.i18n import t
from core.selection import Selection, links_existing_in
from core.state import ViewState
from core.suggest import suggest_partners
from data import Dataset
from data.schema import LINK_TYPES
from layers.actors_map import node_positions
from layers.style import ADDED_COLOUR, ENDED_COLOUR, LINK_OPACITY, link_label, link_style

#: links longer than this (km) are drawn as great-circle arcs
ARC_KM = 300.0
ARC_POINTS = 16
#: at most this many links are drawn: more is unreadable and slow to send; real links come first,
#: then the strongest (the legend says so)
MAX_MAP_LINKS = 3000
#: in the region scope, links whose ends lie within the region's box plus this margin (degrees)
REGION_MARGIN_DEG = 0.3
EARTH_RADIUS_KM = 6371.0


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)], axis=-1)


def great_circle_km(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between rows of (lon, lat) arrays of shape (n, 2)."""
    a, b = _unit_vectors(start[:, 0], start[:, 1]), _unit_vectors(end[:, 0], end[:, 1])
    return EARTH_RADIUS_KM * np.arccos(np.clip((a * b).sum(axis=1), -1.0, 1.0))


def arcs(start: np.ndarray, end: np.ndarray, points: int = ARC_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle arcs from ``start`` to ``end`` (arrays (n, 2) of lon, lat): (lon, lat) of shape (n, points).

    Longitudes are unwrapped along each arc, so an arc over the antimeridian does not jump
    across the whole map.
    """
    a, b = _unit_vectors(start[:, 0], start[:, 1]), _unit_vectors(end[:, 0], end[:, 1])
    omega = np.arccos(np.clip((a * b).sum(axis=1), -1.0, 1.0))[:, None]  # angle between the ends
    t = np.linspace(0.0, 1.0, points)[None, :]
    sin_omega = np.sin(omega)
    safe = np.where(sin_omega < 1e-12, 1.0, sin_omega)
    # Spherical interpolation; where the ends (nearly) coincide, fall back to the linear weights.
    wa = np.where(sin_omega < 1e-12, 1 - t, np.sin((1 - t) * omega) / safe)
    wb = np.where(sin_omega < 1e-12, t, np.sin(t * omega) / safe)
    xyz = wa[..., None] * a[:, None, :] + wb[..., None] * b[:, None, :]
    lon = np.degrees(np.arctan2(xyz[..., 1], xyz[..., 0]))
    lat = np.degrees(np.arctan2(xyz[..., 2], np.hypot(xyz[..., 0], xyz[..., 1])))
    lon = np.degrees(np.unwrap(np.radians(lon), axis=1))
    return lon, lat


def segments(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flat lon and lat arrays of all lines, each followed by a NaN gap (short: straight; long: arc)."""
    if not len(start):
        return np.array([]), np.array([])
    long = great_circle_km(start, end) > ARC_KM
    parts_lon, parts_lat = [], []
    short = ~long
    if short.any():
        gap = np.full((int(short.sum()), 1), np.nan)
        parts_lon.append(np.hstack([start[short, :1], end[short, :1], gap]).ravel())
        parts_lat.append(np.hstack([start[short, 1:], end[short, 1:], gap]).ravel())
    if long.any():
        lon, lat = arcs(start[long], end[long])
        gap = np.full((int(long.sum()), 1), np.nan)
        parts_lon.append(np.hstack([lon, gap]).ravel())
        parts_lat.append(np.hstack([lat, gap]).ravel())
    return np.concatenate(parts_lon), np.concatenate(parts_lat)


def _inside_region(dataset: Dataset, points: np.ndarray) -> np.ndarray:
    """Which points lie in the home region's box (plus a margin): the region scope draws only
    links that stay in view; links abroad are drawn in the world scope (the legend says so)."""
    bounds = region_bounds(dataset)
    if bounds is None:
        return np.ones(len(points), dtype=bool)
    margin = REGION_MARGIN_DEG
    lon, lat = points[:, 0], points[:, 1]
    return (
        (lon >= bounds[0] - margin)
        & (lon <= bounds[2] + margin)
        & (lat >= bounds[1] - margin)
        & (lat <= bounds[3] + margin)
    )


def _strongest(links, placed: np.ndarray) -> np.ndarray:
    """Mask of the :data:`MAX_MAP_LINKS` links to draw among ``placed``: real before synthetic,
    then by weight, then in data order (deterministic)."""
    synthetic = links["synthetic"].fillna(False).to_numpy(dtype=bool)
    weight = links["weight"].fillna(1.0).to_numpy(dtype=float)
    candidates = np.flatnonzero(placed)
    order = np.lexsort((candidates, -weight[candidates], synthetic[candidates]))
    keep = np.zeros(len(placed), dtype=bool)
    keep[candidates[order[:MAX_MAP_LINKS]]] = True
    return keep


def suggested_segments(dataset: Dataset, selection: Selection, element_id: str, limit: int) -> list[list[float]]:
    """The suggested partners of ``element_id`` (``core.suggest``) as map segments [lon, lat, lon, lat]
    between the places their ends are drawn (a partner with no place, e.g. a network, has none):
    drawn dashed over the map by the page (``assets/map_highlight.js``), never a link of the map."""
    positions = _position_frame(dataset)
    out = []
    for suggestion in suggest_partners(dataset, selection, element_id, limit):
        if suggestion.source_id in positions.index and suggestion.target_id in positions.index:
            a, b = positions.loc[suggestion.source_id], positions.loc[suggestion.target_id]
            segment = [float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"])]
            if all(np.isfinite(segment)):
                out.append([round(v, 5) for v in segment])
    return out


@lru_cache(maxsize=4)
def _position_frame(dataset: Dataset) -> pd.DataFrame:
    """:func:`layers.actors_map.node_positions` as a frame (lon, lat by id): ends are looked up for
    all links at once (50k dictionary lookups per map took 30 ms)."""
    positions = node_positions(dataset)
    return pd.DataFrame(list(positions.values()), index=list(positions.keys()), columns=["lon", "lat"], dtype=float)


@lru_cache(maxsize=4)
def _end_positions(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Per link of the dataset (by position), the (lon, lat) of its source and of its target (NaN:
    no place): looked up once, then taken for each selection's links."""
    positions = _position_frame(dataset)
    links = dataset.links
    src = positions.reindex(links["source_id"].to_numpy()).to_numpy(dtype=float).reshape(-1, 2)
    tgt = positions.reindex(links["target_id"].to_numpy()).to_numpy(dtype=float).reshape(-1, 2)
    for array in (src, tgt):
        array.setflags(write=False)
    return src, tgt


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """One line trace per link type among ``selection.links`` whose two ends have a place."""
    links = selection.links
    if not len(links):
        return []
    every_src, every_tgt = _end_positions(dataset)
    at = rows(dataset, "links", links)
    src, tgt = every_src[at], every_tgt[at]
    placed = ~(np.isnan(src).any(axis=1) | np.isnan(tgt).any(axis=1))
    if state.scope == "region":
        placed &= _inside_region(dataset, src) & _inside_region(dataset, tgt)
    if placed.sum() > MAX_MAP_LINKS:
        placed &= _strongest(links, placed)
    type_codes, type_values = codes_of(dataset, "links", links, "link_type")
    traces = []
    present = {str(type_values[c]) for c in np.unique(type_codes[placed])}
    # Schema order, then any other type: the legend keeps its order whatever the filters.
    for link_type in [k for k in LINK_TYPES if k in present] + sorted(present - set(LINK_TYPES)):
        drawn = placed & (type_codes == int(np.flatnonzero(type_values == link_type)[0]))
        lon, lat = segments(src[drawn], tgt[drawn])
        # float32 is ~1 m precise here and halves what is sent for tens of thousands of links.
        lon, lat = lon.astype(np.float32), lat.astype(np.float32)
        colour, width = link_style(link_type)
        traces.append(
            go.Scattermap(
                name=link_label(link_type, lang),
                mode="lines",
                lon=lon,
                lat=lat,
                line={"color": colour, "width": width},
                opacity=LINK_OPACITY,
                hoverinfo="skip",
                connectgaps=False,
            )
        )
    if state.compare:
        traces += _change_traces(links, placed, src, tgt, state.compare, lang)
    return traces


def _change_traces(
    links: pd.DataFrame, placed: np.ndarray, src: np.ndarray, tgt: np.ndarray, years: tuple[int, int], lang: str
) -> list[go.Scattermap]:
    """Over the links' own lines, the links added and ended between the two ``years``: wide, in the
    comparison's colours, each a legend entry with its count (on a map a line cannot be dashed)."""
    first, second = years
    at_first, at_second = links_existing_in(links, first), links_existing_in(links, second)
    out = []
    for change, drawn, colour, width in (
        ("added", placed & at_second & ~at_first, ADDED_COLOUR, 6),
        ("ended", placed & at_first & ~at_second, ENDED_COLOUR, 5),
    ):
        if not drawn.any():
            continue
        lon, lat = segments(src[drawn], tgt[drawn])
        name = t(f"compare.legend.{change}", lang, first=first, second=second, count=int(drawn.sum()))
        out.append(
            go.Scattermap(
                name=name,
                mode="lines",
                lon=lon.astype(np.float32),
                lat=lat.astype(np.float32),
                line={"color": colour, "width": width},
                opacity=0.9,
                hoverinfo="skip",
                connectgaps=False,
            )
        )
    return out
