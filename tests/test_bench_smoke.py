"""The dashboard benchmark's pure helpers (scripts/bench_app.py), on small hand-made examples. No timing."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_app.py"


@pytest.fixture(scope="module")
def bench():
    """The script loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_app", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_app"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_app", None)


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


def test_percentile_interpolates_like_numpy(bench) -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert bench.percentile(values, 50) == 3.0
    assert bench.percentile(values, 95) == pytest.approx(4.8)
    assert bench.percentile(values, 0) == 1.0 and bench.percentile(values, 100) == 5.0
    assert bench.percentile([7.0], 95) == 7.0
    assert bench.median_p95([1.0, 2.0, 3.0, 4.0]) == (2.5, pytest.approx(3.85))
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_ids_and_outputs_are_read_as_dash_writes_them(bench) -> None:
    assert bench.stringify_id({"type": "filter-gvc", "cluster": "c1"}) == '{"cluster":"c1","type":"filter-gvc"}'
    assert bench.stringify_id("map") == "map"
    assert bench.split_output(DEPENDENCIES[0]["output"]) == [
        ("atlas-url", "search"), ({"cluster": ["ALL"], "type": "filter-gvc"}, "value"), ("state", "data")]
    assert bench.split_output("map.figure@0123abcd") == [("map", "figure@0123abcd")]
    assert bench.matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"cluster": "x", "type": "filter-gvc"})
    assert not bench.matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"group": "x", "type": "filter-gvc"})


def test_payload_matches_the_renderers_request(bench) -> None:
    store, ids, types = bench.index_layout(LAYOUT)
    assert types["atlas-url"] == "Location" and store[("filter-prov", "value")] == []
    assert [bench.stringify_id(i) for i in ids if isinstance(i, dict)] == [
        '{"cluster":"c1","type":"filter-gvc"}', '{"cluster":"c2","type":"filter-gvc"}']
    spec = bench.CallbackSpec.from_dependency(DEPENDENCIES[0], ids)
    assert spec.label == "atlas-url.search"
    assert ('{"cluster":"c2","type":"filter-gvc"}', "value") in spec.input_keys
    store[("atlas-url", "search")] = ""
    changed = ['{"cluster":"c2","type":"filter-gvc"}.value', "filter-prov.value"]
    body = bench.build_payload(spec, store, ids, changed)
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
    single = bench.build_payload(bench.CallbackSpec.from_dependency(DEPENDENCIES[1], ids), {}, ids, [])
    assert single["outputs"] == {"id": "map", "property": "figure"}
    assert single["inputs"] == [{"id": "state", "property": "data"}]
    assert "state" not in single
    json.dumps(body)  # what goes over the wire


def test_steps_become_control_changes(bench) -> None:
    store, ids, _ = bench.index_layout(LAYOUT)
    store[("filter-prov", "value")] = ["IT-FE"]
    defaults = {("filter-prov", "value"): []}
    step = bench.Step("one province", (("prov", "IT-BO"),))
    changes, order = bench.plan_changes(step, store, ids, defaults)
    # every checklist is cleared; the app's checklist c2 held "b", so it changes too, after the main change
    assert changes == {("filter-prov", "value"): ["IT-BO"], ('{"cluster":"c2","type":"filter-gvc"}', "value"): []}
    assert order[0] == ("filter-prov", "value")
    assert bench.plan_changes(bench.Step("world", (("scope", "world"),)), store, ids, defaults) is None
    bench.check_url(step, "?prov=IT-BO")
    with pytest.raises(bench.BenchError):
        bench.check_url(step, "?prov=IT-BO&kind=firm")


def test_readme_block_goes_after_the_data_benchmark(bench) -> None:
    block = f"{bench.START}\nnew numbers\n{bench.END}"
    text = "# T\n\n<!-- bench-data:start -->\nold\n<!-- bench-data:end -->\n\n## Layout\n"
    once = bench.update_readme(text, block)
    assert once.index("<!-- bench-data:end -->") < once.index("### Dashboard") < once.index("new numbers") \
        < once.index("## Layout")
    twice = bench.update_readme(once, f"{bench.START}\nnewer\n{bench.END}")
    assert "newer" in twice and "new numbers" not in twice and twice.count("### Dashboard") == 1
    assert bench.update_readme("# T\n", block).endswith(block + "\n")
    assert bench.xpath_literal("Reggio nell'Emilia") == '"Reggio nell\'Emilia"'
