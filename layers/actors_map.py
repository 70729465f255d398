"""Map layer: point actors other than start-ups, one trace per kind.

Also the home of *where things are drawn* (:func:`actor_positions`, :func:`node_positions`),
because the links and the highlight must meet the markers exactly where this layer puts them.

Overlap: most actors are placed at municipality precision, so many share one point (14 in
Bologna in the shipped data). Actors at the same point are spread on a small Vogel
(sunflower) spiral around it: deterministic (sorted by id), computed on the whole dataset
so a marker never jumps when filters change, and small (a few hundred metres, at most
~2.5 km however many share the point) so the marker stays inside its municipality. The hover
says the location is municipality-level and that the marker is offset. Start-ups are not
spread: they are aggregated per municipality (``layers.startups_map``).

No text mode: text labels would make MapLibre fetch glyphs from an online server.
"""

from __future__ import annotations

import math
from functools import lru_cache
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.codes import codes_of
from core.i18n import record_name, t
from core.outside import outside_places
from core.selection import Selection
from core.state import ViewState
from data import Dataset
from data.export import node_points
from data.schema import ACTOR_KINDS
from layers.style import HOVERLABEL, actor_style, kind_label

#: spiral step in degrees of latitude (~450 m); shrinks for big groups so the spiral stays small
SPREAD_STEP = 0.004
#: groups bigger than this get a proportionally smaller step (max radius ~ SPREAD_STEP * sqrt(30))
SPREAD_FULL_STEP_UP_TO = 30
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
#: precisions that are an approximation of the actor's place (said in the hover)
COARSE = ("municipality", "province", "region", "country")


@lru_cache(maxsize=4)
def actor_positions(dataset: Dataset) -> pd.DataFrame:
    """Drawn position of every actor: columns ``lon``, ``lat``, ``shared`` (actors at its point), by id.

    Non-start-up actors sharing a point are spread on a spiral (see the module docstring);
    start-ups are drawn at their municipality bubble (the mean point of their
    province and municipality). Cached per dataset; do not modify the result.
    """
    actors = dataset.actors
    out = pd.DataFrame(
        {
            "lon": actors["lon"].to_numpy(float),
            "lat": actors["lat"].to_numpy(float),
            "shared": np.ones(len(actors), dtype=int),
        },
        index=actors["id"].to_numpy(),
    )
    if not len(actors):
        return out
    is_startup = (actors["kind"] == "startup").to_numpy()
    startups = actors[is_startup]
    if len(startups):
        keys = [startups["province"].fillna(""), startups["municipality"].fillna("")]
        out.loc[startups["id"].to_numpy(), "lon"] = startups.groupby(keys)["lon"].transform("mean").to_numpy()
        out.loc[startups["id"].to_numpy(), "lat"] = startups.groupby(keys)["lat"].transform("mean").to_numpy()
        out.loc[startups["id"].to_numpy(), "shared"] = startups.groupby(keys)["id"].transform("size").to_numpy()
    others = actors[~is_startup].sort_values("id")
    if len(others):
        # Rounded to ~1 m: points a file gives with different digits are still the same place.
        keys = [others["lon"].round(5), others["lat"].round(5)]
        size = others.groupby(keys)["id"].transform("size").to_numpy()
        rank = others.groupby(keys).cumcount().to_numpy()
        step = SPREAD_STEP * np.minimum(1.0, np.sqrt(SPREAD_FULL_STEP_UP_TO / size))
        # Rank 0 also moves off the point: the centre is left to the municipality's start-up bubble.
        radius = np.where(size > 1, step * np.sqrt(rank + 1.0), 0.0)
        angle = rank * GOLDEN_ANGLE
        lat = others["lat"].to_numpy(float)
        ids = others["id"].to_numpy()
        out.loc[ids, "lat"] = lat + radius * np.sin(angle)
        # Longitude degrees shrink with latitude: divide by cos(lat) to keep the spiral round.
        out.loc[ids, "lon"] = others["lon"].to_numpy(float) + radius * np.cos(angle) / np.cos(np.radians(lat))
        out.loc[ids, "shared"] = size
    return out


@lru_cache(maxsize=4)
def node_positions(dataset: Dataset) -> dict[str, tuple[float, float]]:
    """(lon, lat) where each node is drawn: actors as :func:`actor_positions`, areas and groupings
    with an area at their area's representative point (``data.export.node_points``)."""
    points = dict(node_points(dataset))
    drawn = actor_positions(dataset)
    points.update(zip(drawn.index, zip(drawn["lon"].tolist(), drawn["lat"].tolist(), strict=True), strict=True))
    return points


def precision_note(precision: str | None, shared: int, lang: str = "en") -> str:
    """Hover line about how precise a marker's place is ("" when exact and alone)."""
    parts = []
    if precision in COARSE:
        parts.append(t("hover.location_level", lang, level=t(f"hover.level.{precision}", lang)))
    if shared > 1:
        parts.append(t("hover.offset", lang, count=shared - 1))
    return "; ".join(parts)


def _hover(row: dict, shared: int, lang: str, outside: str = "") -> str:
    lines = [f"<b>{escape(record_name(row, lang))}</b>", escape(kind_label(row["kind"], lang))]
    place = ", ".join(escape(str(v)) for v in (row.get("municipality"), row.get("province")) if v)
    if place:
        lines.append(place)
    note = precision_note(row.get("location_precision"), shared, lang)
    if note:
        lines.append(f"<i>{note}</i>")
    if outside:
        lines.append(f"<i>{escape(outside)}</i>")
    if row.get("synthetic"):
        lines.append(f"<b>{t('badge.synthetic', lang)}</b>")
    return "<br>".join(lines)


#: the columns a marker's hover reads
_HOVER_COLUMNS = ["id", "name", "kind", "municipality", "province", "location_precision", "synthetic"]


@lru_cache(maxsize=8)
def hover_texts(dataset: Dataset, lang: str, scope: str) -> pd.Series:
    """The hover of every actor marker (not start-ups: they are bubbles), by actor id, in ``lang``:
    all of it depends on the dataset alone (place, neighbours sharing it, beyond the region in the
    region ``scope``), so it is written once, not once per filter state (0.1 s per map at 100k)."""
    frame = dataset.actors
    actors = pd.DataFrame(frame[_HOVER_COLUMNS + [c for c in frame.columns if c.startswith("name_")]])
    actors = actors[(actors["kind"] != "startup").to_numpy()]
    shared = actor_positions(dataset)["shared"].reindex(actors["id"].to_numpy()).fillna(1).astype(int)
    far = set(outside_places(dataset).index) if scope == "region" else set()
    line = t("outside.hover", lang, region=dataset.text("region_name", lang) or "")
    texts = [
        _hover(row, int(n), lang, line if row["id"] in far else "")
        for row, n in zip(actors.to_dict(orient="records"), shared, strict=True)
    ]
    return pd.Series(texts, index=actors["id"].to_numpy(), dtype=object)


def _code(values: np.ndarray, value: str) -> int:
    """The code of ``value`` among a column's coded ``values`` (-1: not there)."""
    hit = np.flatnonzero(values == value)
    return int(hit[0]) if len(hit) else -1


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """One ``Scattermap`` trace per actor kind (start-ups excluded); customdata = actor id."""
    # on integer codes of the kinds: string compares over 100k actors cost more than the traces
    kind_codes, kind_values = codes_of(dataset, "actors", selection.actors, "kind")
    markers = kind_codes != _code(kind_values, "startup")
    if not markers.any():
        return []
    kind_codes = kind_codes[markers]
    ids = selection.actors["id"].to_numpy(dtype=object)[markers]
    drawn = actor_positions(dataset).reindex(ids)
    hovers = hover_texts(dataset, lang, state.scope).reindex(ids).to_numpy()
    traces = []
    present = {str(kind_values[c]) for c in np.unique(kind_codes)}
    # Schema order, then any other kind: the legend keeps its order whatever the filters.
    for kind in [k for k in ACTOR_KINDS if k in present] + sorted(present - set(ACTOR_KINDS)):
        mask = kind_codes == _code(kind_values, kind)
        pos = drawn[mask]
        colour, size = actor_style(kind)
        traces.append(
            go.Scattermap(
                name=kind_label(kind, lang),
                mode="markers",
                lon=pos["lon"].to_numpy(np.float32),
                lat=pos["lat"].to_numpy(np.float32),  # ~1 m: enough
                customdata=ids[mask],
                hovertext=hovers[mask],  # an array: plotly deep-copies a list item by item
                hovertemplate="%{hovertext}<extra></extra>",
                hoverlabel=HOVERLABEL,
                marker={"color": colour, "size": size, "opacity": 0.95},
            )
        )
    return traces
