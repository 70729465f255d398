"""The detail panel: every field of the selected element, its value chains, links and sources."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from dash import Input, Output, State, dcc, html

from components import ids
from components.translate import T, aria
from components.url import DETAILS_LINK
from core.i18n import all_names, language, names_by_id, number, percent, record_name, t
from core.i18n import label as _label
from core.lookup import incident_links, locate
from core.metrics import network_metrics
from core.selection import select
from core.state import state_from_dict
from core.suggest import reason_texts, suggest_partners
from data import Dataset, load_dataset
from layers.network_analysis import SUGGESTED

#: the record's fields shown as rows, in order (labels: ``details.<field>``)
FIELDS = (
    "municipality",
    "province",
    "year",
    "end_year",
    "location_precision",
    "sector_name",
    "description",
    "note",
    "units",
)
MAX_LINKS = 40


def layout() -> html.Aside:
    """An empty panel; filled when something is selected."""
    return html.Aside(
        [
            html.Button(
                T("details.close"),
                id=ids.DETAILS_CLOSE,
                n_clicks=0,
                className="link-button details-close",
                **aria("aria.close_details"),
            ),
            html.Div(id=ids.DETAILS, **{"aria-live": "polite"}),
            dcc.Store(id=ids.DETAILS_REQUEST, data=""),
        ],
        id=ids.DETAILS_PANEL,
        className="details",
        **aria("aria.details"),
    )


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or value == ""
        or value == ()
    )


def source_parts(source: str) -> list:
    """A record's source: URLs become links (opened in a new tab), anything else stays text."""
    out: list = []
    for i, part in enumerate(p.strip() for p in str(source).split(" ; ") if p.strip()):
        if i:
            out.append(html.Br())
        words = []
        for word in part.split(" "):
            if word.startswith(("http://", "https://")):
                words.append(html.A(word, href=word, target="_blank", rel="noopener noreferrer"))
            else:
                words.append(word)
            words.append(" ")
        out.extend(words[:-1])
    return out


def web_link(url: str) -> html.A | str:
    """A link to ``url`` when it is a web address (http or https); any other text (``javascript:``,
    ``data:``, a file path) is shown as text, never made a link a click would run or open."""
    if url.strip().lower().startswith(("http://", "https://")):
        return html.A(url, href=url.strip(), target="_blank", rel="noopener noreferrer")
    return url


def find(dataset: Dataset, element_id: str) -> tuple[str, dict] | None:
    """(entity, record) for an id of an actor, grouping, area or link."""
    found = locate(dataset, element_id)
    if found is None:
        return None
    table, at = found
    record = dataset.frame(table).iloc[at].to_dict()
    record.pop("geometry", None)
    return ENTITIES[table], record


#: the entity of each selectable table, as the panel names it
ENTITIES = {"actors": "actor", "groupings": "grouping", "areas": "area", "links": "link"}


#: free-text fields: written in English in the data (the page marks them so for screen readers)
FREE_TEXT = ("description", "note", "sector_name")


def _field_value(key: str, value: object, names: Mapping[str, str], lang: str) -> object:
    """A field's value for display: vocabulary values and province ids in ``lang``."""
    if key == "location_precision":
        return _label("precision", value, lang)
    if key == "province":
        return names.get(str(value), str(value))
    if key in FREE_TEXT and lang != "en":
        return html.Span(str(value), lang="en")
    return str(value)


def _row(label: str, value: object) -> html.Tr:
    return html.Tr([html.Th(label, scope="row"), html.Td(value)])


def details_children(element_id: str | None, lang: str | None = "en", filters: dict | None = None) -> list:
    """The panel's content for the selected element, in ``lang`` (empty when nothing is selected); its
    network position is computed under ``filters`` (the filter slice; None: no filter)."""
    if not element_id:
        return []
    lang = lang or "en"
    dataset = load_dataset()
    found = find(dataset, element_id)
    if found is None:
        return [html.P(t("details.not_in_data", lang, id=element_id))]
    entity, rec = found
    names = all_names(dataset, lang)
    if entity == "link":
        title = f"{names.get(rec['source_id'], rec['source_id'])} → {names.get(rec['target_id'], rec['target_id'])}"
    else:
        title = record_name(rec, lang)
    header = [html.H2(title)]
    # the name in another language, marked as such for screen readers: the English name under a
    # translated one; under the English name, the Italian (the region's own) where the data has it
    other_lang = "en" if language(lang) != "en" else "it"
    other = record_name(rec, other_lang)
    if entity != "link" and not _blank(other) and other != title:
        header.append(html.P(other, lang=other_lang, className="muted"))
    kind = _label("link", rec["link_type"], lang) if entity == "link" else _label("kind", rec.get("kind"), lang)
    tags = [html.Span(kind, className="tag")]
    if rec.get("synthetic"):
        tags.append(html.Span(t("badge.synthetic", lang), className="badge-synthetic"))
    tags.append(
        html.Span(
            _label("confidence", rec.get("confidence"), lang), className=f"tag confidence-{rec.get('confidence')}"
        )
    )
    rows = [
        _row(t(f"details.{key}", lang), _field_value(key, rec[key], names, lang))
        for key in FIELDS
        if not _blank(rec.get(key))
    ]
    if not _blank(rec.get("url")):
        rows.append(_row(t("details.web", lang), web_link(str(rec["url"]))))
    if not _blank(rec.get("sundial")):
        rows.append(_row(t("details.sundial", lang), ", ".join(_label("sundial", s, lang) for s in rec["sundial"])))
    gvc_names = names_by_id(dataset.gvcs, lang)
    if not _blank(rec.get("gvcs")):
        rows.append(_row(t("details.gvcs", lang), ", ".join(gvc_names.get(g, g) for g in rec["gvcs"])))
    if not _blank(rec.get("clusters")):
        rows.append(_row(t("details.clusters", lang), ", ".join(names.get(c, c) for c in rec["clusters"])))
    body: list = [*header, html.P(tags, className="tags"), html.Table(rows, className="fields")]
    body.append(_links_section(dataset, entity, rec, names, lang))
    if entity != "link":
        body.append(metrics_section(dataset, rec["id"], filters, lang))
    body += [html.H3(t("details.source", lang)), html.P(source_parts(rec.get("source", "")), className="source")]
    if not _blank(rec.get("source_date")):
        body.append(html.P(t("details.source_date", lang, date=rec["source_date"]), className="muted"))
    else:  # said, not left out: an official citing it needs to know the date is missing
        body.append(html.P(t("details.no_source_date", lang), className="muted"))
    return body


def metrics_section(dataset: Dataset, node_id: str, filters: dict | None, lang: str) -> html.Div:
    """The node's network position under the filters (``core.metrics``): its links, betweenness and
    bridging links, each with its rank among the nodes shown."""
    selection = select(dataset, state_from_dict(filters or {}))
    metrics = network_metrics(dataset, selection)
    heading = html.H3(t("details.metrics", lang))
    if node_id not in metrics.frame.index:
        return html.Div([heading, html.P(t("details.metrics.hidden", lang), className="muted")], className="metrics")
    row = metrics.frame.loc[node_id]
    if not row["degree"]:
        return html.Div([heading, html.P(t("details.metrics.none", lang), className="muted")], className="metrics")
    total = len(metrics.frame)

    def ranked(metric: str, value: str) -> str:
        rank = metrics.rank_of(node_id, metric)
        if rank is None:
            return value
        return t("details.metrics.rank", lang, value=value, rank=number(rank, lang), total=number(total, lang))

    rows = [
        _row(t("metrics.size.degree", lang), ranked("degree", number(int(row["degree"]), lang))),
        _row(t("metrics.size.betweenness", lang), ranked("betweenness", percent(float(row["betweenness"]), lang))),
        _row(
            t("metrics.size.bridging", lang),
            t(
                "details.metrics.bridging_value",
                lang,
                bridging=number(int(row["bridging"]), lang),
                abroad=number(int(row["abroad"]), lang),
            ),
        ),
    ]
    notes = [html.P(t("details.metrics.approximate", lang), className="muted")] if metrics.approximate else []
    return html.Div([heading, html.Table(rows, className="fields"), *notes], className="metrics")


def details_outputs(request: list | str | None, lang: str | None = "en") -> list:
    """:func:`details_children` for the request the page sends: [selected id, filters, suggest], or ""
    for none; with ``suggest``, the suggested partners follow."""
    if not isinstance(request, list) or len(request) not in (2, 3) or not isinstance(request[0], str):
        return []
    filters = request[1] if isinstance(request[1], dict) else None
    children = details_children(request[0], lang, filters)
    if len(request) == 3 and request[2] is True and children:
        children.append(suggestions_section(load_dataset(), request[0], filters, lang or "en"))
    return children


def suggestions_section(dataset: Dataset, element_id: str, filters: dict | None, lang: str) -> html.Div:
    """The suggested partners of ``element_id`` under the filters (``core.suggest``): each a button
    that selects it, its score and its reasons in words; how the score is built below."""
    selection = select(dataset, state_from_dict(filters or {}))
    found = suggest_partners(dataset, selection, element_id, SUGGESTED)
    names = all_names(dataset, lang)
    heading = html.H3(t("suggest.title", lang))
    if not found:
        return html.Div([heading, html.P(t("suggest.none", lang), className="muted")], className="suggestions")
    items = []
    for suggestion in found:
        other = suggestion.target_id if suggestion.source_id == element_id else suggestion.source_id
        score = t("suggest.score", lang, score=f"{suggestion.score:.2f}")
        reasons = [html.Li(text) for text in reason_texts(dataset, suggestion, lang)]
        if suggestion.synthetic:
            reasons.append(html.Li(t("suggest.synthetic", lang), className="muted"))
        items.append(html.Li([_select_button(other, names.get(other, other)), f" — {score}", html.Ul(reasons)]))
    return html.Div(
        [heading, html.Ol(items), html.P(t("suggest.how", lang), className="muted")], className="suggestions"
    )


# The details follow the selection, and (for the network position) the filters while something is
# selected: with nothing selected, a filter change sends nothing.
DETAILS_GATE = """
function(sel, filters, suggest, previous) {
    if (!sel) { return previous ? "" : window.dash_clientside.no_update; }
    return [sel, filters || {}, Boolean(suggest)];
}
"""


def _select_button(target: str, text: str) -> html.Button:
    return html.Button(text, id={"type": DETAILS_LINK, "target": target}, n_clicks=0, className="link-button")


def _links_section(dataset: Dataset, entity: str, rec: dict, names: Mapping[str, str], lang: str) -> html.Div:
    if entity == "link":
        return html.Div(
            [
                html.H3(t("details.ends", lang)),
                html.Ul(
                    [
                        html.Li(_select_button(rec["source_id"], names.get(rec["source_id"], rec["source_id"]))),
                        html.Li(_select_button(rec["target_id"], names.get(rec["target_id"], rec["target_id"]))),
                    ]
                ),
            ]
        )
    mine = dataset.links.iloc[incident_links(dataset, rec["id"])]
    if not len(mine):
        return html.Div()
    items = []
    for link in mine.head(MAX_LINKS).itertuples():
        other = link.target_id if link.source_id == rec["id"] else link.source_id
        label = _label("link", link.link_type, lang)
        items.append(
            html.Li(
                [
                    f"{label}: ",
                    _select_button(other, names.get(other, other)),
                    html.Span(t("details.synthetic_link", lang) if link.synthetic else "", className="muted"),
                ]
            )
        )
    more = (
        [html.P(t("details.more", lang, count=len(mine) - MAX_LINKS), className="muted")]
        if len(mine) > MAX_LINKS
        else []
    )
    return html.Div([html.H3(t("details.links", lang, count=len(mine))), html.Ul(items), *more])


def register(app) -> None:
    """Fill the panel when the selection changes; show the close button only when there is one."""
    app.clientside_callback(
        DETAILS_GATE,
        Output(ids.DETAILS_REQUEST, "data"),
        Input(ids.SELECTION, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.SUGGEST, "data"),
        State(ids.DETAILS_REQUEST, "data"),
    )
    app.callback(Output(ids.DETAILS, "children"), Input(ids.DETAILS_REQUEST, "data"), Input(ids.LANG, "data"))(
        details_outputs
    )
    app.clientside_callback(
        "function(sel) { return sel ? 'details open' : 'details'; }",
        Output(ids.DETAILS_PANEL, "className"),
        Input(ids.SELECTION, "data"),
    )
