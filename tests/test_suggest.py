"""Suggested partners (issue 14, fourth part) on a hand-made dataset whose suggestions are known.

Actor ``a`` (Bologna, value chain AUTO, cluster Mech, in the Vanguard-like pilot) is the selected
actor. ``b`` is its twin but already linked to it; ``c``, ``h`` (synthetic) and ``r`` are twins of
``b`` (``r`` is in the pilot only through a synthetic link); ``d`` is a twin in the neighbouring
province; ``e`` works on another chain of the cluster, far away; ``g``, ``x`` (abroad) and the
partner region ``FAR`` share only the pilot; ``f``, ``m`` and ``k`` share only a province with ``a``.
Cluster Health has members ``f`` (by record) and ``k`` (by link); ``m`` works on its value chain
without being a member.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core import suggest, suggest_pairs
from core.selection import select
from core.state import ViewState
from core.suggest_profiles import profiles
from data import load_dataset, read_dataset
from tests.conftest import write_dataset

SECTORS = (
    "id,name,source,confidence\n"
    "mech,Mechatronics,https://example.org/s,confirmed\n"
    "health,Health,https://example.org/s,confirmed\n"
)
GROUPINGS = (
    "id,kind,name,sector,source,confidence\n"
    "cl-mech,cluster,Clust-ER Mech,mech,https://example.org/g,confirmed\n"
    "cl-health,cluster,Clust-ER Health,health,https://example.org/g,confirmed\n"
    "pilot,regions_network,Vanguard pilot,,https://example.org/g,confirmed\n"
)
GVCS = (
    "id,name,sector,cluster,source,confidence\n"
    "g-auto,Automation,mech,cl-mech,https://example.org/v,confirmed\n"
    "g-mat,Materials,mech,cl-mech,https://example.org/v,confirmed\n"
    "g-bio,Biomedical,health,cl-health,https://example.org/v,confirmed\n"
)
ACTORS = (
    "id,kind,name,lon,lat,province,municipality,gvcs,clusters,source,confidence,synthetic\n"
    "a,firm,A,11.5,44.5,IT-BO,Bologna,g-auto,cl-mech,https://example.org/a,confirmed,false\n"
    "b,firm,B,11.5,44.5,IT-BO,Bologna,g-auto,cl-mech,https://example.org/a,confirmed,false\n"
    "c,firm,C,11.5,44.5,IT-BO,Bologna,g-auto,cl-mech,https://example.org/a,confirmed,false\n"
    "h,startup,H,11.5,44.5,IT-BO,Bologna,g-auto,cl-mech,made up,synthetic,true\n"
    "r,firm,R,11.5,44.5,IT-BO,Bologna,g-auto,cl-mech,https://example.org/a,confirmed,false\n"
    "d,firm,D,10.5,44.5,IT-MO,Modena,g-auto,cl-mech,https://example.org/a,confirmed,false\n"
    "e,firm,E,13.5,44.5,IT-RN,Rimini,g-mat,cl-mech,https://example.org/a,confirmed,false\n"
    "g,research_centre,G,13.5,44.5,IT-RN,Rimini,,,https://example.org/a,confirmed,false\n"
    "x,university,X,20.5,50.5,,,,,https://example.org/a,confirmed,false\n"
    "f,university,F,11.5,44.5,IT-BO,Bologna,g-bio,cl-health,https://example.org/a,confirmed,false\n"
    "k,research_centre,K,10.5,44.5,IT-MO,Modena,g-bio,,https://example.org/a,confirmed,false\n"
    "m,firm,M,11.5,44.5,IT-BO,Bologna,g-bio,,https://example.org/a,confirmed,false\n"
)
LINKS = (
    "id,source_id,target_id,link_type,source,confidence,synthetic\n"
    "l-ab,a,b,research_collaboration,https://example.org/l,confirmed,false\n"
    "l-a,a,pilot,network_membership,https://example.org/l,confirmed,false\n"
    "l-g,g,pilot,network_membership,https://example.org/l,confirmed,false\n"
    "l-x,x,pilot,network_membership,https://example.org/l,confirmed,false\n"
    "l-far,FAR,pilot,network_membership,https://example.org/l,confirmed,false\n"
    "l-r,r,pilot,network_membership,made up,synthetic,true\n"
    "l-k,k,cl-health,cluster_membership,https://example.org/l,confirmed,false\n"
)
#: component values of a's twins: a is in two groupings (Mech, pilot), they in one (Mech)
TWIN = 1 / math.sqrt(2)


def _area(area_id: str, kind: str, x: float, y: float) -> dict:
    square = [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
            "properties": {"id": area_id, "kind": kind, "name": area_id, "source": "https://example.org/area",
                           "confidence": "confirmed"}}  # fmt: skip


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory):
    areas = {
        "type": "FeatureCollection",
        "features": [
            _area("IT-BO", "province", 11, 44),
            _area("IT-MO", "province", 10, 44),  # touches Bologna: a neighbour
            _area("IT-RN", "province", 13, 44),  # a gap of one degree: not a neighbour
            _area("FAR", "partner_region", 20, 50),
        ],
    }
    directory = write_dataset(
        tmp_path_factory.mktemp("suggest"),
        sectors__csv=SECTORS,
        groupings__csv=GROUPINGS,
        gvcs__csv=GVCS,
        actors__csv=ACTORS,
        links__csv=LINKS,
        areas__geojson=areas,
    )
    (directory / "dataset.json").write_text(json.dumps({"title": "suggest"}), encoding="utf-8")
    dataset = read_dataset(directory)
    assert not dataset.errors, dataset.errors
    return dataset, select(dataset, ViewState(scope="world"))


def _targets(found: list[suggest.Suggestion]) -> list[tuple[str, float]]:
    return [(s.target_id, s.score) for s in found]


def test_an_actors_partners_best_first_ties_by_id(known) -> None:
    dataset, selection = known
    found = suggest.suggest_partners(dataset, selection, "a")
    assert _targets(found) == [
        ("c", 0.897), ("h", 0.897), ("r", 0.897),  # twins: chain, priority, province; one grouping of a's two
        ("d", 0.822),  # a twin in the neighbouring province
        ("e", 0.397),  # the same cluster and priority, another chain, far away
        ("FAR", 0.247), ("g", 0.247), ("x", 0.247),  # the pilot alone
    ]  # fmt: skip
    assert found[0].components == {"chains": 1.0, "networks": round(TWIN, 3), "priorities": 1.0, "places": 1.0}
    assert all(s.source_id == "a" for s in found)


def test_linked_members_and_places_alone_are_never_suggested(known) -> None:
    dataset, selection = known
    targets = {s.target_id for s in suggest.suggest_partners(dataset, selection, "a", limit=50)}
    assert "b" not in targets  # linked to a (its best match otherwise)
    assert not targets & {"pilot", "cl-mech"}  # a's network (a link) and cluster (its record)
    assert not targets & {"f", "m", "k", "IT-BO"}  # a province in common is no reason; a province is no partner
    assert "a" not in targets


def test_each_reason_with_its_points(known) -> None:
    dataset, selection = known
    found = {s.target_id: s for s in suggest.suggest_partners(dataset, selection, "a", limit=50)}
    reasons = {r.key: r for r in found["c"].reasons}
    assert reasons["suggest.reason.chains"].ids == ("g-auto",)
    assert reasons["suggest.reason.chains"].points == 0.35
    assert reasons["suggest.reason.networks"].ids == ("cl-mech",)
    assert reasons["suggest.reason.networks"].points == round(0.35 * TWIN, 3)
    assert reasons["suggest.reason.priority"].ids == ("mech",)
    assert reasons["suggest.reason.province"].ids == ("IT-BO",)
    assert [r.key for r in found["d"].reasons][-1] == "suggest.reason.neighbour"
    assert found["d"].reasons[-1].ids == ("IT-BO", "IT-MO") and found["d"].reasons[-1].points == 0.075
    assert [r.ids for r in found["g"].reasons] == [("pilot",)]  # Rimini is no neighbour of Bologna
    for abroad in ("x", "FAR"):  # x: no province, placed outside the region; FAR: a partner region
        assert found[abroad].reasons[-1] == suggest.Reason("suggest.reason.beyond", (abroad,))
    assert sum(r.points for r in found["c"].reasons) == pytest.approx(found["c"].score, abs=0.002)


def test_real_pairs_rest_on_facts_synthetic_ones_are_flagged(known) -> None:
    dataset, selection = known
    found = {s.target_id: s for s in suggest.suggest_partners(dataset, selection, "a", limit=50)}
    # r is in the pilot only through a synthetic link: between two real records that does not count
    assert found["r"].components["networks"] == round(TWIN, 3) and not found["r"].synthetic
    assert found["h"].synthetic and not found["c"].synthetic
    # from the synthetic h, r's synthetic link counts (and the suggestion is flagged)
    from_h = {s.target_id: s for s in suggest.suggest_partners(dataset, selection, "h", limit=50)}
    assert from_h["r"].components["networks"] == round(TWIN, 3) and from_h["r"].synthetic
    assert from_h["c"].components["networks"] == 1.0
    real_only = suggest.suggest_partners(dataset, selection, "a", include_synthetic=False)
    assert "h" not in {s.target_id for s in real_only} and not any(s.synthetic for s in real_only)


def test_a_cluster_is_scored_through_its_members(known) -> None:
    dataset, selection = known
    found = suggest.suggest_partners(dataset, selection, "cl-health", limit=50)
    # m works on the cluster's chain without being a member; f (its record) and k (a link) are members
    assert [s.target_id for s in found] == ["m"]
    m = found[0]
    # members: f in Bologna, k in Modena; m is in Bologna: half the members there, half next door
    assert m.components == {"chains": 1.0, "networks": 0.0, "priorities": 1.0, "places": 0.75}
    assert m.score == pytest.approx(0.35 + 0.15 + 0.15 * 0.75, abs=0.001)
    place = m.reasons[-1]
    assert (place.key, place.ids, place.shares) == ("suggest.reason.province", ("IT-BO",), ((0.5, None),))
    assert suggest.reason_texts(dataset, m)[-1] == "Same province: IT-BO (50% of the members of Clust-ER Health)"


def test_a_value_chain_suggests_pairs_of_its_actors(known) -> None:
    dataset, selection = known
    found = suggest.suggest_partners(dataset, selection, "g-auto", limit=50)
    pairs = [(s.source_id, s.target_id, s.score) for s in found]
    assert pairs[:3] == [("b", "c", 1.0), ("b", "h", 1.0), ("b", "r", 1.0)]
    assert ("a", "b") not in {(s, t) for s, t, _ in pairs}  # linked
    assert ("d", "h", 0.925) in pairs and ("a", "c", 0.897) in pairs and pairs[-1] == ("a", "d", 0.822)
    # h is synthetic: with it, r's synthetic link to the pilot counts (h is in one grouping, r in two)
    assert ("a", "h", 0.897) in pairs and ("h", "r", round(0.35 + 0.35 * TWIN + 0.3, 3)) in pairs
    assert ("c", "r", 1.0) in pairs  # two real twins: r's synthetic link does not count
    assert len(pairs) == 6 * 5 // 2 - 1  # a, b, c, d, h, r: every pair but the linked one
    notes = {(s.source_id, s.target_id): s.reasons[-1] for s in found}
    assert notes[("c", "d")] == suggest.Reason("suggest.reason.isolated", ("c", "d"))
    assert notes[("a", "c")] == suggest.Reason("suggest.reason.isolated", ("c",))  # a has a link in the chain


def test_chain_pairs_equal_every_pair_scored_one_by_one(known) -> None:
    """The grouping by signature gives what scoring each pair alone gives (:func:`suggest._pair`)."""
    dataset, selection = known
    prof = profiles(dataset)
    members = ["a", "b", "c", "d", "h", "r"]
    node = {str(i): n for n, i in enumerate(prof.ids)}
    brute = []
    for i, one in enumerate(members):
        for other in members[i + 1 :]:
            _, values = suggest._pair(prof, node[one], node[other])
            score = round(sum(suggest.WEIGHTS[c] * v for c, v in values.items()), 3)
            if (one, other) != ("a", "b"):
                brute.append((-score, one, other))
    found = suggest.suggest_partners(dataset, selection, "g-auto", limit=50)
    assert [(-s.score, s.source_id, s.target_id) for s in found] == sorted(brute)


def test_candidates_are_what_the_filters_show(known) -> None:
    dataset, _ = known
    bologna = select(dataset, ViewState(scope="world", prov=("IT-BO",)))
    targets = [s.target_id for s in suggest.suggest_partners(dataset, bologna, "a")]
    assert targets[:3] == ["c", "h", "r"] and "d" not in targets and "e" not in targets


def test_deterministic_and_cached(known) -> None:
    dataset, selection = known
    first = suggest.suggest_partners(dataset, selection, "a")
    assert suggest.suggest_partners(dataset, selection, "a") == first
    suggest._cache.clear()
    assert suggest.suggest_partners(dataset, selection, "a") == first
    assert suggest.suggest_partners(dataset, selection, "a", limit=3) == first[:3]
    assert suggest.suggest_partners(dataset, selection, "no-such-id") == []


def test_suggested_links_are_never_links(known) -> None:
    dataset, selection = known
    before = (len(dataset.links), len(selection.links))
    rows = suggest.suggested_links(dataset, selection, "a", limit=4, lang="it")
    assert list(rows.columns) == ["id", "source_id", "target_id", "link_type", "score", "reason", "synthetic"]
    assert set(rows["link_type"]) == {"suggested"}
    assert rows["target_id"].tolist() == ["c", "h", "r", "d"]
    assert rows["reason"].iloc[3].startswith("Entrambi lavorano su Automation; Entrambi partecipano a Clust-ER Mech")
    assert not set(rows["id"]) & set(dataset.links["id"])
    assert (len(dataset.links), len(selection.links)) == before


@pytest.mark.parametrize("lang", ["en", "it", "de", "fr", "pl", "zh"])
def test_every_reason_worded_in_every_language(known, lang: str) -> None:
    dataset, selection = known
    found = [
        *suggest.suggest_partners(dataset, selection, "a", limit=50),
        *suggest.suggest_partners(dataset, selection, "cl-health"),
        *suggest.suggest_partners(dataset, selection, "g-auto"),
    ]
    keys = {r.key for s in found for r in s.reasons}
    assert keys == {f"suggest.reason.{k}" for k in
                    ("chains", "networks", "priority", "province", "neighbour", "beyond", "isolated")}  # fmt: skip
    for s in found:
        for text in suggest.reason_texts(dataset, s, lang):
            assert "{" not in text and "suggest." not in text


def test_the_documented_weights_are_the_weights() -> None:
    assert sum(suggest.WEIGHTS.values()) == pytest.approx(1.0)
    from core.i18n import t

    how = t("suggest.how", "en")
    for name, words in (("chains", "value chains"), ("networks", "networks"), ("priorities", "S3 priority"),
                        ("places", "province")):  # fmt: skip
        assert f"{round(suggest.WEIGHTS[name] * 100)}%" in how.split(words, 1)[1][:6]


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_chain_pairs_in_small_blocks_and_short_lists(known, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Scored a few signatures at a time and pruned to a short list, the best pairs are the same."""
    dataset, selection = known
    everything = suggest._compute(dataset, selection, "g-auto", 50, True)
    monkeypatch.setattr(suggest_pairs, "BLOCK", 2)
    assert suggest._compute(dataset, selection, "g-auto", limit, True) == everything[:limit]


def test_on_the_shipped_data_every_candidate_scored_one_by_one_agrees() -> None:
    """The vectorised scores and the exclusions, checked against scoring every shown node alone."""
    dataset = load_dataset()
    selection = select(dataset, ViewState())
    prof = profiles(dataset)
    for element in ("art-er", "tecnopolo-bologna-dama", "vanguard", "demo-su-0002", "IT-45", "clust-er-mech"):
        node = suggest._node_of(dataset, prof, element)
        assert node is not None
        candidates = suggest._shown(dataset, selection, prof) & ~prof.not_a_partner
        candidates[suggest._tied(dataset, prof, node)] = False
        brute = []
        for other in np.flatnonzero(candidates):
            _, values = suggest._pair(prof, node, int(other))
            score = round(sum(suggest.WEIGHTS[c] * v for c, v in values.items()), 3)
            content = values["chains"] > 0 or values["networks"] > 0 or values["priorities"] > 0
            if other != node and content and score >= suggest.MIN_SCORE:
                brute.append((-score, str(prof.ids[other])))
        found = suggest.suggest_partners(dataset, selection, element, limit=50)
        assert [(-s.score, s.target_id) for s in found] == sorted(brute)[:50], element
    members = sorted(str(i) for i, chains in zip(dataset.actors["id"], dataset.actors["gvcs"], strict=True)
                     if "mech-daama" in chains)  # fmt: skip
    at = {str(i): n for n, i in enumerate(prof.ids)}
    brute = []
    for i, one in enumerate(members):
        for other in members[i + 1 :]:
            _, values = suggest._pair(prof, at[one], at[other])
            brute.append((-round(sum(suggest.WEIGHTS[c] * v for c, v in values.items()), 3), one, other))
    chain = suggest.suggest_partners(dataset, selection, "mech-daama", limit=50)
    assert [(-s.score, s.source_id, s.target_id) for s in chain] == sorted(brute)[:50]
    assert all(s.synthetic for s in chain)  # the shipped chains' actors are the demo start-ups
