"""Checks of the shipped ``data/emilia-romagna/areas.geojson`` (built by scripts/build_boundaries.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
AREAS_FILE = ROOT / "data" / "emilia-romagna" / "areas.geojson"

ER_PROVINCES = {"IT-PC", "IT-PR", "IT-RE", "IT-MO", "IT-BO", "IT-FE", "IT-RA", "IT-FC", "IT-RN"}
PARTNERS = {"DE-HE", "FR-NAQ", "PL-WP", "US-CA", "CN-GD", "ZA-GT"}
PROGRAMME_AREAS = {
    "area-eusair",
    "area-interreg-adrion",
    "area-interreg-italy-croatia",
    "area-interreg-greece-italy",
    "area-interreg-alcotra",
}
NETWORKS = {
    "interreg-adrion",
    "interreg-italy-croatia",
    "interreg-greece-italy",
    "interreg-alcotra",
    "eusair",
    "vanguard",
}
ITALY_BBOX = (6.6, 35.4, 18.6, 47.1)  # lon/lat min, max


def load_schema() -> ModuleType:
    spec = importlib.util.spec_from_file_location("atlas_schema_for_tests", ROOT / "data" / "schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def features() -> list[dict[str, Any]]:
    return json.loads(AREAS_FILE.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def geoms(features: list[dict[str, Any]]) -> dict[str, BaseGeometry]:
    return {f["properties"]["id"]: shape(f["geometry"]) for f in features}


@pytest.fixture(scope="module")
def props(features: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["id"]: f["properties"] for f in features}


def share_inside(part: BaseGeometry, whole: BaseGeometry) -> float:
    """Share of ``part``'s area inside ``whole``; areas are simplified at different tolerances,
    so containment is tested by area rather than exactly."""
    return part.intersection(whole).area / part.area


def test_file_size() -> None:
    assert AREAS_FILE.stat().st_size < 2.5e6


def test_fields_follow_schema(features: list[dict[str, Any]]) -> None:
    schema = load_schema()
    fields = [f.name for f in schema.AREAS.fields]
    for f in features:
        p = f["properties"]
        assert list(p) == fields, p.get("id")
        assert p["kind"] in schema.AREA_KINDS
        assert p["confidence"] in schema.CONFIDENCE
        assert p["synthetic"] is False
        for name in schema.AREAS.required:
            assert p[name] not in ("", None), (p["id"], name)


def test_ids_unique(features: list[dict[str, Any]]) -> None:
    ids = [f["properties"]["id"] for f in features]
    assert len(ids) == len(set(ids))


def test_geometries_valid(geoms: dict[str, BaseGeometry]) -> None:
    for fid, g in geoms.items():
        assert g.geom_type in ("Polygon", "MultiPolygon"), fid
        assert g.is_valid and not g.is_empty and g.area > 0, fid
        lon, lat = shapely.get_coordinates(g).T
        assert (abs(lon) <= 180).all() and (abs(lat) <= 90).all(), fid


def test_sources_present(props: dict[str, dict[str, Any]]) -> None:
    for fid, p in props.items():
        assert p["source"].strip(), fid


def test_expected_ids(props: dict[str, dict[str, Any]]) -> None:
    assert props["IT-45"]["kind"] == "region"
    assert {i for i, p in props.items() if p["kind"] == "province"} == ER_PROVINCES
    assert {i for i, p in props.items() if p["kind"] == "partner_region"} == PARTNERS
    assert {i for i, p in props.items() if p["kind"] == "programme_area"} == PROGRAMME_AREAS


def test_networks_known(props: dict[str, dict[str, Any]]) -> None:
    for fid, p in props.items():
        nets = [n for n in p["networks"].split(";") if n]
        assert set(nets) <= NETWORKS, fid
        if p["kind"] in ("programme_area", "member_region"):
            assert len(nets) == 1, fid
    assert "vanguard" in props["IT-45"]["networks"].split(";")


def test_unconfirmed_members_explained(props: dict[str, dict[str, Any]]) -> None:
    for fid, p in props.items():
        if p["kind"] == "member_region":
            assert fid.startswith("vg-") and p["note"], fid
        if p["confidence"] == "unconfirmed":
            assert len(p["note"]) > 40, fid


def test_provinces_in_italy(geoms: dict[str, BaseGeometry]) -> None:
    xmin, ymin, xmax, ymax = ITALY_BBOX
    for fid in ER_PROVINCES:
        bx0, by0, bx1, by1 = geoms[fid].bounds
        assert xmin <= bx0 and bx1 <= xmax and ymin <= by0 and by1 <= ymax, fid


def test_region_is_union_of_provinces(geoms: dict[str, BaseGeometry]) -> None:
    provinces = shapely.union_all([geoms[p] for p in ER_PROVINCES])
    assert provinces.symmetric_difference(geoms["IT-45"]).area < 1e-3 * geoms["IT-45"].area


def test_bologna_point(geoms: dict[str, BaseGeometry]) -> None:
    assert geoms["IT-BO"].contains(Point(11.34, 44.49))
    assert geoms["IT-45"].contains(Point(11.34, 44.49))


def test_italy_croatia_area(geoms: dict[str, BaseGeometry]) -> None:
    area = geoms["area-interreg-italy-croatia"]
    for fid in ("IT-FE", "IT-RA", "IT-FC", "IT-RN"):
        assert share_inside(geoms[fid], area) > 0.99, fid
    assert share_inside(geoms["IT-BO"], area) < 0.01
    assert not area.contains(Point(11.34, 44.49))


def test_er_outside_alcotra_and_greece_italy(geoms: dict[str, BaseGeometry]) -> None:
    er = geoms["IT-45"]
    for fid in ("area-interreg-alcotra", "area-interreg-greece-italy"):
        assert not er.within(geoms[fid]), fid
        assert share_inside(er, geoms[fid]) < 0.001, fid


def test_er_inside_adrion_and_eusair(geoms: dict[str, BaseGeometry]) -> None:
    for fid in ("area-interreg-adrion", "area-eusair"):
        assert share_inside(geoms["IT-45"], geoms[fid]) > 0.99, fid
