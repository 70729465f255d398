"""The detail panel: every field of the selected element, its value chains, links and sources."""

from __future__ import annotations

import math

import pandas as pd
from dash import Input, Output, html

from components import ids
from components.labels import CONFIDENCE_LABELS, KIND_LABELS, LINK_LABELS, SUNDIAL_LABELS, SYNTHETIC_BADGE
from components.url import DETAILS_LINK
from data import Dataset, load_dataset

FIELDS = (("municipality", "Municipality"), ("province", "Province"), ("year", "Year"),
          ("location_precision", "Location precision"), ("sector_name", "Sector (ATECO)"),
          ("description", "About"), ("note", "Note"), ("units", "Made of"))
MAX_LINKS = 40


def layout() -> html.Aside:
    """An empty panel; filled when something is selected."""
    return html.Aside([
        html.Button("Close", id=ids.DETAILS_CLOSE, n_clicks=0, className="link-button details-close",
                    **{"aria-label": "Close details"}),
        html.Div(id=ids.DETAILS, **{"aria-live": "polite"}),
    ], id=ids.DETAILS_PANEL, className="details", **{"aria-label": "Details of the selected element"})


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == "" \
        or value == ()


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


def find(dataset: Dataset, element_id: str) -> tuple[str, dict] | None:
    """(entity, record) for an id of an actor, grouping, area or link."""
    for entity, frame in (("actor", dataset.actors), ("grouping", dataset.groupings), ("area", dataset.areas),
                          ("link", dataset.links)):
        rows = frame[frame["id"] == element_id]
        if len(rows):
            record = rows.iloc[0].to_dict()
            record.pop("geometry", None)
            return entity, record
    return None


def _names(dataset: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame in (dataset.actors, dataset.groupings, dataset.areas):
        names.update(zip(frame["id"], frame["name"], strict=True))
    return names


def details_children(element_id: str | None) -> list:
    """The panel's content for the selected element (empty when nothing is selected)."""
    if not element_id:
        return []
    dataset = load_dataset()
    found = find(dataset, element_id)
    if found is None:
        return [html.P(f"'{element_id}' is not in the data.")]
    entity, rec = found
    names = _names(dataset)
    if entity == "link":
        title = f"{names.get(rec['source_id'], rec['source_id'])} → {names.get(rec['target_id'], rec['target_id'])}"
    else:
        title = rec.get("name")
    header = [html.H2(title)]
    if not _blank(rec.get("name_it")) and rec.get("name_it") != rec.get("name"):
        header.append(html.P(rec["name_it"], lang="it", className="muted"))
    kind = LINK_LABELS.get(rec["link_type"], rec["link_type"]) if entity == "link" else \
        KIND_LABELS.get(rec.get("kind"), rec.get("kind"))
    tags = [html.Span(kind, className="tag")]
    if rec.get("synthetic"):
        tags.append(html.Span(SYNTHETIC_BADGE, className="badge-synthetic"))
    tags.append(html.Span(CONFIDENCE_LABELS.get(rec.get("confidence"), ""),
                          className=f"tag confidence-{rec.get('confidence')}"))
    rows = []
    for key, label in FIELDS:
        if not _blank(rec.get(key)):
            rows.append(html.Tr([html.Th(label, scope="row"), html.Td(str(rec[key]))]))
    if not _blank(rec.get("url")):
        rows.append(html.Tr([html.Th("Web", scope="row"),
                             html.Td(html.A(rec["url"], href=rec["url"], target="_blank", rel="noopener noreferrer"))]))
    if not _blank(rec.get("sundial")):
        rows.append(html.Tr([html.Th("Sundial", scope="row"),
                             html.Td(", ".join(SUNDIAL_LABELS.get(s, s) for s in rec["sundial"]))]))
    gvc_names = dict(zip(dataset.gvcs["id"], dataset.gvcs["name"], strict=True))
    if not _blank(rec.get("gvcs")):
        rows.append(html.Tr([html.Th("Value chains", scope="row"),
                             html.Td(", ".join(gvc_names.get(g, g) for g in rec["gvcs"]))]))
    if not _blank(rec.get("clusters")):
        rows.append(html.Tr([html.Th("Clusters", scope="row"),
                             html.Td(", ".join(names.get(c, c) for c in rec["clusters"]))]))
    body: list = [*header, html.P(tags, className="tags"), html.Table(rows, className="fields")]
    body.append(_links_section(dataset, entity, rec, names))
    body += [html.H3("Source"), html.P(source_parts(rec.get("source", "")), className="source")]
    if not _blank(rec.get("source_date")):
        body.append(html.P(f"Source date: {rec['source_date']}", className="muted"))
    return body


def _select_button(target: str, text: str) -> html.Button:
    return html.Button(text, id={"type": DETAILS_LINK, "target": target}, n_clicks=0, className="link-button")


def _links_section(dataset: Dataset, entity: str, rec: dict, names: dict[str, str]) -> html.Div:
    if entity == "link":
        return html.Div([html.H3("Ends"), html.Ul([
            html.Li(_select_button(rec["source_id"], names.get(rec["source_id"], rec["source_id"]))),
            html.Li(_select_button(rec["target_id"], names.get(rec["target_id"], rec["target_id"])))])])
    links = dataset.links
    mine = links[(links["source_id"] == rec["id"]) | (links["target_id"] == rec["id"])]
    if not len(mine):
        return html.Div()
    items = []
    for link in mine.head(MAX_LINKS).itertuples():
        other = link.target_id if link.source_id == rec["id"] else link.source_id
        label = LINK_LABELS.get(link.link_type, link.link_type)
        items.append(html.Li([f"{label}: ", _select_button(other, names.get(other, other)),
                              html.Span(" (synthetic)" if link.synthetic else "", className="muted")]))
    more = [html.P(f"and {len(mine) - MAX_LINKS} more", className="muted")] if len(mine) > MAX_LINKS else []
    return html.Div([html.H3(f"Links ({len(mine)})"), html.Ul(items), *more])


def register(app) -> None:
    """Fill the panel when the selection changes; show the close button only when there is one."""
    app.callback(Output(ids.DETAILS, "children"), Input(ids.SELECTION, "data"))(details_children)
    app.clientside_callback("function(sel) { return sel ? 'details open' : 'details'; }",
                            Output(ids.DETAILS_PANEL, "className"), Input(ids.SELECTION, "data"))
