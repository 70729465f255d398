"""The dataset's vocabulary: what each URL parameter and filter may hold, for one dataset.

Derived from the dataset alone (its value chains, clusters and sectors, link types, kinds,
provinces, programme areas, element ids and year span), computed once per dataset, and
shared by the URL grammar (``core.state``), the selection and the filter controls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from data import Dataset
from data.schema import LINK_TYPES

#: area kinds that are nodes of the network (programme areas are drawn, but their grouping is the node)
NODE_AREA_KINDS = ("region", "province", "partner_region", "member_region")


@dataclass(frozen=True)
class Vocabulary:
    """What the dataset allows in each parameter."""

    gvcs: tuple[str, ...]
    #: cluster or sector id -> its value chains (shorthand in ``gvc``)
    gvc_groups: dict[str, tuple[str, ...]]
    link_types: tuple[str, ...]
    kinds: tuple[str, ...]
    provinces: tuple[str, ...]
    area_layers: tuple[str, ...]
    element_ids: frozenset[str]
    years: tuple[int, int]
    #: ids a record had in an earlier version of the data -> its id now (``renamed_ids`` in
    #: dataset.json): old shared links, embeds and stories keep selecting it
    renamed: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=4)
def vocabulary(dataset: Dataset) -> Vocabulary:
    """What each URL parameter may hold, for this dataset."""
    gvcs = dataset.gvcs
    groups: dict[str, tuple[str, ...]] = {}
    for column in ("cluster", "sector"):
        for group, members in gvcs.groupby(column, sort=False)["id"]:
            if isinstance(group, str) and group:
                groups[group] = tuple(members)
    actors, groupings, areas = dataset.actors, dataset.groupings, dataset.areas
    kinds = tuple(
        dict.fromkeys([*actors["kind"], *groupings["kind"], *areas.loc[areas["kind"].isin(NODE_AREA_KINDS), "kind"]])
    )
    years = pd.concat([actors["year"], groupings["year"], dataset.links["year"]]).dropna()
    span = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
    area_layers = tuple(dict.fromkeys(n for ns in areas.loc[areas["kind"] == "programme_area", "networks"] for n in ns))
    if (areas["kind"] == "member_region").any():
        area_layers += tuple(
            dict.fromkeys(
                n for ns in areas.loc[areas["kind"] == "member_region", "networks"] for n in ns if n not in area_layers
            )
        )
    # Clusters can be drawn as the outline of their members (layers.cluster_extent).
    clusters = groupings.loc[groupings["kind"] == "cluster", "id"].tolist()
    area_layers += tuple(c for c in clusters if c not in area_layers)
    present_links = set(dataset.links["link_type"])
    return Vocabulary(
        gvcs=tuple(gvcs["id"]),
        gvc_groups=groups,
        link_types=tuple(t for t in LINK_TYPES if t in present_links),
        kinds=kinds,
        provinces=tuple(areas.loc[areas["kind"] == "province", "id"]),
        area_layers=area_layers,
        element_ids=frozenset(actors["id"])
        | frozenset(groupings["id"])
        | frozenset(areas["id"])
        | frozenset(dataset.links["id"]),
        years=span,
        renamed=_renamed(dataset),
    )


def _renamed(dataset: Dataset) -> dict[str, str]:
    raw = dataset.meta.get("renamed_ids")
    if not isinstance(raw, dict):
        return {}
    return {str(old): str(new) for old, new in raw.items() if isinstance(new, str)}
