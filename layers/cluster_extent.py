"""Map layer: each Clust-ER cluster shown through its members, as the outline of their extent.

Why an outline: a cluster is an association with no seat of its own, so it has no point to
draw; colouring members would not work either, because start-ups are aggregated per
municipality and one bubble mixes several clusters. The outline (the convex hull of the
members' places, widened by a few km so that one or two members still show) says *where*
a cluster's members are; the network view draws the cluster node with links to them.

Drawn for the clusters switched on in ``state.areas`` (the filter panel lists them under
"Areas on the map") and, without asking, for the clusters whose value chains the GVC
filter picks. Members are the actors of the current selection tagged with the cluster,
with one of its value chains, or linked to it by a ``cluster_membership`` link.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from core.codes import contains_any, equals
from core.i18n import names_by_id, number, t
from core.selection import Selection
from core.state import ViewState
from data import Dataset
from layers.style import CLUSTER_COLOURS, HOVERLABEL, rgba

#: widening of the hull, in degrees (~3 km): a single member becomes a small disc
BUFFER_DEG = 0.03
FILL_OPACITY = 0.10


def clusters_to_draw(dataset: Dataset, state: ViewState) -> list[str]:
    """Cluster ids asked for in ``state.areas`` or implied by the value-chain filter, in data order."""
    groupings = dataset.groupings
    clusters = groupings.loc[groupings["kind"] == "cluster", "id"].tolist()
    gvcs = dataset.gvcs
    implied = set(gvcs.loc[gvcs["id"].isin(state.gvc), "cluster"])
    return [c for c in clusters if c in set(state.areas) or c in implied]


def members(dataset: Dataset, selection: Selection, cluster: str) -> pd.DataFrame:
    """The selection's actors that belong to ``cluster`` (tag, value chain or membership link)."""
    actors = selection.actors
    cluster_gvcs = set(dataset.gvcs.loc[dataset.gvcs["cluster"] == cluster, "id"])
    # on the dataset's coded lists: a per-actor lambda per cluster took 30 ms a map at 100k
    tagged = contains_any(dataset, "actors", actors, "clusters", {cluster})
    in_chain = contains_any(dataset, "actors", actors, "gvcs", cluster_gvcs)
    links = selection.links
    linked_ids = set(
        links.loc[
            equals(dataset, "links", links, "link_type", "cluster_membership")
            & equals(dataset, "links", links, "target_id", cluster),
            "source_id",
        ]
    )
    linked = actors["id"].isin(linked_ids).to_numpy()
    return actors[tagged | in_chain | linked]


def outline(points: np.ndarray) -> shapely.Geometry | None:
    """The widened convex hull of (lon, lat) points; None without points."""
    if not len(points):
        return None
    hull = shapely.convex_hull(shapely.multipoints(points))
    return shapely.buffer(hull, BUFFER_DEG, quad_segs=4)  # type: ignore[return-value]  # one geometry in, one out


def _rings(geometry: shapely.Geometry) -> tuple[list[float | None], list[float | None]]:
    lon: list[float | None] = []
    lat: list[float | None] = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        xs, ys = polygon.exterior.xy
        lon += [round(x, 4) for x in xs] + [None]
        lat += [round(y, 4) for y in ys] + [None]
    return lon, lat


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """One outlined, lightly filled shape per cluster to draw that has members in the selection."""
    names = names_by_id(dataset.groupings, lang)
    all_clusters = dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"].tolist()
    traces = []
    for cluster in clusters_to_draw(dataset, state):
        part = members(dataset, selection, cluster)
        shape = outline(part[["lon", "lat"]].drop_duplicates().to_numpy(dtype=float))
        if shape is None:
            continue
        colour = CLUSTER_COLOURS[all_clusters.index(cluster) % len(CLUSTER_COLOURS)]
        lon, lat = _rings(shape)
        synthetic = int(part["synthetic"].sum())
        note = t("hover.extent_synthetic", lang, count=number(synthetic, lang)) if synthetic else ""
        traces.append(
            go.Scattermap(
                name=t("trace.extent", lang, name=names.get(cluster, cluster)),
                lon=lon,
                lat=lat,
                mode="lines",
                fill="toself",
                fillcolor=rgba(colour, FILL_OPACITY),
                line={"color": colour, "width": 2},
                customdata=[cluster] * len(lon),
                hoverlabel=HOVERLABEL,
                hovertemplate=f"<b>{names.get(cluster, cluster)}</b><br>"
                f"{t('hover.extent', lang, count=number(len(part), lang))}{note}<extra></extra>",
            )
        )
    return traces
