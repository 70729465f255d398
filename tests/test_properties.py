"""Property-based tests (hypothesis) of what strangers type or send: the URL grammar on any query
string, and the readers on randomly damaged files. Derandomized, so CI and a developer see the
same examples; each failure prints the smallest input that breaks the property."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.state import (
    LAYOUTS,
    RANKINGS,
    SCOPES,
    SIZES,
    VIEWS,
    ViewState,
    parse_query,
    state_from_dict,
    state_to_dict,
    to_query,
)
from core.vocabulary import vocabulary
from data import DEFAULT_DATA_DIR, read_dataset
from tests.conftest import ACTORS, write_dataset

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VOCAB = vocabulary(read_dataset(DEFAULT_DATA_DIR))
KEYS = ["view", "scope", "gvc", "link", "kind", "prov", "year", "q", "sel", "areas", "layout", "map", "net", "step"]

# --- the URL grammar -------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.just("9" * 5000),  # beyond Python's 4,300-digit int() limit
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
values = st.one_of(texts, numbers, st.sampled_from(["", ",", ";", "..", "-", "%00", "%zz", "1e309"]))
queries = st.lists(st.tuples(st.sampled_from([*KEYS, "x", ""]), values), max_size=8).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs)
)


@SETTINGS
@given(st.one_of(queries, texts))
def test_any_query_parses_to_a_state_that_round_trips(query: str) -> None:
    state, notices = parse_query(query, VOCAB)
    assert all(isinstance(n, str) and n for n in notices)
    again, more = parse_query(to_query(state, VOCAB), VOCAB)
    assert again == state and not more  # what we write we read back, without complaint
    for year in state.year or ():
        assert -10_000 < year < 10_000  # every integer bounded
    for camera in (state.map, state.net):
        assert camera is None or all(math.isfinite(v) for v in camera)


def _valid_states() -> st.SearchStrategy[ViewState]:
    def pick(choices: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
        # a state holds its choices in the vocabulary's order (the URL's canonical form)
        return st.lists(st.sampled_from(choices), max_size=3, unique=True).map(
            lambda xs: tuple(c for c in choices if c in xs)
        )

    return st.builds(
        ViewState,
        view=st.sampled_from(VIEWS),
        scope=st.sampled_from(SCOPES),
        layout=st.sampled_from(LAYOUTS),
        rank=st.sampled_from(RANKINGS),
        suggest=st.booleans(),
        compare=st.one_of(
            st.none(),
            st.tuples(st.integers(1000, 9998), st.integers(1, 50)).map(lambda p: (p[0], min(p[0] + p[1], 9999))),
        ),
        size=st.sampled_from(SIZES),
        link=pick(VOCAB.link_types),
        kind=pick(VOCAB.kinds),
        q=st.text(alphabet="abcdefghij &=?#%+", max_size=12).map(str.strip),
    )


@SETTINGS
@given(_valid_states())
def test_a_valid_state_survives_its_url_and_its_store(state: ViewState) -> None:
    parsed, notices = parse_query(to_query(state, VOCAB), VOCAB)
    assert not notices
    assert parsed == state
    assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from([*KEYS, "zz"]), json_values, max_size=8))
def test_any_store_content_gives_a_state(data: dict) -> None:
    state = state_from_dict(data)  # a tampered dcc.Store or callback body: never an exception
    assert isinstance(state, ViewState)


# --- the readers on damaged files -------------------------------------------------------------

#: fields whose damage costs the row itself and nothing else (no other record refers to them)
OWN_FIELDS = ["kind", "name", "lon", "lat", "year", "source", "confidence", "synthetic", "province"]


def _actors_with(row: int, field: str, value: str) -> str:
    records = list(csv.reader(io.StringIO(ACTORS)))
    header = records[0]
    records[row][header.index(field)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(records)  # the damage stays in its cell
    return out.getvalue()


@SETTINGS
@given(row=st.sampled_from([1, 2]), field=st.sampled_from(OWN_FIELDS), value=st.text(max_size=40))
def test_one_damaged_cell_costs_at_most_its_own_record(tmp_path_factory, row: int, field: str, value: str) -> None:
    directory = write_dataset(tmp_path_factory.mktemp("cell"), actors__csv=_actors_with(row, field, value))
    dataset = read_dataset(directory)
    other = {1: "a2", 2: "a1"}[row]
    damaged = {1: "a1", 2: "a2"}[row]
    assert other in set(dataset.actors["id"])  # the good record is kept whatever happens to its neighbour
    if damaged not in set(dataset.actors["id"]):
        mine = [p for p in dataset.errors if p.file == "actors.csv" and p.row == row + 1]
        assert mine, [str(p) for p in dataset.errors]  # left out, and said where: file, row
        assert all(p.field for p in mine)  # and which field
    assert len(dataset.groupings) == 2 and len(dataset.areas) == 1  # other files untouched


@SETTINGS
@given(
    coordinate=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.just("text"),
        st.none(),
        st.lists(st.floats(allow_nan=False), max_size=3),
    ),
    position=st.integers(min_value=0, max_value=4),
)
def test_one_damaged_polygon_costs_at_most_its_own_area(tmp_path_factory, coordinate, position: int) -> None:
    from tests.conftest import area_collection

    collection = area_collection()
    second = json.loads(json.dumps(collection["features"][0]))
    second["properties"]["id"] = "area-2"
    second["geometry"]["coordinates"][0][position] = coordinate
    collection["features"].append(second)
    directory = write_dataset(tmp_path_factory.mktemp("poly"), areas__geojson=json.dumps(collection))
    dataset = read_dataset(directory)
    assert "area-1" in set(dataset.areas["id"])
    if "area-2" not in set(dataset.areas["id"]):
        assert any(p.file == "areas.geojson" and p.row == 2 for p in dataset.errors), [str(p) for p in dataset.errors]


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.binary(min_size=0, max_size=4)), min_size=1, max_size=5
    ),
    name=st.sampled_from(["actors.csv", "links.csv", "gvcs.csv", "areas.geojson", "dataset.json"]),
)
def test_random_byte_damage_never_ends_in_a_traceback(tmp_path_factory, edits, name: str) -> None:
    directory = write_dataset(tmp_path_factory.mktemp("bytes"))
    (directory / "dataset.json").write_text('{"title": "Tiny"}', encoding="utf-8")
    path: Path = directory / name
    data = bytearray(path.read_bytes())
    for at, replacement in edits:
        at %= len(data) + 1
        data[at : at + len(replacement)] = replacement
    path.write_bytes(bytes(data))
    dataset = read_dataset(directory)  # must not raise
    assert all(p.file for p in dataset.problems)
    for untouched, table in (("sectors.csv", "sectors"), ("groupings.csv", "groupings")):
        if untouched != name:
            assert len(dataset.frame(table)) >= 1, table


@pytest.mark.parametrize("depth", [10, 10_000])
def test_nesting_in_a_cell_is_just_text(tmp_path: Path, depth: int) -> None:
    directory = write_dataset(tmp_path / "nest", actors__csv=_actors_with(1, "name", "[" * depth))
    assert "a1" in set(read_dataset(directory).actors["id"])
