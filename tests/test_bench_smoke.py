"""The dashboard benchmark's pure helpers (the scripts.bench package), on small hand-made examples. No timing."""

from __future__ import annotations

import json

import pytest

from scripts.bench import floor, latency, payloads, report, steps, tables
from scripts.bench.common import END, START, BenchError, median_p95, percentile
from scripts.bench.payloads import CallbackSpec, build_payload, index_layout, matches, split_output, stringify_id
from scripts.bench.repaint import xpath_literal
from scripts.bench.steps import Step, check_url, plan_changes

# What /_dash-dependencies and /_dash-layout answer for a two-callback app with a pattern-matching list.
DEPENDENCIES = [
    {
        "output": '..atlas-url.search...{"cluster":["ALL"],"type":"filter-gvc"}.value...state.data..',
        "inputs": [
            {"id": "atlas-url", "property": "search"},
            {"id": '{"cluster":["ALL"],"type":"filter-gvc"}', "property": "value"},
            {"id": "filter-prov", "property": "value"},
        ],
        "state": [
            {"id": '{"cluster":["ALL"],"type":"filter-gvc"}', "property": "id"},
            {"id": "state", "property": "data"},
        ],
        "clientside_function": None,
        "prevent_initial_call": False,
    },
    {
        "output": "map.figure",
        "inputs": [{"id": "state", "property": "data"}],
        "state": [],
        "clientside_function": None,
        "prevent_initial_call": False,
    },
    {
        "output": "map.figure@0123abcd",
        "inputs": [{"id": "sel", "property": "data"}],
        "state": [],
        "clientside_function": None,
        "prevent_initial_call": True,
    },
]
LAYOUT = {
    "type": "Div",
    "namespace": "dash_html_components",
    "props": {
        "children": [
            {"type": "Location", "namespace": "dash_core_components", "props": {"id": "atlas-url"}},
            {"type": "Store", "namespace": "dash_core_components", "props": {"id": "state", "data": {"prov": []}}},
            {
                "type": "Checklist",
                "namespace": "dash_core_components",
                "props": {
                    "id": {"type": "filter-gvc", "cluster": "c1"},
                    "value": [],
                    "options": [{"label": "A", "value": "a"}],
                },
            },
            {
                "type": "Div",
                "namespace": "dash_html_components",
                "props": {
                    "children": [
                        {
                            "type": "Checklist",
                            "namespace": "dash_core_components",
                            "props": {"id": {"type": "filter-gvc", "cluster": "c2"}, "value": ["b"], "options": ["b"]},
                        }
                    ]
                },
            },
            {"type": "Checklist", "namespace": "dash_core_components", "props": {"id": "filter-prov", "value": []}},
            {"type": "Graph", "namespace": "dash_core_components", "props": {"id": "map"}},
        ]
    },
}


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
        ("atlas-url", "search"),
        ({"cluster": ["ALL"], "type": "filter-gvc"}, "value"),
        ("state", "data"),
    ]
    assert split_output("map.figure@0123abcd") == [("map", "figure@0123abcd")]
    assert matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"cluster": "x", "type": "filter-gvc"})
    assert not matches({"cluster": ["ALL"], "type": "filter-gvc"}, {"group": "x", "type": "filter-gvc"})


def test_payload_matches_the_renderers_request() -> None:
    store, ids, types = index_layout(LAYOUT)
    assert types["atlas-url"] == "Location" and store[("filter-prov", "value")] == []
    assert [stringify_id(i) for i in ids if isinstance(i, dict)] == [
        '{"cluster":"c1","type":"filter-gvc"}',
        '{"cluster":"c2","type":"filter-gvc"}',
    ]
    spec = CallbackSpec.from_dependency(DEPENDENCIES[0], ids)
    assert spec.label == "atlas-url.search"
    assert ('{"cluster":"c2","type":"filter-gvc"}', "value") in spec.input_keys
    store[("atlas-url", "search")] = ""
    changed = ['{"cluster":"c2","type":"filter-gvc"}.value', "filter-prov.value"]
    body = build_payload(spec, store, ids, changed)
    assert body["output"] == DEPENDENCIES[0]["output"]
    assert body["outputs"][0] == {"id": "atlas-url", "property": "search"}
    assert body["outputs"][1] == [
        {"id": {"type": "filter-gvc", "cluster": "c1"}, "property": "value"},
        {"id": {"type": "filter-gvc", "cluster": "c2"}, "property": "value"},
    ]
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
    assert (
        once.index("<!-- bench-data:end -->")
        < once.index("### Dashboard")
        < once.index("new numbers")
        < once.index("## Layout")
    )
    twice = report.update_readme(once, f"{START}\nnewer\n{END}")
    assert "newer" in twice and "new numbers" not in twice and twice.count("### Dashboard") == 1
    assert report.update_readme("# T\n", block).endswith(block + "\n")
    assert xpath_literal("Reggio nell'Emilia") == '"Reggio nell\'Emilia"'


def test_callbacks_are_named_by_an_output_and_a_duplicate_url_writer_is_not_the_state() -> None:
    name = payloads.callback_name
    assert name(split_output(DEPENDENCIES[0]["output"])) == "state"
    assert name(split_output("..atlas-url.search@ab12...present-story.children..")) == "other"
    # the highlight's patch is a map update; a callback named by a later output is named all the same
    assert name(split_output("atlas-map.figure@0123abcd")) == "map"
    assert name(split_output("..atlas-legend.children...atlas-map.figure..")) == "map"
    assert name(split_output("..atlas-filters.data...atlas-url.search..")) == "state"
    assert name(split_output("something-new.data")) == "other"


def _call(name: str, status: int = 200, updated: bool = True, size: int = 10, outputs: tuple = ()) -> payloads.Call:
    return payloads.Call(f"{name}.x", name, 0.01, status, size, {("a", "b")} if updated else set(), outputs)


def test_an_action_needs_the_state_callback_and_one_more_answer() -> None:
    latency.check_answered("step", [_call("state"), _call("map")])
    latency.check_answered("step", [_call("state"), _call("other", 204, False), _call("future-store")])
    with pytest.raises(BenchError, match="state callback"):
        latency.check_answered("step", [_call("map"), _call("network")])
    with pytest.raises(BenchError, match="no callback but the state"):
        latency.check_answered("step", [_call("state"), _call("other", 204, False)])


def test_samples_sum_parts_count_requests_and_the_largest_body() -> None:
    calls = [
        _call("state", size=5, outputs=("atlas-url.search",)),
        _call("map", size=900, outputs=("atlas-map.figure",)),
        _call("other", size=70, outputs=("atlas-network.stylesheet",)),
        _call("other", size=30, outputs=("atlas-details.children",)),
    ]
    sample = latency.summarise("a cluster", "first", calls)
    assert sample.ms == pytest.approx({"total": 40.0, "state": 10.0, "map": 10.0, "other": 20.0})
    assert (sample.requests, sample.largest, sample.largest_label) == (4, 900, "map.x")
    by_view = latency.summarise("select", "first", calls, latency.SELECTION_PARTS)
    assert by_view.ms == pytest.approx({"total": 40.0, "state": 10.0, "map": 10.0, "network": 10.0, "other": 10.0})


def test_plotly_typed_arrays_are_decoded() -> None:
    import base64
    import struct

    packed = {"dtype": "f8", "bdata": base64.b64encode(struct.pack("<3d", 1.5, 2.0, -3.25)).decode()}
    assert payloads.decode_array(packed) == [1.5, 2.0, -3.25]
    grid = {"dtype": "i1", "bdata": base64.b64encode(bytes([1, 2, 3, 4])).decode(), "shape": "2, 2"}
    assert payloads.decode_array(grid) == [[1, 2], [3, 4]]
    assert payloads.decode_array([1, None]) == [1, None] and payloads.decode_array(None) == []


FIGURE = {
    "data": [
        {"type": "choroplethmap", "locations": ["IT-45"]},
        {"type": "scattermap", "mode": "lines", "lon": [1, 2, None], "lat": [3, 4, None]},
        {
            "type": "scattermap",
            "mode": "markers",
            "lon": [11.0, 11.5],
            "lat": [44.0, 44.5],
            "customdata": ["agg:a", "agg:b"],
        },
        {
            "type": "scattermap",
            "mode": "markers+text",
            "lon": [10.0, 12.0],
            "lat": [44.1, 44.9],
            "customdata": [["unibo"], ["cineca"]],
        },
    ],
    "layout": {"map": {"center": {"lon": 11, "lat": 44.5}, "zoom": 7}},
}
ELEMENTS = [
    {"data": {"id": "group:x:gvc:1", "label": "12 start-ups"}, "position": {"x": 1, "y": 2}},
    {"data": {"id": "unibo", "label": "UniBo"}, "position": {"x": 5, "y": 6}},
    {"data": {"id": "art-er"}},
    {"data": {"id": "l1", "source": "unibo", "target": "art-er", "link_type": "part_of"}},
]


def test_selections_click_single_elements_alternating_views() -> None:
    store = {steps.MAP_FIGURE: FIGURE, steps.NETWORK_ELEMENTS: ELEMENTS}
    both = {("atlas-network", "tapNodeData"), ("atlas-map", "clickData")}
    plan = steps.plan_selections(store, both, 5)
    # groups and aggregates select nothing; "unibo" is in both views but clicked once
    assert [(s.via, s.target) for s in plan] == [("network", "unibo"), ("map", "cineca"), ("network", "art-er")]
    assert plan[0].key == ("atlas-network", "tapNodeData") and plan[0].value == {"id": "unibo", "label": "UniBo"}
    point = plan[1].value["points"][0]
    assert point["customdata"] == ["cineca"] and (point["curveNumber"], point["pointNumber"]) == (3, 1)
    assert steps.plan_selections(store, {("atlas-map", "clickData")}, 5)[0].target == "unibo"
    assert steps.plan_selections(store, set(), 5) == []  # e.g. the naive app: not present
    steps.check_selected(plan[0], "?gvc=x&sel=unibo")
    with pytest.raises(BenchError):
        steps.check_selected(plan[0], "?gvc=x")


def test_the_floor_draws_what_the_atlas_draws() -> None:
    assert floor.marker_points(FIGURE) == [(11.0, 44.0), (11.5, 44.5), (10.0, 44.1), (12.0, 44.9)]
    data = floor.floor_data(FIGURE, ELEMENTS)
    assert data["counts"] == {"points": 4, "nodes": 3, "edges": 1}
    assert data["center"] == {"lon": 11, "lat": 44.5} and data["zoom"] == 7
    assert data["elements"][1] == {"data": {"id": "unibo"}, "position": {"x": 5, "y": 6}}
    assert data["elements"][3]["data"] == {"id": "e3", "source": "unibo", "target": "art-er"}
    assert all("position" in e for e in data["elements"][:3])  # a node without one gets a grid place
    names = [p.name for p in floor.bundles()]
    assert names[0] == "plotly.min.js" and names[-1] == "dash_cytoscape.min.js"
    assert any(n.startswith("react@") for n in names) and any(n.startswith("react-dom@") for n in names)


def test_report_rows_for_the_new_measurements() -> None:
    from scripts.bench.open_ready import OpenResult

    run = tables.DatasetRun("generated (2k)", False, open_target=True)
    drawn = {"points": 300, "nodes": 99, "edges": 600}
    run.open_ready = {
        "atlas": OpenResult([1000.0, 1200.0, 1100.0], 0, 120, drawn),
        "naive": OpenResult([6000.0], 0, 120, drawn),
    }
    atlas_row, naive_row = tables.open_rows(run)
    assert "1.10 s (3)" in atlas_row and "300 / 99 / 600" in atlas_row
    assert "naive / atlas 5.5×" in naive_row and "faster: met" in naive_row
    run.open_ready["naive"] = OpenResult([], 2, 30, {})
    assert ">27×" in tables.open_rows(run)[1] and "met" in tables.open_rows(run)[1]
    run.open_ready["floor"] = OpenResult([500.0], 0, 60, drawn)
    assert "atlas / floor 2.2×" in tables.open_rows(run)[0]
    big = tables.DatasetRun("generated (100k)", True)
    result = latency.LatencyResult(present={"state", "map"})
    result.samples = [latency.Sample("a cluster", "first", {"total": 50.0, "state": 5.0}, 9, 2000, "atlas-map.figure")]
    result.selections = [latency.Sample("select via map", "first", {"total": 120.0, "map": 20.0}, 6, 800, "x.y")]
    big.latency["atlas"] = result
    (row,) = tables.selection_rows(big)
    assert "**120 / 120**" in row and "< 150 ms: median met, p95 met" in row and "0.8 kB (`x.y`)" in row
    (line,) = tables.action_size_lines(big)
    assert "9 callback requests" in line and "2.0 kB (`atlas-map.figure`)" in line and "6 requests" in line
    assert "not present" in tables.latency_rows(big)[0]  # no counts callback in this app


class _FakeResponse:
    def __init__(self, status: int, body: object = None) -> None:
        self.status_code = status
        self.content = b"" if body is None else json.dumps(body).encode()

    def json(self) -> object:
        return json.loads(self.content)


class _FakeSession:
    """An app whose state callback writes two new store slices; the map reads one, a notice the other."""

    DEPS = [
        {
            "output": "..atlas-url.search...filters.data...camera.data..",
            "inputs": [{"id": "atlas-url", "property": "search"}, {"id": "filter-prov", "property": "value"}],
            "state": [],
            "prevent_initial_call": False,
        },
        {
            "output": "atlas-map.figure",
            "inputs": [{"id": "filters", "property": "data"}],
            "state": [{"id": "camera", "property": "data"}],
            "prevent_initial_call": False,
        },
        {
            "output": "notice.children",
            "inputs": [{"id": "camera", "property": "data"}],
            "state": [],
            "prevent_initial_call": False,
        },
        {
            "output": "clientside.children",
            "inputs": [{"id": "filters", "property": "data"}],
            "state": [],
            "clientside_function": {"namespace": "x", "function_name": "y"},
            "prevent_initial_call": False,
        },
    ]
    LAYOUT = {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {
            "children": [
                {"type": "Location", "namespace": "dash_core_components", "props": {"id": "atlas-url"}},
                {"type": "Store", "namespace": "dash_core_components", "props": {"id": "filters"}},
                {"type": "Store", "namespace": "dash_core_components", "props": {"id": "camera"}},
                {"type": "Checklist", "namespace": "dash_core_components", "props": {"id": "filter-prov", "value": []}},
                {"type": "Graph", "namespace": "dash_core_components", "props": {"id": "atlas-map"}},
                {"type": "Div", "namespace": "dash_html_components", "props": {"id": "notice"}},
            ]
        },
    }

    def __init__(self) -> None:
        self.posted: list[dict] = []

    def get(self, url: str, timeout: float) -> _FakeResponse:
        return _FakeResponse(200, self.DEPS if url.endswith("/_dash-dependencies") else self.LAYOUT)

    def post(self, url: str, json: dict, timeout: float) -> _FakeResponse:
        self.posted.append(json)
        if json["output"].startswith("..atlas-url"):
            prov = json["inputs"][1].get("value") or []
            return _FakeResponse(
                200,
                {
                    "response": {
                        "atlas-url": {"search": "?prov=" + ",".join(prov) if prov else ""},
                        "filters": {"data": {"prov": prov}},
                    }
                },
            )
        if json["output"] == "atlas-map.figure":
            return _FakeResponse(200, {"response": {"atlas-map": {"figure": {"data": [], "for": json["inputs"]}}}})
        return _FakeResponse(204)


def test_the_cascade_follows_the_dependencies_whatever_the_stores() -> None:
    session = _FakeSession()
    client = payloads.DashClient("http://app", session=session)  # type: ignore[arg-type]
    assert [cb.name for cb in client.callbacks] == ["state", "map", "other"]  # the clientside one is left out
    client.load()
    calls = client.change({("filter-prov", "value"): ["IT-BO"]}, [("filter-prov", "value")])
    # the state callback, then the map because "filters" changed; "camera" did not change, so no notice
    assert [c.label for c in calls] == ["atlas-url.search", "atlas-map.figure"]
    assert client.store[("atlas-url", "search")] == "?prov=IT-BO"
    assert session.posted[-1]["changedPropIds"] == ["filters.data"]
    assert session.posted[-1]["state"] == [{"id": "camera", "property": "data"}]  # the store holds no value yet
    latency.check_answered("one province", calls)


def test_the_scale_report_says_what_it_measured_and_replaces_its_block() -> None:
    from scripts.bench import scale

    result = scale.ScaleResult("generated (10 actors)", select=[800.0, 900.0, 1200.0], drill=[500.0])
    result.drawn = {"nodes": 9, "groups": 2, "stands": 10, "edges": 12, "readable": 7}
    block = scale.report(result, nodes=12, links=30, seconds=60)
    assert block.startswith(scale.START) and block.endswith(scale.END)
    assert "| select a node (network click) | 3 | 900 / 1170 | median met, p95 **missed** |" in block
    assert "| filter, repeated | 0 | n/a | n/a |" in block
    assert "draws 9 nodes (2 of them groups, standing for 10 actors) and 12 edges" in block
    text = "# T\n\n<!-- bench-app:start -->\nx\n<!-- bench-app:end -->\n\n## Layout\n"
    once = scale.update_readme(text, block)
    assert once.index("<!-- bench-app:end -->") < once.index(scale.START) < once.index("## Layout")
    twice = scale.update_readme(once, f"{scale.START}\nnewer\n{scale.END}")
    assert "newer" in twice and "900 / 1170" not in twice and twice.count(scale.START) == 1


def test_the_halo_gate_is_mirrored_as_the_page_runs_it() -> None:
    gate = payloads.CLIENTSIDE_GATES[("atlas-map-highlight-request", "data")][1]
    store = {("atlas-selection", "data"): "", ("atlas-filter-state", "data"): {"prov": ["IT-BO"]}}
    assert gate(store) is None
    store[("atlas-selection", "data")] = "unibo"
    assert gate(store) == ["unibo", {"prov": ["IT-BO"]}, {}]


def test_the_load_script_bounds_users_and_time() -> None:
    from scripts import load

    for argv in (["http://x", "--users", "0"], ["http://x", "--users", "501"], ["http://x", "--seconds", "4000"]):
        with pytest.raises(SystemExit):
            load.main(argv)


def test_the_load_script_counts_a_refused_server_as_errors() -> None:
    from scripts import load

    # nothing listens on port 9: every user's page load fails, and the script says so in its status
    assert load.main(["http://127.0.0.1:9", "--users", "2", "--seconds", "1.5", "--think", "0"]) == 1
