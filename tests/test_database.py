"""PostGIS as the data backend, against a real PostgreSQL + PostGIS (tests/postgis.py): what a
GIS office does (load a dataset, edit a record in the database, load a new version) and what
the atlas must answer (the same records, the same problems, the new version without restart)."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from data import DEFAULT_DATA_DIR, database, read_dataset
from data.__main__ import main as data_cli
from tests.conftest import ACTORS, write_dataset


@pytest.fixture
def db_url(postgis_server: object, request: pytest.FixtureRequest) -> str:
    """A fresh database with PostGIS, named after the test."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "").replace("-", "_")[:50]
    return postgis_server.database(name)  # type: ignore[attr-defined]


def _load(directory: Path, url: str, *extra: str) -> int:
    return data_cli(["load-db", str(directory), "--url", url, *extra])


def test_files_to_database_to_export_equals_files_to_export(db_url: str, tmp_path: Path, monkeypatch) -> None:
    assert _load(DEFAULT_DATA_DIR, db_url) == 0
    monkeypatch.setenv("ATLAS_DATABASE_URL", db_url)
    assert data_cli(["export", "-o", str(tmp_path / "db.geojson")]) == 0
    monkeypatch.delenv("ATLAS_DATABASE_URL")
    assert data_cli(["export", str(DEFAULT_DATA_DIR), "-o", str(tmp_path / "files.geojson")]) == 0
    from_db = json.loads((tmp_path / "db.geojson").read_text())
    from_files = json.loads((tmp_path / "files.geojson").read_text())
    assert len(from_files["features"]) > 900
    assert from_db == from_files


def test_the_tables_are_postgis_tables_in_epsg_4326(db_url: str) -> None:
    assert _load(DEFAULT_DATA_DIR, db_url) == 0
    shipped = read_dataset(DEFAULT_DATA_DIR)
    with psycopg.connect(db_url) as conn:
        srids = dict(conn.execute("SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'atlas'"))
        assert srids == {"actors": 4326, "areas": 4326}
        inside = conn.execute(
            "SELECT count(*) FROM atlas.actors a JOIN atlas.areas r ON ST_Contains(r.geometry, a.geometry) "
            "WHERE r.id = 'IT-45' AND a.kind = 'technopole'"
        ).fetchone()
        assert inside is not None and inside[0] == int(
            (shipped.actors["kind"] == "technopole").sum()
        )  # every technopole lies in Emilia-Romagna's polygon
        version, counts = conn.execute("SELECT version, counts FROM atlas.versions").fetchone()  # type: ignore[misc]
    assert version == 1
    assert counts == shipped.counts()


def test_check_from_the_database_reports_the_same_problems_as_the_files(
    db_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    bad = ACTORS + "a3,firm,Bad Kind,11,44,IT-BO,Bologna,gvc-a,,2001,https://example.org/a3,confirmed,\n"
    bad += "a4,spaceship,Wrong,11,44,IT-BO,Bologna,gvc-a,,2001,https://example.org/a4,confirmed,\n"
    directory = write_dataset(tmp_path / "bad", actors__csv=bad)
    files = read_dataset(directory)
    assert files.errors, "the fixture must have an error"
    assert _load(directory, db_url) == 1  # loaded, but the errors are reported as check reports them
    capsys.readouterr()
    monkeypatch.setenv("ATLAS_DATABASE_URL", db_url)
    from_db = database.read_database(db_url)
    assert from_db.problems == files.problems
    assert from_db.counts() == files.counts()
    assert data_cli(["check"]) == 1
    out = capsys.readouterr().out
    assert "unknown kind 'spaceship'" in out
    assert "version 1" in out


def test_the_app_servers_role_only_reads(db_url: str, tiny: Path) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS atlas_reader")
        conn.execute("CREATE ROLE atlas_reader LOGIN")
    reader = db_url.replace("postgresql://atlas@", "postgresql://atlas_reader@")
    for _ in range(2):  # a second load makes new tables: the grant must follow them
        assert _load(tiny, db_url, "--read-role", "atlas_reader") == 0
        dataset = database.read_database(reader)
        assert not dataset.errors, [str(p) for p in dataset.errors]
        assert list(dataset.actors["id"]) == ["a1", "a2"]
    with psycopg.connect(reader) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM atlas.actors")


def test_strict_load_writes_nothing_when_a_record_has_an_error(db_url: str, tmp_path: Path) -> None:
    bad = ACTORS + "a4,spaceship,Wrong,11,44,IT-BO,Bologna,gvc-a,,2001,https://example.org/a4,confirmed,\n"
    directory = write_dataset(tmp_path / "bad", actors__csv=bad)
    assert _load(directory, db_url, "--strict") == 1
    assert database.latest_version(db_url) is None


def test_a_record_edited_into_nonsense_in_the_database_is_reported_and_only_it_left_out(
    db_url: str, tiny: Path
) -> None:
    assert _load(tiny, db_url) == 0
    with psycopg.connect(db_url) as conn:
        conn.execute("UPDATE atlas.actors SET kind = 'spaceship' WHERE id = 'a2'")
        conn.execute("UPDATE atlas.links SET source = NULL WHERE id = 'l3'")
    dataset = database.read_database(db_url)
    messages = [str(p) for p in dataset.errors]
    assert any("atlas.actors" in m and "row 2" in m and "kind" in m and "spaceship" in m for m in messages), messages
    assert any("atlas.links" in m and "source" in m for m in messages), messages
    assert list(dataset.actors["id"]) == ["a1"]
    # the link to the rejected actor goes with it; the one with no source is left out; l2 stays
    assert list(dataset.links["id"]) == ["l2"]


def test_a_new_version_is_served_without_restart(db_url: str, tiny: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(database.POLL_ENV, "0")
    assert _load(tiny, db_url) == 0
    first = database.current_dataset(db_url)
    assert first.version == "1" and database.current_dataset(db_url) is first  # one read per version
    newer = write_dataset(tmp_path / "newer", actors__csv=ACTORS + ACTORS.splitlines()[1].replace("a1,", "a9,") + "\n")
    assert _load(newer, db_url) == 0
    second = database.current_dataset(db_url)
    assert second.version == "2"
    assert "a9" in set(second.actors["id"]) and "a9" not in set(first.actors["id"])


def test_an_unreachable_database_is_a_clear_problem_not_a_traceback(tmp_path: Path, capsys, monkeypatch) -> None:
    url = f"postgresql://nobody@/nowhere?host={tmp_path}&port=1"
    dataset = database.read_database(url)
    assert dataset.counts()["actors"] == 0
    assert dataset.errors and dataset.errors[0].message.startswith("database: ")
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    assert data_cli(["check"]) == 1
    assert "database: " in capsys.readouterr().out
    assert data_cli(["load-db", str(DEFAULT_DATA_DIR)]) == 2
    assert "not written" in capsys.readouterr().err


def test_an_empty_database_says_to_load_a_dataset(db_url: str) -> None:
    dataset = database.read_database(db_url)
    assert "load-db" in dataset.errors[0].message


def test_the_password_never_appears_in_messages() -> None:
    assert (
        database.redacted("postgresql://atlas:s3cret@db.example:5432/atlas")
        == "postgresql://atlas:***@db.example:5432/atlas"
    )


def test_stories_travel_with_the_dataset(db_url: str) -> None:
    from core.stories import load_stories

    assert _load(DEFAULT_DATA_DIR, db_url) == 0
    from_db = database.read_database(db_url)
    stories, problems = load_stories(from_db)
    shipped, _ = load_stories(read_dataset(DEFAULT_DATA_DIR))
    assert not problems
    assert stories == shipped and len(stories) >= 3


# --- two app processes on one database --------------------------------------------------------


def _health(url: str) -> dict:
    with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
        return json.loads(response.read())


def test_two_app_processes_on_one_database_answer_alike_and_follow_its_versions(db_url: str, tmp_path: Path) -> None:
    import requests

    from tests.browser.conftest import start_app, stop
    from tests.sessions import play

    assert _load(DEFAULT_DATA_DIR, db_url) == 0
    env = {"ATLAS_DATABASE_URL": db_url, "ATLAS_DATABASE_POLL": "0.5"}
    first, first_url = start_app(env)
    try:
        second, second_url = start_app(env)
    except Exception:
        stop(first)
        raise
    try:
        for url in (first_url, second_url):
            health = _health(url)
            assert health["source"] == "database" and health["version"] == "1"
            assert health["database"] == "reachable" and health["status"] == "ok"

        # One user's actions played on the first process; every request replayed on the second.
        recorded = play(first_url, changes=4, clicks=2)
        assert len(recorded) >= 15
        for body, answer in recorded:
            again = requests.post(second_url + "/_dash-update-component", json=body, timeout=60)
            assert again.content == answer, body.get("output")

        # A new version loaded while both run: each serves it after its next poll.
        newer = tmp_path / "newer"
        shutil.copytree(DEFAULT_DATA_DIR, newer)
        meta = json.loads((newer / "dataset.json").read_text())
        meta["title"] = "Atlas, version two"
        (newer / "dataset.json").write_text(json.dumps(meta))
        assert _load(newer, db_url) == 0
        for url in (first_url, second_url):
            deadline = time.monotonic() + 20
            while _health(url)["version"] != "2" and time.monotonic() < deadline:
                time.sleep(0.3)
            assert _health(url)["version"] == "2"
            assert _health(url)["dataset"] == "Atlas, version two"
            assert "Atlas, version two" in requests.get(url + "/_dash-layout", timeout=30).text
    finally:
        stop(first)
        stop(second)
