"""The filter panel: value chains by sector and cluster, link types, kinds, provinces, years, search.

The panel only lays out labelled controls; their values are read and written by the one
state callback in ``components/url.py``, so a filter, a URL and the back button always
agree. The live counts are the panel's own callback.
"""

from __future__ import annotations

from dash import Input, Output, dcc, html

from components import ids
from components.translate import N, T, aria, both, option_label
from core.compare import caption as compare_caption
from core.compare import compare_view
from core.hints import hidden_asked
from core.i18n import LANGUAGES, number, record_name, t
from core.selection import select
from core.state import SCOPES, VIEWS, ViewState, state_from_dict
from core.vocabulary import vocabulary
from data import Dataset, load_dataset
from layers.network import derived_memberships
from layers.style import kind_label, link_label

NO_SECTOR = "_no_sector"


def _gvc_groups(dataset: Dataset) -> list[tuple[str, dict, list[tuple[str, dict, list[tuple[str, dict]]]]]]:
    """[(sector id, sector record, [(cluster id, cluster record, [(gvc id, gvc record)])])] in data order;
    records are dicts with ``name`` and the names per language (``name_it``...)."""
    gvcs = dataset.gvcs
    groupings = dataset.groupings
    clusters = groupings[groupings["kind"] == "cluster"]
    sectors = {r["id"]: r for r in dataset.sectors.to_dict("records")}
    out: dict[str, tuple[str, list]] = {}
    for cluster in clusters.itertuples():
        sector = cluster.sector if isinstance(cluster.sector, str) and cluster.sector else NO_SECTOR
        label = sectors.get(sector, {})
        members = [(g["id"], g) for g in gvcs[gvcs["cluster"] == cluster.id].to_dict("records")]
        record = {k: v for k, v in cluster._asdict().items() if k == "name" or k.startswith("name_")}
        out.setdefault(sector, (label, []))[1].append((cluster.id, record, members))
    ordered = [s for s in sectors if s in out] + ([NO_SECTOR] if NO_SECTOR in out else [])
    return [(s, out[s][0], out[s][1]) for s in ordered]


def _gvc_section(dataset: Dataset) -> html.Fieldset:
    blocks = []
    for sector, sector_label, clusters in _gvc_groups(dataset):
        cluster_blocks = []
        for cluster, cluster_label, members in clusters:
            if members:
                body = [
                    html.Button(
                        _all_of("filters.all_of", cluster_label),
                        id={"type": ids.GVC_GROUP_BUTTON, "group": cluster},
                        className="link-button",
                        n_clicks=0,
                    ),
                    dcc.Checklist(
                        id={"type": ids.GVC_LIST, "cluster": cluster},
                        options=[{"label": option_label(N(record)), "value": gid} for gid, record in members],
                        value=[],
                        className="checklist",
                        inputClassName="check-input",
                    ),
                ]
            else:
                body = [html.P(T("filters.unnamed_gvcs"), className="muted")]
                # keep one checklist per cluster so the pattern-matching callback sees every cluster
                body.append(dcc.Checklist(id={"type": ids.GVC_LIST, "cluster": cluster}, options=[], value=[]))
            cluster_blocks.append(html.Fieldset([html.Legend(N(cluster_label)), *body], className="cluster-block"))
        header = [html.Summary(N(sector_label) if sector != NO_SECTOR else T("filters.no_sector"))]
        if sector != NO_SECTOR:
            header.append(
                html.Button(
                    _all_of("filters.all_in", sector_label),
                    id={"type": ids.GVC_GROUP_BUTTON, "group": sector},
                    className="link-button",
                    n_clicks=0,
                )
            )
        blocks.append(html.Details([*header, *cluster_blocks], open=False, className="sector-block"))
    total = dataset.meta.get("gvc_total")
    named = len(dataset.gvcs)
    note = []
    if total and total > named:
        note = [
            html.P(
                T("filters.gvc_note", named=named, total=total, missing=total - named),
                className="muted",
                id=ids.GVC_NOTE,
            )
        ]
    return html.Fieldset([html.Legend(T("filters.gvcs")), *note, *blocks], className="filter-group")


def _all_of(key: str, record: dict) -> list:
    """The label "All of <name>" in both languages, with the name in each language."""
    return both({lang: t(key, lang, name=record_name(record, lang)) for lang in LANGUAGES})


def _by_id(frame) -> dict[str, dict]:
    """Id -> {"name", "name_it", ...}: every language's name, for :func:`components.translate.N`."""
    columns = [c for c in frame.columns if c in ("id", "name") or c.startswith("name_")]
    return {r["id"]: r for r in frame[columns].to_dict("records")}


def _checklist(control_id: str, legend: str, options: list[tuple[str, list]], hint: str = "") -> html.Fieldset:
    children: list = [html.Legend(T(legend))]
    if hint:
        children.append(html.P(T(hint), className="muted"))
    children.append(
        dcc.Checklist(
            id=control_id,
            options=[{"label": option_label(label), "value": value} for value, label in options],
            value=[],
            className="checklist",
            inputClassName="check-input",
        )
    )
    return html.Fieldset(children, className="filter-group")


def drawer_button() -> html.Button:
    """On a phone or a tablet the filters are a drawer (assets/atlas.css): the header's button opens it
    (assets/keyboard.js toggles it, with aria-expanded)."""
    return html.Button(
        T("filters.drawer"),
        id=ids.FILTERS_TOGGLE,
        className="filters-toggle",
        type="button",
        **{"aria-controls": ids.FILTERS, "aria-expanded": "false"},
        **aria("filters.drawer_open"),
    )


def layout(dataset: Dataset) -> html.Aside:
    """The filter panel for ``dataset``."""
    vocab = vocabulary(dataset)
    names = _by_id(dataset.areas)
    groupings = _by_id(dataset.groupings)
    clusters = set(dataset.groupings.loc[dataset.groupings["kind"] == "cluster", "id"])
    start, end = vocab.years
    marks = {y: str(y) for y in range(start, end + 1) if (y - start) % max(1, (end - start) // 4) == 0 or y == end}
    return html.Aside(
        [
            html.Button(
                "×",
                id=ids.FILTERS_CLOSE,
                className="filters-close",
                type="button",
                **aria("filters.drawer_close"),
            ),
            html.H2(T("filters.title")),
            html.Div(id=ids.COUNTS, className="counts", role="status", **{"aria-live": "polite"}),
            html.Button(T("filters.reset"), id=ids.RESET, n_clicks=0, className="reset"),
            html.Fieldset(
                [
                    html.Legend(T("filters.view")),
                    dcc.RadioItems(
                        id=ids.VIEW,
                        options=[{"label": option_label(T(f"view.{v}")), "value": v} for v in VIEWS],
                        value="split",
                        inline=True,
                        className="radios",
                    ),
                ],
                className="filter-group",
            ),
            html.Fieldset(
                [
                    html.Legend(T("filters.scope")),
                    dcc.RadioItems(
                        id=ids.SCOPE,
                        options=[{"label": option_label(T(f"scope.{s}")), "value": s} for s in SCOPES],
                        value="region",
                        inline=True,
                        className="radios",
                    ),
                ],
                className="filter-group",
            ),
            html.Div(
                [
                    html.Label(T("filters.search"), htmlFor=ids.SEARCH),
                    dcc.Input(
                        id=ids.SEARCH,
                        type="search",
                        debounce=True,
                        value="",
                        placeholder=t("filters.search_placeholder"),
                        className="search",
                    ),
                ],
                className="filter-group",
            ),
            _gvc_section(dataset),
            _checklist(
                ids.LINK, "filters.links", [(k, T(f"link.{k}")) for k in vocab.link_types], "filters.links_hint"
            ),
            _checklist(ids.KIND, "filters.kinds", [(k, T(f"kind.{k}")) for k in vocab.kinds], "filters.kinds_hint"),
            _checklist(
                ids.PROV,
                "filters.provinces",
                [(p, N(names.get(p, {"name": p}))) for p in vocab.provinces],
                "filters.provinces_hint",
            ),
            html.Fieldset(
                [
                    html.Legend(T("filters.years")),
                    html.P(T("filters.years_hint"), className="muted"),
                    dcc.RangeSlider(
                        id=ids.YEAR,
                        min=start,
                        max=end,
                        step=1,
                        value=[start, end],
                        marks=marks,
                        allowCross=False,
                        tooltip={"placement": "bottom"},
                    ),
                ],
                className="filter-group",
            ),
            html.Fieldset(
                [
                    html.Legend(T("compare.legend")),
                    html.P(T("compare.hint"), className="muted"),
                    dcc.Checklist(
                        id=ids.COMPARE_ON,
                        options=[{"label": option_label(T("compare.on")), "value": "on"}],
                        value=[],
                        className="checklist",
                        inputClassName="check-input",
                    ),
                    dcc.RangeSlider(
                        id=ids.COMPARE_YEARS,
                        min=start,
                        max=end,
                        step=1,
                        value=[max(start, end - 10), end],
                        marks=marks,
                        allowCross=False,
                        tooltip={"placement": "bottom"},
                    ),
                ],
                className="filter-group compare-group",
            ),
            _checklist(
                ids.AREAS,
                "filters.areas",
                [
                    (a, [*N(groupings.get(a, {"name": a})), *([" ", *T("filters.extent")] if a in clusters else [])])
                    for a in vocab.area_layers
                ],
                "filters.areas_hint",
            ),
        ],
        id=ids.FILTERS,
        className="filters",
        **aria("aria.filters"),
    )


def counts_text(view_state: dict | None, lang: str | None = "en") -> list:
    """The live counts line for the current filters, in ``lang``."""
    lang = lang or "en"
    dataset = load_dataset()
    state = state_from_dict(view_state)
    selection = select(dataset, state)
    c = selection.counts()
    synthetic = int(selection.actors["synthetic"].sum()) if len(selection.actors) else 0
    parts = [
        html.Strong(number(c["actors"], lang)),
        " ",
        t("counts.actors", lang, count=c["actors"]),  # the count picks the noun's plural form
        (" " + t("counts.startups", lang, count=number(c["startups"], lang))) if c["startups"] else "",
        ", ",
        html.Strong(number(c["groupings"], lang)),
        " ",
        t("counts.groupings", lang, count=c["groupings"]),  # the count picks the noun's plural form
        ", ",
        html.Strong(number(c["areas"], lang)),
        " ",
        t("counts.areas", lang, count=c["areas"]),  # the count picks the noun's plural form
        ", ",
        html.Strong(number(c["links"], lang)),
        " ",
        t("counts.links", lang, count=c["links"]),  # the count picks the noun's plural form
    ]
    # what the network also draws, named as such: memberships are facts of the actors' records,
    # not link records, so they are counted beside the links, never in them
    memberships = derived_memberships(dataset, selection)
    if memberships:
        parts += [", ", t("counts.memberships", lang, count=number(memberships, lang))]
    parts.append(".")
    if synthetic:
        parts += [
            " ",
            html.Span(t("badge.synthetic", lang), className="badge-synthetic"),
            " " + t("counts.synthetic", lang, count=number(synthetic, lang)),
        ]
    return parts + compare_rows(dataset, state, lang) + hint_rows(dataset, state, lang)


def compare_rows(dataset: Dataset, state: ViewState, lang: str = "en") -> list:
    """With two dates compared: the changes counted ("+12 links since 2015, 3 ended"), the note on
    undated links, and that the year filter is set aside."""
    if not state.compare:
        return []
    first, second = state.compare
    comparison = compare_view(dataset, state, first, second)
    lines = [html.Strong(t("compare.title", lang, first=str(first), second=str(second))), html.Br()]
    sentence, *notes = compare_caption(comparison, lang)
    lines += [html.Span(sentence, className="compare-summary"), *[html.Span([html.Br(), note]) for note in notes]]
    if state.year:
        lines += [html.Br(), t("compare.year_aside", lang)]
    return [html.P(lines, className="compare-counts", id=ids.COMPARE_COUNTS)]


def hint_rows(dataset: Dataset, state: ViewState, lang: str = "en") -> list:
    """A line per ticked link type or kind that another filter hides entirely, with the button that
    clears that filter (in the browser, through the URL: assets/url_actions.js)."""
    rows = []
    for hidden in hidden_asked(dataset, state):
        value = link_label(hidden.value, lang) if hidden.what == "link" else kind_label(hidden.value, lang)
        name = t(f"hint.filter.{hidden.culprit}", lang)
        rows.append(
            html.P(
                [
                    t("hint.hidden", lang, value=value, filter=name, count=number(hidden.count, lang)),
                    " ",
                    html.Button(
                        t("hint.clear", lang, filter=name),
                        type="button",
                        className="link-button",
                        **{"data-atlas-clear": hidden.culprit},
                    ),
                ],
                className="filter-hint",
            )
        )
    return rows


def register(app) -> None:
    """The counts callback (the controls themselves are driven by components/url.py)."""
    app.callback(Output(ids.COUNTS, "children"), Input(ids.FILTER_STATE, "data"), Input(ids.LANG, "data"))(counts_text)
