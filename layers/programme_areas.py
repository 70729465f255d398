"""Map layer: the areas of networks and programmes the user switched on (``state.areas``).

An area feature belongs to a grouping when the grouping id is in the area's ``networks``
(Interreg programme areas, the EUSAIR countries, the Vanguard member regions). One
semi-transparent ``Choroplethmap`` per grouping, named after it in the legend, drawn in
both scopes (the user asked for it) and whatever the filters (the switch is explicit).

customdata: a programme area is not a node of the network, its grouping is
(``core.selection.NODE_AREA_KINDS``), so its features carry the *grouping* id; areas that
are nodes themselves (a Vanguard member region, the home region) carry their own area id.
"""

from __future__ import annotations

import plotly.graph_objects as go

from core.i18n import names_by_id, record_name, t
from core.selection import Selection
from core.state import ViewState
from core.vocabulary import NODE_AREA_KINDS, vocabulary
from data import Dataset
from layers.base_areas import area_hover, polygons
from layers.style import PROGRAMME_OPACITY, kind_label, programme_colour, short_name


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Choroplethmap]:
    """One trace per grouping in ``state.areas`` that has areas (in vocabulary order)."""
    if not state.areas:
        return []
    areas = dataset.areas
    groupings = dataset.groupings.set_index("id")
    layers = vocabulary(dataset).area_layers
    wanted = [g for g in layers if g in set(state.areas)]
    wanted += [g for g in state.areas if g not in layers]  # unknown to the vocabulary: still drawn if it has areas
    traces: list[go.Choroplethmap] = []
    for grouping in wanted:
        part = areas[areas["networks"].map(lambda networks, g=grouping: g in networks).to_numpy()]
        if not len(part):
            continue
        name = record_name(groupings.loc[grouping].to_dict(), lang) if grouping in groupings.index else grouping
        kind = str(groupings.at[grouping, "kind"]) if grouping in groupings.index else ""
        ids = part["id"].tolist()
        clicks = [
            area_id if area_kind in NODE_AREA_KINDS else grouping
            for area_id, area_kind in zip(ids, part["kind"], strict=True)
        ]
        of = t("hover.area_of", lang, name=name) + (f" ({kind_label(kind, lang)})" if kind else "")
        names = list(names_by_id(part, lang).values())
        hovers = [area_hover(n, k, of, lang) for n, k in zip(names, part["kind"], strict=True)]
        colour = programme_colour(layers.index(grouping) if grouping in layers else len(traces))
        trace = polygons(
            dataset, ids, names, hovers, state.scope, colour, PROGRAMME_OPACITY, colour, 1.2, name=short_name(name)
        )
        trace.customdata = clicks
        traces.append(trace)
    return traces
