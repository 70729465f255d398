"""The sundial (issue 14, third part) on a hand-made dataset whose answers are known.

Clusters cl-a (research; business services; value chains g-a, g-b) and cl-b (no dimension; g-c,
g-d). prog-edu (education) lists g-b itself; prog-soc (social services) supports a1; the policy pol
(all four) is linked to a2 (the link points at pol) and a4; net has no dimension; prog-none neither.
Actors: a1 (g-a, member of cl-a), a2 (g-c), a3 (member of cl-a only: no value chain), a4 (g-a),
a5 a support body whose extra ``sundial`` column says education (and an unknown value), linked to a3.

So g-a is served by all four (cl-a, prog-soc, pol), g-b misses social services (cl-a, prog-edu),
g-c is served by all four through pol alone, and g-d by none.
"""

from __future__ import annotations

import json

import pytest
from dash import no_update

from components.sundial_panel import clicked_element, coherence_table, sundial_outputs
from core import sundial as sundial_module
from core.selection import select
from core.state import ViewState
from core.sundial import DIMENSIONS, dimensions_of, sundial
from data import read_dataset
from data.schema import SUNDIAL
from layers.sundial_figure import sundial_figure
from tests.conftest import write_dataset

SECTORS = "id,name,source,confidence\nmech,Mechatronics,https://example.org/s,confirmed\n"
GROUPINGS = (
    "id,kind,name,name_it,sector,sundial,gvcs,source,confidence\n"
    "cl-a,cluster,Cluster A,Cluster A it,mech,research;business_services,,https://example.org/c,confirmed\n"
    "cl-b,cluster,Cluster B,,mech,,,https://example.org/c,confirmed\n"
    "prog-edu,support_programme,Skills,Competenze,,education_training,g-b,https://example.org/p,confirmed\n"
    "prog-soc,support_programme,Care,,,social_services,,https://example.org/p,confirmed\n"
    "pol,policy,Pact,Patto,,education_training;social_services;business_services;research,,https://example.org/p,"
    "confirmed\n"
    "net,regions_network,Net,,,,,https://example.org/n,confirmed\n"
    "prog-none,support_programme,None,,,,,https://example.org/p,confirmed\n"
)
GVCS = (
    "id,name,name_it,sector,cluster,source,confidence\n"
    "g-a,Automation,Automazione,mech,cl-a,https://example.org/g,confirmed\n"
    "g-b,Materials,Materiali,mech,cl-a,https://example.org/g,confirmed\n"
    "g-c,Clean tech,Tecnologie pulite,mech,cl-b,https://example.org/g,confirmed\n"
    "g-d,Design,Progettazione,mech,cl-b,https://example.org/g,confirmed\n"
)
ACTORS = (
    "id,kind,name,lon,lat,province,gvcs,clusters,sundial,source,confidence\n"
    "a1,firm,A1,11.5,44.5,IT-BO,g-a,cl-a,,https://example.org/a,confirmed\n"
    "a2,university,A2,11.5,44.5,IT-BO,g-c,,,https://example.org/a,confirmed\n"
    "a3,startup,A3,11.5,44.5,IT-BO,,cl-a,,https://example.org/a,confirmed\n"
    "a4,firm,A4,11.5,44.5,IT-BO,g-a,,,https://example.org/a,confirmed\n"
    "a5,support_body,A5,11.5,44.5,IT-BO,,,education_training;bogus,https://example.org/a,confirmed\n"
)
LINKS = (
    "id,source_id,target_id,link_type,source,confidence\n"
    "l1,prog-soc,a1,programme_support,https://example.org/l,confirmed\n"
    "l2,a2,pol,network_membership,https://example.org/l,confirmed\n"
    "l3,pol,a4,coordination,https://example.org/l,confirmed\n"
    "l4,net,a1,network_membership,https://example.org/l,confirmed\n"
    "l5,a5,a3,research_collaboration,https://example.org/l,confirmed\n"
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory):
    area = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[11, 44], [12, 44], [12, 45], [11, 45], [11, 44]]]},
                "properties": {"id": "IT-BO", "kind": "province", "name": "Bologna", "source": "https://example.org/a",
                               "confidence": "confirmed"},
            }
        ],
    }  # fmt: skip
    directory = write_dataset(
        tmp_path_factory.mktemp("sundial"),
        sectors__csv=SECTORS,
        groupings__csv=GROUPINGS,
        gvcs__csv=GVCS,
        actors__csv=ACTORS,
        links__csv=LINKS,
        areas__geojson=area,
    )
    loaded = read_dataset(directory)
    assert not loaded.errors, loaded.errors
    return loaded


def test_dimensions_are_the_schemas_vocabulary_in_order() -> None:
    assert DIMENSIONS == SUNDIAL == ("education_training", "social_services", "business_services", "research")
    assert dimensions_of("research;bogus; education_training") == ("education_training", "research")
    assert dimensions_of(("business_services",)) == ("business_services",)
    assert dimensions_of(float("nan")) == () and dimensions_of("") == ()


def test_items_are_the_records_with_dimensions(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState()))
    assert [(i.id, i.kind, i.table) for i in dial.items] == [
        ("cl-a", "cluster", "groupings"), ("prog-edu", "support_programme", "groupings"),
        ("prog-soc", "support_programme", "groupings"), ("pol", "policy", "groupings"),
        ("a5", "support_body", "actors"),
    ]  # fmt: skip
    assert dial.item("pol").dimensions == DIMENSIONS
    assert dial.item("cl-a").dimensions == ("business_services", "research")  # schema order, not the cell's
    assert dial.item("a5").dimensions == ("education_training",)  # the unknown value is dropped
    assert [i.id for i in dial.by_dimension("education_training")] == ["prog-edu", "pol", "a5"]
    assert dial.counts() == {"education_training": 3, "social_services": 2, "business_services": 2, "research": 2}
    assert dial.item("net") is None and dial.item("prog-none") is None


def test_actors_and_value_chains_served(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState()))
    served = {i.id: (i.actors, i.gvcs, i.listed) for i in dial.items}
    assert served["cl-a"] == (("a1", "a3"), ("g-a", "g-b"), ("g-a", "g-b"))  # members by their `clusters`
    assert served["prog-edu"] == ((), ("g-b",), ("g-b",))  # its own `gvcs`
    assert served["prog-soc"] == (("a1",), ("g-a",), ())  # through the actor it supports
    assert served["pol"] == (("a2", "a4"), ("g-a", "g-c"), ())  # links either way, any type
    assert served["a5"] == (("a3",), (), ())  # a3 names a cluster only: no value chain known


def test_coherence_all_four_or_missing(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState()))
    rows = {c.gvc: c for c in dial.coherence}
    assert list(rows) == ["g-a", "g-b", "g-c", "g-d"]  # gvcs.csv order
    assert rows["g-a"].complete and rows["g-c"].complete
    assert rows["g-b"].missing == ("social_services",)
    assert rows["g-b"].items["education_training"] == ("prog-edu",)
    assert rows["g-b"].items["research"] == ("cl-a",)
    assert rows["g-a"].items["social_services"] == ("prog-soc", "pol")
    assert rows["g-d"].dimensions == () and rows["g-d"].missing == DIMENSIONS
    assert [c.cluster for c in dial.coherence] == ["cl-a", "cl-a", "cl-b", "cl-b"]


def test_filters_change_what_serves(dataset) -> None:
    # only programme-support links: the policy serves nobody, so g-a misses education and g-c everything
    dial = sundial(dataset, select(dataset, ViewState(link=("programme_support",))))
    assert dial.item("pol").actors == ()
    rows = {c.gvc: c for c in dial.coherence}
    assert rows["g-a"].missing == ("education_training",)
    assert rows["g-c"].dimensions == ()


def test_cached_per_filter_state(dataset) -> None:
    selection = select(dataset, ViewState())
    assert sundial(dataset, selection) is sundial(dataset, selection)
    assert sundial_module.compute_sundial(dataset, selection) == sundial(dataset, selection)


def test_figure_has_four_quadrants_and_points_carrying_ids(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState()))
    figure = sundial_figure(dataset, dial, "it", selected="pol")
    assert [trace.type for trace in figure.data] == ["barpolar"] + ["scatterpolar"] * 4
    per_dimension = [list(trace.customdata) for trace in figure.data[1:]]
    assert per_dimension == [["prog-edu", "pol", "a5"], ["prog-soc", "pol"], ["cl-a", "pol"], ["cl-a", "pol"]]
    assert list(figure.layout.polar.angularaxis.ticktext) == [
        "<b>Istruzione e formazione</b>", "<b>Servizi sociali</b>", "<b>Servizi alle imprese</b>", "<b>Ricerca</b>"
    ]  # fmt: skip
    hover = figure.data[1].hovertext[1]
    assert "<b>Patto</b>" in hover and "Dimensioni:" in hover and "2 attori serviti" in hover
    assert "Automazione" in hover  # the value chains it serves, by name
    # the selected item is ringed in every quadrant it appears in, and only it
    for trace in figure.data[1:]:
        widths = list(trace.marker.line.width)
        assert [w > 1 for w in widths] == [i == "pol" for i in trace.customdata]
    # markers grow with the actors served (cl-a and pol serve two, prog-edu none)
    sizes = dict(zip(figure.data[1].customdata, figure.data[1].marker.size, strict=True))
    assert sizes["pol"] > sizes["prog-edu"]
    json.dumps(figure.to_plotly_json(), default=str)  # serialisable for Dash


def test_empty_selection_says_so(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState(q="no such name anywhere")))
    assert dial.items == ()
    figure = sundial_figure(dataset, dial, "en")
    assert any("No programme or policy" in a.text for a in figure.layout.annotations)


def test_coherence_table_is_a_real_table(dataset) -> None:
    dial = sundial(dataset, select(dataset, ViewState()))
    children = coherence_table(dataset, dial, "it")
    table = next(c for c in children if type(c).__name__ == "Table")
    caption, head, body = table.children
    assert type(caption).__name__ == "Caption"
    assert [th.scope for th in head.children.children] == ["col"] * 6
    rows = [tr for tr in body.children if tr.className in ("complete", "incomplete")]
    verdicts = {tr.children[0].children: tr.children[-1].children for tr in rows}
    assert verdicts == {
        "Automazione": "Tutte e quattro",
        "Materiali": "Manca: Servizi sociali",
        "Tecnologie pulite": "Tutte e quattro",
        "Progettazione": "Servita da nessuna dimensione",
    }
    assert [tr.children.children for tr in body.children if tr.className == "group"] == ["Cluster A it", "Cluster B"]
    assert all(tr.children[0].scope == "row" for tr in rows)


def test_outputs_only_while_the_view_is_open() -> None:
    assert sundial_outputs({}, "map", "en") == (no_update, no_update)
    assert sundial_outputs({}, "strengths", "it") == (no_update, no_update)
    figure, table = sundial_outputs({}, "sundial", "it")
    assert "La meridiana" in figure.layout.title.text and "Filtri" in figure.layout.title.text
    assert table  # the shipped data names value chains


def test_clicked_element_reads_dashs_click_data() -> None:
    # as Dash reports a click on a scatterpolar point (captured from the app in headless Chromium)
    click = {
        "points": [
            {"curveNumber": 3, "pointNumber": 0, "pointIndex": 0, "customdata": "clust-er-agrifood", "r": 0.77,
             "theta": 190.3, "hovertext": "<b>Clust-ER Agrifood</b>", "marker.size": 18.8}
        ]
    }  # fmt: skip
    assert clicked_element(click) == "clust-er-agrifood"
    assert clicked_element({"points": [{"curveNumber": 1, "pointNumber": 2, "id": "pol"}]}) == "pol"
    assert clicked_element({"points": [{"curveNumber": 0, "pointNumber": 1}]}) is None  # a quadrant
    assert clicked_element(None) is None and clicked_element({}) is None and clicked_element({"points": []}) is None
