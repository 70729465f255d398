"""The dashboard benchmark's pure helpers (the scripts.bench package), on small hand-made examples. No timing."""

from __future__ import annotations

import json

import pytest

from scripts.bench import report
from scripts.bench.common import END, START, BenchError, median_p95, percentile
from scripts.bench.payloads import CallbackSpec, build_payload, index_layout, matches, split_output, stringify_id
from scripts.bench.repaint import xpath_literal
from scripts.bench.steps import Step, check_url, plan_changes

# What /_dash-dependencies and /_dash-layout answer for a two-callback app with a pattern-matching list.
DEPENDENCIES = [
    {"output": '..atlas-url.search...{"cluster":["ALL"],"type":"filter-gvc"}.value...state.data..',
     "inputs": [{"id": "atlas-url", "property": "search"},
                {"id": '{"cluster":["ALL"],"type":"filter-gvc"}', "property": "value"},
                {"id": "filter-prov", "property": "value"}],
     "state": [{"id": '{"cluster":["ALL"],"type":"filter-gvc"}', "property": "id"},
               {"id": "state", "property": "data"}],
     "clientside_function": None, "prevent_initial_call": False},
    {"output": "map.figure", "inputs": [{"id": "state", "property": "data"}], "state": [],
     "clientside_function": None, "prevent_initial_call": False},
    {"output": "map.figure@0123abcd", "inputs": [{"id": "sel", "property": "data"}], "state": [],
     "clientside_function": None, "prevent_initial_call": True},
]
LAYOUT = {"type": "Div", "namespace": "dash_html_components", "props": {"children": [
    {"type": "Location", "namespace": "dash_core_components", "props": {"id": "atlas-url"}},
    {"type": "Store", "namespace": "dash_core_components", "props": {"id": "state", "data": {"prov": []}}},
    {"type": "Checklist", "namespace": "dash_core_components",
     "props": {"id": {"type": "filter-gvc", "cluster": "c1"}, "value": [], "options": [{"label": "A", "value": "a"}]}},
    {"type": "Div", "namespace": "dash_html_components", "props": {"children": [
        {"type": "Checklist", "namespace": "dash_core_components",
         "props": {"id": {"type": "filter-gvc", "cluster": "c2"}, "value": ["b"], "options": ["b"]}}]}},
    {"type": "Checklist", "namespace": "dash_core_components", "props": {"id": "filter-prov", "value": []}},
    {"type": "Graph", "namespace": "dash_core_components", "props": {"id": "map"}},
]}}


def test_percentile_interpolates_like_numpy() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 5.0
    assert percentile([7.0], 95) == 7.0
    assert median_p95([1.0, 2.0, 3.0, 4.0]) == (2.5, pytest.approx(3.85))
    with pytest.raises(ValueError):
        percentile([], 50)


def test_ids_and_outputs_are_read_as_dash_writes_them() -> None:
    assert stringify_id({"type": "filter-gvc", "cluster": "c1"}) == '{"cluster":"c1","type":"filter-gvc"}'
    assert stringify_id("map") == "map"
    assert split_output(DEPENDENCIES[0]["output"]) == [
        ("atlas-url", "search"), ({"cluster": ["ALL"], "type": "filter-gvc"}, "value"), ("state", "data")]
    assert split_output("map.figure@0123abcd") == [("map", "figure@0123abcd")]
    assert matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"cluster": "x", "type": "filter-gvc"})
    assert not matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"group": "x", "type": "filter-gvc"})


def test_payload_matches_the_renderers_request() -> None:
    store, ids, types = index_layout(LAYOUT)
    assert types["atlas-url"] == "Location" and store[("filter-prov", "value")] == []
    assert [stringify_id(i) for i in ids if isinstance(i, dict)] == [
        '{"cluster":"c1","type":"filter-gvc"}', '{"cluster":"c2","type":"filter-gvc"}']
    spec = CallbackSpec.from_dependency(DEPENDENCIES[0], ids)
    assert spec.label == "atlas-url.search"
    assert ('{"cluster":"c2","type":"filter-gvc"}', "value") in spec.input_keys
    store[("atlas-url", "search")] = ""
    changed = ['{"cluster":"c2","type":"filter-gvc"}.value', "filter-prov.value"]
    body = build_payload(spec, store, ids, changed)
    assert body["output"] == DEPENDENCIES[0]["output"]
    assert body["outputs"][0] == {"id": "atlas-url", "property": "search"}
    assert body["outputs"][1] == [{"id": {"type": "filter-gvc", "cluster": "c1"}, "property": "value"},
                                  {"id": {"type": "filter-gvc", "cluster": "c2"}, "property": "value"}]
    assert body["inputs"][1][1] == {"id": {"type": "filter-gvc", "cluster": "c2"}, "property": "value", "value": ["b"]}
    # State(..., "id") reads the id itself
    assert body["state"][0][0]["value"] == {"type": "filter-gvc", "cluster": "c1"}
    assert body["changedPropIds"] == changed
    assert body["parsedChangedPropsIds"] == [{"cluster": "c2", "type": "filter-gvc"}, "filter-prov.value"]
    # A single output is sent as one object, not a list; a prop the page lacks is sent without "value".
    single = build_payload(CallbackSpec.from_dependency(DEPENDENCIES[1], ids), {}, ids, [])
    assert single["outputs"] == {"id": "map", "property": "figure"}
    assert single["inputs"] == [{"id": "state", "property": "data"}]
    assert "state" not in single
    json.dumps(body)  # what goes over the wire


def test_steps_become_control_changes() -> None:
    store, ids, _ = index_layout(LAYOUT)
    store[("filter-prov", "value")] = ["IT-FE"]
    defaults = {("filter-prov", "value"): []}
    step = Step("one province", (("prov", "IT-BO"),))
    changes, order = plan_changes(step, store, ids, defaults)
    # every checklist is cleared; the app's checklist c2 held "b", so it changes too, after the main change
    assert changes == {("filter-prov", "value"): ["IT-BO"], ('{"cluster":"c2","type":"filter-gvc"}', "value"): []}
    assert order[0] == ("filter-prov", "value")
    assert plan_changes(Step("world", (("scope", "world"),)), store, ids, defaults) is None
    check_url(step, "?prov=IT-BO")
    with pytest.raises(BenchError):
        check_url(step, "?prov=IT-BO&kind=firm")


def test_readme_block_goes_after_the_data_benchmark() -> None:
    block = f"{START}\nnew numbers\n{END}"
    text = "# T\n\n<!-- bench-data:start -->\nold\n<!-- bench-data:end -->\n\n## Layout\n"
    once = report.update_readme(text, block)
    assert once.index("<!-- bench-data:end -->") < once.index("### Dashboard") < once.index("new numbers") \
        < once.index("## Layout")
    twice = report.update_readme(once, f"{START}\nnewer\n{END}")
    assert "newer" in twice and "new numbers" not in twice and twice.count("### Dashboard") == 1
    assert report.update_readme("# T\n", block).endswith(block + "\n")
    assert xpath_literal("Reggio nell'Emilia") == '"Reggio nell\'Emilia"'
