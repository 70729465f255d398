"""The sundial figure (:mod:`core.sundial`): the programmes and policies of a selection in four
quadrants, one per dimension. Pure plotly (no Dash): a callback passes the figure to a graph.

How it reads:

* **Quadrants**: four light sectors (a ``barpolar`` trace), clockwise from the top in
  :data:`core.sundial.DIMENSIONS` order, each named on the angular axis. Colours are Okabe-Ito
  (blue, reddish purple, vermillion, bluish green): apart for every common colour-vision deficiency.
* **Items** appear **once per dimension**, in each quadrant they serve (one ``scatterpolar`` trace per
  dimension), rather than once between their dimensions: an item of two opposite dimensions would sit
  at a meaningless middle, and one in every quadrant (the Labour Pact) shows at a glance that it spans
  all four. Rings by kind: policies innermost, programmes in the middle, clusters and networks outside;
  shape by kind too (the note under the dial). Marker area grows with the number of actors served.
* **Hover**: name, kind, dimensions, counts of actors and value chains served, and the first value
  chains by name.
* **Clicks**: every point carries its item's id as ``customdata``. Dash's ``dcc.Graph`` click data
  keeps a point's scalar fields and copies ``customdata[pointNumber]`` from the trace
  (``filterEventData`` in dash's Graph.react.js); a scatterpolar point has a numeric ``pointNumber``,
  so the id arrives (a heatmap's cell, whose ``pointNumber`` is a pair, loses it). No ``ids``: with
  them plotly.js drew one marker per trace in a polar subplot (checked in Chromium).
* **Selected** item: ringed in the page's highlight colour in every quadrant it appears in.

Polar charts draw text in SVG with system fonts: nothing is fetched.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from core.i18n import label, names_by_id, number, t
from core.sundial import DIMENSIONS, Item, Sundial
from data import Dataset
from layers.style import FONT_FAMILY, HIGHLIGHT, HOVERLABEL, INK, rgba, short_name

#: dimension -> colour (Okabe-Ito blue, reddish purple, vermillion, bluish green)
COLOURS = {
    "education_training": "#0072B2",
    "social_services": "#CC79A7",
    "business_services": "#D55E00",
    "research": "#009E73",
}
BACKGROUND_ALPHA = 0.13
#: kind -> (ring radius, marker symbol): frameworks at the centre, what they fund outside
RINGS = {
    "policy": (0.28, "star"),
    "support_programme": (0.56, "square"),
    "interreg_programme": (0.56, "diamond"),
    "macro_region": (0.56, "triangle-down"),
    "cluster": (0.84, "circle"),
    "research_network": (0.84, "hexagon"),
    "regions_network": (0.84, "triangle-up"),
}
#: anything else (an actor tagged with dimensions, a kind of another dataset)
OTHER_RING = (0.56, "pentagon")
#: the shapes as characters for the note under the dial (plotly's symbol names are not words)
GLYPHS = {"star": "★", "square": "■", "diamond": "◆", "triangle-down": "▼", "circle": "●", "hexagon": "⬢",
          "triangle-up": "▲", "pentagon": "⬟"}  # fmt: skip
MIN_SIZE, SIZE_SPAN = 10.0, 22.0
SPAN = 90.0  # degrees per quadrant
#: the value chains named in a hover, at most
HOVER_GVCS = 4


def centre(dimension: str) -> float:
    """The angle (degrees, clockwise from the top) of the middle of ``dimension``'s quadrant."""
    return SPAN * DIMENSIONS.index(dimension) + SPAN / 2


def ring(kind: str) -> tuple[float, str]:
    """(radius, marker symbol) of an item of ``kind``."""
    return RINGS.get(kind, OTHER_RING)


def positions(items: tuple[Item, ...], dimension: str) -> list[tuple[float, float]]:
    """(r, theta) of each of ``items`` (those of ``dimension``) in its quadrant: spread evenly across
    the quadrant on their kind's ring, alternately in and out when a ring is crowded."""
    start = SPAN * DIMENSIONS.index(dimension)
    by_ring: dict[float, list[int]] = {}
    for k, item in enumerate(items):
        by_ring.setdefault(ring(item.kind)[0], []).append(k)
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(items)
    for radius, members in by_ring.items():
        n = len(members)
        crowded = n > max(3, int(radius * 10))  # about one marker per 9 degrees at the rim
        margin = 6.0  # keep markers off the quadrant's edges, so two quadrants' items do not touch
        for j, k in enumerate(members):
            theta = start + margin + (j + 0.5) * (SPAN - 2 * margin) / n
            shift = (0.07 if j % 2 else -0.07) if crowded else 0.0
            out[k] = (radius + shift, theta)
    return out


def wrap(text: str, width: int = 110) -> str:
    """``text`` broken into lines of at most about ``width`` characters (``<br>``): an annotation does
    not wrap by itself. Text without spaces (Chinese) is cut every ``width // 2`` characters."""
    if " " not in text:
        step = width // 2
        return "<br>".join(text[k : k + step] for k in range(0, len(text), step))
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _size(actors: int, most: int) -> float:
    """Marker diameter: its area grows with the number of actors served."""
    return MIN_SIZE + SIZE_SPAN * math.sqrt(actors / most) if most else MIN_SIZE


def sundial_figure(dataset: Dataset, dial: Sundial, lang: str = "en", selected: str | None = None) -> go.Figure:
    """The four-quadrant figure of ``dial`` in ``lang``; ``selected``: an item id to ring."""
    names = names_by_id(dataset.groupings, lang)
    wanted = {i.id for i in dial.items if i.table == "actors"}
    if wanted:  # name only the actor items: naming every actor costs 0.1 s at 100k
        tagged = dataset.actors[dataset.actors["id"].isin(wanted)]
        names.update(names_by_id(tagged, lang))
    gvc_names = names_by_id(dataset.gvcs, lang)
    dimension_labels = {d: label("sundial", d, lang) for d in DIMENSIONS}
    most = max((len(i.actors) for i in dial.items), default=0)
    traces: list[dict] = [
        dict(
            type="barpolar",
            r=[1.0] * len(DIMENSIONS),
            theta=[centre(d) for d in DIMENSIONS],
            width=[SPAN] * len(DIMENSIONS),
            marker={
                "color": [rgba(COLOURS[d], BACKGROUND_ALPHA) for d in DIMENSIONS],
                "line": {"color": "#ffffff", "width": 2},
            },
            hoverinfo="skip",
            showlegend=False,
            name="quadrants",
        )
    ]
    for dimension in DIMENSIONS:
        items = dial.by_dimension(dimension)
        placed = positions(items, dimension)
        hover = []
        for item in items:
            shown_gvcs = ", ".join(short_name(gvc_names.get(g, g), 30) for g in item.gvcs[:HOVER_GVCS])
            more = len(item.gvcs) - HOVER_GVCS
            lines = [
                f"<b>{names.get(item.id, item.id)}</b>",
                label("kind", item.kind, lang),
                t("sundial.hover.dimensions", lang, values=", ".join(dimension_labels[d] for d in item.dimensions)),
                t("sundial.hover.actors", lang, count=number(len(item.actors), lang)),
                t("sundial.hover.gvcs", lang, count=number(len(item.gvcs), lang)),
            ]
            if shown_gvcs:
                lines.append(
                    shown_gvcs + (f" {t('sundial.hover.more', lang, count=number(more, lang))}" if more > 0 else "")
                )
            hover.append("<br>".join(lines))
        is_selected = [item.id == selected for item in items]
        traces.append(
            dict(
                type="scatterpolar",
                mode="markers",
                r=[p[0] for p in placed],
                theta=[p[1] for p in placed],
                customdata=[item.id for item in items],
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "size": [_size(len(item.actors), most) for item in items],
                    "symbol": [ring(item.kind)[1] for item in items],
                    "color": COLOURS[dimension],
                    "opacity": 0.9,
                    "line": {
                        "color": [HIGHLIGHT["colour"] if s else "#ffffff" for s in is_selected],
                        "width": [4 if s else 1 for s in is_selected],
                    },
                },
                name=dimension_labels[dimension],
                showlegend=False,
            )
        )
    kinds = list(dict.fromkeys(i.kind for i in dial.items))
    shapes = "   ".join(f"{GLYPHS[ring(k)[1]]} {label('kind', k, lang)}" for k in kinds)
    note = wrap(t("sundial.note", lang)) + ("<br>" + shapes if shapes else "")
    annotations = [
        dict(text=note, x=0, y=-0.02, xref="paper", yref="paper", xanchor="left", yanchor="top",
             showarrow=False, align="left", font={"size": 11, "color": "#4a4f55"})
    ]  # fmt: skip
    if not dial.items:
        annotations.append(
            dict(text=t("sundial.empty", lang), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                 font={"size": 14})
        )  # fmt: skip
    layout = dict(
        title={"text": t("sundial.title", lang), "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "color": INK, "size": 12},
        hoverlabel=HOVERLABEL,
        height=680,
        margin={"l": 40, "r": 40, "t": 80, "b": 80},
        paper_bgcolor="#ffffff",
        showlegend=False,
        annotations=annotations,
        polar={
            "bgcolor": "#ffffff",
            "hole": 0.0,
            "radialaxis": {"range": [0, 1.0], "visible": False, "fixedrange": True},
            "angularaxis": {
                "rotation": 90,
                "direction": "clockwise",
                "tickmode": "array",
                "tickvals": [centre(d) for d in DIMENSIONS],
                "ticktext": [f"<b>{dimension_labels[d]}</b>" for d in DIMENSIONS],
                "tickfont": {"size": 13},
                "showgrid": False,
                "showline": False,
                "ticks": "",
            },
        },
    )
    # plain dicts and no validation, as layers/strengths_figure.py (the check costs more than the drawing)
    return go.Figure(data=traces, layout=layout, _validate=False)
