"""The map's HTML legend: every colour and symbol on the map now, and what they mean.

Built from the selection and the view state in the page's language, beside the map (and read by
the image exports, ``assets/export_legend.js``). In the region scope it starts with the actors
beyond the region (:func:`outside_rows`), which the region's frame cannot show. Swatches are
drawn with CSS in the map layers' own colours (``layers.style``), so nothing is downloaded.
"""

from __future__ import annotations

from dash import html

from components import ids
from core.codes import equals, tally
from core.compare import compare_links
from core.i18n import names_by_id, number, record_name, t
from core.outside import outside_actors
from core.selection import Selection
from core.state import ViewState
from core.vocabulary import vocabulary
from data import Dataset
from data.schema import LINK_TYPES
from layers import cluster_extent
from layers.links_map import MAX_MAP_LINKS
from layers.style import (
    ACTOR_STYLE,
    ADDED_COLOUR,
    AREA_STYLE,
    CLUSTER_COLOURS,
    ENDED_COLOUR,
    HIGHLIGHT,
    STARTUP_STYLE,
    actor_style,
    kind_label,
    link_label,
    link_style,
    programme_colour,
    rgba,
)

#: every swatch sits in a box of the same width, so the labels line up whatever the marker size
_BOX = {
    "display": "inline-flex",
    "width": "24px",
    "justifyContent": "center",
    "alignItems": "center",
    "verticalAlign": "middle",
    "marginRight": ".4em",
}


def _dot(colour: str, size: float, opacity: float = 1.0) -> html.Span:
    dot = html.Span(
        style={
            "display": "inline-block",
            "width": f"{size}px",
            "height": f"{size}px",
            "borderRadius": "50%",
            "background": colour,
            "opacity": opacity,
        }
    )
    return html.Span(dot, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _line(colour: str, width: float) -> html.Span:
    # Drawn thicker than on the map: a 1 px line is hard to read as a colour in a legend.
    line = html.Span(
        style={"display": "inline-block", "width": "22px", "borderTop": f"{max(width * 1.5, 3)}px solid {colour}"}
    )
    return html.Span(line, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _patch(fill: str, line: str) -> html.Span:
    patch = html.Span(
        style={
            "display": "inline-block",
            "width": "18px",
            "height": "12px",
            "background": fill,
            "border": f"1.5px solid {line}",
        }
    )
    return html.Span(patch, className="legend-swatch", style=_BOX, **{"aria-hidden": "true"})


def _items(rows: list) -> html.Ul:
    return html.Ul([html.Li(r) for r in rows], style={"listStyle": "none", "padding": 0, "margin": ".1rem 0"})


def _heading(text: str) -> html.H3:
    return html.H3(text, style={"fontSize": ".95rem", "margin": ".5rem 0 .1rem"})


def legend(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list:
    """Children of the HTML legend, in ``lang``: every colour and symbol on the map now, and what they mean."""
    out: list = [html.H2(t("legend.title", lang), style={"fontSize": "1rem", "margin": ".3rem 0"})]
    if state.scope == "region":
        out += outside_rows(dataset, selection, lang)
    actors = selection.actors
    counts = tally(dataset, "actors", actors, "kind")  # on codes: string compares cost 4 ms each at 100k
    kinds = [k for k in ACTOR_STYLE if k != "startup" and k in counts]
    kinds += sorted(set(counts) - set(ACTOR_STYLE) - {""})
    if kinds:
        out += [
            _heading(t("legend.actors", lang)),
            _items([[_dot(*actor_style(k)), f"{kind_label(k, lang)} ({number(counts[k], lang)})"] for k in kinds]),
        ]
    is_startup = equals(dataset, "actors", actors, "kind", "startup")
    startups = int(is_startup.sum())
    if startups:
        synthetic = int(actors.loc[is_startup, "synthetic"].fillna(False).astype(bool).sum())
        note = (
            t("legend.startups_synthetic", lang, count=number(synthetic, lang), badge=t("badge.synthetic", lang))
            if synthetic
            else ""
        )
        out += [
            _heading(t("legend.startups", lang)),
            _items(
                [
                    [
                        _dot(STARTUP_STYLE["colour"], 18, STARTUP_STYLE["opacity"]),
                        t("legend.startups_text", lang, count=number(startups, lang), note=note),
                    ]
                ]
            ),
        ]
    present = set(selection.links["link_type"].unique())
    link_types = [t for t in LINK_TYPES if t in present] + sorted(present - set(LINK_TYPES))
    if link_types:
        out += [
            _heading(t("legend.links", lang)),
            _items(
                [[_line(*link_style(k)), link_label(k, lang)] for k in link_types]
                + _change_rows(state, selection, lang)
            ),
            html.P(
                t("legend.links_region" if state.scope == "region" else "legend.links_world", lang)
                + t("legend.links_network_only", lang)
                + (
                    t(
                        "legend.links_capped",
                        lang,
                        max=number(MAX_MAP_LINKS, lang),
                        total=number(len(selection.links), lang),
                    )
                    if len(selection.links) > MAX_MAP_LINKS
                    else ""
                ),
                className="muted",
            ),
        ]
    shown_kinds = set(selection.areas["kind"].unique())
    area_kinds = ["region", "province"] + (["partner_region", "member_region"] if state.scope == "world" else [])
    area_rows = [
        [
            _patch(rgba(AREA_STYLE[k]["fill"], max(AREA_STYLE[k]["opacity"], 0.15)), AREA_STYLE[k]["line"]),
            t(f"area.{k}", lang),
        ]
        for k in area_kinds
        if k in shown_kinds
    ]
    if set(dataset.areas.loc[dataset.areas["kind"].isin(["region", "province"]), "id"]) - set(selection.areas["id"]):
        style = AREA_STYLE["context"]
        area_rows.append([_patch(rgba(style["fill"], 1), style["line"]), t("area.context", lang)])
    if area_rows:
        out += [_heading(t("legend.areas", lang)), _items(area_rows)]
    out += _programme_rows(dataset, state, lang)
    out += _cluster_rows(dataset, state, lang)
    out += [
        _heading(t("legend.symbols", lang)),
        _items(
            [
                [_dot(HIGHLIGHT["colour"], 18, HIGHLIGHT["opacity"]), t("legend.halo", lang)],
                [html.Span(t("badge.synthetic", lang), className="badge-synthetic"), t("legend.synthetic", lang)],
                t("legend.places", lang),
            ]
        ),
    ]
    return out


def _change_rows(state: ViewState, selection: Selection, lang: str) -> list:
    """With two dates compared: the added and ended links' lines, with the counts of the links shown."""
    if not state.compare:
        return []
    first, second = state.compare
    counts = compare_links(selection.links, first, second).counts
    return [
        [_line(colour, 5), t(f"compare.legend.{change}", lang, first=first, second=second, count=counts[change])]
        for change, colour in (("added", ADDED_COLOUR), ("ended", ENDED_COLOUR))
    ]


#: actors named one by one in the "outside the region" list
MAX_OUTSIDE = 8


def outside_rows(dataset: Dataset, selection: Selection, lang: str = "en") -> list:
    """The selection's actors beyond the home region, listed where the region map cannot show them:
    each a button that selects it, with its place, distance and direction; and the world scope."""
    far = outside_actors(dataset, selection.actors)
    if not len(far):
        return []
    region = dataset.text("region_name", lang) or ""
    rows = []
    for row in far.head(MAX_OUTSIDE).to_dict(orient="records"):
        direction = t(f"outside.dir.{row['direction']}", lang)
        place = row.get("municipality") if isinstance(row.get("municipality"), str) else ""
        where = (
            t("outside.place", lang, place=place, km=number(row["km"], lang), direction=direction)
            if place
            else t("outside.place_unknown", lang, km=number(row["km"], lang), direction=direction)
        )
        name = record_name(row, lang)
        # selected in the browser (assets/url_actions.js): the URL's sel, as a click on the map would
        button = html.Button(name, className="link-button", type="button", **{"data-atlas-select": row["id"]})
        rows.append([_dot(*actor_style(row["kind"])), button, f" — {kind_label(row['kind'], lang)}; {where}"])
    more = len(far) - MAX_OUTSIDE
    if more > 0:
        rows.append(t("outside.more", lang, count=number(more, lang)))
    return [
        html.Div(
            [
                _heading(t("outside.title", lang, region=region, count=number(len(far), lang))),
                _items(rows),
                html.P(
                    [
                        t("outside.note", lang),
                        " ",
                        html.Button(
                            t("outside.world", lang),
                            className="link-button",
                            type="button",
                            **{"data-atlas-scope": "world"},
                        ),
                    ],
                    className="muted",
                ),
            ],
            className="map-outside",
            id=ids.MAP_OUTSIDE,
        )
    ]


def _cluster_rows(dataset: Dataset, state: ViewState, lang: str) -> list:
    drawn = cluster_extent.clusters_to_draw(dataset, state)
    if not drawn:
        return []
    groupings = dataset.groupings
    all_clusters = groupings.loc[groupings["kind"] == "cluster", "id"].tolist()
    names = names_by_id(groupings, lang)
    rows = [
        [
            _patch(
                rgba(CLUSTER_COLOURS[all_clusters.index(c) % len(CLUSTER_COLOURS)], 0.15),
                CLUSTER_COLOURS[all_clusters.index(c) % len(CLUSTER_COLOURS)],
            ),
            names.get(c, c),
        ]
        for c in drawn
    ]
    return [
        _heading(t("legend.clusters", lang)),
        _items(rows),
        html.P(t("legend.clusters_note", lang), className="muted"),
    ]


def _programme_rows(dataset: Dataset, state: ViewState, lang: str) -> list:
    clusters = set(dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"])
    layers = tuple(g for g in vocabulary(dataset).area_layers if g not in clusters)
    if not layers:
        return []
    names = names_by_id(dataset.groupings, lang)
    on = [g for g in layers if g in set(state.areas)]
    if not on:
        return [_heading(t("legend.programmes", lang)), html.P(t("legend.programmes_none", lang), className="muted")]
    rows = [
        [_patch(rgba(programme_colour(layers.index(g)), 0.3), programme_colour(layers.index(g))), names.get(g, g)]
        for g in on
    ]
    return [
        _heading(t("legend.programmes", lang)),
        _items(rows),
        html.P(t("legend.programmes_note", lang), className="muted"),
    ]
