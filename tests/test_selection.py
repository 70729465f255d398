"""The filtered selection, on a tiny dataset whose answer is known by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.lookup import incident_links, locate
from core.selection import links_of, neighbours, select, shown_nodes
from core.state import ViewState
from core.vocabulary import vocabulary
from data import read_dataset
from tests.conftest import write_dataset

ACTORS = (
    "id,kind,name,lon,lat,province,municipality,gvcs,clusters,year,source,confidence,synthetic\n"
    "uni,university,Uni Bologna,11.34,44.49,IT-BO,Bologna,,,1088,https://x.org,confirmed,false\n"
    "s1,startup,DEMO Robots,11.35,44.50,IT-BO,Bologna,gvc-a,cl-mech,2014,https://x.org,unconfirmed,true\n"
    "s2,startup,DEMO Metals,10.92,44.65,IT-MO,Modena,gvc-b,cl-mech,2015,https://x.org,unconfirmed,true\n"
    "f1,firm,Firm Ferrara,11.62,44.84,IT-FE,Ferrara,,cl-mech,,https://x.org,confirmed,false\n"
)
LINKS = (
    "id,source_id,target_id,link_type,year,source,confidence\n"
    "l1,uni,s1,research_collaboration,2016,https://x.org,confirmed\n"
    "l2,uni,net-a,network_membership,,https://x.org,confirmed\n"
    "l3,f1,cl-mech,cluster_membership,2017,https://x.org,confirmed\n"
)


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return read_dataset(write_dataset(Path(tmp_path_factory.mktemp("sel")), actors__csv=ACTORS, links__csv=LINKS))


def ids_of(selection) -> set[str]:
    return set(selection.node_ids)


def test_no_filter_shows_everything(ds) -> None:
    sel = select(ds, ViewState())
    assert ids_of(sel) == {"uni", "s1", "s2", "f1", "cl-mech", "net-a", "area-1"}
    assert set(sel.links["id"]) == {"l1", "l2", "l3"}


def test_gvc_filter_keeps_tagged_matches_and_linked_context(ds) -> None:
    sel = select(ds, ViewState(gvc=("gvc-a",)))
    # s1 is tagged gvc-a; s2 is tagged gvc-b (fails); f1 is tagged only with the cluster (passes);
    # uni has no tag: context, shown because it is linked to s1.
    assert {"s1", "f1", "uni", "cl-mech"} <= ids_of(sel)
    assert "s2" not in ids_of(sel)
    assert set(sel.matched) >= {"s1", "f1", "cl-mech"} and "uni" not in sel.matched


def test_province_filter(ds) -> None:
    sel = select(ds, ViewState(prov=("IT-MO",)))
    assert {"s2"} <= ids_of(sel) and not ({"uni", "s1", "f1"} & ids_of(sel))


def test_year_filter_treats_unknown_year_as_context(ds) -> None:
    sel = select(ds, ViewState(year=(2014, 2014)))
    assert "s1" in ids_of(sel) and "s2" not in ids_of(sel) and "uni" not in ids_of(sel)


def test_kind_and_link_type_filters(ds) -> None:
    assert ids_of(select(ds, ViewState(kind=("startup",)))) == {"s1", "s2"}
    sel = select(ds, ViewState(link=("cluster_membership",)))
    assert set(sel.links["id"]) == {"l3"}


def test_search_is_accent_and_case_insensitive_and_shows_neighbours(ds) -> None:
    sel = select(ds, ViewState(q="uni bologna"))
    assert "uni" in sel.matched and {"s1", "net-a"} <= ids_of(sel) and "s2" not in ids_of(sel)


def test_empty_result(ds) -> None:
    sel = select(ds, ViewState(prov=("IT-MO",), kind=("firm",)))
    assert sel.empty


def test_selection_is_cached_per_filters(ds) -> None:
    a = select(ds, ViewState(prov=("IT-BO",)))
    b = select(ds, ViewState(prov=("IT-BO",), sel="uni", view="map"))  # sel and view do not filter
    assert a is b


def test_neighbours(ds) -> None:
    sel = select(ds, ViewState())
    assert neighbours(sel, "uni") == {"s1", "net-a", "l1", "l2"}


@pytest.mark.parametrize("state", [ViewState(), ViewState(prov=("IT-BO",)), ViewState(link=("cluster_membership",))])
def test_looked_up_neighbours_and_shown_nodes_agree_with_comparing_every_row(ds, state) -> None:
    sel = select(ds, state)
    for element in ("uni", "s1", "f1", "cl-mech", "net-a", "nowhere"):
        assert neighbours(sel, element, ds) == neighbours(sel, element)
        links = sel.links
        compared = links[(links["source_id"] == element) | (links["target_id"] == element)]
        assert links_of(ds, sel, element)["id"].tolist() == compared["id"].tolist()
    asked = ["s2", "uni", "nowhere", "l1", "cl-mech", "f1"]
    assert shown_nodes(ds, sel, asked) == [i for i in asked if i in sel.node_ids]


def test_lookup_finds_records_and_links_by_id(ds) -> None:
    assert locate(ds, "uni") == ("actors", 0)
    assert locate(ds, "l3") == ("links", 2)
    assert locate(ds, "nowhere") is None
    assert incident_links(ds, "uni").tolist() == [0, 1]
    assert incident_links(ds, "nowhere").tolist() == []


def test_vocabulary(ds) -> None:
    vocab = vocabulary(ds)
    assert vocab.gvc_groups["cl-mech"] == ("gvc-a", "gvc-b")
    assert "startup" in vocab.kinds and "province" in vocab.kinds
    assert vocab.years == (1088, 2017)


def test_parallel_callbacks_compute_a_selection_once(ds, monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from concurrent.futures import ThreadPoolExecutor

    from core import selection as module

    original = module._index
    # A slow computation makes the race certain: without the lock every thread would miss the cache.
    monkeypatch.setattr(module, "_index", lambda dataset: (time.sleep(0.2), original(dataset))[1])
    state = ViewState(prov=("IT-FE",), q="firm")
    before = module._SELECTIONS.misses
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: select(ds, state), range(8)))
    assert module._SELECTIONS.misses == before + 1
    assert all(r is results[0] for r in results)


def test_a_first_computation_never_blocks_another_keys_cache_hit() -> None:
    import threading

    from core.once import OncePerKey

    cache: OncePerKey[str] = OncePerKey(maxsize=8)
    cache.get("warm", lambda: "cached")
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "slow"

    worker = threading.Thread(target=cache.get, args=("cold", slow))
    worker.start()
    assert started.wait(5)
    # "cold" is being computed and holds its lock: a hit on "warm" and a miss on a third key go through now.
    assert cache.get("warm", lambda: "recomputed") == "cached"
    assert cache.get("other", lambda: "computed") == "computed"
    release.set()
    worker.join(5)
    assert cache.get("cold", lambda: "again") == "slow"
    assert cache.misses == 3


def test_the_cache_is_bounded() -> None:
    from core.once import OncePerKey

    cache: OncePerKey[int] = OncePerKey(maxsize=2)
    for key in range(3):
        cache.get(key, lambda key=key: key)
    assert cache.get(0, lambda: -1) == -1  # the oldest was dropped
