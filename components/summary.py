"""The dataset summary panel: what is loaded, what is synthetic, what is not yet known."""

from __future__ import annotations

from dash import html

from components import ids
from data import Dataset

LABELS = {
    "actors": "actors", "groupings": "networks, clusters and programmes", "areas": "areas",
    "links": "links", "gvcs": "value chains named", "statistics": "published figures",
}


def layout(dataset: Dataset) -> html.Div:
    """A short, factual summary of the loaded dataset."""
    counts = dataset.counts()
    actors = dataset.actors
    synthetic = int(actors["synthetic"].sum()) if len(actors) else 0
    items = [html.Li(f"{counts[key]} {label}") for key, label in LABELS.items()]
    if synthetic:
        items.append(html.Li([html.Span("synthetic demo data", className="badge-synthetic"),
                              f" {synthetic} actors are synthetic (generated, fictitious names)."]))
    total = dataset.meta.get("gvc_total")
    named = counts["gvcs"]
    note = dataset.meta.get("gvc_note")
    children = [
        html.H2("Dataset"),
        html.Ul(items, id=ids.SUMMARY),
    ]
    if total and total > named:
        children.append(html.P([html.Strong(f"{total - named} of {total} value chains are not yet named "
                                            "in public sources. "), note or ""], id=ids.GVC_NOTE))
    if dataset.errors:
        children.append(html.P(f"{len(dataset.errors)} records were left out because of errors: "
                               "run `python -m data check` for the list.", id=ids.DATA_PROBLEMS,
                               className="notice"))
    return html.Section(children, className="summary")
