"""Map layer: the base areas, as ``Choroplethmap`` polygons.

* Both scopes: the home region and its provinces. Provinces in the selection are filled and
  clickable; provinces filtered out (and the home region, when the filters leave it out)
  stay drawn in grey for orientation but take no hover or click.
* World scope only: the partner regions and the Vanguard member regions in the selection.

customdata is the area id (the element id). Geometry is simplified per scope (finer for the
region, coarser for the world view) and cached, because every filter change redraws it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import plotly.graph_objects as go
import shapely

from core.i18n import names_by_id, t
from core.selection import Selection
from core.state import ViewState
from data import Dataset
from layers.style import AREA_STYLE, HOVERLABEL, kind_label, rgba

#: simplification tolerance in degrees: ~100 m for the region view, ~1 km for the world view
TOLERANCE = {"region": 0.001, "world": 0.01}
#: area kinds drawn by this layer, per scope, bottom to top
SCOPE_KINDS = {"region": ("region", "province"), "world": ("region", "province", "partner_region", "member_region")}
#: kinds always drawn (as context when filtered out): the home region's outline
ALWAYS = ("region", "province")


@lru_cache(maxsize=16)
def _features(dataset: Dataset, tolerance: float) -> dict[str, dict]:
    """Area id -> GeoJSON feature (simplified, coordinates rounded to 5 decimals ~1 m)."""
    areas = dataset.areas
    if not len(areas):
        return {}
    geoms = shapely.simplify(areas.geometry.to_numpy(), tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 1e-5)
    return {
        area_id: {"type": "Feature", "id": area_id, "properties": {}, "geometry": shapely.geometry.mapping(geom)}
        for area_id, geom in zip(areas["id"], geoms, strict=True)
        if geom is not None and not geom.is_empty
    }


#: key that marks the collection of every area of a scope: the page fetches it once by URL and keeps it
#: (plotly caches a trace's ``geojson`` given as a URL), so filter changes never re-send the outlines
#: (components/geo_assets.py swaps the collection for its URL)
ASSET_KEY = "atlas_asset"
#: traces name their scope's collection by this prefix and the asset name (``area_reference``)
#: rather than carry it: plotly deep-copies a figure's data, and copying thousands of
#: coordinates per trace cost more than the rest of the figure (see ``inline_areas``)
REFERENCE_PREFIX = "atlas-asset:"


@lru_cache(maxsize=8)
def area_collection(dataset: Dataset, scope: str) -> dict:
    """Every area as one GeoJSON FeatureCollection (feature ids = area ids), simplified for ``scope``.
    Shared: never modify it. Traces pick their areas with ``locations``."""
    features = _features(dataset, TOLERANCE.get(scope, TOLERANCE["world"]))
    return {
        "type": "FeatureCollection",
        ASSET_KEY: f"areas-{scope if scope in TOLERANCE else 'world'}",
        "features": list(features.values()),
    }


def area_reference(scope: str) -> str:
    """What a trace's ``geojson`` holds: the name of its scope's collection (:func:`inline_areas` or
    ``components.geo_assets`` resolve it)."""
    return REFERENCE_PREFIX + f"areas-{scope if scope in TOLERANCE else 'world'}"


def inline_areas(figure: dict, dataset: Dataset) -> dict:
    """``figure`` (plotly JSON) with each area reference replaced by its collection (a new dict):
    for a figure drawn away from the atlas's pages, e.g. saved as a file."""
    traces = []
    for trace in figure.get("data") or []:
        ref = trace.get("geojson")
        if isinstance(ref, str) and ref.startswith(REFERENCE_PREFIX):
            trace = {**trace, "geojson": area_collection(dataset, ref.removeprefix(REFERENCE_PREFIX + "areas-"))}
        traces.append(trace)
    return {**figure, "data": traces}


def area_hover(name: str, kind: str, extra: str = "", lang: str = "en") -> str:
    """Hover text of an area: its name and kind (and an optional line)."""
    lines = [f"<b>{escape(str(name))}</b>", escape(kind_label(kind, lang))]
    if extra:
        lines.append(extra)
    return "<br>".join(lines)


def polygons(
    dataset: Dataset,
    area_ids: list[str],
    names: list[str],
    hovers: list[str] | None,
    scope: str,
    fill: str,
    opacity: float,
    line: str,
    width: float,
    showlegend: bool = True,
    **trace: object,
) -> go.Choroplethmap:
    """One ``Choroplethmap`` of a single colour; ``hovers=None`` makes it inert (no hover, no click)."""
    return go.Choroplethmap(
        geojson=area_reference(scope),
        locations=area_ids,
        featureidkey="id",
        z=[1] * len(area_ids),
        zmin=0,
        zmax=1,
        colorscale=[[0, rgba(fill, opacity)], [1, rgba(fill, opacity)]],
        showscale=False,
        marker={"opacity": 1, "line": {"color": line, "width": width}},
        customdata=area_ids if hovers is not None else None,
        hovertext=hovers,
        hovertemplate="%{hovertext}<extra></extra>" if hovers is not None else None,
        hoverinfo=None if hovers is not None else "skip",
        hoverlabel=HOVERLABEL,
        text=names,
        showlegend=showlegend,
        **trace,
    )


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Choroplethmap]:
    """Base area traces for ``state.scope``, bottom to top."""
    areas = dataset.areas
    if not len(areas):
        return []
    shown = set(selection.areas["id"])
    traces = []
    countries = areas[(areas["kind"] == "country").to_numpy()]
    if state.scope == "world" and len(countries):
        style = AREA_STYLE["country"]
        traces.append(
            polygons(
                dataset,
                countries["id"].tolist(),
                countries["name"].tolist(),
                None,
                state.scope,
                style["fill"],
                style["opacity"],
                style["line"],
                style["width"],
                name=t("area.country", lang),
            )
        )
    context = areas[areas["kind"].isin(ALWAYS).to_numpy() & ~areas["id"].isin(shown).to_numpy()]
    if len(context):
        style = AREA_STYLE["context"]
        traces.append(
            polygons(
                dataset,
                context["id"].tolist(),
                context["name"].tolist(),
                None,
                state.scope,
                style["fill"],
                style["opacity"],
                style["line"],
                style["width"],
                name=t("area.context", lang),
            )
        )
    for kind in SCOPE_KINDS.get(state.scope, SCOPE_KINDS["region"]):
        part = areas[(areas["kind"] == kind).to_numpy() & areas["id"].isin(shown).to_numpy()]
        if not len(part):
            continue
        style = AREA_STYLE[kind]
        names = list(names_by_id(part, lang).values())
        hovers = [area_hover(n, k, lang=lang) for n, k in zip(names, part["kind"], strict=True)]
        traces.append(
            polygons(
                dataset,
                part["id"].tolist(),
                names,
                hovers,
                state.scope,
                style["fill"],
                style["opacity"],
                style["line"],
                style["width"],
                name=t(f"area.{kind}", lang),
                showlegend=kind != "region",
            )
        )  # outline only: no swatch
    return traces
