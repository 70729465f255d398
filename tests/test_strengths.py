"""Value-chain strengths (issue 14, second part) on a hand-made dataset whose counts are known.

Two provinces (IT-BO, IT-MO) of a home region; value chains g-auto and g-mat (cluster Mech), g-med,
g-bio (unconfirmed: no named source), g-pkg and g-empty (no actor: no data) of cluster Health; cluster
Agri has no named value chain (one start-up tagged with the cluster only). Actor s2 lists two value
chains; x1 is a firm outside the region; i1 is infrastructure (not counted).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import strengths
from core.selection import select
from core.state import ViewState
from data import read_dataset
from layers.strengths_figure import abroad_figure, strength_figure
from tests.conftest import write_dataset

SECTORS = (
    "id,name,name_it,source,confidence\n"
    "mech,Mechatronics,Meccatronica,https://example.org/s,confirmed\n"
    "health,Health,Salute,https://example.org/s,confirmed\n"
)
GROUPINGS = (
    "id,kind,name,sector,source,confidence\n"
    "cl-mech,cluster,Cluster Mech,mech,https://example.org/c,confirmed\n"
    "cl-health,cluster,Cluster Health,health,https://example.org/c,confirmed\n"
    "cl-agri,cluster,Cluster Agri,,https://example.org/c,confirmed\n"
    "vg,regions_network,Vanguard,,https://example.org/v,confirmed\n"
    "vg-pilot,regions_network,Vanguard pilot: ESM,,https://example.org/v,confirmed\n"
    "ir,interreg_programme,Interreg A,,https://example.org/i,confirmed\n"
    "eus,macro_region,EUSAIR,,https://example.org/e,confirmed\n"
)
GVCS = (
    "id,name,name_it,sector,cluster,source,confidence\n"
    "g-auto,Automation,Automazione,mech,cl-mech,https://example.org/g,confirmed\n"
    "g-mat,Materials,Materiali,mech,cl-mech,https://example.org/g,confirmed\n"
    "g-med,Medtech,Tecnologie mediche,health,cl-health,https://example.org/g,confirmed\n"
    "g-bio,Biotech,Biotecnologie,health,cl-health,https://example.org/g,unconfirmed\n"
    "g-pkg,Packaging,Imballaggio,health,cl-health,https://example.org/g,confirmed\n"
    "g-empty,Empty,Vuota,health,cl-health,https://example.org/g,confirmed\n"
)
_ACTOR_ROWS = [  # id, kind, province (BO / MO / outside), value chains, clusters
    ("s1", "startup", "IT-BO", "g-auto", "cl-mech"),
    ("s2", "startup", "IT-BO", "g-auto;g-mat", "cl-mech"),
    ("s3", "startup", "IT-MO", "g-mat", "cl-mech"),
    ("f1", "firm", "IT-MO", "g-auto", "cl-mech"),
    ("u1", "university", "IT-BO", "g-med", ""),
    ("r1", "research_centre", "IT-MO", "g-med", ""),
    ("t1", "technopole", "IT-BO", "g-auto", ""),
    ("ts1", "technopole_site", "IT-MO", "g-med", ""),
    ("i1", "infrastructure", "IT-BO", "g-auto", ""),
    ("c1", "startup", "IT-MO", "", "cl-agri"),
    ("b1", "firm", "IT-BO", "g-bio", "cl-health"),
    ("f2", "firm", "IT-BO", "g-pkg", "cl-health"),
    ("x1", "firm", "", "g-mat", ""),
]
_PLACE = {"IT-BO": (11.5, 44.5), "IT-MO": (10.5, 44.5), "": (30.5, 40.5)}
ACTORS = "id,kind,name,lon,lat,province,gvcs,clusters,source,confidence\n" + "".join(
    f"{i},{k},{i.upper()},{_PLACE[p][0]},{_PLACE[p][1]},{p},{g},{c},https://example.org/{i},confirmed\n"
    for i, k, p, g, c in _ACTOR_ROWS
)
LINKS = (
    "id,source_id,target_id,link_type,gvcs,source,confidence\n"
    "l1,home,far,partner_agreement,,https://example.org/l,confirmed\n"  # about no value chain
    "l2,home,far,partner_agreement,g-med,https://example.org/l,confirmed\n"  # tagged: about g-med
    "l3,t1,vg-pilot,network_membership,,https://example.org/l,confirmed\n"  # t1 is in g-auto
    "l4,cl-mech,ir,network_membership,,https://example.org/l,confirmed\n"  # a cluster: all its value chains
    "l5,s1,x1,research_collaboration,,https://example.org/l,confirmed\n"  # x1 is outside the region
    "l6,vg-pilot,vg,part_of,,https://example.org/l,confirmed\n"  # makes vg-pilot a pilot of vg
    "l7,s3,eus,network_membership,,https://example.org/l,confirmed\n"  # a macro-region has no place
    "l8,c1,ir,network_membership,,https://example.org/l,confirmed\n"  # the Agri cluster row
    "l9,mem,vg,network_membership,,https://example.org/l,confirmed\n"  # no value chain at either end
)


def _area(area_id: str, kind: str, x: float, y: float, size: float = 1.0, **extra: str) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    properties = {"id": area_id, "kind": kind, "name": extra.pop("name", area_id), "source": "https://example.org/a",
                  "confidence": "confirmed", **extra}  # fmt: skip
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": properties}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory):
    areas = {
        "type": "FeatureCollection",
        "features": [
            _area("home", "region", 10, 43, 3),
            _area("IT-BO", "province", 11, 44, name="Bologna"),
            _area("IT-MO", "province", 10, 44, name="Modena"),
            _area("far", "partner_region", 20, 50, name="Farland", name_it="Terralontana"),
            _area("mem", "member_region", 5, 48, networks="vg"),
        ],
    }
    directory = write_dataset(
        tmp_path_factory.mktemp("strengths"),
        sectors__csv=SECTORS,
        groupings__csv=GROUPINGS,
        gvcs__csv=GVCS,
        actors__csv=ACTORS,
        links__csv=LINKS,
        areas__geojson=areas,
    )
    (directory / "dataset.json").write_text(json.dumps({"region": "home"}), encoding="utf-8")
    loaded = read_dataset(directory)
    assert not loaded.errors, loaded.errors
    return loaded


def _by_id(matrix: strengths.Matrix) -> dict[str, dict[str, list[int]]]:
    """Row id -> column id -> the cell's counts per group."""
    ids = [r.id for r in matrix.rows] + ["total"]
    return {
        row: {c.id: matrix.counts[i, j].tolist() for j, c in enumerate(matrix.columns)} for i, row in enumerate(ids)
    }


def test_rows_are_grouped_by_sector_and_cluster_with_their_states(dataset) -> None:
    matrix = strengths.strength_matrix(dataset, select(dataset, ViewState()))
    assert [(r.id, r.cluster, r.sector) for r in matrix.rows] == [
        ("g-auto", "cl-mech", "mech"), ("g-mat", "cl-mech", "mech"),
        ("g-med", "cl-health", "health"), ("g-bio", "cl-health", "health"), ("g-pkg", "cl-health", "health"),
        ("g-empty", "cl-health", "health"),
        ("cl-agri", "cl-agri", ""),  # a cluster with no named value chain: its row, with no sector, last
    ]  # fmt: skip
    assert matrix.rows[-1].gvc == ""
    assert dict(zip([r.id for r in matrix.rows], matrix.states, strict=True)) == {
        "g-auto": "data", "g-mat": "data", "g-med": "data", "g-pkg": "data",
        "g-bio": "no_source",  # unconfirmed: no source names it
        "g-empty": "no_data",  # no actor lists it: unknown, not zero
        "cl-agri": "no_source",
    }  # fmt: skip
    assert [c.id for c in matrix.columns] == ["IT-BO", "IT-MO", "elsewhere", "total"]
    assert matrix.groups == ("startups", "firms", "research", "labs")


def test_cells_count_actors_by_kind_group_and_the_totals_count_each_actor_once(dataset) -> None:
    cells = _by_id(strengths.strength_matrix(dataset, select(dataset, ViewState())))
    # [start-ups, firms, research (centres and universities), technopole labs (technopoles and sites)]
    assert cells["g-auto"] == {
        "IT-BO": [2, 0, 0, 1], "IT-MO": [0, 1, 0, 0], "elsewhere": [0, 0, 0, 0], "total": [2, 1, 0, 1]
    }  # fmt: skip  # i1 (infrastructure) is not counted
    assert cells["g-mat"] == {
        "IT-BO": [1, 0, 0, 0],
        "IT-MO": [1, 0, 0, 0],
        "elsewhere": [0, 1, 0, 0],
        "total": [2, 1, 0, 0],
    }
    assert cells["g-med"]["IT-MO"] == [0, 0, 1, 1] and cells["g-med"]["IT-BO"] == [0, 0, 1, 0]
    assert cells["g-bio"]["total"] == [0, 1, 0, 0]  # counted, though drawn apart
    assert cells["cl-agri"]["IT-MO"] == [1, 0, 0, 0]
    assert cells["g-empty"]["total"] == [0, 0, 0, 0]
    # s2 is in two rows: the column sums 7 actors in Bologna, the totals row 6 distinct ones
    matrix = strengths.strength_matrix(dataset, select(dataset, ViewState()))
    totals = matrix.totals
    assert totals[: len(matrix.rows), 0].sum() == 7
    assert totals[-1].tolist() == [6, 5, 1, 12]
    assert matrix.known == (True, True, True, True, True, False, True)


def test_a_filter_changes_the_counts_but_not_what_is_unknown(dataset) -> None:
    matrix = strengths.strength_matrix(dataset, select(dataset, ViewState(prov=("IT-MO",))))
    cells = _by_id(matrix)
    assert cells["g-auto"]["total"] == [0, 1, 0, 0]  # f1 alone
    assert cells["g-pkg"]["total"] == [0, 0, 0, 0]  # f2 is in Bologna: a real zero...
    states = dict(zip([r.id for r in matrix.rows], matrix.states, strict=True))
    assert states["g-pkg"] == "data" and states["g-empty"] == "no_data"  # ...not "no data"
    assert matrix.totals[-1].tolist() == [0, 5, 0, 5]
    startups = strengths.strength_matrix(dataset, select(dataset, ViewState()), kinds=("startups",))
    assert startups.groups == ("startups",)
    assert dict(zip([r.id for r in startups.rows], startups.states, strict=True))["g-med"] == "no_data"
    assert startups.totals[-1].tolist() == [2, 2, 4]
    assert [c.id for c in startups.columns] == ["IT-BO", "IT-MO", "total"]  # no start-up is outside
    with pytest.raises(ValueError, match="unknown kind groups"):
        strengths.strength_matrix(dataset, select(dataset, ViewState()), kinds=("giants",))


def test_the_matrices_are_cached_per_filter_state(dataset) -> None:
    selection = select(dataset, ViewState())
    assert strengths.strength_matrix(dataset, selection) is strengths.strength_matrix(dataset, selection)
    assert strengths.abroad_matrix(dataset, selection) is strengths.abroad_matrix(dataset, selection)


def test_the_abroad_matrix_marks_linked_and_kept_at_home_value_chains(dataset) -> None:
    matrix = strengths.abroad_matrix(dataset, select(dataset, ViewState(scope="world")))
    assert [(c.id, c.kind) for c in matrix.columns] == [
        ("partner_region", "partner_region"), ("vg", "network"), ("interreg", "interreg"),
        ("elsewhere", "elsewhere"), ("total", "total"),
    ]  # fmt: skip
    links = {row: [n[0] for n in cells.values()] for row, cells in _by_id(matrix).items()}
    assert links == {
        "g-auto": [0, 1, 1, 1, 3],  # t1 to the pilot, its cluster to Interreg, s1 to x1 abroad
        "g-mat": [0, 0, 1, 0, 1],  # its cluster to Interreg
        "g-med": [1, 0, 0, 0, 1],  # the partner agreement tagged with it
        "g-bio": [0, 0, 0, 0, 0],
        "g-pkg": [0, 0, 0, 0, 0],
        "g-empty": [0, 0, 0, 0, 0],
        "cl-agri": [0, 0, 1, 0, 1],
        "total": [1, 1, 2, 1, 5],  # distinct links: l4 is in two rows, once here
    }
    states = dict(zip([r.id for r in matrix.rows], matrix.states, strict=True))
    assert states == {
        "g-auto": "linked", "g-mat": "linked", "g-med": "linked",
        "g-pkg": "home",  # kept at home
        "g-bio": "no_source", "g-empty": "no_data", "cl-agri": "no_source",
    }  # fmt: skip
    assert matrix.partners[(0, 1)] == ("vg-pilot",) and matrix.partners[(0, 3)] == ("x1",)
    narrower = strengths.abroad_matrix(dataset, select(dataset, ViewState(link=("research_collaboration",))))
    assert dict(zip([r.id for r in narrower.rows], narrower.states, strict=True))["g-med"] == "home"
    assert narrower.totals[-1].tolist() == [0, 0, 0, 1, 1]


def test_a_cell_says_the_filters_a_click_sets(dataset) -> None:
    selection = select(dataset, ViewState())
    matrix = strengths.strength_matrix(dataset, selection)
    assert strengths.cell_filter(matrix, 0, 0) == {"gvc": ["g-auto"], "prov": ["IT-BO"]}
    assert strengths.cell_filter(matrix, "g-mat", "IT-MO") == {"gvc": ["g-mat"], "prov": ["IT-MO"]}
    assert strengths.cell_filter(matrix, "g-mat", "total") == {"gvc": ["g-mat"], "prov": []}
    assert strengths.cell_filter(matrix, "g-mat", "elsewhere") == {"gvc": ["g-mat"], "prov": []}
    assert strengths.cell_filter(matrix, "total", "IT-MO") == {"gvc": [], "prov": ["IT-MO"]}
    assert strengths.cell_filter(matrix, "cl-agri", "IT-MO") is None  # no value chain to filter by
    with pytest.raises(IndexError):
        strengths.cell_filter(matrix, 0, 9)
    abroad = strengths.abroad_matrix(dataset, selection)
    assert strengths.cell_filter(abroad, "g-auto", "vg") == {"gvc": ["g-auto"], "link": ["network_membership"]}
    assert strengths.cell_filter(abroad, "g-auto", "total") == {
        "gvc": ["g-auto"], "link": ["network_membership", "research_collaboration"]
    }  # fmt: skip
    assert strengths.cell_filter(abroad, "total", "partner_region") == {"gvc": [], "link": ["partner_agreement"]}


def _line(figure, label: str) -> int:
    """The y position of the row whose tick label contains ``label``."""
    return next(i for i, text in enumerate(figure.layout.yaxis.ticktext) if label in text)


def test_the_strength_figure_in_italian(dataset) -> None:
    matrix = strengths.strength_matrix(dataset, select(dataset, ViewState()))
    figure = strength_figure(dataset, matrix, "it")
    assert [(trace.type, trace.name) for trace in figure.data] == [
        ("heatmap", "cells"), ("heatmap", "totals"), ("heatmap", "unknown"), ("bar", "hatching")
    ]  # fmt: skip
    cells, totals, unknown, hatching = figure.data
    ticks = list(figure.layout.yaxis.ticktext)
    assert "<b>Meccatronica</b>" in ticks and "<i>Cluster Mech</i>" in ticks  # sector, then cluster headers
    assert ticks[-1] == "<b>Totale</b>"
    columns = [text.replace("<br>", " ") for text in figure.layout.xaxis.ticktext]
    assert columns == ["Bologna", "Modena", "Fuori dalle province", "Totale"]
    auto = _line(figure, "Automazione")
    assert cells.z[auto][0] == 3 and cells.customdata[auto][0] == ["g-auto", "IT-BO", 0, 0]
    assert "Start-up: 2" in cells.hovertext[auto][0] and "Laboratori dei tecnopoli: 1" in cells.hovertext[auto][0]
    assert cells.z[auto][3] is None and totals.z[auto][3] is not None  # the totals column is off the scale
    empty = _line(figure, "Vuota · nessun dato")
    assert all(v is None for v in cells.z[empty]) and set(unknown.text[empty]) == {"–"}
    assert "Sconosciuto, non zero" in unknown.hovertext[empty][0]
    bio = _line(figure, "Biotecnologie · nessuna fonte la nomina")
    assert unknown.z[bio] == [1.0] * 4 and unknown.text[bio][0] == "1"  # its count, drawn apart
    agri = _line(figure, "Catene del valore non nominate dalle fonti")
    assert list(hatching.y) == [bio, agri]
    assert unknown.customdata[agri][1] == ["cl-agri", "IT-MO", 6, 1]
    total = len(ticks) - 1
    assert totals.customdata[total][3] == ["total", "total", 7, 3] and totals.text[total][3] == "<b>12</b>"
    json.loads(figure.to_json())  # serialisable: no NaN


def test_the_abroad_figure_names_partners_and_says_kept_at_home(dataset) -> None:
    matrix = strengths.abroad_matrix(dataset, select(dataset, ViewState()))
    figure = abroad_figure(dataset, matrix, "it")
    columns = [text.replace("<br>", " ") for text in figure.layout.xaxis.ticktext]
    assert columns == ["Regioni partner", "Vanguard", "Programmi Interreg", "Altrove oltre la regione", "Totale"]
    cells = figure.data[0]
    med = _line(figure, "Tecnologie mediche")
    assert "Partner raggiunti: Terralontana" in cells.hovertext[med][0]
    assert "Partner raggiunti: X1" in cells.hovertext[_line(figure, "Automazione")][3]  # an actor abroad, by name
    home = _line(figure, "Imballaggio · tenuta in regione")
    assert "Tenuta in regione" in figure.data[1].hovertext[home][4]
    assert {trace.type for trace in figure.data} <= {"heatmap", "bar"}  # nothing that fetches tiles or glyphs
    assert np.isfinite(cells.zmax) and cells.zmax >= 1
