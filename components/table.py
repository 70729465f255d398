"""The table view: what the filters currently show, sortable, paged on the server.

Two tabs (``ids.TABLE_TAB``): the records (actors, networks and programmes, areas) and the
links (type, both ends, year, confidence, source and its date), both following the filters.
Paging and sorting happen on the server so that 100k filtered start-ups never travel to
the browser at once. Clicking a row selects its element or link (components/url.py reads
``active_cell``); the selected row is highlighted by a style-only update, and a selection made
elsewhere (details, a shared link) turns the table to the page that holds its row.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from dash import Input, Output, State, dash_table, dcc, html, no_update

from components import ids
from components.translate import T, option_label
from core.compare import change_table, compare_view
from core.i18n import LANGUAGES, all_names, label, names_by_id, t
from core.once import OncePerKey
from core.selection import select
from core.state import state_from_dict
from data import load_dataset

#: the columns, in order (headers: ``table.<column>``)
COLUMNS = ("name", "kind", "province", "municipality", "gvcs", "year", "confidence", "synthetic", "source")
#: the links tab's columns (headers: ``table.<column>``)
LINK_COLUMNS = ("link_type", "from", "to", "year", "end_year", "confidence", "synthetic", "source", "source_date")
#: the changes tab's columns (two dates compared: core/compare.py)
CHANGE_COLUMNS = ("change", "link_type", "from", "to", "year", "end_year", "confidence", "source")
#: the tabs; "changes" is offered only while two dates are compared (its label hidden otherwise)
TABS = ("records", "links", "changes")
PAGE_SIZE = 20


def layout() -> html.Section:
    """The table, empty until the table view is opened."""
    return html.Section(
        [
            html.H2(T("table.title")),
            dcc.RadioItems(
                id=ids.TABLE_TAB,
                options=[{"label": option_label(T(f"table.tab.{tab}")), "value": tab} for tab in TABS],
                value="records",
                inline=True,
                className="radios table-tabs",
                inputClassName="check-input",
            ),
            dcc.Store(id=ids.TABLE_FOCUS, data=""),
            dash_table.DataTable(
                id=ids.TABLE,
                columns=columns("en"),
                data=[],
                page_current=0,
                page_size=PAGE_SIZE,
                page_action="custom",
                sort_action="custom",
                sort_mode="single",
                sort_by=[],
                cell_selectable=True,
                style_table={"overflowX": "auto"},
                style_cell={
                    "textAlign": "left",
                    "fontFamily": "inherit",
                    "fontSize": "0.9rem",
                    "maxWidth": "28rem",
                    "overflow": "hidden",
                    "textOverflow": "ellipsis",
                },
                style_header={"fontWeight": "600", "backgroundColor": "#eef1f4"},
            ),
        ],
        id=ids.TABLE_PANEL,
        className="table-panel",
    )


def columns(lang: str | None, tab: str | None = "records") -> list[dict]:
    """The column definitions of ``tab`` with headers in ``lang``."""
    keys = {"links": LINK_COLUMNS, "changes": CHANGE_COLUMNS}.get(tab or "records", COLUMNS)
    return [{"name": t(f"table.{key}", lang or "en"), "id": key} for key in keys]


def table_frame(view_state: dict | None, lang: str = "en", tab: str = "records") -> pd.DataFrame:
    """One row per shown actor, grouping and node area (or, on the links tab, per shown link), in
    display form (labels in ``lang``)."""
    dataset = load_dataset()
    state = state_from_dict(view_state)
    selection = select(dataset, state)
    if tab == "links":
        return _links_frame(dataset, selection.links, lang)
    if tab == "changes":
        return _changes_frame(dataset, state, lang)
    provinces = names_by_id(dataset.areas[dataset.areas["kind"] == "province"], lang)
    parts = []
    kind_labels = {}
    for frame in (selection.actors, selection.groupings, selection.areas):
        for kind in frame["kind"].unique():
            kind_labels[kind] = label("kind", kind, lang)
        names = frame["id"].map(names_by_id(frame, lang))
        part = pd.DataFrame({"id": frame["id"], "name": names, "kind": frame["kind"].map(kind_labels)})
        for column in ("province", "municipality", "year"):
            part[column] = frame.get(column)
        if part["province"].notna().any():
            part["province"] = part["province"].map(lambda p: provinces.get(p, p))  # "Bologna", not "IT-BO"
        part["gvcs"] = frame["gvcs"].map(", ".join) if "gvcs" in frame else ""
        part["confidence"] = frame["confidence"].map(lambda c: label("confidence", c, lang))
        part["synthetic"] = _data_label(frame["synthetic"], lang)
        part["source"] = frame["source"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", *COLUMNS])


def _data_label(synthetic: pd.Series, lang: str) -> pd.Series:
    """The "Data" column: the synthetic badge's text or "real", in ``lang``."""
    return synthetic.fillna(False).astype(bool).map({True: t("badge.synthetic", lang), False: t("table.real", lang)})


def _links_frame(dataset, links: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = all_names(dataset, lang)
    types = {k: label("link", k, lang) for k in links["link_type"].unique()}
    out = pd.DataFrame(
        {
            "id": links["id"],
            "link_type": links["link_type"].map(types),
            "from": links["source_id"].map(lambda i: names.get(i, i)),
            "to": links["target_id"].map(lambda i: names.get(i, i)),
            "year": links.get("year"),
            "end_year": links.get("end_year"),
            "confidence": links["confidence"].map(lambda c: label("confidence", c, lang)),
            "synthetic": _data_label(links["synthetic"], lang),
            "source": links["source"],
            "source_date": links.get("source_date"),
        }
    )
    return out.reset_index(drop=True)


def _changes_frame(dataset, state, lang: str) -> pd.DataFrame:
    """One row per link added or ended between the two compared dates (none when none compared);
    cached per dataset, filters and language (each page of the tab asks for it)."""
    if not state.compare:
        return pd.DataFrame(columns=["id", *CHANGE_COLUMNS])
    return _CHANGES.get((dataset, state.filters(), lang), lambda: _build_changes(dataset, state, lang))


_CHANGES: OncePerKey[pd.DataFrame] = OncePerKey(maxsize=8)


def _build_changes(dataset, state, lang: str) -> pd.DataFrame:
    comparison = compare_view(dataset, state, *state.compare)
    changes = change_table(comparison, all_names(dataset, lang))
    links = comparison.links.set_index("id")
    return pd.DataFrame(
        {
            "id": changes["id"],
            "change": changes["status"].map(lambda s: t(f"compare.status.{s}", lang)),
            "link_type": changes["link_type"].map(lambda k: label("link", k, lang)),
            "from": changes["from"],
            "to": changes["to"],
            "year": changes["year"],
            "end_year": changes["end_year"],
            "confidence": changes["id"].map(links["confidence"]).map(lambda c: label("confidence", c, lang)),
            "source": changes["id"].map(links["source"]),
        }
    ).reset_index(drop=True)


def _sorted(frame: pd.DataFrame, sort_by: list | None) -> pd.DataFrame:
    if not sort_by:
        return frame
    column = sort_by[0]["column_id"]
    if column not in frame:
        return frame
    return frame.sort_values(
        column,
        ascending=sort_by[0]["direction"] == "asc",
        na_position="last",
        kind="stable",
        key=lambda s: s if pd.api.types.is_numeric_dtype(s) else s.astype(str).str.lower(),
    )


def table_page(
    view_state: dict | None,
    page: int | None,
    page_size: int | None,
    sort_by: list | None,
    lang: str | None = "en",
    tab: str | None = "records",
):
    """The rows of one page, sorted as asked, and the page count. Only computed in the table view."""
    if not view_state or view_state.get("view") != "table":
        return no_update, no_update
    frame = _sorted(table_frame(view_state, lang or "en", tab or "records"), sort_by)
    size = page_size or PAGE_SIZE
    page = page or 0
    rows = frame.iloc[page * size : (page + 1) * size].copy()
    for column in ("year", "end_year"):
        if column in rows:
            rows[column] = rows[column].map(lambda y: "" if pd.isna(y) else str(int(y)))
    rows = rows.fillna("")
    return rows.to_dict("records"), max(1, -(-len(frame) // size))


def page_of(
    selected: str | None,
    filters: dict | None,
    tab: str | None,
    sort_by: list | None,
    page_size: int | None,
    page: int | None,
) -> int | Any:
    """The page that holds the ``selected`` row in the table as sorted now (``no_update`` when it is
    on the current page, or not in this tab)."""
    if not selected:
        return no_update
    frame = _sorted(table_frame({**(filters or {}), "view": "table"}, "en", tab or "records"), sort_by)
    where = (frame["id"].to_numpy() == selected).nonzero()[0]
    if not len(where):
        return no_update
    target = int(where[0]) // (page_size or PAGE_SIZE)
    return no_update if target == (page or 0) else target


# The selected row highlighted and synthetic rows marked: a style, computed in the browser (a click
# costs no request for it). The synthetic column holds the badge text in the reader's language.
ROW_STYLE = """
function(selected, lang) {
    const labels = LABELS;
    const synthetic = labels[lang] || labels.en;
    const rules = [{"if": {"column_id": "synthetic", "filter_query": '{synthetic} = "' + synthetic + '"'},
                    "color": "#6b2d00", "fontWeight": "600"}];
    if (selected) {
        rules.push({"if": {"filter_query": '{id} = "' + String(selected).replace(/"/g, '\\"') + '"'},
                    "backgroundColor": "#fde9c8"});
    }
    return rules;
}
""".replace("LABELS", json.dumps({lang: t("badge.synthetic", lang) for lang in LANGUAGES}, ensure_ascii=False))


def table_outputs(
    filters: dict | None,
    view: str | None,
    page: int | None,
    page_size: int | None,
    sort_by: list | None,
    lang: str | None = "en",
    tab: str | None = "records",
):
    """:func:`table_page` for the slices the table shows (filters, and whether the table view is on)."""
    return table_page({**(filters or {}), "view": view or "split"}, page, page_size, sort_by, lang, tab)


def register(app) -> None:
    """Server-side paging/sorting and the selected-row style."""
    app.callback(
        Output(ids.TABLE, "data"),
        Output(ids.TABLE, "page_count"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.VIEW_MODE, "data"),
        Input(ids.TABLE, "page_current"),
        Input(ids.TABLE, "page_size"),
        Input(ids.TABLE, "sort_by"),
        Input(ids.LANG, "data"),
        Input(ids.TABLE_TAB, "value"),
    )(table_outputs)
    app.clientside_callback(
        ROW_STYLE, Output(ids.TABLE, "style_data_conditional"), Input(ids.SELECTION, "data"), Input(ids.LANG, "data")
    )
    app.callback(Output(ids.TABLE, "columns"), Input(ids.LANG, "data"), Input(ids.TABLE_TAB, "value"))(columns)
    # A new filter, or the other tab, starts again at the first page.
    app.clientside_callback(
        "function(_state, _tab, page) { return page ? 0 : window.dash_clientside.no_update; }",
        Output(ids.TABLE, "page_current"),
        Input(ids.FILTER_STATE, "data"),
        Input(ids.TABLE_TAB, "value"),
        State(ids.TABLE, "page_current"),
    )
    # The changes tab is offered while two dates are compared; when the comparison ends, its table
    # goes back to the records. In the browser: a class and a tab, no request.
    app.clientside_callback(
        """function(filters, tab) {
            const on = Boolean(filters && filters.compare);
            return [on ? "on" : "off", (!on && tab === "changes") ? "records" : window.dash_clientside.no_update];
        }""",
        Output(ids.TABLE_PANEL, "data-compare"),
        Output(ids.TABLE_TAB, "value", allow_duplicate=True),
        Input(ids.FILTER_STATE, "data"),
        State(ids.TABLE_TAB, "value"),
        prevent_initial_call="initial_duplicate",
    )
    # A selection seen in the table view turns to its row's page; elsewhere it costs no request.
    app.clientside_callback(
        "function(sel, view) { return view === 'table' && sel ? sel : window.dash_clientside.no_update; }",
        Output(ids.TABLE_FOCUS, "data"),
        Input(ids.SELECTION, "data"),
        Input(ids.VIEW_MODE, "data"),
    )
    app.callback(
        Output(ids.TABLE, "page_current", allow_duplicate=True),
        Input(ids.TABLE_FOCUS, "data"),
        State(ids.FILTER_STATE, "data"),
        State(ids.TABLE_TAB, "value"),
        State(ids.TABLE, "sort_by"),
        State(ids.TABLE, "page_size"),
        State(ids.TABLE, "page_current"),
        prevent_initial_call=True,
    )(page_of)
