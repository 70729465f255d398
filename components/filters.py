"""The filter panel: value chains by sector and cluster, link types, kinds, provinces, years, search.

The panel only lays out labelled controls; their values are read and written by the one
state callback in ``components/url.py``, so a filter, a URL and the back button always
agree. The live counts are the panel's own callback.
"""

from __future__ import annotations

from dash import Input, Output, dcc, html

from components import ids
from components.labels import KIND_LABELS, LINK_LABELS, SCOPE_LABELS, VIEW_LABELS
from components.state import SCOPES, VIEWS, state_from_dict
from data import Dataset, load_dataset
from layers.selection import select, vocabulary

NO_SECTOR = "_no_sector"


def _gvc_groups(dataset: Dataset) -> list[tuple[str, str, list[tuple[str, str, list[tuple[str, str]]]]]]:
    """[(sector id, sector label, [(cluster id, cluster label, [(gvc id, gvc label)])])] in data order."""
    gvcs = dataset.gvcs
    groupings = dataset.groupings
    clusters = groupings[groupings["kind"] == "cluster"]
    sectors = {r.id: r.name for r in dataset.sectors.itertuples()}
    out: dict[str, tuple[str, list]] = {}
    for cluster in clusters.itertuples():
        sector = cluster.sector if isinstance(cluster.sector, str) and cluster.sector else NO_SECTOR
        label = sectors.get(sector, "Not tied to a sector by any source")
        members = [(g.id, g.name) for g in gvcs[gvcs["cluster"] == cluster.id].itertuples()]
        out.setdefault(sector, (label, []))[1].append((cluster.id, cluster.name, members))
    ordered = [s for s in sectors if s in out] + ([NO_SECTOR] if NO_SECTOR in out else [])
    return [(s, out[s][0], out[s][1]) for s in ordered]


def _gvc_section(dataset: Dataset) -> html.Fieldset:
    blocks = []
    for sector, sector_label, clusters in _gvc_groups(dataset):
        cluster_blocks = []
        for cluster, cluster_label, members in clusters:
            if members:
                body = [html.Button(f"All of {cluster_label}", id={"type": ids.GVC_GROUP_BUTTON, "group": cluster},
                                    className="link-button", n_clicks=0),
                        dcc.Checklist(id={"type": ids.GVC_LIST, "cluster": cluster},
                                      options=[{"label": name, "value": gid} for gid, name in members],
                                      value=[], className="checklist", inputClassName="check-input")]
            else:
                body = [html.P("Value chains not yet named in public sources.", className="muted")]
                # keep one checklist per cluster so the pattern-matching callback sees every cluster
                body.append(dcc.Checklist(id={"type": ids.GVC_LIST, "cluster": cluster}, options=[], value=[]))
            cluster_blocks.append(html.Fieldset([html.Legend(cluster_label), *body], className="cluster-block"))
        header = [html.Summary(sector_label)]
        if sector != NO_SECTOR:
            header.append(html.Button(f"All in {sector_label}", id={"type": ids.GVC_GROUP_BUTTON, "group": sector},
                                      className="link-button", n_clicks=0))
        blocks.append(html.Details([*header, *cluster_blocks], open=False, className="sector-block"))
    total = dataset.meta.get("gvc_total")
    named = len(dataset.gvcs)
    note = []
    if total and total > named:
        note = [html.P(f"{named} of {total} value chains are named in public sources; {total - named} are not yet "
                       "named.", className="muted", id=ids.GVC_NOTE)]
    return html.Fieldset([html.Legend("Value chains (GVCs)"), *note, *blocks], className="filter-group")


def _checklist(control_id: str, legend: str, options: list[tuple[str, str]], hint: str = "") -> html.Fieldset:
    children: list = [html.Legend(legend)]
    if hint:
        children.append(html.P(hint, className="muted"))
    children.append(dcc.Checklist(id=control_id, options=[{"label": label, "value": value} for value, label in options],
                                  value=[], className="checklist", inputClassName="check-input"))
    return html.Fieldset(children, className="filter-group")


def layout(dataset: Dataset) -> html.Aside:
    """The filter panel for ``dataset``."""
    vocab = vocabulary(dataset)
    names = dict(zip(dataset.areas["id"], dataset.areas["name"], strict=True))
    groupings = dict(zip(dataset.groupings["id"], dataset.groupings["name"], strict=True))
    clusters = set(dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"])
    start, end = vocab.years
    marks = {y: str(y) for y in range(start, end + 1) if (y - start) % max(1, (end - start) // 4) == 0 or y == end}
    return html.Aside([
        html.H2("Filters"),
        html.Div(id=ids.COUNTS, className="counts", role="status", **{"aria-live": "polite"}),
        html.Button("Reset all filters", id=ids.RESET, n_clicks=0, className="reset"),
        html.Fieldset([html.Legend("View"),
                       dcc.RadioItems(id=ids.VIEW, options=[{"label": VIEW_LABELS[v], "value": v} for v in VIEWS],
                                      value="split", inline=True, className="radios")], className="filter-group"),
        html.Fieldset([html.Legend("Map scope"),
                       dcc.RadioItems(id=ids.SCOPE, options=[{"label": SCOPE_LABELS[s], "value": s} for s in SCOPES],
                                      value="region", inline=True, className="radios")], className="filter-group"),
        html.Div([html.Label("Search names", htmlFor=ids.SEARCH),
                  dcc.Input(id=ids.SEARCH, type="search", debounce=True, value="", placeholder="e.g. Tecnopolo",
                            className="search")], className="filter-group"),
        _gvc_section(dataset),
        _checklist(ids.LINK, "Link types", [(t, LINK_LABELS.get(t, t)) for t in vocab.link_types],
                   "None ticked: all link types."),
        _checklist(ids.KIND, "Kinds", [(k, KIND_LABELS.get(k, k)) for k in vocab.kinds], "None ticked: all kinds."),
        _checklist(ids.PROV, "Provinces", [(p, names.get(p, p)) for p in vocab.provinces],
                   "None ticked: all provinces."),
        html.Fieldset([html.Legend("Years"),
                       html.P("Records with no year stay visible when linked to a match.", className="muted"),
                       dcc.RangeSlider(id=ids.YEAR, min=start, max=end, step=1, value=[start, end], marks=marks,
                                       allowCross=False, tooltip={"placement": "bottom"})],
                      className="filter-group"),
        _checklist(ids.AREAS, "Areas on the map",
                   [(a, groupings.get(a, a) + (" (extent of members)" if a in clusters else ""))
                    for a in vocab.area_layers],
                   "Programme and network areas; clusters as the outline of their members."),
    ], id=ids.FILTERS, className="filters", **{"aria-label": "Filters"})


def counts_text(view_state: dict | None) -> list:
    """The live counts line for the current filters."""
    dataset = load_dataset()
    selection = select(dataset, state_from_dict(view_state))
    c = selection.counts()
    synthetic = int(selection.actors["synthetic"].sum()) if len(selection.actors) else 0
    parts = [html.Strong(f"{c['actors']:,}"), " actors",
             f" ({c['startups']:,} start-ups)" if c["startups"] else "",
             ", ", html.Strong(f"{c['groupings']:,}"), " networks and programmes, ",
             html.Strong(f"{c['areas']:,}"), " areas, ", html.Strong(f"{c['links']:,}"), " links shown."]
    if synthetic:
        parts += [" ", html.Span("synthetic demo data", className="badge-synthetic"), f" {synthetic:,} of them."]
    return parts


def register(app) -> None:
    """The counts callback (the controls themselves are driven by components/url.py)."""
    app.callback(Output(ids.COUNTS, "children"), Input(ids.VIEW_STATE, "data"))(counts_text)
