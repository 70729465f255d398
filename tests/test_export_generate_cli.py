"""Export shape, generator determinism and the command line, on small datasets."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from data import read_dataset
from data.export import to_feature_collection
from data.generate import generate_dataset
from tests.conftest import LINKS, write_dataset

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )


def test_export_shape(tiny: Path) -> None:
    fc = to_feature_collection(read_dataset(tiny))
    assert fc["type"] == "FeatureCollection"
    assert fc["gvcs"] == [
        {"id": "gvc-a", "name": "Automation", "sector": "mech", "cluster": "cl-mech"},
        {"id": "gvc-b", "name": "Materials", "sector": "mech", "cluster": "cl-mech"},
    ]
    by_id = {f["id"]: f for f in fc["features"]}
    for feature in fc["features"]:
        assert {"id", "name", "kind", "gvcs", "source", "synthetic"} <= feature["properties"].keys()
        assert isinstance(feature["properties"]["gvcs"], list)
    assert by_id["a1"]["geometry"] == {"type": "Point", "coordinates": [11.34, 44.49]}
    assert by_id["area-1"]["geometry"]["type"] == "Polygon"
    link = by_id["l1"]
    assert link["properties"]["kind"] == "link"
    assert link["properties"]["link_type"] == "research_collaboration"
    assert (link["properties"]["source_id"], link["properties"]["target_id"]) == ("a1", "a2")
    assert link["geometry"] == {"type": "LineString", "coordinates": [[11.34, 44.49], [10.92, 44.65]]}
    # net-a has an area (area-1 lists it in `networks`), so links to it are drawable
    assert by_id["l2"]["geometry"]["type"] == "LineString"
    assert by_id["net-a"]["geometry"]["type"] == "Point"
    # a grouping with no area has no geometry rather than an invented one
    assert by_id["cl-mech"]["geometry"] is None
    json.dumps(fc)  # serialisable as is


def test_export_cli_writes_valid_geojson(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.geojson"
    result = run_cli("export", str(tiny), "-o", str(out))
    assert result.returncode == 0, result.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert len(fc["features"]) == 2 + 1 + 2 + 3


def test_check_cli_clean_and_broken(tiny: Path, tmp_path: Path) -> None:
    clean = run_cli("check", str(tiny))
    assert clean.returncode == 0, clean.stdout
    assert "0 error(s)" in clean.stdout
    broken = write_dataset(tmp_path / "broken", links__csv=LINKS + "l9,a1,ghost,telepathy,,,,confirmed\n")
    result = run_cli("check", str(broken))
    assert result.returncode == 1
    assert "links.csv, row 5, field 'link_type': error: unknown link_type 'telepathy'" in result.stdout
    assert "links.csv, row 5, field 'source': error: required field is empty" in result.stdout
    assert "3 error(s)" in result.stdout  # link type, source, and the dangling end


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_generator_is_deterministic_and_synthetic(tmp_path: Path) -> None:
    from data.loader import DEFAULT_DATA_DIR

    base = read_dataset(DEFAULT_DATA_DIR)
    generate_dataset(base, tmp_path / "a", startups=300, actors=50, links=200, seed=3)
    generate_dataset(base, tmp_path / "b", startups=300, actors=50, links=200, seed=3)
    generate_dataset(base, tmp_path / "c", startups=300, actors=50, links=200, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    ds = read_dataset(tmp_path / "a")
    assert ds.errors == ()
    assert (ds.actors["kind"] == "startup").sum() == 300 and len(ds.actors) == 350
    assert len(ds.links) == 200
    assert ds.actors["synthetic"].all() and ds.links["synthetic"].all()
    assert ds.actors["name"].str.startswith("DEMO ").all()
    assert set(ds.actors["province"]) <= set(base.areas.loc[base.areas["kind"] == "province", "id"])


def test_generate_cli(tmp_path: Path) -> None:
    result = run_cli(
        "generate", "--startups", "20", "--actors", "5", "--links", "10", "--seed", "1", "-o", str(tmp_path / "g")
    )
    assert result.returncode == 0, result.stderr
    assert run_cli("check", str(tmp_path / "g")).returncode == 0


@pytest.mark.parametrize(
    "argv", [["check", "--help"], ["export", "--help"], ["generate", "--help"], ["import-startups", "--help"]]
)
def test_cli_help(argv: list[str]) -> None:
    assert run_cli(*argv).returncode == 0
