"""Colours, sizes and labels of the map: one place, shared by the map layers and the HTML legend.

Colours follow the Okabe-Ito palette (actor kinds) and Paul Tol's muted/vibrant palettes
(link types), adjusted where a simulation of the common colour-vision deficiencies
(protanopia, deuteranopia, tritanopia; Machado et al. 2009) made two of them alike:
tests/test_palettes.py keeps every pair at least 10 CIELAB units apart under each. Light
members of those palettes (yellow, sky blue, orange) are darkened so that every marker and
line reaches 3:1 against the white map (WCAG 1.4.11, non-text contrast); a test checks it.
Text never sits on these colours: hover labels are dark text on white (AA), and the HTML
legend writes its labels in the page's ink colour.

Markers are all circles: any other MapLibre symbol is an icon from a sprite sheet, which
the offline ``white-bg`` style does not have (it would be fetched from the internet).
Kinds therefore differ by colour *and* size.
"""

from __future__ import annotations

import re

from core.i18n import label

__all__ = [
    "ACTOR_STYLE",
    "AREA_STYLE",
    "CLUSTER_COLOURS",
    "FONT_FAMILY",
    "HIGHLIGHT",
    "HOVERLABEL",
    "INK",
    "LINK_STYLE",
    "PROGRAMME_COLOURS",
    "STARTUP_STYLE",
    "contrast_ratio",
    "kind_label",
    "link_label",
    "programme_colour",
    "rgba",
    "short_name",
]

INK = "#1a1a1a"
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'  # system fonts: nothing downloaded
#: hover labels: dark text on white whatever the trace colour (contrast ~17:1)
HOVERLABEL = {"bgcolor": "#ffffff", "bordercolor": "#4a4f55", "font": {"color": INK, "family": FONT_FAMILY, "size": 13}}

#: actor kind -> (colour, marker diameter in px). Bigger markers for the few anchor institutions.
ACTOR_STYLE: dict[str, tuple[str, int]] = {
    "technopole": ("#0072B2", 15),  # Okabe-Ito blue
    "technopole_site": ("#3A8DC5", 10),  # a lighter blue of the same family: a site of a technopole
    "university": ("#D55E00", 13),  # vermillion
    "research_centre": ("#009E73", 11),  # bluish green
    "infrastructure": ("#000000", 10),  # black
    "firm": ("#CC79A7", 10),  # reddish purple
    # magenta and crimson: Okabe-Ito orange and a dark grey were, to a deuteranope, the university's
    # vermillion and the start-ups' wine (tests/test_palettes.py simulates the deficiencies)
    "support_body": ("#C51B7D", 11),
    "government": ("#B2182B", 10),
    "startup": ("#882255", 8),  # wine; start-ups are drawn as aggregated bubbles (startups_map)
}
DEFAULT_ACTOR_STYLE = ("#4a4f55", 9)

#: start-up bubbles: diameter = MIN + SPAN * sqrt(count / largest count in the dataset)
STARTUP_STYLE = {"colour": "#882255", "opacity": 0.45, "min_size": 5, "size_span": 20}

#: link type -> (colour, line width in px). No dashes: map lines cannot be dashed.
LINK_STYLE: dict[str, tuple[str, float]] = {
    "cluster_membership": ("#332288", 1.6),  # Tol indigo
    "value_chain": ("#117733", 1.6),  # Tol green
    "research_collaboration": ("#CC3311", 2.2),  # Tol vibrant red
    "programme_support": ("#B8505F", 1.8),  # darkened Tol rose (orange was research's red to a deuteranope)
    "partner_agreement": ("#882255", 2.6),  # Tol wine: the few long world links, drawn thick
    "network_membership": ("#762A83", 1.3),  # dark purple (teal was value chains' green to a tritanope)
    "infrastructure": ("#000000", 2.2),  # black, as infrastructure actors
    "part_of": ("#7A7A29", 1.3),  # darkened Tol olive
    "coordination": ("#AA4499", 1.6),  # Tol purple
    "external_programme": ("#0077BB", 1.8),  # Tol vibrant blue
}
DEFAULT_LINK_STYLE = ("#4a4f55", 1.5)
LINK_OPACITY = 0.8

#: area kind -> fill colour, fill opacity, outline colour, outline width
AREA_STYLE: dict[str, dict] = {
    "region": {"fill": "#ffffff", "opacity": 0.0, "line": INK, "width": 2.0},
    "province": {"fill": "#dfe7ef", "opacity": 0.55, "line": "#5b6775", "width": 1.0},
    "partner_region": {"fill": "#f1dcb4", "opacity": 0.7, "line": "#8a5a00", "width": 1.2},
    "member_region": {"fill": "#d5e8d1", "opacity": 0.7, "line": "#3d6b3a", "width": 1.0},
    #: areas filtered out, drawn only for orientation (not clickable)
    "context": {"fill": "#f2f2f2", "opacity": 0.5, "line": "#9aa1a9", "width": 0.8},
    #: country outlines: the world scope's background, since the offline map has no tiles
    "country": {"fill": "#eceff2", "opacity": 1.0, "line": "#b8bec5", "width": 0.5},
}

#: programme/network areas: semi-transparent fills, a colour per grouping (stable: by vocabulary order)
PROGRAMME_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#999933", "#332288")
PROGRAMME_OPACITY = 0.22
#: Clust-ER clusters' member outlines (layers.cluster_extent): Tol's bright palette, darkened where light,
#: in the order of the clusters in the data
CLUSTER_COLOURS = ("#4477AA", "#AA3377", "#228833", "#CC6677", "#997700", "#66A3C2", "#555555")

#: the highlight: translucent halos (MapLibre circles have no outline in plotly), selected one bigger.
#: Okabe-Ito yellow-orange, the page's focus colour: no actor kind or link type uses it.
HIGHLIGHT = {"colour": "#E69F00", "opacity": 0.45, "selected_size": 38, "neighbour_size": 26, "line_size": 9}


def kind_label(kind: str, lang: str = "en") -> str:
    """Human label of an actor, grouping or area kind, in ``lang``."""
    return label("kind", kind, lang, kind.replace("_", " ").capitalize())


def short_name(name: str, limit: int = 32) -> str:
    """A legend-sized name: long names lose a trailing parenthesis (or keep only it, when it is an
    acronym such as "EUSAIR"), else are cut with an ellipsis. Plotly's horizontal legend gives
    every entry the width of the longest, so one long name would leave one entry per row."""
    if len(name) <= limit:
        return name
    match = re.match(r"^(.*?)\s*\(([^()]*)\)$", name)
    if match:
        head, inner = match.groups()
        if " " not in inner and inner.upper() == inner and len(inner) <= limit:
            return inner
        if len(head) <= limit:
            return head
    return name[: limit - 1].rstrip() + "…"


def link_label(link_type: str, lang: str = "en") -> str:
    """Human label of a link type, in ``lang``."""
    return label("link", link_type, lang, link_type.replace("_", " ").capitalize())


def actor_style(kind: str) -> tuple[str, int]:
    """(colour, marker size) of an actor kind."""
    return ACTOR_STYLE.get(kind, DEFAULT_ACTOR_STYLE)


def link_style(link_type: str) -> tuple[str, float]:
    """(colour, line width) of a link type."""
    return LINK_STYLE.get(link_type, DEFAULT_LINK_STYLE)


def programme_colour(position: int) -> str:
    """Colour of the ``position``-th programme area layer of the vocabulary."""
    return PROGRAMME_COLOURS[position % len(PROGRAMME_COLOURS)]


def rgba(colour: str, alpha: float) -> str:
    """``#rrggbb`` and an opacity as a CSS ``rgba()`` string.

    Polygon fills carry their transparency in the colour, because a choropleth's
    ``marker.opacity`` would fade its outline too.
    """
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha:g})"


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: links added / ended between two compared dates (core/compare.py), in both views: Okabe-Ito
#: bluish green and vermilion, apart for every colour vision; width (added) and dashes (ended, in
#: the network) say it without colour too
ADDED_COLOUR, ENDED_COLOUR = "#009E73", "#D55E00"
#: suggested partners (not links), in both legends: Okabe-Ito reddish purple, darkened for 4.5:1 on white
SUGGESTED_COLOUR = "#8E4585"
