"""Stories: ordered steps through the atlas for presentations, read from JSON files.

A story file (``<name>.json`` in the dataset's ``stories/`` folder, or ``data/stories/`` for the
shipped dataset) holds::

    {
      "title": {"en": "...", "it": "..."},
      "summary": {"en": "...", "it": "..."},          (optional)
      "steps": [
        {"title": {"en": "...", "it": "..."},
         "text": {"en": "...", "it": "..."},
         "state": "?view=map&scope=world&link=partner_agreement&sel=IT-45"},
        ...
      ]
    }

``state`` is a view state in the terms of the URL (see ``core/state.py``), so a step is
exactly what a shared link would show. Every problem is reported with the file and the field
(e.g. ``steps[2].state``); a broken story never stops the others from loading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.i18n import LANGUAGES as ATLAS_LANGUAGES
from core.state import parse_query
from core.vocabulary import vocabulary
from data.loader import SHIPPED_STORIES, Dataset, story_folder
from data.problems import Problem

#: the languages a story must have (English and the region's Italian); the atlas's other
#: languages are read where a story gives them, else its English text is shown
LANGUAGES = ("en", "it")
__all__ = ["SHIPPED_STORIES", "Step", "Story", "load_stories", "read_story", "stories_dir"]


@dataclass(frozen=True)
class Step:
    """One step: a title and a text per language, and the view state as a URL query."""

    title: dict[str, str]
    text: dict[str, str]
    state: str


@dataclass(frozen=True)
class Story:
    """A named, ordered list of steps."""

    id: str
    title: dict[str, str]
    summary: dict[str, str]
    steps: tuple[Step, ...]


def stories_dir(dataset: Dataset) -> Path | None:
    """The dataset's own ``stories/`` folder; for the shipped dataset, ``data/stories/``; else None
    (:func:`data.loader.story_folder`)."""
    return story_folder(dataset.directory)


def _texts(value: object, where: str, name: str, problems: list[Problem], required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(name, None, where, "must be an object with a text per language (en, it)"))
        return {}
    out = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(name, None, f"{where}.{lang}", f"missing the {lang} text"))
        else:
            out[lang] = text.strip()
    for lang in ATLAS_LANGUAGES:
        text = value.get(lang)
        if lang not in out and isinstance(text, str) and text.strip():
            out[lang] = text.strip()
    return out


def read_story(path: Path, dataset: Dataset) -> tuple[Story | None, list[Problem]]:
    """Read and check one story file; the story is None only when it cannot be used at all."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(f"stories/{path.name}", None, None, f"unreadable file: {exc}")]
    return parse_story(path.name, text, dataset)


def parse_story(file_name: str, text: str, dataset: Dataset) -> tuple[Story | None, list[Problem]]:
    """Check one story given as its file's name and text (from a folder or from the database)."""
    name = f"stories/{file_name}"
    problems: list[Problem] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]
    except RecursionError:
        return None, [Problem(name, None, None, "not a story: the JSON is nested too deeply")]
    if not isinstance(data, dict):
        return None, [Problem(name, None, None, "a story must be a JSON object")]
    title = _texts(data.get("title"), "title", name, problems)
    summary = _texts(data.get("summary"), "summary", name, problems, required=False)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(Problem(name, None, "steps", "a story needs a non-empty list of steps"))
        return None, problems
    vocab = vocabulary(dataset)
    steps = []
    for i, raw in enumerate(raw_steps):
        where = f"steps[{i}]"
        if not isinstance(raw, dict):
            problems.append(Problem(name, None, where, "a step must be an object"))
            continue
        state = raw.get("state", "")
        if not isinstance(state, str):
            problems.append(Problem(name, None, f"{where}.state", "must be a URL query string like ?view=map"))
            state = ""
        _, notices = parse_query(state, vocab)
        for notice in notices:
            problems.append(Problem(name, None, f"{where}.state", notice))
        steps.append(
            Step(
                _texts(raw.get("title"), f"{where}.title", name, problems),
                _texts(raw.get("text"), f"{where}.text", name, problems),
                state,
            )
        )
    return Story(Path(file_name).stem, title, summary, tuple(steps)), problems


def load_stories(dataset: Dataset, directory: Path | None = None) -> tuple[dict[str, Story], list[Problem]]:
    """Every readable story of the dataset (by id, in file-name order) and every problem found:
    from ``directory`` if given, else those the dataset carries (a database's), else its folder."""
    found: list[tuple[Story | None, list[Problem]]]
    if directory is None and dataset.stories is not None:
        found = [parse_story(name, text, dataset) for name, text in sorted(dataset.stories)]
    else:
        folder = directory or stories_dir(dataset)
        paths = sorted(folder.glob("*.json")) if folder and folder.is_dir() else []
        found = [read_story(path, dataset) for path in paths]
    stories: dict[str, Story] = {}
    problems: list[Problem] = []
    for story, story_problems in found:
        problems.extend(story_problems)
        if story is not None:
            stories[story.id] = story
    return stories, problems
