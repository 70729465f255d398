"""core.codes: integer codes of a dataset's columns, taken for a selection's rows, agree with the strings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core import codes
from core.selection import node_space, select
from core.state import ViewState
from data import read_dataset
from tests.conftest import write_dataset

ACTORS = (
    "id,kind,name,lon,lat,province,municipality,gvcs,clusters,year,source,confidence,synthetic\n"
    "a1,university,Uni One,11.34,44.49,IT-BO,Bologna,gvc-a,cl-mech,1088,https://example.org/a1,confirmed,false\n"
    "a2,firm,Firm Two,10.92,44.65,IT-MO,Modena,gvc-a;gvc-b,,2001,https://example.org/a2,unconfirmed,\n"
    "a3,startup,Start Three,11.35,44.50,IT-BO,Bologna,gvc-b,,2019,https://example.org/a3,confirmed,\n"
    "a4,startup,Start Four,11.36,44.51,,Bologna,,cl-mech,2020,https://example.org/a4,confirmed,\n"
)


@pytest.fixture
def ds(tmp_path: Path):
    return read_dataset(write_dataset(tmp_path / "codes", actors__csv=ACTORS))


def test_codes_match_the_column_strings(ds) -> None:
    kind_codes, kinds = codes.column_codes(ds, "actors", "kind")
    assert kinds[kind_codes].tolist() == ds.actors["kind"].tolist()
    # missing values are "", a list column is coded by its first item
    province_codes, provinces = codes.column_codes(ds, "actors", "province")
    assert provinces[province_codes].tolist() == ["IT-BO", "IT-MO", "IT-BO", ""]
    gvc_codes, gvcs = codes.column_codes(ds, "actors", "gvcs")
    assert gvcs[gvc_codes].tolist() == ["gvc-a", "gvc-a", "gvc-b", ""]


def test_a_selections_rows_are_found_by_their_labels(ds) -> None:
    part = ds.actors[ds.actors["province"] == "IT-BO"]
    assert codes.rows(ds, "actors", part).tolist() == [0, 2]
    assert codes.equals(ds, "actors", part, "kind", "startup").tolist() == [False, True]
    assert codes.equals(ds, "actors", part, "kind", "no such kind").tolist() == [False, False]
    assert codes.tally(ds, "actors", ds.actors, "kind") == {"university": 1, "firm": 1, "startup": 2}
    assert codes.tally(ds, "actors", part, "kind") == {"university": 1, "startup": 1}


def test_a_frame_that_is_not_the_datasets_is_refused(ds) -> None:
    with pytest.raises(ValueError, match="not rows"):
        codes.rows(ds, "groupings", ds.groupings.set_axis(["x", "y"]))


def test_list_columns(ds) -> None:
    everyone = ds.actors
    assert codes.contains_any(ds, "actors", everyone, "gvcs", {"gvc-b"}).tolist() == [False, True, True, False]
    assert codes.contains_any(ds, "actors", everyone, "gvcs", {"nothing"}).tolist() == [False] * 4
    assert codes.has_items(ds, "actors", everyone, "clusters").tolist() == [True, False, False, True]
    positions, item_codes, items = codes.exploded(ds, "actors", "gvcs")
    assert list(zip(positions.tolist(), items[item_codes].tolist(), strict=True)) == [
        (0, "gvc-a"),
        (1, "gvc-a"),
        (1, "gvc-b"),
        (2, "gvc-b"),
    ]


def test_an_id_columns_code_is_the_rows_position(ds) -> None:
    found = codes.code_of_values(ds, "actors", "id", ["a3", "zz", "a1"])
    assert found.tolist() == [2, -1, 0]


def test_cached_arrays_cannot_be_changed_by_a_caller(ds) -> None:
    kind_codes, _ = codes.column_codes(ds, "actors", "kind")
    with pytest.raises(ValueError):
        kind_codes[0] = 5


def test_node_space_positions_agree_with_ids(ds) -> None:
    selection = select(ds, ViewState(prov=("IT-BO",)))
    space = node_space(ds)
    for table in ("actors", "groupings", "areas"):
        frame = getattr(selection, table)
        at = space.positions(ds, table, frame)
        assert space.ids[at].tolist() == frame["id"].tolist()
    # each link's ends point at the node of that id, or -1 for an end that is not a node
    for end, column in ((space.link_source, "source_id"), (space.link_target, "target_id")):
        named = np.where(end >= 0, space.ids[np.maximum(end, 0)], None).tolist()
        assert named == [i if i in set(space.ids.tolist()) else None for i in ds.links[column]]
