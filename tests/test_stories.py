"""Story files: the shipped stories are valid; a broken one is reported and does not stop the others."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.state import parse_query
from core.stories import load_stories
from core.vocabulary import vocabulary
from data import DEFAULT_DATA_DIR, read_dataset

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_stories_are_valid_and_bilingual() -> None:
    dataset = read_dataset(DEFAULT_DATA_DIR)
    stories, problems = load_stories(dataset)
    assert problems == []
    assert {"abroad", "mechatronics"} <= stories.keys()
    for story in stories.values():
        assert story.title.keys() == {"en", "it"} and len(story.steps) >= 3
        for step in story.steps:
            assert step.title.keys() == {"en", "it"} and step.text.keys() == {"en", "it"}
            assert parse_query(step.state, vocabulary(dataset))[1] == []


def test_broken_story_is_reported_with_file_and_field(tmp_path: Path) -> None:
    dataset = read_dataset(DEFAULT_DATA_DIR)
    good = {
        "title": {"en": "Good", "it": "Buona"},
        "steps": [{"title": {"en": "One", "it": "Uno"}, "text": {"en": "x", "it": "x"}, "state": "?view=map"}],
    }
    bad = {
        "title": {"en": "Bad"},
        "steps": [
            {"title": {"en": "A", "it": "A"}, "text": {"en": "x", "it": "x"}, "state": "?view=map"},
            {"title": {"en": "B", "it": "B"}, "text": {"en": "x"}, "state": "?view=3d&gvc=nope"},
        ],
    }
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    stories, problems = load_stories(dataset, tmp_path)
    assert "good" in stories and "bad" in stories and "broken" not in stories
    where = {(p.file, p.field) for p in problems}
    assert ("stories/bad.json", "title.it") in where
    assert ("stories/bad.json", "steps[1].text.it") in where
    assert ("stories/bad.json", "steps[1].state") in where
    assert any(p.file == "stories/broken.json" and "not valid JSON" in p.message for p in problems)


def test_core_check_reports_story_errors(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ds"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    (copy / "stories").mkdir()
    (copy / "stories" / "oops.json").write_text(
        json.dumps({"title": {"en": "x", "it": "x"}, "steps": []}), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "core", "check", str(copy)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "stories/oops.json, field 'steps'" in result.stdout
