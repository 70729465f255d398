"""Shared fixtures: a tiny valid dataset written to a temporary directory."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SECTORS = "id,name,source,confidence\nmech,Mechatronics,https://example.org/s3,confirmed\n"
GROUPINGS = (
    "id,kind,name,sector,source,confidence\n"
    "cl-mech,cluster,Clust-ER Mech,mech,https://example.org/cl,confirmed\n"
    "net-a,regions_network,Network A,,https://example.org/net,confirmed\n"
)
GVCS = (
    "id,name,sector,cluster,source,confidence\n"
    "gvc-a,Automation,mech,cl-mech,https://example.org/gvc,confirmed\n"
    "gvc-b,Materials,mech,cl-mech,https://example.org/gvc,confirmed\n"
)
ACTORS = (
    "id,kind,name,lon,lat,province,municipality,gvcs,clusters,year,source,confidence,synthetic\n"
    "a1,university,Uni One,11.34,44.49,IT-BO,Bologna,gvc-a,cl-mech,1088,https://example.org/a1,confirmed,false\n"
    "a2,firm,Firm Two,10.92,44.65,IT-MO,Modena,gvc-a;gvc-b,,2001,https://example.org/a2,unconfirmed,\n"
)
LINKS = (
    "id,source_id,target_id,link_type,gvcs,year,source,confidence\n"
    "l1,a1,a2,research_collaboration,gvc-a,2016,https://example.org/l1,confirmed\n"
    "l2,a1,net-a,network_membership,,,https://example.org/l2,confirmed\n"
    "l3,area-1,net-a,network_membership,,,https://example.org/l3,confirmed\n"
)


def area_collection(crs: str | None = None) -> dict:
    square = [[[11.0, 44.0], [12.0, 44.0], [12.0, 45.0], [11.0, 45.0], [11.0, 44.0]]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": square},
                "properties": {
                    "id": "area-1",
                    "kind": "province",
                    "name": "Square",
                    "networks": "net-a",
                    "source": "https://example.org/area",
                    "confidence": "confirmed",
                },
            }
        ],
    }
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    return fc


def write_dataset(directory: Path, **files: str | dict | None) -> Path:
    """Write the tiny dataset, with any file replaced (str/dict) or left out (None)."""
    contents: dict[str, str | dict | None] = {
        "sectors.csv": SECTORS,
        "groupings.csv": GROUPINGS,
        "gvcs.csv": GVCS,
        "actors.csv": ACTORS,
        "links.csv": LINKS,
        "areas.geojson": area_collection(),
    }
    contents.update({name.replace("__", "."): value for name, value in files.items()})
    directory.mkdir(parents=True, exist_ok=True)
    for name, value in contents.items():
        if value is None:
            continue
        text = json.dumps(value) if isinstance(value, dict) else value
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "tiny")


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[object]:
    """A throw-away PostgreSQL + PostGIS cluster (tests/postgis.py) for the session."""
    from tests import postgis

    try:
        server = postgis.start()
    except RuntimeError as exc:
        if os.environ.get("CI"):  # .ci/run installs both: missing there is a failure, never a skip
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[object]:
    """A throw-away Redis server (tests/redis_server.py) for the session."""
    from tests import redis_server as server_module

    try:
        server = server_module.start()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield server
    server.stop()
