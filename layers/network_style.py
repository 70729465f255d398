"""The network view's cytoscape stylesheet, and the selection highlight added to it.

Pure (no Dash). Colours come from ``layers.style`` (the map's palette: Okabe-Ito kinds and
Tol link types, checked there for 3:1 contrast on white), so a kind looks the same in both
views. The network adds a second channel the map cannot draw, for colour-blind readers and
print: the **shape** says what an element is (actors circles, clusters rounded rectangles,
other groupings diamonds, areas hexagons, groups big circles with a double ring and their
count in the label) and the **line style** tells link types apart where colours are close
(dotted: coordination, support and external programmes; dashed: derived cluster membership).

Synthetic records get a dashed dark outline. A node's size follows its importance (its drawn
links: ``data(size)``). Labels are placed on the server (``layers.network_labels``): each has its
own size in model units (``data(fs)``) and side (class ``label-below``/``-right``/``-left``/
``-above`` and the corners), and is hidden while it would be drawn under ``MIN_READABLE_PX`` on
screen (class ``lod-hidden``, set by the page as the zoom changes: assets/camera.js), so the
fitted view shows the hubs' labels, readable and apart, and the rest appear as the user zooms in.
Labels are wrapped on the server (``data(text)``), never cut.
They are drawn in the page's ink with a white outline, so they stay readable over edges.
"""

from __future__ import annotations

import json

from core.i18n import language
from layers.graph_layout import DIAMETERS
from layers.network_labels import LABEL_GAP
from layers.style import (
    ACTOR_STYLE,
    ADDED_COLOUR,
    AREA_STYLE,
    ENDED_COLOUR,
    FONT_FAMILY,
    INK,
    LINK_STYLE,
    SUGGESTED_COLOUR,
)

#: grouping kind -> colour (Okabe-Ito / Tol, darkened where needed for 3:1 on white; every two
#: apart under simulated colour-vision deficiencies, tests/test_palettes.py)
GROUPING_COLOURS = {
    "cluster": "#117733",  # Tol green
    "research_network": "#0072B2",  # Okabe-Ito blue, as technopoles (their network)
    "regions_network": "#332288",  # Tol indigo
    "macro_region": "#882255",  # Tol wine
    "interreg_programme": "#35978F",  # dark teal (was the research network's blue)
    "support_programme": "#8C6D00",  # dark gold
    "policy": "#762A83",  # dark purple
}
#: area kind -> colour: the outline colours of the map's areas (fills there are too pale for nodes)
AREA_COLOURS = {kind: style["line"] for kind, style in AREA_STYLE.items() if kind != "context"}
AREA_COLOURS.setdefault("programme_area", "#7A7A29")
GROUP_BORDER = INK
MIXED_COLOUR = "#6b6b6b"
#: link types drawn dotted (the rest solid; derived memberships dashed)
DOTTED = ("coordination", "programme_support", "external_programme")
FADED_NODE, FADED_EDGE = 0.18, 0.08


def kind_colour(kind: str) -> str:
    """The colour of an actor, grouping or area kind (grey when unknown)."""
    if kind in ACTOR_STYLE:
        return ACTOR_STYLE[kind][0]
    return GROUPING_COLOURS.get(kind) or AREA_COLOURS.get(kind) or MIXED_COLOUR


#: the keyboard focus ring: the page's focus colour (assets/atlas.css --focus), 10:1 on white
FOCUS_COLOUR = "#0b3d91"
FOCUS_WIDTH = 4


def base_stylesheet() -> list[dict]:
    """The stylesheet of the network view without any selection."""
    label = {
        "label": "data(text)",
        "font-size": 12,
        "font-family": FONT_FAMILY,
        "color": INK,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "text-outline-opacity": 1,
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": LABEL_GAP,
        # lines are broken on the server (data(text)); nothing is ever cut
        "text-wrap": "wrap",
        "text-max-width": "100000px",
        # the page hides labels drawn under MIN_READABLE_PX (class lod-hidden, assets/camera.js);
        # this only spares cytoscape drawing specks (it rounds the zoom, so it cannot be the rule)
        "min-zoomed-font-size": 6,
    }
    actor, grouping, area = DIAMETERS["actor"], DIAMETERS["grouping"], DIAMETERS["area"]
    rules: list[dict] = [
        {
            "selector": "node",
            "style": {
                **label,
                "width": actor,
                "height": actor,
                "background-color": MIXED_COLOUR,
                "border-width": 1.5,
                "border-color": "#ffffff",
                "shape": "ellipse",
            },
        },
        {"selector": "node.label-above", "style": {"text-valign": "top", "text-margin-y": -LABEL_GAP}},
        {
            "selector": "node.label-right",
            "style": {"text-valign": "center", "text-halign": "right", "text-margin-y": 0, "text-margin-x": LABEL_GAP},
        },
        {
            "selector": "node.label-left",
            "style": {"text-valign": "center", "text-halign": "left", "text-margin-y": 0, "text-margin-x": -LABEL_GAP},
        },
        *(
            {
                "selector": f"node.label-{vertical}-{horizontal}",
                "style": {
                    "text-valign": "bottom" if vertical == "below" else "top",
                    "text-halign": horizontal,
                    "text-margin-x": 0,
                    "text-margin-y": 0,
                },
            }
            for vertical in ("below", "above")
            for horizontal in ("right", "left")
        ),
        {"selector": "node.actor", "style": {"shape": "ellipse"}},
        {
            "selector": "node.grouping",
            "style": {
                "shape": "diamond",
                "width": grouping,
                "height": grouping,
                "font-weight": "bold",
                "font-size": 14,
            },
        },
        {"selector": "node.grouping.cluster", "style": {"shape": "round-rectangle"}},
        {"selector": "node.area", "style": {"shape": "hexagon", "width": area, "height": area}},
    ]
    for kind in ACTOR_STYLE:
        rules.append(
            {"selector": f"node.actor.{kind}, node.group.{kind}", "style": {"background-color": kind_colour(kind)}}
        )
    for kind in GROUPING_COLOURS:
        rules.append({"selector": f"node.grouping.{kind}", "style": {"background-color": kind_colour(kind)}})
    for kind in AREA_COLOURS:
        rules.append({"selector": f"node.area.{kind}", "style": {"background-color": kind_colour(kind)}})
    rules += [
        {
            "selector": "node.group",
            "style": {
                "width": "data(size)",
                "height": "data(size)",
                "border-width": 4,
                "border-style": "double",
                "border-color": GROUP_BORDER,
                "background-opacity": 0.85,
                "font-weight": "bold",
                "font-size": 14,
            },
        },
        # after the kinds' rules (in cytoscape the later rule wins): the server's sizes
        # hubs drawn above their small members, so their labels are not hidden under them
        {"selector": "node[fs]", "style": {"font-size": "data(fs)", "z-index": "data(degree)"}},
        {"selector": "node[size]", "style": {"width": "data(size)", "height": "data(size)"}},
        {"selector": "node.lod-hidden", "style": {"text-opacity": 0}},
        {"selector": "node.group.mixed", "style": {"background-color": MIXED_COLOUR}},
        {"selector": "node.group.expanded", "style": {"background-opacity": 0.3, "border-style": "solid"}},
        # Synthetic after group, so a group of synthetic records shows the dashed outline too.
        {"selector": "node.synthetic", "style": {"border-style": "dashed", "border-width": 2.5, "border-color": INK}},
        {"selector": "node.group.synthetic", "style": {"border-width": 4}},
        {
            "selector": "edge",
            "style": {
                "curve-style": "haystack",
                "haystack-radius": 0,
                "width": 1.5,
                "line-color": MIXED_COLOUR,
                "opacity": 0.75,
            },
        },
    ]
    for link_type, (colour, width) in LINK_STYLE.items():
        style = {"line-color": colour, "width": width}
        if link_type in DOTTED:
            style["line-style"] = "dotted"
        rules.append({"selector": f"edge.{link_type}", "style": style})
    rules += [
        {"selector": "edge.mixed", "style": {"line-color": MIXED_COLOUR}},
        {
            "selector": "edge.aggregate",
            "style": {
                "width": "mapData(count, 1, 500, 1.5, 10)",
                "opacity": 0.55,
                "label": "data(label)",
                "font-size": 12,
                "font-family": FONT_FAMILY,
                "color": INK,
                "text-outline-color": "#ffffff",
                "text-outline-width": 2,
                "min-zoomed-font-size": 10,
            },
        },
        {"selector": "edge.derived", "style": {"line-style": "dashed", "line-dash-pattern": [6, 4]}},
        # suggested partners (core/suggest.py): not links; long dashes in their own colour, labelled
        {
            "selector": "edge.suggested",
            "style": {
                "line-color": SUGGESTED_COLOUR,
                "line-style": "dashed",
                "line-dash-pattern": [10, 5],
                "width": 3,
                "opacity": 1,
                "z-index": 60,
                "label": "data(slabel_en)",
                "font-size": 12,
                "font-family": FONT_FAMILY,
                "color": SUGGESTED_COLOUR,
                "text-outline-color": "#ffffff",
                "text-outline-width": 2,
                "text-rotation": "autorotate",
            },
        },
        # two dates compared (core/compare.py): added links wide and bluish green, ended ones vermilion
        # and dashed (Okabe-Ito: apart for every colour vision; the dash and width say it without colour)
        {"selector": "edge.cmp-added", "style": {"line-color": ADDED_COLOUR, "width": 5, "opacity": 1, "z-index": 50}},
        {
            "selector": "edge.cmp-ended",
            "style": {
                "line-color": ENDED_COLOUR,
                "line-style": "dashed",
                "line-dash-pattern": [7, 4],
                "width": 4,
                "opacity": 1,
                "z-index": 50,
            },
        },
        {"selector": "edge.member", "style": {"line-color": "#9aa1a9", "width": 1, "opacity": 0.45}},
        # the keyboard's focus (assets/network_keys.js): a ring outside the node, apart from it by a
        # gap, dark enough for 3:1 against the white background and whatever the node's colour
        {
            "selector": "node.kbd-focus",
            "style": {"outline-width": FOCUS_WIDTH, "outline-color": FOCUS_COLOUR, "outline-offset": 3, "z-index": 999},
        },
        {
            "selector": "edge.kbd-focus",
            "style": {
                "underlay-color": FOCUS_COLOUR,
                "underlay-opacity": 0.45,
                "underlay-padding": FOCUS_WIDTH,
                "opacity": 1,
                "z-index": 999,
            },
        },
    ]
    return rules


def language_rules(lang: str) -> list[dict]:
    """Rules that show the nodes' names in ``lang`` (``data.text_<lang>``, set where the name
    differs from the English one); none for English."""
    code = language(lang)
    if code == "en":
        return []
    return [
        {"selector": f"node[text_{code}]", "style": {"label": f"data(text_{code})"}},
        {"selector": f"edge.suggested[slabel_{code}]", "style": {"label": f"data(slabel_{code})"}},
    ]


def _quote(value: str) -> str:
    """A cytoscape selector string literal (JSON escaping: quotes and backslashes are escaped)."""
    return json.dumps(str(value), ensure_ascii=False)


def size_rules(diameters: dict[str, float]) -> list[dict]:
    """Rules drawing each node of ``diameters`` at its diameter (nodes of one size share a rule):
    the node size following a metric is a restyle, never new elements."""
    by_size: dict[float, list[str]] = {}
    for node_id, diameter in diameters.items():
        by_size.setdefault(diameter, []).append(node_id)
    return [
        {
            "selector": ", ".join(f"node[id = {_quote(i)}]" for i in sorted(ids)),
            "style": {"width": diameter, "height": diameter},
        }
        for diameter, ids in sorted(by_size.items())
    ]


def selection_stylesheet(base: list[dict], selected_id: str, neighbour_ids: frozenset[str] | set[str]) -> list[dict]:
    """``base`` plus rules that highlight ``selected_id`` and its neighbours and fade the rest.

    Style only: the elements are not touched. ``selected_id`` may be a node's or an edge's id;
    ``neighbour_ids`` are node ids (an edge's ends, or a node's drawn neighbours). An empty
    ``selected_id`` returns a copy of ``base``.
    """
    rules = list(base)
    if not selected_id:
        return rules
    sel = _quote(selected_id)
    rules += [
        {"selector": "node", "style": {"opacity": FADED_NODE}},
        {"selector": "edge", "style": {"opacity": FADED_EDGE}},
    ]
    if neighbour_ids:
        selector = ", ".join(f"node[id = {_quote(i)}]" for i in sorted(neighbour_ids))
        rules.append({"selector": selector, "style": {"opacity": 1, "font-size": "data(fs_hl)", "text-opacity": 1}})
    rules += [
        {"selector": f"edge[source = {sel}], edge[target = {sel}]", "style": {"opacity": 0.95, "z-index": 99999}},
        {
            "selector": f"node[id = {sel}]",
            "style": {
                "opacity": 1,
                "border-width": 5,
                "border-color": INK,
                "border-style": "solid",
                "z-index": 100000,
                "font-weight": "bold",
                "font-size": "data(fs_hl)",
                "text-opacity": 1,
                "underlay-color": "#F0E442",
                "underlay-padding": 6,
                "underlay-opacity": 0.9,
            },
        },
        {"selector": f"edge[id = {sel}]", "style": {"opacity": 1, "width": 5, "z-index": 100000}},
    ]
    return rules
