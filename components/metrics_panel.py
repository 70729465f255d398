"""Network metrics beside the network: a ranking (hubs, brokers, bridges abroad) and the node size.

* The choosers (``ids.METRICS_RANK``, ``ids.METRICS_SIZE``) are read and written by
  ``components/url.py`` like every control: the URL's ``rank`` and ``size``, stores
  ``ids.RANKING`` and ``ids.NODE_SIZE``.
* The ranking table is built on the server from ``core.metrics`` for the filters, only while a
  ranking is chosen: a filter change with no ranking shown costs no request (a gate in the browser,
  :data:`RANKING_GATE`). A name in the table is a "select this" button (the details' pattern id,
  ``components/url.py``), so a click selects the node in both views and opens its details.
* The node size is a stylesheet change (``components/network_panel.py``), never new elements.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from components import ids
from components.translate import T, option_label
from components.url import DETAILS_LINK
from core.caption import RANKED_BY, metric_text
from core.i18n import all_names, label, number, t
from core.metrics import SAMPLES, Metrics, network_metrics
from core.selection import select
from core.state import RANKINGS, SIZES, state_from_dict
from data import load_dataset

#: rows in the ranking table
TOP = 15
MEANINGS = tuple(f"metrics.meaning.{part}" for part in ("degree", "betweenness", "bridging", "counted"))


def layout() -> html.Section:
    """The choosers, the ranking (filled by :func:`ranking_children`) and what the metrics mean."""
    return html.Section(
        [
            html.H3(T("metrics.title"), className="metrics-title"),
            html.Div(
                [
                    _chooser(ids.METRICS_RANK, "metrics.rank", RANKINGS),
                    _chooser(ids.METRICS_SIZE, "metrics.size", SIZES),
                    dcc.Checklist(
                        id=ids.SUGGEST_ON,
                        options=[{"label": option_label(T("suggest.toggle")), "value": "on"}],
                        value=[],
                        className="checklist",
                        inputClassName="check-input",
                    ),
                ],
                className="metrics-controls",
            ),
            html.Div(id=ids.METRICS_RANKING, className="metrics-ranking", **{"aria-live": "polite"}),
            html.Details(
                [html.Summary(T("metrics.meaning")), html.Ul([html.Li(T(key)) for key in MEANINGS])],
                className="metrics-meaning",
            ),
            dcc.Store(id=ids.RANKING_REQUEST, data=""),
            dcc.Store(id=ids.SUGGEST_FOR, data=""),
        ],
        id=ids.METRICS_PANEL,
        className="metrics-panel",
    )


def _chooser(component_id: str, key: str, values: tuple[str, ...]) -> html.Fieldset:
    options = [{"label": option_label(T(f"{key}.{value or 'none'}")), "value": value} for value in values]
    return html.Fieldset(
        [
            html.Legend(T(key)),
            dcc.RadioItems(
                id=component_id,
                options=options,
                value="",
                inline=True,
                className="radios",
                inputClassName="check-input",
            ),
        ],
        className="filter-group",
    )


def metric_value(metrics: Metrics, node_id: str, metric: str, lang: str) -> str:
    """A node's value of ``metric`` as the page writes it: betweenness as a percentage, counts whole."""
    return metric_text(metrics.frame.at[node_id, metric], metric, lang)


def ranking_children(request: list | str | None, lang: str | None = "en") -> list:
    """The ranking table for ``request`` = [filters, ranking] (``[]`` when no ranking is chosen)."""
    lang = lang or "en"
    if not isinstance(request, list) or len(request) != 2 or request[1] not in RANKED_BY:
        return []
    filters, ranking = request
    metric = RANKED_BY[ranking]
    dataset = load_dataset()
    selection = select(dataset, state_from_dict(filters if isinstance(filters, dict) else {}))
    metrics = network_metrics(dataset, selection)
    top = metrics.ranking(metric, TOP)
    shown = len(metrics.frame)
    heading = html.P(t(f"metrics.caption.{ranking}", lang, count=len(top), total=shown), className="metrics-caption")
    if not len(top):
        return [heading, html.P(t("metrics.empty", lang), className="muted")]
    names = all_names(dataset, lang)
    kinds = _kinds(selection)
    header = html.Tr(
        [
            html.Th(t("metrics.col.rank", lang), scope="col"),
            html.Th(t("metrics.col.name", lang), scope="col"),
            html.Th(t("metrics.col.kind", lang), scope="col"),
            html.Th(t(f"metrics.col.{ranking}", lang), scope="col", className="number"),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td(number(int(rank), lang), className="number"),
                html.Td(
                    html.Button(
                        names.get(node, node),
                        id={"type": DETAILS_LINK, "target": node},
                        n_clicks=0,
                        className="link-button",
                    )
                ),
                html.Td(label("kind", kinds.get(node, ""), lang)),
                html.Td(metric_value(metrics, node, metric, lang), className="number"),
            ],
            **{"data-node": node},
        )
        for node, rank in zip(top.index.tolist(), top["rank"].tolist(), strict=True)
    ]
    body: list = [heading, html.Table([html.Thead(header), html.Tbody(rows)], className="metrics-table")]
    if metric == "betweenness" and metrics.approximate:
        body.append(html.P(t("metrics.approximate", lang, samples=SAMPLES), className="muted"))
    body.append(html.P(t("metrics.select_hint", lang), className="muted"))
    return body


def _kinds(selection) -> dict[str, str]:
    out: dict[str, str] = {}
    for frame in (selection.actors, selection.groupings, selection.areas):
        out.update(zip(frame["id"].tolist(), frame["kind"].tolist(), strict=True))
    return out


# The ranking is asked for only while one is chosen: with none, a filter change sends nothing.
RANKING_GATE = """
function(filters, ranking, previous) {
    if (!ranking) { return previous ? "" : window.dash_clientside.no_update; }
    return [filters || {}, ranking];
}
"""


# The selected node's row is marked in the browser (a selection costs the ranking no request).
MARK_SELECTED = """
function(sel, _children) {
    // after the page has drawn this update: the rows may be new, and a re-render must not undo the mark
    setTimeout(function () {
        document.querySelectorAll("#ID tr[data-node]").forEach(function (row) {
            const mine = Boolean(sel) && row.getAttribute("data-node") === sel;
            row.classList.toggle("selected-row", mine);
            if (mine) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
        });
    }, 0);
    return sel || "";
}
""".replace("ID", ids.METRICS_RANKING)


# The network draws suggested partners of the selection only while asked (suggest=1): otherwise a
# selection changes nothing here, and stays a restyle of the network.
SUGGEST_GATE = """
function(suggest, sel, previous) {
    const wanted = suggest && sel ? sel : "";
    return wanted === (previous || "") ? window.dash_clientside.no_update : wanted;
}
"""


def register(app) -> None:
    """The gates in the browser, the ranking built on the server, the selected row marked."""
    app.clientside_callback(
        SUGGEST_GATE,
        Output(ids.SUGGEST_FOR, "data"),
        Input(ids.SUGGEST, "data"),
        Input(ids.SELECTION, "data"),
        State(ids.SUGGEST_FOR, "data"),
    )
    app.clientside_callback(
        RANKING_GATE,
        Output(ids.RANKING_REQUEST, "data"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.RANKING, "data"),
        State(ids.RANKING_REQUEST, "data"),
    )
    app.callback(Output(ids.METRICS_RANKING, "children"), Input(ids.RANKING_REQUEST, "data"), Input(ids.LANG, "data"))(
        ranking_children
    )
    app.clientside_callback(
        MARK_SELECTED,
        Output(ids.METRICS_PANEL, "data-selected"),
        Input(ids.SELECTION, "data"),
        Input(ids.METRICS_RANKING, "children"),
    )
