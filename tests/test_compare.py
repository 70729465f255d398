"""Two dates compared (issue 14, feature 5): links' ``end_year`` (validated, exported, stored) and
core/compare.py's statuses, counts, change table, caption and URL value, on data whose answers are
known by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from core.compare import (
    CHANGE_COLUMNS,
    Message,
    caption,
    change_table,
    compare_links,
    compare_view,
    exists_in,
    links_to_compare,
    summary,
)
from core.i18n import LANGUAGES
from core.selection import select
from core.state import ViewState, format_compare, parse_compare
from data import database, read_dataset
from data.__main__ import main as data_cli
from data.export import link_collection, links_csv, to_feature_collection
from tests.conftest import LINKS, write_dataset

FIRST, SECOND = 2015, 2020
#: id, start year, last year, the status at 2015 vs 2020 worked out by hand
CASES = [
    ("b1", 2010, None, "both"),
    ("b2", 2015, 2020, "both"),  # starts on the first date, ends on the second: in both
    ("a1", 2016, None, "added"),
    ("a2", 2020, None, "added"),  # starts on the second date
    ("a3", 2018, 2021, "added"),
    ("e1", 2010, 2015, "ended"),  # last year is the first date: still there then
    ("e2", 2012, 2019, "ended"),
    ("n1", 2021, None, "neither"),  # starts after the second date
    ("n2", 2016, 2018, "neither"),  # came and went between the dates
    ("n3", 2005, 2014, "neither"),  # over before the first date
    ("u1", None, None, "both"),  # no start year: there since before any date asked
    ("u2", None, 2017, "ended"),  # no start year, but its end is known
    ("u3", None, 2010, "neither"),
]


def _links(cases: list = CASES) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [c[0] for c in cases],
            "source_id": [f"s-{c[0]}" for c in cases],
            "target_id": [f"t-{c[0]}" for c in cases],
            "link_type": ["partner_agreement" if c[0] < "e" else "network_membership" for c in cases],
            "year": pd.array([c[1] for c in cases], dtype="Int64"),
            "end_year": pd.array([c[2] for c in cases], dtype="Int64"),
        },
        index=[10 * i for i in range(len(cases))],  # a selection keeps the dataset's row labels
    )


def test_each_link_gets_the_status_worked_out_by_hand() -> None:
    comparison = compare_links(_links(), FIRST, SECOND)
    assert dict(zip(comparison.links["id"], comparison.status, strict=True)) == {c[0]: c[3] for c in CASES}
    assert comparison.status.index.equals(comparison.links.index)


def test_the_counts_are_known() -> None:
    counts = compare_links(_links(), FIRST, SECOND).counts
    # undated: u1 (both) and u2 (ended) are drawn; u3 is not, so it is not counted
    assert counts == {"both": 3, "added": 3, "ended": 3, "neither": 4, "undated": 2}


def test_existence_bounds_are_inclusive() -> None:
    links = _links()
    at = dict(zip(links["id"], exists_in(links, 2015), strict=True))
    assert at["e1"] and at["b2"] and not at["n3"]
    at = dict(zip(links["id"], exists_in(links, 2020), strict=True))
    assert at["a2"] and at["b2"] and not at["n1"]


def test_drawn_and_of_split_the_links() -> None:
    comparison = compare_links(_links(), FIRST, SECOND)
    assert sorted(comparison.drawn["id"]) == ["a1", "a2", "a3", "b1", "b2", "e1", "e2", "u1", "u2"]
    assert list(comparison.of("ended")["id"]) == ["e1", "e2", "u2"]
    with pytest.raises(ValueError):
        comparison.of("removed")


def test_links_without_end_years_and_untyped_columns() -> None:
    links = _links().drop(columns="end_year")  # a frame from before end years: every link lasts
    # by start year alone: n2 (2016) is now added, n3 and every ended one unchanged, n1 still later
    assert compare_links(links, FIRST, SECOND).counts == {"both": 8, "added": 4, "ended": 0, "neither": 1, "undated": 3}
    text = _links().astype({"year": object, "end_year": object})  # None and ints in object columns
    assert list(compare_links(text, FIRST, SECOND).status) == [c[3] for c in CASES]


def test_an_empty_selection_and_reversed_years() -> None:
    empty = compare_links(_links().iloc[:0], FIRST, SECOND)
    assert empty.counts == dict.fromkeys(("both", "added", "ended", "neither", "undated"), 0)
    assert change_table(empty).columns.tolist() == list(CHANGE_COLUMNS) and change_table(empty).empty
    with pytest.raises(ValueError):
        compare_links(_links(), SECOND, FIRST)


def test_the_change_table_reads_as_a_history() -> None:
    names = {"s-a1": "Bologna", "t-e2": "Hessen"}
    table = change_table(compare_links(_links(), FIRST, SECOND), names)
    assert table.columns.tolist() == list(CHANGE_COLUMNS)
    # added by start year, then ended by last year
    assert table["id"].tolist() == ["a1", "a3", "a2", "e1", "u2", "e2"]
    assert table["status"].tolist() == ["added"] * 3 + ["ended"] * 3
    row = table.set_index("id")
    assert row.loc["a1", "from"] == "Bologna" and row.loc["a1", "to"] == "t-a1"  # no name: the id
    assert row.loc["e2", "to"] == "Hessen" and row.loc["e2", "end_year"] == 2019
    assert pd.isna(row.loc["u2", "year"]) and pd.isna(row.loc["a1", "end_year"])
    everything = change_table(compare_links(_links(), FIRST, SECOND), statuses=("both", "added", "ended", "neither"))
    assert len(everything) == len(CASES) and everything["status"].iloc[0] == "both"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015,2020", (2015, 2020)),
        ("2020,2015", (2015, 2020)),  # order normalised
        (" 2015 , 2020 ", (2015, 2020)),
        ("1000,9999", (1000, 9999)),
        ("2015,2015", None),  # a year with itself: nothing to compare
        ("2015", None),
        ("2015-2020", None),
        ("2015,2020,2021", None),
        ("0999,2015", None),  # out of 1000-9999
        ("12015,2020", None),
        ("２０１５,２０２０", None),  # full-width digits are not ASCII years
        ("abc,def", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_compare(text: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_compare(text) == expected


def test_format_compare_reads_back() -> None:
    assert format_compare(2020, 2015) == "2015,2020" and parse_compare(format_compare(2015, 2020)) == (2015, 2020)


def test_the_summary_is_data_and_the_caption_words_it() -> None:
    comparison = compare_links(_links(), FIRST, SECOND)
    assert summary(comparison) == [
        Message("compare.added", {"count": 3, "first": 2015}),
        Message("compare.ended", {"count": 3}),
        Message("compare.undated", {"count": 2, "first": 2015}),
    ]
    assert caption(comparison, "en") == [
        "+3 links since 2015, 3 ended",
        "2 links have no start year: taken to exist since before 2015",
    ]
    assert caption(comparison, "pl")[0] == "+3 powiązania od 2015, 3 zakończone"  # Polish "few"
    one = compare_links(_links([CASES[0], CASES[2], CASES[5]]), FIRST, SECOND)
    assert caption(one, "en") == ["+1 link since 2015, 1 ended"]  # no undated link, no note
    assert caption(one, "it") == ["+1 collegamento dal 2015 e 1 terminato"]
    for lang in LANGUAGES:  # every language words it, with the numbers and no key left showing
        lines = caption(comparison, lang)
        assert len(lines) == 2 and all("compare." not in line and "3" in lines[0] for line in lines), lines


def test_big_counts_are_grouped_but_years_are_not() -> None:
    many = pd.DataFrame({"id": [f"l{i}" for i in range(1234)], "year": 2016, "end_year": pd.NA})
    assert caption(compare_links(many, FIRST, SECOND), "it") == ["+1.234 collegamenti dal 2015 e 0 terminati"]


def test_the_comparison_ignores_the_year_filter_but_not_the_others(tiny: Path) -> None:
    dataset = read_dataset(tiny)
    # the year filter hides both actors (founded 1088 and 2001) and so every link ...
    assert select(dataset, ViewState(year=(2010, 2012))).links.empty
    # ... the comparison looks at every link the other filters select
    assert sorted(links_to_compare(dataset, ViewState(year=(2010, 2012)))["id"]) == ["l1", "l2", "l3"]
    state = ViewState(link=("research_collaboration",), year=(2010, 2012))
    assert list(links_to_compare(dataset, state)["id"]) == ["l1"]
    comparison = compare_view(dataset, ViewState(), 2015, 2016)
    assert comparison.counts == {"both": 2, "added": 1, "ended": 0, "neither": 0, "undated": 2}


# --- end_year in the data: validated, exported, stored ------------------------------------------

#: the tiny dataset's links with an end_year column: l1 (2016) ended 2019; rows 5-7 are added
LINKS_WITH_END = (
    LINKS.replace(",year,", ",year,end_year,", 1)
    .replace(",2016,", ",2016,2019,", 1)
    .replace(",,,https://example.org/l2", ",,,,https://example.org/l2")
    .replace(",,,https://example.org/l3", ",,,,https://example.org/l3")
)


def test_a_bad_end_year_is_reported_with_file_row_and_field(tmp_path: Path) -> None:
    links = LINKS_WITH_END + (
        "l4,a1,a2,research_collaboration,,2018,2017,https://x.org,confirmed\n"  # row 5: ends before it starts
        "l5,a1,a2,research_collaboration,,2018,20x9,https://x.org,confirmed\n"  # row 6: not a year
        "l6,a1,a2,research_collaboration,,2018,2018,https://x.org,confirmed\n"  # row 7: one year only: fine
        "l7,a1,a2,research_collaboration,,,2012,https://x.org,confirmed\n"  # row 8: no start year: fine
    )
    dataset = read_dataset(write_dataset(tmp_path / "d", links__csv=links))
    found = [(p.file, p.row, p.field, p.message) for p in dataset.errors]
    assert found == [
        ("links.csv", 6, "end_year", "'20x9' is not a whole number"),
        ("links.csv", 5, "end_year", "end_year 2017 is before year 2018"),
    ]
    # the contradicting records are left out, as any record with an error; every other is kept
    assert sorted(dataset.links["id"]) == ["l1", "l2", "l3", "l6", "l7"]
    end = dict(zip(dataset.links["id"], dataset.links["end_year"], strict=True))
    assert end["l1"] == 2019 and end["l6"] == 2018 and end["l7"] == 2012 and pd.isna(end["l2"])
    assert str(dataset.links["end_year"].dtype) == "Int64"


def test_a_file_without_end_year_loads_with_every_link_lasting(tiny: Path) -> None:
    dataset = read_dataset(tiny)
    assert dataset.errors == () and dataset.links["end_year"].isna().all()


def test_end_year_is_exported(tmp_path: Path) -> None:
    dataset = read_dataset(write_dataset(tmp_path / "d", links__csv=LINKS_WITH_END))
    assert dataset.errors == ()
    collection = link_collection(dataset, memberships=[("a1", "cl-mech")])
    props = {f["id"]: f["properties"] for f in collection["features"]}
    assert props["l1"]["end_year"] == 2019 and props["l2"]["end_year"] is None
    assert props["derived:a1|cl-mech"]["end_year"] is None  # a membership from a record has none
    header, *rows = links_csv(collection["features"]).splitlines()
    columns = header.split(",")
    assert columns[columns.index("year") + 1] == "end_year"  # beside the start year
    assert [r.split(",")[columns.index("end_year")] for r in rows[:2]] == ["2019", ""]
    everything = {f["id"]: f["properties"] for f in to_feature_collection(dataset)["features"]}
    assert everything["l1"]["end_year"] == 2019
    json.dumps(collection)  # plain JSON values (no pandas NA)


@pytest.fixture
def db_url(postgis_server: object, request: pytest.FixtureRequest) -> str:
    """A fresh database with PostGIS, named after the test (as tests/test_database.py makes them)."""
    return postgis_server.database("t_" + request.node.name.lower()[:50])  # type: ignore[attr-defined]


def test_end_year_travels_through_the_database_and_is_checked_there(db_url: str, tmp_path: Path) -> None:
    directory = write_dataset(tmp_path / "d", links__csv=LINKS_WITH_END)
    assert data_cli(["load-db", str(directory), "--url", db_url]) == 0
    dataset = database.read_database(db_url)
    assert dataset.errors == ()
    assert dict(zip(dataset.links["id"], dataset.links["end_year"].astype(object), strict=True))["l1"] == 2019
    with psycopg.connect(db_url) as conn:
        kind = conn.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = 'atlas' "
            "AND table_name = 'links' AND column_name = 'end_year'"
        ).fetchone()
        conn.execute("UPDATE atlas.links SET end_year = 2001 WHERE id = 'l1'")  # before its 2016 start
    assert kind == ("bigint",)
    dataset = database.read_database(db_url)
    assert [(p.file, p.field) for p in dataset.errors] == [("atlas.links", "end_year")]
    assert "end_year 2001 is before year 2016" in dataset.errors[0].message
    assert "l1" not in set(dataset.links["id"])


def test_the_benchmark_runs(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scripts.bench import compare as bench

    assert bench.main([str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "3 links, 0 with an end year" in out and "+1 link since 2015, 0 ended" in out
