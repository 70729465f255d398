"""The network's legend: every shape, colour and line drawn now, and what they mean.

Built from the elements the network draws (so it never lists what is not there), in the page's
language, beside the graph on the main page, in embeds and in exports. The shapes and colours
are the stylesheet's (``layers.network_style``), drawn with CSS so nothing is downloaded.
"""

from __future__ import annotations

from collections import Counter

from dash import html

from core.i18n import number, t
from core.state import SIZES
from data.schema import LINK_TYPES
from layers.network_style import ADDED_COLOUR, DOTTED, ENDED_COLOUR, MIXED_COLOUR, kind_colour
from layers.style import INK, SUGGESTED_COLOUR, kind_label, link_label, link_style

#: entity (and cluster) -> CSS shape of its swatch, as layers.network_style draws it
_SHAPES = {"actor": "circle", "group": "ring", "grouping": "diamond", "cluster": "square", "area": "hexagon"}
_ORDER = {"grouping": 0, "group": 1, "actor": 2, "area": 3}


def network_legend(elements: list[dict], lang: str = "en", compare: tuple[int, int] | None = None) -> list:
    """Children of the network legend for ``elements`` (cytoscape elements as the network draws them);
    with two dates compared (``compare``), the added and ended links' styles and counts."""
    nodes = [e["data"] for e in elements if "source" not in e.get("data", {})]
    edges = [e for e in elements if "source" in e.get("data", {})]
    if not nodes:
        return []
    out: list = [html.H3(t("netlegend.title", lang), className="legend-heading")]
    kinds = Counter((n.get("entity", "actor"), n.get("kind", "")) for n in nodes if n.get("entity") != "group")
    rows = [
        [_node_swatch(entity, kind), f"{kind_label(kind, lang)} ({number(count, lang)})"]
        for (entity, kind), count in sorted(kinds.items(), key=lambda item: (_ORDER.get(item[0][0], 9), item[0][1]))
    ]
    groups = [n for n in nodes if n.get("entity") == "group"]
    if groups:
        rows.append(
            [
                _node_swatch("group", groups[0].get("kind", "")),
                t("netlegend.groups", lang, count=number(len(groups), lang)),
            ]
        )
    if any(n.get("synthetic") for n in nodes):
        rows.append([_node_swatch("synthetic", ""), t("netlegend.synthetic", lang)])
    rows.append([_size_swatch(), _size_text(lang)])
    out.append(_items(rows))
    link_rows = []
    # Counted in links, not lines: a bundle stands for its count, so the numbers add up to the counts line's.
    drawn_types: Counter[str] = Counter()
    for e in edges:
        # suggested partners are not links: their own entry below, never counted among the links
        if "derived" not in e.get("classes", "") and e.get("classes") not in ("member", "suggested"):
            drawn_types[e["data"].get("link_type", "")] += int(e["data"].get("count", 1))
    for link_type in [k for k in LINK_TYPES if k in drawn_types] + sorted(set(drawn_types) - set(LINK_TYPES)):
        if link_type == "mixed":
            colour, style, text = MIXED_COLOUR, "solid", t("netlegend.mixed", lang)
        else:
            colour, style = link_style(link_type)[0], "dotted" if link_type in DOTTED else "solid"
            text = link_label(link_type, lang)
        link_rows.append([_line_swatch(colour, style), f"{text} ({number(drawn_types[link_type], lang)})"])
    derived = sum(int(e["data"].get("count", 1)) for e in edges if "derived" in e.get("classes", ""))
    if derived:
        colour = link_style("cluster_membership")[0]
        link_rows.append([_line_swatch(colour, "dashed"), t("netlegend.derived", lang, count=number(derived, lang))])
    if any("suggested" in e.get("classes", "") for e in edges):
        link_rows.append([_line_swatch(SUGGESTED_COLOUR, "dashed", 3), t("suggest.legend", lang)])
    if compare:
        changes = Counter(e["data"].get("change") for e in edges if e["data"].get("change"))
        for change, colour, style in (("added", ADDED_COLOUR, "solid"), ("ended", ENDED_COLOUR, "dashed")):
            text = t(f"compare.legend.{change}", lang, first=compare[0], second=compare[1], count=changes[change])
            link_rows.append([_line_swatch(colour, style, 4), text])
    if any("aggregate" in e.get("classes", "") for e in edges):
        link_rows.append([_line_swatch(MIXED_COLOUR, "solid", 6), t("netlegend.bundle", lang)])
    if link_rows:
        out += [html.H3(t("netlegend.links", lang), className="legend-heading"), _items(link_rows)]
    return out


def _items(rows: list) -> html.Ul:
    return html.Ul([html.Li(row) for row in rows], className="legend-items")


def _node_swatch(entity: str, kind: str) -> html.Span:
    shape = "square" if entity == "grouping" and kind == "cluster" else _SHAPES.get(entity, "circle")
    colour = MIXED_COLOUR if kind == "mixed" else kind_colour(kind)
    style: dict = {"background": colour}
    if entity == "synthetic":
        shape, style = "circle", {"background": "#ffffff", "border": f"2px dashed {INK}"}
    inner = html.Span(className=f"swatch-shape swatch-{shape}", style=style)
    return html.Span(inner, className="legend-swatch", **{"aria-hidden": "true"})


def _size_text(lang: str) -> html.Span:
    """What the node size follows, worded for each choice: the page shows the one chosen (the network
    panel's ``data-size``, set in the browser from ``ids.NODE_SIZE``), so a choice re-sends no legend."""
    return html.Span(
        [html.Span(t("netlegend.size", lang), className="size-legend size-legend-default")]
        + [
            html.Span(t(f"netlegend.size.{metric}", lang), className=f"size-legend size-legend-{metric}")
            for metric in SIZES
            if metric
        ]
    )


def _size_swatch() -> html.Span:
    dots = [
        html.Span(
            className="swatch-shape swatch-circle",
            style={"background": MIXED_COLOUR, "width": f"{d}px", "height": f"{d}px"},
        )
        for d in (6, 10, 14)
    ]
    return html.Span(dots, className="legend-swatch legend-sizes", **{"aria-hidden": "true"})


def _line_swatch(colour: str, style: str, width: float = 3) -> html.Span:
    line = html.Span(style={"display": "inline-block", "width": "24px", "borderTop": f"{width}px {style} {colour}"})
    return html.Span(line, className="legend-swatch", **{"aria-hidden": "true"})
