"""The shipped Emilia-Romagna dataset: clean, sourced, complete for what the slides name."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from data import DEFAULT_DATA_DIR, read_dataset
from data.export import to_feature_collection
from data.schema import schema_markdown

ROOT = Path(__file__).resolve().parents[1]
SLIDE_GROUPINGS = {
    "clust-er-agrifood",
    "clust-er-health",
    "clust-er-mech",
    "clust-er-build",
    "clust-er-greentech",
    "clust-er-create",
    "clust-er-innovate",
    "high-technology-network",
    "vanguard",
    "eusair",
    "interreg-adrion",
    "interreg-italy-croatia",
    "interreg-greece-italy",
    "interreg-alcotra",
    "italia-startup-visa",
    "emilia-romagna-startup",
    "mak-er",
    "finance-er",
    "r2b",
    "labour-pact-2015",
    "national-innovation-lab",
    "high-skills-plan",
    "muner",
    "startup-law",
}
SLIDE_ACTORS = {
    "tecnopolo-bologna-dama",
    "ecmwf-data-centre",
    "cineca",
    "infn-cnaf",
    "lepida",
    "garr",
    "aster",
    "unibo",
    "unimore",
    "eth-zurich",
    "cineca-milano",
    "cineca-roma",
    "bi-rex",
}
PARTNERS = {"DE-HE", "FR-NAQ", "PL-WP", "US-CA", "CN-GD", "ZA-GT"}
PROVINCES = {"IT-PC", "IT-PR", "IT-RE", "IT-MO", "IT-BO", "IT-FE", "IT-RA", "IT-FC", "IT-RN"}


@pytest.fixture(scope="module")
def shipped():
    return read_dataset(DEFAULT_DATA_DIR)


def test_shipped_dataset_is_clean(shipped) -> None:
    assert shipped.errors == (), [str(p) for p in shipped.errors]


def test_slides_systems_present(shipped) -> None:
    assert set(shipped.groupings["id"]) >= SLIDE_GROUPINGS
    assert set(shipped.actors["id"]) >= SLIDE_ACTORS
    areas = set(shipped.areas["id"])
    assert {"IT-45"} | PROVINCES | PARTNERS <= areas
    assert {
        "area-eusair",
        "area-interreg-adrion",
        "area-interreg-italy-croatia",
        "area-interreg-greece-italy",
        "area-interreg-alcotra",
    } <= areas
    technopoles = shipped.actors[shipped.actors["kind"] == "technopole"]
    assert set(technopoles["province"]) == PROVINCES  # one or more per province


def test_partner_agreements_link_the_region_to_all_six(shipped) -> None:
    links = shipped.links
    agreements = links[(links["link_type"] == "partner_agreement") & (links["source_id"] == "IT-45")]
    assert set(agreements["target_id"]) == PARTNERS
    years = dict(zip(agreements["target_id"], agreements["year"], strict=True))
    assert (years["DE-HE"], years["PL-WP"], years["CN-GD"], years["ZA-GT"]) == (1992, 2006, 2015, 2016)


def test_region_not_drawn_in_programmes_it_is_not_eligible_for(shipped) -> None:
    links = shipped.links.set_index(["source_id", "target_id"])
    for programme in ("interreg-greece-italy", "interreg-alcotra"):
        assert links.loc[("IT-45", programme), "link_type"] == "external_programme"
    italy_croatia = shipped.links[shipped.links["target_id"] == "interreg-italy-croatia"]
    assert set(italy_croatia["source_id"]) == {"IT-FE", "IT-RA", "IT-FC", "IT-RN"}


def test_value_chains_sourced_and_placed(shipped) -> None:
    gvcs = shipped.gvcs
    clusters = shipped.groupings.set_index("id")
    assert Counter(gvcs["cluster"]) == {
        "clust-er-create": 5,
        "clust-er-greentech": 2,
        "clust-er-health": 4,
        "clust-er-mech": 7,
    }
    assert (clusters.loc[gvcs["cluster"], "kind"] == "cluster").all()
    for _, gvc in gvcs.iterrows():
        assert gvc["source"].startswith("http")
        if pd.isna(gvc["sector"]):  # only where no source ties the cluster to a sector, and said so
            assert gvc["cluster"] == "clust-er-greentech" and "not" in gvc["note"]
        else:
            assert gvc["sector"] == clusters.loc[gvc["cluster"], "sector"]
    assert shipped.meta["gvc_total"] == 27 and "not yet named" in shipped.meta["gvc_note"]


def test_demo_startups_are_synthetic_and_labelled(shipped) -> None:
    startups = shipped.actors[shipped.actors["kind"] == "startup"]
    assert len(startups) == 551
    assert startups["synthetic"].all()
    assert startups["name"].str.startswith("DEMO ").all()
    assert startups["source"].str.contains("seed 551").all()
    assert set(startups["province"]) == PROVINCES
    real = shipped.actors[shipped.actors["kind"] != "startup"]
    assert not real["synthetic"].any()


def test_every_record_has_a_source(shipped) -> None:
    for name in ("sectors", "gvcs", "groupings", "actors", "areas", "links", "statistics"):
        frame = shipped.frame(name)
        assert frame["source"].str.len().gt(5).all(), name
        # synthetic exactly for the generated records: never "unconfirmed", which means believed
        assert frame["confidence"].isin(["confirmed", "unconfirmed", "synthetic"]).all(), name
        assert ((frame["confidence"] == "synthetic") == frame["synthetic"]).all(), name


def test_programmes_carry_sundial_dimensions(shipped) -> None:
    programmes = shipped.groupings[shipped.groupings["kind"] == "support_programme"]
    assert programmes["sundial"].map(len).gt(0).all()


def test_export_holds_everything(shipped) -> None:
    fc = to_feature_collection(shipped)
    by_id = {f["id"]: f for f in fc["features"]}
    assert by_id.keys() >= SLIDE_GROUPINGS | SLIDE_ACTORS | PARTNERS
    assert len(fc["gvcs"]) == 18 and all(g["cluster"] for g in fc["gvcs"])
    synthetic = [f for f in fc["features"] if f["properties"]["synthetic"]]
    assert len(synthetic) == 551
    hessen = by_id["l-IT-45-partner-agreement-DE-HE"]
    assert hessen["geometry"]["type"] == "LineString"
    assert all(f["properties"]["source"] for f in fc["features"])


def test_shipped_data_is_small() -> None:
    data_dir = ROOT / "data"
    size = sum(
        p.stat().st_size
        for p in data_dir.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".geojson", ".json", ".md")
    )
    assert size < 5 * 1024 * 1024, size


def test_data_readme_documents_the_schema() -> None:
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert schema_markdown() in readme, "data/README.md is out of step with data/schema.py"
