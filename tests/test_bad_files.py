"""Damaged copies of the shipped dataset: each damage costs exactly the records it touches, is
reported with file, row and field, and never ends in a traceback (issue 11's mutated files)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from core.stories import load_stories
from data import read_dataset
from data.startup_import import ImportFileError, import_startups

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "emilia-romagna"


@pytest.fixture(scope="module")
def original():
    return read_dataset(SHIPPED)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SHIPPED, target)
    return target


def _problems(dataset, file: str) -> list:
    return [p for p in dataset.problems if p.file == file and p.severity == "error"]


def _damage_area(copy: Path, damage) -> str:
    path = copy / "areas.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    feature = data["features"][3]
    damage(feature["geometry"])
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN and Infinity as JSON's common extension
    return feature["properties"]["id"]


def _first_ring(geometry: dict) -> list:
    return geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]


@pytest.mark.parametrize(
    "damage",
    [
        lambda g: _first_ring(g)[1].__setitem__(0, float("inf")),
        lambda g: _first_ring(g)[2].__setitem__(1, float("nan")),
    ],
    ids=["infinite", "nan"],
)
def test_a_polygon_with_a_non_finite_coordinate_costs_only_its_area(copy: Path, original, damage) -> None:
    area = _damage_area(copy, damage)
    dataset = read_dataset(copy)
    assert len(dataset.areas) == len(original.areas) - 1 and area not in set(dataset.areas["id"])
    found = _problems(dataset, "areas.geojson")
    assert [(p.row, p.field) for p in found] == [(4, "geometry")], found


def test_an_unclosed_ring_costs_at_most_its_area(copy: Path, original) -> None:
    _damage_area(copy, lambda g: _first_ring(g).pop())
    dataset = read_dataset(copy)
    assert len(dataset.areas) >= len(original.areas) - 1


def _rewrite_csv(path: Path, change) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(change(lines)), encoding="utf-8")


def test_a_duplicated_header_column_is_reported_and_every_record_kept(copy: Path, original) -> None:
    _rewrite_csv(
        copy / "actors.csv",
        lambda lines: (
            [lines[0].replace(",note", ",note,note", 1)] + [line + "," if line else line for line in lines[1:]]
        ),
    )
    dataset = read_dataset(copy)
    assert len(dataset.actors) == len(original.actors)
    assert any(p.field == "note" and "more than once" in p.message for p in dataset.problems)


@pytest.mark.parametrize("cell", ["x" * 200_000, "bad\x00byte"], ids=["huge-cell", "nul"])
def test_one_bad_cell_costs_only_its_row(copy: Path, original, cell: str) -> None:
    def change(lines: list[str]) -> list[str]:
        row = lines[3].split(",")
        row[-1] = cell  # the note
        return [*lines[:3], ",".join(row), *lines[4:]]

    _rewrite_csv(copy / "actors.csv", change)
    dataset = read_dataset(copy)
    found = [p for p in _problems(dataset, "actors.csv") if p.row == 4]
    assert found and found[0].field == "note", dataset.problems[:5]
    assert len(dataset.actors) == len(original.actors) - 1


def test_a_deeply_nested_story_is_reported_and_the_others_load(copy: Path, original) -> None:
    stories_dir = copy / "stories"
    shutil.copytree(SHIPPED.parent.parent / "data" / "stories", stories_dir)
    (stories_dir / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    stories, problems = load_stories(original, stories_dir)
    assert "abroad" in stories and "deep" not in stories
    assert any(p.file == "stories/deep.json" for p in problems)


REGISTER = (
    "denominazione;provincia;comune;codice fiscale;data iscrizione alla sezione delle startup\n"
    "ACME SRL;BO;Bologna;01234567890;01/02/2018\n"
)


@pytest.mark.parametrize(
    "name,content",
    [
        ("bom-cp1252.csv", b"\xef\xbb\xbf" + REGISTER.replace("ACME", "ACM\xc8").encode("cp1252")),
        ("signature.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("flipped.xlsx", None),
        ("corrupt.xlsx", None),
    ],
)
def test_a_damaged_register_file_is_an_import_error_not_a_traceback(tmp_path: Path, name: str, content) -> None:
    path = tmp_path / name
    if content is None:
        buffer = tmp_path / "good.xlsx"
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for row in REGISTER.strip().split("\n"):
            book.active.append(row.split(";"))
        book.save(buffer)
        raw = bytearray(buffer.read_bytes())
        if name == "flipped.xlsx":
            raw[2] ^= 0xFF  # the zip's local header signature
        else:
            with zipfile.ZipFile(buffer) as archive:
                info = archive.getinfo("xl/worksheets/sheet1.xml")
            start = info.header_offset + 30 + len(info.filename) + len(info.extra)
            raw[start : start + 40] = bytes(40)  # the deflate stream of the sheet
        content = bytes(raw)
    path.write_bytes(content)
    try:
        import_startups(path, tmp_path / "out")
    except ImportFileError as exc:
        assert str(exc)  # a message for the user, not a traceback
