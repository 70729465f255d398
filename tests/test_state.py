"""URL state: parsing, canonical short form, round trips, and tolerance of bad input."""

from __future__ import annotations

import pytest

from core.state import ViewState, parse_query, state_from_dict, state_to_dict, to_query
from core.vocabulary import vocabulary
from data import DEFAULT_DATA_DIR, read_dataset


@pytest.fixture(scope="module")
def vocab():
    return vocabulary(read_dataset(DEFAULT_DATA_DIR))


def test_default_state_has_empty_query(vocab) -> None:
    assert to_query(ViewState(), vocab) == ""
    assert parse_query("", vocab) == (ViewState(), [])


def test_every_parameter_round_trips(vocab) -> None:
    query = (
        "?view=network&scope=world&gvc=mech-flyer,create-fashion&link=partner_agreement&kind=technopole"
        "&prov=IT-BO,IT-FE&year=2013-2019&q=tecnopolo&sel=unibo&areas=eusair&layout=geo"
    )
    state, notices = parse_query(query, vocab)
    assert notices == []
    assert state == ViewState(
        view="network",
        scope="world",
        gvc=("create-fashion", "mech-flyer"),
        link=("partner_agreement",),
        kind=("technopole",),
        prov=("IT-BO", "IT-FE"),
        year=(2013, 2019),
        q="tecnopolo",
        sel="unibo",
        areas=("eusair",),
        layout="geo",
    )
    assert parse_query(to_query(state, vocab), vocab) == (state, [])
    assert state_from_dict(state_to_dict(state)) == state


def test_cluster_and_sector_ids_are_shorthand(vocab) -> None:
    state, _ = parse_query("?gvc=clust-er-mech", vocab)
    assert len(state.gvc) == 7 and all(g.startswith("mech-") for g in state.gvc)
    assert to_query(state, vocab) in ("?gvc=clust-er-mech", "?gvc=mechatronics_motoring")
    health_plus_one, _ = parse_query("?gvc=clust-er-health,mech-flyer", vocab)
    assert to_query(health_plus_one, vocab).count(",") == 1  # cluster id + one value chain


def test_single_year_and_reversed_range(vocab) -> None:
    assert parse_query("?year=2015", vocab)[0].year == (2015, 2015)
    assert parse_query("?year=2019-2013", vocab)[0].year == (2013, 2019)
    assert to_query(ViewState(year=(2015, 2015)), vocab) == "?year=2015"


@pytest.mark.parametrize(
    ("query", "expected_notice"),
    [
        ("?colour=red", "unknown parameter 'colour'"),
        ("?view=3d", "view '3d' is not one of"),
        ("?year=last", "year 'last' is not a year"),
        ("?gvc=nope", "unknown gvc value(s): nope"),
        ("?sel=ghost", "selected element 'ghost' not found"),
        ("?prov=IT-XX,IT-BO", "unknown prov value(s): IT-XX"),
        ("?scope=moon", "scope 'moon'"),
        ("?view=map&view=table", "'view' given twice"),
    ],
)
def test_bad_parameters_are_named_and_ignored(vocab, query: str, expected_notice: str) -> None:
    state, notices = parse_query(query, vocab)
    assert any(expected_notice in n for n in notices), notices
    assert isinstance(state, ViewState)


def test_good_parts_survive_bad_ones(vocab) -> None:
    state, notices = parse_query("?prov=IT-XX,IT-BO&foo=1&view=map", vocab)
    assert state.prov == ("IT-BO",) and state.view == "map" and len(notices) == 2


def test_passthrough_parameters_are_not_errors(vocab) -> None:
    assert parse_query("?lang=it&step=2", vocab) == (ViewState(), [])


def test_search_is_encoded(vocab) -> None:
    query = to_query(ViewState(q="Forlì & co"), vocab)
    assert " " not in query and "&co" not in query
    assert parse_query(query, vocab)[0].q == "Forlì & co"


def test_passthrough_parameters_travel_on(vocab) -> None:
    state, _ = parse_query("?step=3&prov=IT-BO&lang=it", vocab)
    assert to_query(state.with_(sel="unibo"), vocab) == "?prov=IT-BO&sel=unibo&step=3&lang=it"


def test_cameras_round_trip_in_short_parameters(vocab) -> None:
    state, notices = parse_query("?map=44.51234567,11.3,7.257&net=1.25,-30.4,40", vocab)
    assert not notices
    assert state.map == (44.5123, 11.3, 7.26) and state.net == (1.25, -30.0, 40.0)
    query = to_query(state, vocab)
    assert "map=44.5123,11.3,7.26" in query and "net=1.25,-30,40" in query
    assert parse_query(query, vocab)[0] == state
    assert state_from_dict(state_to_dict(state)) == state
    assert to_query(ViewState(), vocab) == ""  # no camera: nothing in the URL


@pytest.mark.parametrize("value", ["44,11", "a,b,c", "95,11,7", "44,11,7,1", "nan,11,7", "44,inf,7", "", "1e999,0,0"])
def test_bad_cameras_are_ignored_with_a_notice(vocab, value: str) -> None:
    state, notices = parse_query(f"?map={value}&prov=IT-BO", vocab)
    assert state.map is None and state.prov == ("IT-BO",)
    assert len(notices) == 1 and notices[0].key == "notice.bad_camera"


def test_slices_carry_the_cameras(vocab) -> None:
    from core.state import slices, state_from_slices

    state, _ = parse_query("?view=map&scope=world&map=10,20,3&net=2,5,6&layout=geo", vocab)
    parts = slices(state)
    assert parts["camera"] == [10.0, 20.0, 3.0] and parts["viewport"] == [2.0, 5.0, 6.0]
    assert parts["map"] == {"scope": "world", "areas": [], "room": "wide"}
    assert state_from_slices(parts["filters"], map_options=parts["map"])["view"] == "map"
    assert state_from_slices(parts["filters"], network_options=parts["network"])["view"] == "map"
