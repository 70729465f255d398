"""The facts corrected by the December 2026 fact-check (issue 12), pinned so none silently
regresses: each with the value its source gives, and the source itself in the record."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from core.state import parse_query
from core.vocabulary import vocabulary
from data import DEFAULT_DATA_DIR, read_dataset


@pytest.fixture(scope="module")
def shipped():
    return read_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def fill():
    """scripts/fill_source_dates.py, the rule that dates sources from their addresses."""
    spec = importlib.util.spec_from_file_location("fill", Path(__file__).parents[1] / "scripts/fill_source_dates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(frame: pd.DataFrame, record_id: str) -> pd.Series:
    rows = frame[frame["id"] == record_id]
    assert len(rows) == 1, record_id
    return rows.iloc[0]


def _link(shipped, source: str, target: str, link_type: str) -> pd.Series:
    links = shipped.links
    rows = links[(links["source_id"] == source) & (links["target_id"] == target) & (links["link_type"] == link_type)]
    assert len(rows) == 1, (source, target, link_type)
    return rows.iloc[0]


def test_modena_has_one_site_in_spilamberto_not_two(shipped) -> None:
    actors = shipped.actors
    sites = actors[actors["municipality"].isin(["Vignola", "Spilamberto"]) & actors["kind"].str.startswith("techno")]
    assert list(sites["id"]) == ["tecnopolo-modena-spilamberto"]
    site = sites.iloc[0]
    assert site["municipality"] == "Spilamberto" and site["year"] == 2015
    assert "via Confine" in site["description"]
    for fact in ("5 April 2014", "12 December 2015", "end of 2021"):
        assert fact in site["note"], fact
    assert "condividerespilamberto.com/2015/12/21" in site["source"] and "ilrestodelcarlino.it" in site["source"]
    # an old link to the "Vignola site" selects the one record
    state, notices = parse_query("?sel=tecnopolo-modena-vignola", vocabulary(shipped))
    assert state.sel == "tecnopolo-modena-spilamberto" and not notices


def test_the_ecmwf_data_centre_opened_in_2021(shipped) -> None:
    centre = _row(shipped.actors, "ecmwf-data-centre")
    assert centre["year"] == 2021 and centre["source_date"] == "2021-09-14"
    assert "2021/09/14" in centre["source"]  # ANSA on the inauguration
    assert "29 April 2022" in centre["description"]  # the final handover agreement, not the opening
    assert _link(shipped, "ecmwf-data-centre", "tecnopolo-bologna-dama", "part_of")["year"] == 2021


def test_lombardy_leads_the_liquefied_biomethane_demo_case(shipped) -> None:
    pilot = _row(shipped.groupings, "vanguard-bioeconomy")
    assert "Lombardy leads" in pilot["note"] and "Emilia-Romagna is a partner" in pilot["note"]
    assert "s3platform.jrc.ec.europa.eu" in pilot["source"]
    membership = _link(shipped, "IT-45", "vanguard-bioeconomy", "network_membership")
    assert "led by Lombardy" in membership["note"] and "Leading" not in membership["note"]


def test_the_california_agreement_of_17_may_2024(shipped) -> None:
    agreement = _link(shipped, "IT-45", "US-CA", "partner_agreement")
    assert agreement["year"] == 2024 and agreement["source_date"] == "2024-05-17"
    assert "gov.ca.gov/2024/05/17" in agreement["source"]
    assert agreement["confidence"] == "confirmed" and "Newsom" in agreement["note"]


def test_infn_cnafs_computing_centre_is_at_the_technopole(shipped) -> None:
    cnaf = _row(shipped.actors, "infn-cnaf")
    assert "not confirmed" not in cnaf["note"].lower().replace("was not read", "")
    link = _link(shipped, "infn-cnaf", "tecnopolo-bologna-dama", "part_of")
    assert link["year"] == 2022 and "euroccitaly.it" in link["source"]


def test_twelve_technopoles_with_mirandola_one_of_them(shipped) -> None:
    technopoles = shipped.actors[shipped.actors["kind"] == "technopole"]
    assert len(technopoles) == 12
    mirandola = _row(shipped.actors, "tecnopolo-modena-mirandola")
    assert mirandola["kind"] == "technopole" and mirandola["year"] == 2015
    assert "radioemiliaromagna.it" in mirandola["source"]
    _link(shipped, "tecnopolo-modena-mirandola", "high-technology-network", "network_membership")
    counted = shipped.statistics.set_index("id").loc["s-technopoles-2025", "value"]
    assert counted == len(technopoles)


def test_clusters_founded_after_the_slides_carry_their_year(shipped) -> None:
    clusters = shipped.groupings[shipped.groupings["kind"] == "cluster"].set_index("id")
    assert clusters.loc[["clust-er-tourism", "clust-er-urban"], "year"].tolist() == [2022, 2022]
    assert "art-er.it/2022/11" in clusters.loc["clust-er-tourism", "source"]
    slides = clusters[clusters["year"] <= 2018]
    assert len(slides) == 7  # filtering by year shows the slides' seven


def test_the_startup_portal_is_cited_by_a_source_of_its_time(shipped) -> None:
    link = _link(shipped, "aster", "emilia-romagna-startup", "coordination")
    assert "agendadigitale.eu" not in link["source"]  # a 2025 article, not a source of 2018
    assert "fesr.regione.emilia-romagna.it/notizie/2018" in link["source"]
    assert link["confidence"] == "unconfirmed" and "No source read states it" in link["note"]


def test_every_startup_count_cites_a_page_or_says_why_not(shipped) -> None:
    counts = shipped.statistics[shipped.statistics["indicator"] == "innovative_startups"]
    for _, row in counts.iterrows():
        cites_page = re.search(r"https?://[^/\s]+/\S+", row["source"]) is not None
        slides = row["source"].startswith("Slides")
        assert cites_page or slides or (row["confidence"] == "unconfirmed" and "not found" in row["note"]), row["id"]


def test_source_dates_are_filled_where_the_address_carries_one(shipped, fill) -> None:
    for name in ("sectors", "gvcs", "groupings", "actors", "links", "statistics"):
        frame = shipped.frame(name)
        real = frame[~frame["synthetic"]]
        for _, row in real.iterrows():
            if fill.date_in(row["source"]):
                assert row["source_date"], (name, row["id"])
    dated = sum(int(shipped.frame(n)["source_date"].notna().sum()) for n in ("groupings", "actors", "links"))
    assert dated >= 80


@pytest.mark.parametrize(
    ("source", "date"),
    [
        ("http://www.ansa.it/x/2018/02/19/a.html", "2018-02-19"),
        ("https://www.dire.it/16-06-2021/644998-x/", "2021-06-16"),
        ("https://fesr.regione.emilia-romagna.it/notizie/2018/dicembre/x", "2018-12"),
        ("https://www.art-er.it/2022/11/x/", "2022-11"),
        ("Slides (c. 2018) ; https://www.example.org/about", ""),
    ],
)
def test_the_date_an_address_carries(fill, source: str, date: str) -> None:
    assert fill.date_in(source) == date


def test_aster_coordinated_the_clusters_until_its_merger_in_2019(shipped) -> None:
    links = shipped.links.set_index("id")
    aster = links[links.index.str.startswith("l-aster-coordination-clust-er-")]
    assert len(aster) == 7
    assert (aster["end_year"] == 2019).all() and (aster["year"] == 2017).all()
    assert aster["source"].str.contains("art-er.it/2020/07/art-er-positivo", regex=False).all()
    # ART-ER's coordination of the clusters starts the year ASTER's ends
    art_er = links[links.index.str.startswith("l-art-er-coordination-clust-er-")]
    assert len(art_er) >= 7 and (art_er["year"] == 2019).all() and art_er["end_year"].isna().all()
