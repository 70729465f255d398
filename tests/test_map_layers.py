"""Map layers, map figure and map panel callbacks: unit tier, no browser."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from dash import no_update

from components import map_panel
from core.camera import region_bounds
from core.selection import select
from core.state import ViewState, state_to_dict
from core.vocabulary import vocabulary
from data import Dataset, load_dataset, read_dataset
from layers import highlight, links_map, startups_map
from layers.actors_map import actor_positions, node_positions
from layers.map_figure import map_figure, map_figure_dict
from layers.map_layers import MAP_LAYERS
from layers.style import ACTOR_STYLE, HIGHLIGHT, LINK_STYLE, contrast_ratio, short_name
from tests.conftest import ACTORS, area_collection, write_dataset

ROOT = Path(__file__).resolve().parents[1]

# Five start-ups in Bologna (one of them not synthetic), one in Modena; placed from the gazetteer.
STARTUPS = (
    "id,kind,name,province,municipality,source,confidence,synthetic\n"
    "s1,startup,Delta Srl,IT-BO,Bologna,demo,confirmed,true\n"
    "s2,startup,Alpha Srl,IT-BO,Bologna,demo,confirmed,true\n"
    "s3,startup,Echo Srl,IT-BO,Bologna,demo,confirmed,true\n"
    "s4,startup,Bravo Srl,IT-BO,Bologna,demo,confirmed,false\n"
    "s5,startup,Charlie Srl,IT-BO,Bologna,demo,confirmed,true\n"
    "s6,startup,Foxtrot Srl,IT-BO,Bologna,demo,confirmed,true\n"
    "s7,startup,Golf Srl,IT-MO,Modena,demo,confirmed,true\n"
)
# a3 shares a1's point: the two must be spread apart.
TINY_ACTORS = (
    ACTORS + "a3,research_centre,Lab Three,11.34,44.49,IT-BO,Bologna,,,2010,https://example.org/a3,confirmed,\n"
)


def _tiny_areas() -> dict:
    collection = area_collection()
    big = [[[10.0, 43.5], [13.0, 43.5], [13.0, 45.5], [10.0, 45.5], [10.0, 43.5]]]
    far = [[[20.0, 40.0], [21.0, 40.0], [21.0, 41.0], [20.0, 41.0], [20.0, 40.0]]]
    for area_id, kind, ring, networks in (("R-1", "region", big, ""), ("area-net", "programme_area", far, "net-a")):
        collection["features"].append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": ring},
                "properties": {
                    "id": area_id,
                    "kind": kind,
                    "name": area_id.title(),
                    "networks": networks,
                    "source": "https://example.org/area",
                    "confidence": "confirmed",
                },
            }
        )
    return collection


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    directory = write_dataset(
        tmp_path_factory.mktemp("map") / "tiny",
        **{
            "actors.csv": TINY_ACTORS,
            "actors-startups.csv": STARTUPS,
            "areas.geojson": _tiny_areas(),
            "dataset.json": {"region": "R-1"},
        },
    )
    dataset = read_dataset(directory)
    assert not dataset.errors, dataset.errors
    return dataset


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset()


def _datasets(request: pytest.FixtureRequest, name: str) -> Dataset:
    return request.getfixturevalue("shipped" if name == "shipped" else "tiny_dataset")


def _full_state(dataset: Dataset, **changes: object) -> ViewState:
    """World scope, every area layer on, an actor with links selected: every layer has something to draw."""
    links = dataset.links
    sel = links.loc[links["source_id"].isin(dataset.actors["id"]), "source_id"].iloc[0]
    state = ViewState(scope="world", areas=vocabulary(dataset).area_layers or ("net-a",), sel=sel)
    return state.with_(**changes)


def _element_ids(dataset: Dataset) -> set[str]:
    return set(dataset.actors["id"]) | set(dataset.groupings["id"]) | set(dataset.areas["id"])


def _customdata(trace: go.BaseTraceType) -> list[str]:
    values = trace.customdata
    return [] if values is None else [str(v) for v in values]


@pytest.mark.parametrize("dataset_name", ["shipped", "tiny"])
@pytest.mark.parametrize("layer", list(MAP_LAYERS))
def test_layer_returns_map_traces_with_known_ids(layer: str, dataset_name: str, request: pytest.FixtureRequest) -> None:
    dataset = _datasets(request, dataset_name)
    state = _full_state(dataset)
    traces = MAP_LAYERS[layer](dataset, select(dataset, state), state)
    assert traces, f"{layer} drew nothing"
    known = _element_ids(dataset)
    for trace in traces:
        assert trace.type.endswith("map") and "mapbox" not in trace.type, trace.type
        assert "text" not in (getattr(trace, "mode", None) or ""), "text labels would fetch online glyphs"
        assert trace.name
        for value in _customdata(trace):
            assert startups_map.element_id(value) in known, value


@pytest.mark.parametrize("scope", ["region", "world"])
def test_map_figure_is_offline_white_bg_without_the_selection(shipped: Dataset, scope: str) -> None:
    state = _full_state(shipped, scope=scope)
    fig = map_figure(shipped, select(shipped, state), state)
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.uirevision == f"{scope}-half" and fig.layout.map.uirevision == f"{scope}-half"
    assert "highlight" not in {t.name for t in fig.data}  # the halos are the page's own layer
    assert fig.layout.showlegend is False  # the HTML legend explains every colour and symbol
    text = fig.to_json()
    assert "mapbox" not in text
    assert "http://" not in text and "https://" not in text, "the figure must not point at anything online"
    assert [t.type for t in fig.data][:1] == ["choroplethmap"], "areas are drawn first (below)"


@pytest.mark.parametrize("scope", ["region", "world"])
def test_the_plain_figure_sent_is_the_figures_json(shipped: Dataset, scope: str) -> None:
    # map_figure_dict skips the Figure and its deep copy: what the browser gets must not change
    from plotly.io.json import to_json_plotly

    state = _full_state(shipped, scope=scope).with_(gvc=(), prov=("IT-BO", "IT-MO"))
    selection = select(shipped, state)
    plain = map_figure_dict(shipped, selection, state, "it")
    sent = json.loads(to_json_plotly(plain))
    assert sent == json.loads(to_json_plotly(map_figure(shipped, selection, state, "it").to_plotly_json()))
    assert all(trace["type"] in ("scattermap", "choroplethmap") and trace["uid"] for trace in plain["data"])


def test_region_view_fits_the_home_region_and_world_is_wide(shipped: Dataset) -> None:
    west, south, east, north = region_bounds(shipped)
    region = map_figure(shipped, select(shipped, ViewState()), ViewState()).layout.map
    assert west < region.center.lon < east and south < region.center.lat < north
    assert 5 < region.zoom < 9
    world = map_figure(shipped, select(shipped, ViewState(scope="world")), ViewState(scope="world")).layout.map
    assert world.zoom < 2


def test_empty_selection_still_gives_a_figure(shipped: Dataset) -> None:
    state = ViewState(q="no such name anywhere zzz")
    selection = select(shipped, state)
    assert selection.empty
    fig = map_figure(shipped, selection, state)
    assert any(t.type == "choroplethmap" for t in fig.data), "the region stays drawn for orientation"


def test_startups_are_aggregated_per_municipality(tiny_dataset: Dataset) -> None:
    state = ViewState()
    [trace] = startups_map.build(tiny_dataset, select(tiny_dataset, state), state)
    assert len(trace.lon) == 2  # Bologna and Modena
    bologna = next(i for i, h in enumerate(trace.hovertext) if "Bologna" in h)
    assert "6 start-ups" in trace.hovertext[bologna]
    assert "5 of them synthetic demo data" in trace.hovertext[bologna]
    assert "and 1 more" in trace.hovertext[bologna]
    assert trace.hovertext[bologna].count("•") == startups_map.MAX_NAMES
    assert trace.customdata[bologna].startswith("agg:")  # a bubble is not an element: clicks select nothing
    assert trace.marker.size[bologna] > trace.marker.size[1 - bologna]
    assert trace.mode == "markers"
    records = startups_map.aggregate(tiny_dataset, select(tiny_dataset, state))
    assert sorted(r["count"] for r in records) == [1, 6]


def test_many_startups_in_one_municipality_make_one_bubble(tmp_path: Path) -> None:
    rows = "".join(f"x{i},startup,Start {i:03d},IT-BO,Bologna,demo,confirmed,true\n" for i in range(250))
    dataset = read_dataset(
        write_dataset(
            tmp_path / "many",
            **{"actors-startups.csv": "id,kind,name,province,municipality,source,confidence,synthetic\n" + rows},
        )
    )
    [trace] = startups_map.build(dataset, select(dataset, ViewState()), ViewState())
    assert len(trace.lon) == 1 and "250 start-ups" in trace.hovertext[0]


def test_shared_points_are_spread_deterministically(shipped: Dataset, tiny_dataset: Dataset) -> None:
    drawn = actor_positions(tiny_dataset)
    a1, a3 = drawn.loc["a1"], drawn.loc["a3"]
    assert (a1["lon"], a1["lat"]) != (a3["lon"], a3["lat"])
    assert a1["shared"] == 2
    for row in (a1, a3):  # within ~1 km of the shared point
        assert math.hypot((row["lon"] - 11.34) * math.cos(math.radians(44.49)), row["lat"] - 44.49) < 0.01
    actors = shipped.actors
    others = actors[actors["kind"] != "startup"]
    positions = actor_positions(shipped).loc[others["id"]]
    assert not positions[["lon", "lat"]].round(6).duplicated().any(), "every non-start-up marker has its own place"
    state = ViewState()
    [trace] = [t for t in MAP_LAYERS["actors"](shipped, select(shipped, state), state) if t.name == "Technopole"]
    assert any("municipality-level location" in h.lower() for h in trace.hovertext)


def test_region_scope_draws_only_links_within_the_region(shipped: Dataset) -> None:
    state = ViewState(link=("partner_agreement",))
    assert links_map.build(shipped, select(shipped, state), state) == []  # every partner region is abroad
    local = ViewState(link=("part_of",))
    [trace] = links_map.build(shipped, select(shipped, local), local)
    lon = np.asarray(trace.lon, dtype=float)
    assert np.nanmin(lon) > 9 and np.nanmax(lon) < 13.5


def test_links_map_draws_only_selected_links(shipped: Dataset) -> None:
    state = ViewState(link=("partner_agreement",), scope="world")
    selection = select(shipped, state)
    traces = links_map.build(shipped, selection, state)
    assert [t.name for t in traces] == ["Partner-region agreement"]
    drawn = int(np.isnan(np.asarray(traces[0].lon, dtype=float)).sum())  # one gap after each line
    assert drawn == len(selection.links) > 0
    everything = links_map.build(shipped, select(shipped, ViewState()), ViewState(scope="world"))
    assert len(everything) > 1
    colours = [t.line.color for t in everything]
    assert len(set(colours)) == len(colours), "one distinct colour per link type"


def test_long_links_follow_great_circle_arcs() -> None:
    start = np.array([[11.34, 44.49], [11.34, 44.49]])
    end = np.array([[11.40, 44.50], [-119.4, 36.8]])  # Bologna - nearby; Bologna - California
    lon, lat = links_map.segments(start, end)
    assert len(lon) == 3 + links_map.ARC_POINTS + 1
    arc_lat = np.asarray(lat[3:-1])
    assert arc_lat.max() > 60, "the arc to California passes far north"
    assert np.all(np.abs(np.diff(np.asarray(lon[3:-1]))) < 90), "no jump across the map"


def test_highlight_contains_selected_and_neighbours(tiny_dataset: Dataset) -> None:
    points = highlight.highlight_data(tiny_dataset, select(tiny_dataset, ViewState()), "a1")
    ids = list(points["customdata"])
    assert ids[0] == "a1" and set(ids) == {"a1", "a2", "net-a"}  # l1 -> a2, l2 -> net-a (placed at its area)
    assert points["size"][0] == HIGHLIGHT["selected_size"] and points["colour"] == HIGHLIGHT["colour"]
    positions = node_positions(tiny_dataset)
    assert (points["lon"][0], points["lat"][0]) == pytest.approx(positions["a1"])
    link = highlight.highlighted(tiny_dataset, select(tiny_dataset, ViewState()), "l1")
    assert set(link["customdata"]) == {"a1", "a2", "l1"}, "a selected link highlights its two ends and its line"
    assert link["customdata"][:2] == ["a1", "a2"] and link["customdata"].count("l1") == highlight.LINE_DOTS - 1
    assert highlight.highlighted(tiny_dataset, select(tiny_dataset, ViewState()), "")["customdata"] == []
    assert highlight.highlight_data(tiny_dataset, select(tiny_dataset, ViewState()), "") == {}


def test_palette_is_distinct_and_visible_on_white() -> None:
    for colour, _ in [*ACTOR_STYLE.values(), *LINK_STYLE.values()]:
        assert contrast_ratio(colour) >= 3.0, colour
    actor_colours = [c for c, _ in ACTOR_STYLE.values()]
    assert len(set(actor_colours)) == len(actor_colours)
    assert short_name("EU Strategy for the Adriatic and Ionian Region (EUSAIR)") == "EUSAIR"


def test_layers_do_not_import_dash() -> None:
    code = "import sys, layers.map_figure; print('dash' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- map panel callbacks ---------------------------------------------------------------------------


def _view_state(**changes: object) -> dict:
    data = state_to_dict(ViewState(**changes))
    data.pop("sel")
    return data


def test_update_map_builds_figure_and_legend() -> None:
    figure, legend = map_panel.update_map(_view_state(areas=("eusair",)))
    figure = go.Figure(figure)  # the callback returns the figure as a plain (cached) dict
    assert figure.layout.map.style == "white-bg"
    text = json.dumps(legend, default=lambda c: c.to_plotly_json())
    for words in ("Technopole", "Start-ups", "synthetic demo data", "Partner-region agreement", "EU Strategy"):
        assert words in text, words
    assert map_panel.update_map(_view_state(view="table")) == (no_update, no_update)


def test_highlight_points_follow_the_selection_and_the_filters() -> None:
    points = map_panel.highlight_points(["tecnopolo-modena", {}, {}])
    assert points["customdata"][0] == "tecnopolo-modena" and len(points["customdata"]) > 1
    json.dumps(points)  # plain JSON, no numpy
    # a neighbour the filters hide loses its halo
    only = map_panel.highlight_points(["tecnopolo-modena", {"kind": ["technopole"]}, {}])
    assert set(only["customdata"]) < set(points["customdata"])
    assert map_panel.highlight_points(None) == {} and map_panel.highlight_points(["", {}, {}]) == {}
    assert map_panel.highlight_points(["no-such-id", {}, {}]) == {}


def test_map_panel_layout_has_graph_and_legend() -> None:
    from components import ids

    section = map_panel.layout()
    text = json.dumps(section.to_plotly_json(), default=lambda c: c.to_plotly_json())
    assert ids.MAP in text and ids.MAP_LEGEND in text and ids.MAP_PANEL in text
    assert map_panel.GRAPH_CONFIG["displaylogo"] is False
    assert "toImage" not in map_panel.GRAPH_CONFIG["modeBarButtonsToRemove"]


def test_clusters_are_outlined_through_their_members(shipped: Dataset) -> None:
    from layers import cluster_extent

    state = ViewState(gvc=("mech-flyer",))
    selection = select(shipped, state)
    [trace] = cluster_extent.build(shipped, selection, state)
    assert "Clust-ER Mechatronics" in trace.name and trace.fill == "toself"
    members = cluster_extent.members(shipped, selection, "clust-er-mech")
    assert len(members) and members["gvcs"].map(lambda g: "mech-flyer" in g).all()
    lon = np.array([v for v in trace.lon if v is not None], dtype=float)
    lat = np.array([v for v in trace.lat if v is not None], dtype=float)
    # the outline surrounds every member
    assert lon.min() <= members["lon"].min() and lon.max() >= members["lon"].max()
    assert lat.min() <= members["lat"].min() and lat.max() >= members["lat"].max()
    assert cluster_extent.build(shipped, select(shipped, ViewState()), ViewState()) == []  # only when asked
    asked = ViewState(areas=("clust-er-health",))
    assert len(cluster_extent.build(shipped, select(shipped, asked), asked)) == 1


def test_map_draws_at_most_the_cap_of_links_real_first(tmp_path: Path) -> None:
    from data import DEFAULT_DATA_DIR
    from data.generate import generate_dataset

    generate_dataset(read_dataset(DEFAULT_DATA_DIR), tmp_path / "big", startups=500, actors=400, links=5000, seed=2)
    dataset = read_dataset(tmp_path / "big")
    state = ViewState(scope="world")
    traces = links_map.build(dataset, select(dataset, state), state)
    drawn = sum(int(np.isnan(np.asarray(t.lon, dtype=float)).sum()) for t in traces)
    assert drawn == links_map.MAX_MAP_LINKS


def test_outlines_are_sent_once_by_url_not_in_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip
    import json

    from flask import Flask

    from components import geo_assets, map_panel
    from data import load_dataset

    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    dataset = load_dataset()
    for scope in ("region", "world"):
        figure, _legend = map_panel.update_map({"scope": scope, "prov": ["IT-BO"]}, "en")
        urls = {t["geojson"] for t in figure["data"] if isinstance(t.get("geojson"), str)}
        assert urls == {"/" + geo_assets.asset_path(dataset, scope)}
        assert not any(isinstance(t.get("geojson"), dict) and t["geojson"].get("atlas_asset") for t in figure["data"])
        name = geo_assets.asset_path(dataset, scope).removeprefix(geo_assets.ROUTE)
        with Flask(__name__).test_request_context(headers={"Accept-Encoding": "gzip, deflate"}):
            zipped = geo_assets.serve(name)
        with Flask(__name__).test_request_context():
            plain = geo_assets.serve(name)
        assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
        assert len(zipped.get_data()) < len(plain.get_data()) / 2
        assert gzip.decompress(zipped.get_data()) == plain.get_data()
        collection = json.loads(plain.get_data())
        assert {f["id"] for f in collection["features"]} >= set(
            dataset.areas.loc[dataset.areas["kind"] == "province", "id"]
        )
        assert "immutable" in plain.headers["Cache-Control"] and "immutable" in zipped.headers["Cache-Control"]


def test_actors_outside_the_region_have_a_distance_and_direction() -> None:
    from core.outside import outside_places

    dataset = load_dataset()
    places = outside_places(dataset)
    assert places.loc["cineca-milano"].tolist() == [45, "nw"]
    assert places.loc["cineca-roma", "direction"] == "s"
    # in a province of the region by its record, whatever the outline says (Sassofeltrio joined in 2021)
    assert "demo-su-0517" not in places.index
    inside = dataset.actors[dataset.actors["province"] == "IT-BO"]["id"]
    assert not set(inside) & set(places.index)


def test_the_map_legend_lists_outside_actors_only_in_the_region_scope() -> None:
    from components.map_legend import legend, outside_rows
    from core.state import ViewState

    dataset = load_dataset()
    selection = select(dataset, ViewState())
    assert outside_rows(dataset, selection, "it")
    text = str(legend(dataset, selection, ViewState(), "it"))
    assert "Fuori dalla regione Emilia-Romagna (4)" in text and "45 km a nord-ovest" in text
    world = ViewState(scope="world")
    assert "Fuori dalla regione" not in str(legend(dataset, select(dataset, world), world, "it"))
