"""The loader: formats, encodings, delimiters, reprojection, and every validation error."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from data import load_dataset, read_dataset
from tests.conftest import ACTORS, LINKS, area_collection, write_dataset


def problems_of(ds, file=None):
    return [p for p in ds.problems if file is None or p.file == file]


def only_error(ds, file, row, field, text):
    errors = [p for p in ds.errors if p.file == file and p.row == row and p.field == field]
    assert errors, f"no error for {file} row {row} field {field}: {[str(p) for p in ds.problems]}"
    assert any(text in p.message for p in errors), [p.message for p in errors]


def test_tiny_dataset_loads_clean(tiny: Path) -> None:
    ds = read_dataset(tiny)
    assert ds.errors == ()
    assert ds.counts() == {
        "sectors": 1,
        "groupings": 2,
        "gvcs": 2,
        "actors": 2,
        "areas": 1,
        "statistics": 0,
        "links": 3,
    }
    actors = ds.actors
    assert actors.crs.to_epsg() == 4326
    assert list(actors["gvcs"].iloc[1]) == ["gvc-a", "gvc-b"]
    assert actors["synthetic"].tolist() == [False, False]
    assert actors["location_precision"].tolist() == ["exact", "exact"]
    assert (ds.links["weight"] == 1.0).all()  # blank weight defaults to 1


def test_frames_are_read_only_copies(tiny: Path) -> None:
    ds = load_dataset(tiny)
    frame = ds.actors
    frame.loc[0, "name"] = "changed"
    del frame["kind"]
    again = load_dataset(tiny).actors
    assert again.loc[0, "name"] == "Uni One" and "kind" in again.columns


def test_env_var_selects_dataset(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from data.loader import data_dir_from_env

    monkeypatch.setenv("ATLAS_DATA_DIR", str(tiny))
    assert data_dir_from_env() == tiny.resolve()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [
        ["id", "kind", "name", "lon", "lat", "municipality", "source", "confidence"],
        ["a1", "university", "Università di Forlì", "12.04", "44.22", "Forlì", "https://example.org", "confirmed"],
        ["a2", "firm", "Caffè Ferrara", "11.62", "44.84", "Ferrara", "https://example.org", "confirmed"],
    ]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    directory = write_dataset(tmp_path / "d", actors__csv=None, links__csv=None)
    (directory / "actors.csv").write_bytes(text.encode(encoding))
    ds = read_dataset(directory)
    assert ds.errors == ()
    assert ds.actors["name"].tolist() == ["Università di Forlì", "Caffè Ferrara"]


def test_utf16_file_is_a_wrong_encoding_error(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=None)
    (directory / "actors.csv").write_bytes(ACTORS.encode("utf-16"))
    ds = read_dataset(directory)
    only_error(ds, "actors.csv", None, None, "wrong encoding")
    assert len(ds.actors) == 0 and len(ds.gvcs) == 2  # the other files still load


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=None)
    (directory / "actors.csv").write_bytes(ACTORS.encode() + b"a3,firm,Bad \x81 byte,11,44,,,,,,x,confirmed,\n")
    ds = read_dataset(directory)
    only_error(ds, "actors.csv", 4, None, "wrong encoding")


def test_every_problem_is_reported_and_good_rows_kept(tmp_path: Path) -> None:
    actors = ACTORS + (
        "a3,spaceship,Bad Kind,11,44,,,,,,https://x.org,confirmed,\n"  # row 4: unknown kind
        "a4,firm,,11,44,,,,,,https://x.org,confirmed,\n"  # row 5: empty name
        "a5,firm,Out Of Range,444.5,44,,,,,,https://x.org,confirmed,\n"  # row 6: bad longitude
        "a6,firm,No Coords,,,,,,,,https://x.org,confirmed,\n"  # row 7: no coordinates, no municipality
        "a1,firm,Duplicate,11,44,,,,,,https://x.org,confirmed,\n"  # row 8: duplicate id
        "a7,firm,Bad GVC,11,44,,,gvc-zzz,,,https://x.org,confirmed,\n"  # row 9: unknown GVC
        "a8,firm,Bad Year,11,44,,,,,20x1,https://x.org,confirmed,\n"  # row 10: bad year
        "a9,firm,Bad Confidence,11,44,,,,,,https://x.org,maybe,\n"  # row 11
        "a10,firm,No Source,11,44,,,,,,,confirmed,\n"  # row 12: missing source
        "a11,firm,Wrong Width,11,44\n"  # row 13: too few fields
        "a12,firm,Bad Cluster,11,44,,,,net-a,,https://x.org,confirmed,\n"  # row 14: not a cluster
        "a13,firm,Good Too,11.5,44.5,IT-BO,,,,,https://x.org,confirmed,\n"  # row 15: fine
    )
    links = LINKS + (
        "l4,a1,nowhere,research_collaboration,,,https://x.org,confirmed\n"  # row 5
        "l5,a1,a2,telepathy,,,https://x.org,confirmed\n"  # row 6
        "l1,a1,a2,research_collaboration,,,https://x.org,confirmed\n"
    )  # row 7: duplicate
    ds = read_dataset(write_dataset(tmp_path / "d", actors__csv=actors, links__csv=links))
    only_error(ds, "actors.csv", 4, "kind", "unknown kind 'spaceship'")
    only_error(ds, "actors.csv", 5, "name", "required field is empty")
    only_error(ds, "actors.csv", 6, "lat", "out of range")
    only_error(ds, "actors.csv", 7, "lat", "coordinates missing")
    only_error(ds, "actors.csv", 8, "id", "duplicate id 'a1' (first used in actors.csv, row 2)")
    only_error(ds, "actors.csv", 9, "gvcs", "unknown GVC 'gvc-zzz'")
    only_error(ds, "actors.csv", 10, "year", "not a whole number")
    only_error(ds, "actors.csv", 11, "confidence", "unknown confidence 'maybe'")
    only_error(ds, "actors.csv", 12, "source", "required field is empty")
    only_error(ds, "actors.csv", 13, None, "row has 5 fields, the header has 13")
    only_error(ds, "actors.csv", 14, "clusters", "unknown cluster 'net-a'")
    only_error(ds, "links.csv", 5, "target_id", "unknown link end")
    only_error(ds, "links.csv", 6, "link_type", "unknown link_type 'telepathy'")
    only_error(ds, "links.csv", 7, "id", "duplicate id 'l1'")
    assert sorted(ds.actors["id"]) == ["a1", "a13", "a2"]
    assert sorted(ds.links["id"]) == ["l1", "l2", "l3"]
    assert len(ds.errors) == 14
    assert all(p.file and (p.row or p.field) for p in ds.errors)


def test_duplicate_ids_across_node_tables(tmp_path: Path) -> None:
    actors = ACTORS + "cl-mech,firm,Clash,11,44,,,,,,https://x.org,confirmed,\n"
    ds = read_dataset(write_dataset(tmp_path / "d", actors__csv=actors))
    only_error(ds, "actors.csv", 4, "id", "duplicate id 'cl-mech' (first used in groupings.csv, row 2)")


def test_link_to_a_rejected_actor_is_reported(tmp_path: Path) -> None:
    actors = ACTORS.replace("a2,firm,Firm Two", "a2,ufo,Firm Two")
    ds = read_dataset(write_dataset(tmp_path / "d", actors__csv=actors))
    only_error(ds, "actors.csv", 3, "kind", "unknown kind")
    only_error(ds, "links.csv", 2, "target_id", "unknown link end")


def test_missing_required_column_rejects_file_records(tmp_path: Path) -> None:
    actors = (
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 10) for line in ACTORS.strip().split("\n"))
        + "\n"
    )
    ds = read_dataset(write_dataset(tmp_path / "d", actors__csv=actors, links__csv=None))
    only_error(ds, "actors.csv", None, "source", "required column 'source' is missing")
    assert len(ds.actors) == 0


def test_unreadable_geojson_is_reported_others_load(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=LINKS.replace("l3,area-1", "l3,a2"))
    (directory / "areas.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    ds = read_dataset(directory)
    only_error(ds, "areas.geojson", None, None, "unreadable file")
    assert len(ds.actors) == 2


def test_unreadable_metadata_is_reported(tiny: Path) -> None:
    (tiny / "dataset.json").write_text("{not json", encoding="utf-8")
    ds = read_dataset(tiny)
    assert any(p.file == "dataset.json" for p in ds.errors)
    assert len(ds.actors) == 2


def test_missing_directory(tmp_path: Path) -> None:
    ds = read_dataset(tmp_path / "nope")
    assert ds.errors and "not found" in ds.errors[0].message


def _actor_gdf(crs: int) -> gpd.GeoDataFrame:
    # Bologna's Piazza Maggiore, in the target CRS.
    point = gpd.GeoSeries([Point(11.3426, 44.4938)], crs=4326).to_crs(crs).iloc[0]
    return gpd.GeoDataFrame(
        {
            "id": ["g1"],
            "kind": ["university"],
            "name": ["Geo Uni"],
            "source": ["https://example.org"],
            "confidence": ["confirmed"],
        },
        geometry=[point],
        crs=crs,
    )


@pytest.mark.parametrize("crs", [25832, 3003, 4326])
@pytest.mark.parametrize("suffix", ["gpkg", "geojson"])
def test_geodata_is_reprojected(tmp_path: Path, crs: int, suffix: str) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=None)
    path = directory / f"actors-geo.{suffix}"
    frame = _actor_gdf(crs)
    if suffix == "geojson" and crs != 4326:
        # RFC 7946 files are WGS84; a legacy "crs" member declares anything else.
        data = json.loads(frame.to_json())
        data["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs}"}}
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        frame.to_file(path)
    ds = read_dataset(directory)
    assert ds.errors == ()
    row = ds.actors.set_index("id").loc["g1"]
    assert row["lon"] == pytest.approx(11.3426, abs=1e-4)
    assert row["lat"] == pytest.approx(44.4938, abs=1e-4)


def test_geopackage_without_crs_is_an_error(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=None)
    frame = _actor_gdf(25832).set_crs(None, allow_override=True)
    frame.to_file(directory / "actors-nocrs.gpkg")
    ds = read_dataset(directory)
    only_error(ds, "actors-nocrs.gpkg", None, None, "no CRS defined")


def test_projected_areas_are_reprojected(tmp_path: Path) -> None:
    area = gpd.GeoDataFrame.from_features(area_collection()["features"], crs=4326).to_crs(25832)
    directory = write_dataset(tmp_path / "d", areas__geojson=None)
    area.to_file(directory / "areas.gpkg")
    ds = read_dataset(directory)
    assert ds.errors == ()
    minx, miny, _maxx, _maxy = ds.areas.total_bounds
    assert (minx, miny) == (pytest.approx(11.0, abs=1e-3), pytest.approx(44.0, abs=1e-3))


def test_csv_with_declared_crs(tmp_path: Path) -> None:
    x, y = gpd.GeoSeries([Point(11.3426, 44.4938)], crs=4326).to_crs(3003).iloc[0].coords[0]
    actors = f"id,kind,name,x,y,source,confidence\nm1,firm,Monte Mario Firm,{x:.2f},{y:.2f},https://x.org,confirmed\n"
    directory = write_dataset(tmp_path / "d", actors__csv=actors, links__csv=None)
    (directory / "dataset.json").write_text(json.dumps({"crs": {"actors.csv": "EPSG:3003"}}), encoding="utf-8")
    ds = read_dataset(directory)
    assert ds.errors == ()
    assert ds.actors["lon"].iloc[0] == pytest.approx(11.3426, abs=1e-4)


def test_point_geometry_required_for_actors(tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=None)
    fc = area_collection()
    fc["features"][0]["properties"].update(id="poly-actor", kind="firm")
    (directory / "actors-poly.geojson").write_text(json.dumps(fc), encoding="utf-8")
    ds = read_dataset(directory)
    only_error(ds, "actors-poly.geojson", 1, "geometry", "expected a Point")


def test_blank_coordinates_placed_from_gazetteer(tmp_path: Path) -> None:
    actors = (
        "id,kind,name,province,municipality,source,confidence\n"
        "p1,firm,Placed,IT-BO,Bologna,https://x.org,confirmed\n"
        "p2,firm,Province Only,IT-MO,Nowhereville,https://x.org,confirmed\n"
    )
    ds = read_dataset(write_dataset(tmp_path / "d", actors__csv=actors, links__csv=None))
    actors_out = ds.actors.set_index("id")
    assert actors_out.loc["p1", "location_precision"] == "municipality"
    assert actors_out.loc["p1", "lat"] == pytest.approx(44.49, abs=0.05)
    assert actors_out.loc["p2", "location_precision"] == "province"
    assert [p.row for p in ds.warnings if p.field == "municipality"] == [3]
    assert ds.errors == ()


def test_a_file_nothing_reads_is_a_warning_naming_it(tiny: Path, capsys) -> None:
    from data.__main__ import main

    (tiny / "startups-2024.csv").write_text("id,name\nx,Y\n", encoding="utf-8")
    (tiny / "notes.txt").write_text("hello", encoding="utf-8")
    dataset = read_dataset(tiny)
    unread = {p.file: p for p in dataset.warnings if p.message.startswith("not read")}
    assert set(unread) == {"startups-2024.csv", "notes.txt"}
    assert "actors*.csv" in unread["startups-2024.csv"].message
    assert not dataset.errors  # a warning: the rest loads
    assert main(["check", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "startups-2024.csv" in out and "not read" in out
    assert "Records by confidence: " in out and "synthetic" in out


def test_synthetic_records_get_their_own_confidence(tiny: Path) -> None:
    actors = (
        "id,kind,name,lon,lat,source,confidence,synthetic\n"
        "s1,startup,DEMO One,11.3,44.5,generated,synthetic,true\n"
        "s2,startup,DEMO Two,11.3,44.5,generated,unconfirmed,true\n"
        "s3,startup,DEMO Three,11.3,44.5,generated,confirmed,true\n"
        "s4,startup,DEMO Four,11.3,44.5,generated,synthetic,\n"
        "r1,firm,Real Firm,11.3,44.5,https://example.org,unconfirmed,false\n"
    )
    (tiny / "actors-demo.csv").write_text(actors, encoding="utf-8")
    dataset = read_dataset(tiny)
    frame = dataset.actors.set_index("id")
    assert frame.loc[["s1", "s2", "s3", "s4"], "confidence"].tolist() == ["synthetic"] * 4
    assert frame.loc[["s1", "s2", "s3", "s4"], "synthetic"].all()  # "synthetic" confidence marks the record so
    assert frame.loc["r1", "confidence"] == "unconfirmed" and not frame.loc["r1", "synthetic"]
    relabelled = [p for p in dataset.warnings if p.file == "actors-demo.csv" and p.field == "confidence"]
    assert [p.row for p in relabelled] == [3, 4]  # said where the file claimed otherwise, nothing lost
