"""A deliberately naive dashboard: the baseline of the benchmark ``python -m scripts.bench``. Not part of the product.

It shows what a straightforward first version of the atlas would do, so that the benchmark
can say how much the real app's design (one cached selection per filter state, aggregated
map layers, grouped network with server-side positions) buys. Nothing in the app imports it.

On every filter change, each callback (map, network, counts) filters the full frames again
with pandas (no cache, the same filter computed once per callback), and

* the map is rebuilt with ``plotly.express.scatter_map``: every actor a raw point (no
  aggregation), plus every link between two drawn actors as one line trace;
* the network is the full cytoscape element list (every node and every edge, no grouping)
  with a ``cose`` layout, so the browser lays it out.

It reads and writes the same URL parameters as the atlas for a subset of the filters
(``gvc``, ``prov``, ``kind``, ``q``, ``year``) and uses the atlas's control ids for them,
so the benchmark drives both apps the same way. Like the atlas it makes no request outside
the machine: the map style is ``white-bg`` (no tiles) and markers carry no text (no fonts).

Run: ``python scripts/naive_app.py`` (serves on 127.0.0.1:$PORT, default 8060; the dataset
is chosen by ``ATLAS_DATA_DIR`` as for the atlas).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere: the data package lives at the root

import dash_cytoscape as cyto  # noqa: E402
from dash import ALL, Dash, Input, Output, ctx, dcc, html, no_update  # noqa: E402

from data import load_dataset  # noqa: E402

DATA = load_dataset()
ACTORS = DATA.actors.drop(columns="geometry")
GROUPINGS = DATA.groupings
AREAS = pd.DataFrame(DATA.areas.drop(columns="geometry"))
LINKS = DATA.links
GVCS = DATA.gvcs
YEARS = pd.concat([ACTORS["year"], LINKS["year"]]).dropna()
YEAR_SPAN = [int(YEARS.min()), int(YEARS.max())] if len(YEARS) else [2000, 2030]
CLUSTERS = [c for c in GROUPINGS.loc[GROUPINGS["kind"] == "cluster", "id"] if (GVCS["cluster"] == c).any()]
CLUSTER_NAMES = dict(zip(GROUPINGS["id"], GROUPINGS["name"], strict=True))
SECTOR_NAMES = dict(zip(DATA.sectors["id"], DATA.sectors["name"], strict=True))
#: cluster or sector id -> its value chains (what an "All of ..." button ticks)
GROUPS = {g: list(m) for col in ("cluster", "sector") for g, m in GVCS.groupby(col)["id"] if isinstance(g, str)}
PROVINCES = AREAS[AREAS["kind"] == "province"]
KINDS = list(dict.fromkeys([*ACTORS["kind"], *GROUPINGS["kind"]]))


def filtered(gvc: list[str], prov: list[str], kind: list[str], year: list[int] | None, q: str):
    """Actors, other nodes and links passing the filters, computed from the full frames every time."""
    actors = ACTORS
    if gvc:
        actors = actors[actors["gvcs"].map(lambda items: bool(set(items) & set(gvc)))]
    if prov:
        actors = actors[actors["province"].isin(prov)]
    if kind:
        actors = actors[actors["kind"].isin(kind)]
    if q:
        actors = actors[actors["name"].str.contains(q, case=False, regex=False, na=False)]
    if year and list(year) != YEAR_SPAN:
        actors = actors[actors["year"].isna() | actors["year"].between(year[0], year[1])]
    others = pd.concat([GROUPINGS[["id", "name", "kind"]], AREAS[["id", "name", "kind"]]], ignore_index=True)
    if kind:
        others = others[others["kind"].isin(kind)]
    if q:
        others = others[others["name"].str.contains(q, case=False, regex=False, na=False)]
    ids = set(actors["id"]) | set(others["id"])
    links = LINKS[LINKS["source_id"].isin(ids) & LINKS["target_id"].isin(ids)]
    if year and list(year) != YEAR_SPAN:
        links = links[links["year"].isna() | links["year"].between(year[0], year[1])]
    return actors, others, links


def checked(gvc_lists: list | None) -> list[str]:
    return [g for values in (gvc_lists or []) for g in (values or [])]


def sync_url(search, gvc_lists, _clicks, prov, kind, year, q):
    """URL <-> controls: a link opened sets the controls, a control changed writes the URL."""
    trigger = ctx.triggered_id
    if trigger is None or trigger == "atlas-url":
        params = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
        chosen = [g for item in params.get("gvc", "").split(",") if item for g in GROUPS.get(item, [item])]
        year_text = params.get("year", "")
        span = [int(y) for y in year_text.split("-")] if year_text else YEAR_SPAN
        lists = [[g for g in GVCS.loc[GVCS["cluster"] == c, "id"] if g in chosen] for c in CLUSTERS]
        prov_out = [p for p in params.get("prov", "").split(",") if p]
        kind_out = [k for k in params.get("kind", "").split(",") if k]
        return no_update, lists, prov_out, kind_out, [span[0], span[-1]], params.get("q", "")
    gvc = checked(gvc_lists)
    lists_out = [no_update] * len(CLUSTERS)
    if isinstance(trigger, dict) and trigger.get("type") == "filter-gvc-group":  # tick (or untick) a whole group
        if not (ctx.triggered and ctx.triggered[0].get("value")):
            return (no_update, lists_out, no_update, no_update, no_update, no_update)
        members = GROUPS.get(trigger["group"], [])
        gvc = [g for g in gvc if g not in members] if set(members) <= set(gvc) else list(dict.fromkeys(gvc + members))
        lists_out = [[g for g in GVCS.loc[GVCS["cluster"] == c, "id"] if g in gvc] for c in CLUSTERS]
    params = {
        "gvc": ",".join(gvc),
        "prov": ",".join(prov or []),
        "kind": ",".join(kind or []),
        "year": f"{year[0]}-{year[1]}" if year and list(year) != YEAR_SPAN else "",
        "q": (q or "").strip(),
    }
    query = urlencode({k: v for k, v in params.items() if v}, safe=",")
    return ("?" + query if query else ""), lists_out, no_update, no_update, no_update, no_update


def update_map(gvc_lists, prov, kind, year, q):
    """Every filtered actor as a point, every link between two of them as a line."""
    actors, _, links = filtered(checked(gvc_lists), prov, kind, year, q)
    fig = px.scatter_map(
        actors,
        lat="lat",
        lon="lon",
        color="kind",
        hover_name="name",
        custom_data=["id"],
        map_style="white-bg",
        zoom=7,
        center={"lat": 44.5, "lon": 11.0},
    )
    ends = links.merge(actors[["id", "lon", "lat"]], left_on="source_id", right_on="id").merge(
        actors[["id", "lon", "lat"]], left_on="target_id", right_on="id", suffixes=("_s", "_t")
    )
    lon = [v for a, b in zip(ends["lon_s"], ends["lon_t"], strict=True) for v in (a, b, None)]
    lat = [v for a, b in zip(ends["lat_s"], ends["lat_t"], strict=True) for v in (a, b, None)]
    fig.add_trace(go.Scattermap(lon=lon, lat=lat, mode="lines", line={"width": 1}, name="links", hoverinfo="skip"))
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def update_network(gvc_lists, prov, kind, year, q):
    """Every node and every edge; the browser runs the layout."""
    actors, others, links = filtered(checked(gvc_lists), prov, kind, year, q)
    nodes = [{"data": {"id": r.id, "label": r.name, "kind": r.kind}} for r in actors.itertuples()]
    nodes += [{"data": {"id": r.id, "label": r.name, "kind": r.kind}} for r in others.itertuples()]
    edges = [
        {"data": {"id": r.id, "source": r.source_id, "target": r.target_id, "type": r.link_type}}
        for r in links.itertuples()
    ]
    return nodes + edges


def update_counts(gvc_lists, prov, kind, year, q):
    actors, others, links = filtered(checked(gvc_lists), prov, kind, year, q)
    return f"{len(actors):,} actors, {len(others):,} networks and areas, {len(links):,} links shown."


def _gvc_block(cluster: str) -> html.Div:
    options = [{"label": r.name, "value": r.id} for r in GVCS[GVCS["cluster"] == cluster].itertuples()]
    return html.Div(
        [
            html.Button(
                f"All of {CLUSTER_NAMES.get(cluster, cluster)}",
                id={"type": "filter-gvc-group", "group": cluster},
                n_clicks=0,
            ),
            dcc.Checklist(id={"type": "filter-gvc", "cluster": cluster}, options=options, value=[]),
        ]
    )


app = Dash(__name__, title="Naive baseline (benchmark only)", serve_locally=True)
app.layout = html.Div(
    [
        dcc.Location(id="atlas-url", refresh=False),
        html.H1("Naive baseline (benchmark only, not the atlas)"),
        html.Div(
            [
                html.Div(id="filter-counts"),
                dcc.Input(id="filter-search", type="search", debounce=True, value=""),
                *[
                    html.Button(
                        f"All in {SECTOR_NAMES.get(s, s)}", id={"type": "filter-gvc-group", "group": s}, n_clicks=0
                    )
                    for s in GVCS["sector"].dropna().unique()
                ],
                *[_gvc_block(c) for c in CLUSTERS],
                dcc.Checklist(id="filter-kind", options=KINDS, value=[]),
                dcc.Checklist(
                    id="filter-prov",
                    options=[{"label": r.name, "value": r.id} for r in PROVINCES.itertuples()],
                    value=[],
                ),
                dcc.RangeSlider(id="filter-year", min=YEAR_SPAN[0], max=YEAR_SPAN[1], step=1, value=YEAR_SPAN),
            ],
            style={"width": "22%", "float": "left"},
        ),
        html.Div(
            [
                dcc.Graph(id="atlas-map", style={"height": "70vh"}),
                cyto.Cytoscape(
                    id="atlas-network", layout={"name": "cose"}, elements=[], style={"width": "100%", "height": "70vh"}
                ),
            ],
            style={"width": "76%", "float": "right"},
        ),
    ]
)

CONTROLS = [
    Input({"type": "filter-gvc", "cluster": ALL}, "value"),
    Input("filter-prov", "value"),
    Input("filter-kind", "value"),
    Input("filter-year", "value"),
    Input("filter-search", "value"),
]
app.callback(
    Output("atlas-url", "search"),
    Output({"type": "filter-gvc", "cluster": ALL}, "value"),
    Output("filter-prov", "value"),
    Output("filter-kind", "value"),
    Output("filter-year", "value"),
    Output("filter-search", "value"),
    Input("atlas-url", "search"),
    Input({"type": "filter-gvc", "cluster": ALL}, "value"),
    Input({"type": "filter-gvc-group", "group": ALL}, "n_clicks"),
    *CONTROLS[1:],
)(sync_url)
app.callback(Output("atlas-map", "figure"), *CONTROLS)(update_map)
app.callback(Output("atlas-network", "elements"), *CONTROLS)(update_network)
app.callback(Output("filter-counts", "children"), *CONTROLS)(update_counts)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8060")), debug=False)
