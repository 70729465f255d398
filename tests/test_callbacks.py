"""Callbacks called as plain functions, with Dash's callback context set as a click would."""

from __future__ import annotations

import json
from contextvars import copy_context

import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from components import ids
from components.details import details_children, source_parts
from components.filters import counts_text
from components.table import table_page
from components.url import notice_text, sync_state
from core.state import state_from_dict
from core.vocabulary import vocabulary
from data import load_dataset

CLUSTERS = [
    "clust-er-agrifood",
    "clust-er-build",
    "clust-er-mech",
    "clust-er-health",
    "clust-er-greentech",
    "clust-er-create",
    "clust-er-innovate",
]


def run(trigger: str | dict | None, value=1, **kwargs):
    """Call sync_state with ``trigger`` as the input that fired; other inputs from kwargs."""
    args = dict(
        search="",
        view="split",
        scope="region",
        gvc_lists=[[] for _ in CLUSTERS],
        _group_clicks=[0] * 9,
        link=[],
        kind=[],
        prov=[],
        year=None,
        q="",
        areas=[],
        layout="cluster",
        _reset=0,
        _empty_reset=0,
        map_click=None,
        tap=None,
        table_cell=None,
        _detail_clicks=[],
        _close_details=0,
        gvc_list_ids=[{"type": ids.GVC_LIST, "cluster": c} for c in CLUSTERS],
        current_filters=None,
        current_view=None,
        current_map=None,
        current_network=None,
        current_sel="",
    )
    prop_override = kwargs.pop("_prop", None)
    args.update(kwargs)
    triggered = []
    if trigger is not None:
        key = json.dumps(trigger, separators=(",", ":"), sort_keys=True) if isinstance(trigger, dict) else trigger
        prop = (
            {ids.URL: "search", ids.MAP: "clickData", ids.NETWORK: "tapNodeData"}.get(trigger, "value")
            if isinstance(trigger, str)
            else "n_clicks"
        )
        triggered = [{"prop_id": f"{key}.{prop_override or prop}", "value": value}]

    def call():
        context_value.set(AttributeDict(triggered_inputs=triggered))
        return sync_state(**args)

    return copy_context().run(call)


def test_opening_a_url_sets_controls_and_stores() -> None:
    out = run(ids.URL, search="?prov=IT-BO&gvc=clust-er-mech&sel=unibo&view=map")
    (
        search,
        view,
        _scope,
        gvc_lists,
        _link,
        _kind,
        prov,
        _year,
        _q,
        _areas,
        _layout,
        view_state,
        view_mode,
        map_options,
        network_options,
        _camera,
        _viewport,
        sel,
        _notice,
        hidden,
        rank_control,
        size_control,
        rank,
        size,
        compare_on,
        _compare_years,
        suggest_on,
        suggest,
    ) = out
    assert search is no_update  # a shared link is never rewritten
    assert view == "map" and prov == ["IT-BO"]
    assert gvc_lists[CLUSTERS.index("clust-er-mech")] and not gvc_lists[0]
    assert view_state["prov"] == ["IT-BO"] and "sel" not in view_state
    assert sel == "unibo" and hidden is True
    assert view_mode == "map" and map_options == {"scope": "region", "areas": [], "room": "wide"}
    assert network_options == {"layout": "cluster", "shown": False}
    assert (rank_control, size_control) == ("", "") and rank is no_update and size is no_update
    assert compare_on == [] and suggest_on == [] and suggest is no_update


def test_suggested_partners_by_url_and_by_the_tick_box() -> None:
    opened = run(ids.URL, search="?sel=tecnopolo-bologna-dama&suggest=1")
    assert opened[26:] == (["on"], True) and opened[17] == "tecnopolo-bologna-dama"
    current = dict(
        current_filters=opened[11], current_view=opened[12], current_map=opened[13], current_network=opened[14]
    )
    off = run(ids.SUGGEST_ON, suggest_on=[], current_suggest=True, current_sel="tecnopolo-bologna-dama", **current)
    assert off[0] == "?sel=tecnopolo-bologna-dama" and off[27] is False
    assert all(part is no_update for part in off[11:15])  # no view rebuilt by the tick box itself


def test_two_dates_compared_by_url_and_by_the_controls() -> None:
    opened = run(ids.URL, search="?compare=2024,2015&year=2010-2012")
    assert opened[11]["compare"] == [2015, 2024] and opened[24:26] == (["on"], [2015, 2024])
    ticked = run(ids.COMPARE_ON, compare_on=["on"], compare_years=[2012, 2020], current_filters=opened[11])
    assert ticked[0] == "?compare=2012,2020" and ticked[11]["compare"] == [2012, 2020]
    same_year = run(ids.COMPARE_YEARS, compare_on=["on"], compare_years=[2020, 2020])
    assert same_year[0] is no_update or "compare" not in same_year[0]
    bad = run(ids.URL, search="?compare=2015")
    assert bad[18] == [["compare.notice_bad", {"value": "2015"}]]


def test_the_metrics_choosers_write_the_url_and_their_own_stores_only() -> None:
    opened = run(ids.URL, search="?rank=brokers&size=betweenness")
    assert opened[20:24] == ("brokers", "betweenness", "brokers", "betweenness")
    current = dict(
        current_filters=opened[11],
        current_view=opened[12],
        current_map=opened[13],
        current_network=opened[14],
        current_rank="brokers",
        current_size="betweenness",
    )
    out = run(ids.METRICS_RANK, rank="hubs", size="betweenness", search="?rank=brokers&size=betweenness", **current)
    assert out[0] == "?rank=hubs&size=betweenness"
    assert out[22] == "hubs" and out[23] is no_update  # the size's store (the stylesheet's input) is untouched
    assert all(part is no_update for part in out[11:15])  # no view is rebuilt
    bad = run(ids.URL, search="?rank=best")
    assert bad[18] == [["notice.bad_choice", {"name": "rank", "value": "best", "allowed": "hubs, brokers, abroad"}]]


def test_each_slice_changes_only_when_its_value_does() -> None:
    first = run(ids.URL, search="?prov=IT-BO")
    current = dict(
        current_filters=first[11],
        current_view=first[12],
        current_map=first[13],
        current_network=first[14],
        search="?prov=IT-BO",
        prov=["IT-BO"],
    )
    layout = run(ids.NETWORK_LAYOUT, layout="geo", **current)
    assert layout[14] == {"layout": "geo", "shown": True}
    assert layout[11] is no_update and layout[12] is no_update and layout[13] is no_update  # the map is untouched
    areas = run(ids.AREAS, areas=["eusair"], **current)
    assert areas[13]["areas"] == ["eusair"]
    assert areas[11] is no_update and areas[14] is no_update  # the network is untouched
    view = run(ids.VIEW, view="table", **current)
    assert view[12] == "table" and view[13]["room"] == "hidden" and view[14]["shown"] is False
    assert view[11] is no_update


def test_bad_url_parameter_shows_notice() -> None:
    out = run(ids.URL, search="?colour=red&prov=IT-BO")
    assert out[18] == [["notice.unknown_param", {"name": "colour"}]] and out[19] is False
    assert "unknown parameter 'colour'" in notice_text(out[18], "en")
    assert "parametro sconosciuto 'colour'" in notice_text(out[18], "it")


def test_changing_a_control_writes_a_short_url() -> None:
    out = run(ids.PROV, prov=["IT-FE"])
    assert out[0] == "?prov=IT-FE"
    assert out[1] is no_update  # controls are not echoed back
    assert out[3] == [no_update] * len(CLUSTERS)  # the pattern-matching output still has one entry per list
    assert out[11]["prov"] == ["IT-FE"]


def test_clicking_a_network_node_selects_it_without_refiltering() -> None:
    first = run(ids.PROV, prov=["IT-BO"])
    out = run(
        ids.NETWORK,
        value={"id": "unibo"},
        prov=["IT-BO"],
        tap={"id": "unibo"},
        current_filters=first[11],
        current_view=first[12],
        current_map=first[13],
        current_network=first[14],
        search=first[0],
    )
    assert out[0] == "?prov=IT-BO&sel=unibo"
    assert out[11] is no_update  # filters unchanged: views are restyled, not rebuilt
    assert out[17] == "unibo"


def test_tapping_an_edge_selects_its_link_and_a_bundle_selects_nothing() -> None:
    from data import load_dataset

    link_id = load_dataset().links["id"].iloc[0]
    edge = {"id": link_id, "source": "a", "target": "b"}
    # the node tap of an earlier click is still in tapNodeData: the edge tap is what fired
    out = run(ids.NETWORK, value=edge, tap={"id": "unibo"}, edge_tap=edge, _prop="tapEdgeData")
    assert out[17] == link_id and f"sel={link_id}" in out[0]
    for drawn in ("agg:group:x|unibo", "derived:unibo|clust-er-mech", "member:group:x|unibo"):
        out = run(ids.NETWORK, value={"id": drawn}, edge_tap={"id": drawn}, _prop="tapEdgeData")
        assert out[17] is no_update


def test_clicking_a_group_node_selects_nothing() -> None:
    out = run(ids.NETWORK, value={"id": "group:x"}, tap={"id": "group:x"})
    assert out[17] is no_update


def test_map_click_uses_customdata() -> None:
    click = {"points": [{"customdata": "tecnopolo-bologna-dama"}]}
    assert run(ids.MAP, value=click, map_click=click)[17] == "tecnopolo-bologna-dama"


def test_cluster_button_toggles_its_value_chains() -> None:
    button = {"type": ids.GVC_GROUP_BUTTON, "group": "clust-er-mech"}
    out = run(button)
    assert out[0] == "?gvc=clust-er-mech" or out[0] == "?gvc=mechatronics_motoring"
    gvc_lists = out[3]
    again = run(button, gvc_lists=gvc_lists)
    assert again[0] == "" or again[0] is no_update


def test_reset_clears_filters_but_keeps_view() -> None:
    out = run(ids.RESET, view="network", prov=["IT-BO"], q="x", current_sel="unibo", search="?view=network&prov=IT-BO")
    assert out[0] == "?view=network"
    assert out[6] == [] and out[8] == "" and out[17] == ""


def test_full_year_range_is_no_filter() -> None:
    span = vocabulary(load_dataset()).years
    out = run(ids.YEAR, year=list(span))
    assert out[11]["year"] is None
    assert run(ids.YEAR, year=[2014, 2015])[0] == "?year=2014-2015"


def test_details_of_an_actor_show_source_links_and_links() -> None:
    text = json.dumps(details_children("tecnopolo-bologna-dama"), default=lambda o: o.to_plotly_json())
    assert "Bologna Technopole DAMA" in text and "https://www.sitespa.it" in text
    assert "details-link" in text  # its links are buttons that select the other end


def test_details_of_a_synthetic_startup_show_the_badge() -> None:
    text = json.dumps(details_children("demo-su-0001"), default=lambda o: o.to_plotly_json())
    assert "synthetic demo data" in text
    # its confidence says what it is, not "Not confirmed" (believed but unsourced)
    assert "Synthetic: a demo record, not a fact" in text and "Not confirmed" not in text


def test_details_empty_and_unknown() -> None:
    assert details_children("") == []
    assert "not in the data" in json.dumps(details_children("ghost"), default=lambda o: o.to_plotly_json())


def test_source_parts_link_urls_only() -> None:
    parts = source_parts("https://a.org/x ; Slides (c. 2018)")
    assert parts[0].href == "https://a.org/x"
    assert "Slides" in parts and not any(getattr(p, "href", None) for p in parts[2:])


def test_counts_text_mentions_synthetic() -> None:
    text = json.dumps(counts_text({"view": "split", "prov": ["IT-BO"]}), default=lambda o: o.to_plotly_json())
    assert "synthetic demo data" in text and "start-ups" in text


@pytest.mark.parametrize("sort", [None, [{"column_id": "name", "direction": "desc"}]])
def test_table_pages_and_sorts_on_the_server(sort) -> None:
    rows, pages = table_page({"view": "table", "prov": ["IT-BO"]}, 0, 20, sort)
    assert len(rows) == 20 and pages > 1
    assert {"id", "name", "kind", "source", "synthetic"} <= rows[0].keys()
    if sort:
        names = [r["name"] for r in rows]
        assert names == sorted(names, key=str.lower, reverse=True)
    assert table_page({"view": "map"}, 0, 20, None) == (no_update, no_update)


def test_the_links_tab_lists_the_shown_links_with_their_sources() -> None:
    from components.table import page_of
    from core.selection import select
    from core.state import state_from_dict
    from data import load_dataset

    state = {"view": "table", "prov": ["IT-BO"]}
    shown = select(load_dataset(), state_from_dict(state)).links
    rows, pages = table_page(state, 0, 500, None, "en", "links")
    assert len(rows) == len(shown) and pages == 1  # the links the filters show, no more
    assert {"link_type", "from", "to", "year", "confidence", "source", "source_date"} <= rows[0].keys()
    assert {r["id"] for r in rows} == set(shown["id"])
    italian, _ = table_page(state, 0, 500, None, "it", "links")
    assert italian[0]["link_type"] != rows[0]["link_type"] or italian[0]["confidence"] != rows[0]["confidence"]
    # a selection turns the table to the page that holds its row, in the order shown
    ordered, _ = table_page(state, 0, 5000, [{"column_id": "name", "direction": "asc"}], "en")
    late = ordered[45]["id"]
    assert page_of(late, state, "records", [{"column_id": "name", "direction": "asc"}], 20, 0) == 2
    assert page_of(late, state, "records", [{"column_id": "name", "direction": "asc"}], 20, 2) is no_update
    assert page_of(late, state, "links", None, 20, 0) is no_update  # not a row of this tab
    assert page_of("", state, "records", None, 20, 0) is no_update


@pytest.mark.parametrize("state", [{}, {"gvc": ["mech-arer"], "link": ["partner_agreement"]}, {"prov": ["IT-BO"]}])
def test_counts_name_what_the_network_draws(state: dict) -> None:
    from core.selection import select
    from core.state import state_from_dict
    from data import load_dataset
    from layers.network import network_elements

    dataset = load_dataset()
    selection = select(dataset, state_from_dict(state))
    elements, _ = network_elements(dataset, selection, "cluster")
    edges = [e for e in elements if "source" in e["data"]]
    memberships = sum(e["data"].get("count", 1) for e in edges if "derived" in e["classes"])
    text = json.dumps(counts_text({"view": "split", **state}), default=lambda o: o.to_plotly_json())
    assert f'"{len(selection.links)}"' in text  # the link records, counted as such
    if memberships:
        assert f"plus {memberships:,} cluster memberships" in text
    else:
        assert "cluster memberships" not in text


def test_a_ticked_link_type_hidden_by_another_filter_is_explained() -> None:
    from core.hints import hidden_asked

    dataset = load_dataset()
    state = {"view": "split", "gvc": ["mech-moves"], "link": ["partner_agreement"]}
    hidden = hidden_asked(dataset, state_from_dict(state))
    assert [(h.what, h.value, h.culprit) for h in hidden] == [("link", "partner_agreement", "gvc")]
    assert hidden[0].count == int((dataset.links["link_type"] == "partner_agreement").sum())
    text = json.dumps(counts_text(state, "en"), default=lambda o: o.to_plotly_json())
    assert "the value-chain filter hides every one of them" in text
    assert '"data-atlas-clear": "gvc"' in text
    # nothing to explain when records of every ticked value are shown
    assert hidden_asked(dataset, state_from_dict({"link": ["partner_agreement"]})) == []
    assert "filter-hint" not in json.dumps(
        counts_text({"link": ["partner_agreement"]}), default=lambda o: o.to_plotly_json()
    )
