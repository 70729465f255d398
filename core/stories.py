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

from core.state import parse_query
from core.vocabulary import vocabulary
from data.loader import DEFAULT_DATA_DIR, PACKAGE_DIR, Dataset
from data.problems import Problem

LANGUAGES = ("en", "it")
SHIPPED_STORIES = PACKAGE_DIR / "stories"


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
    """The dataset's own ``stories/`` folder; for the shipped dataset, ``data/stories/``; else None.

    The shipped stories name Emilia-Romagna's elements, so they never apply to another dataset.
    """
    own = dataset.directory / "stories"
    if own.is_dir():
        return own
    return SHIPPED_STORIES if dataset.directory.resolve() == DEFAULT_DATA_DIR.resolve() else None


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
    return out


def read_story(path: Path, dataset: Dataset) -> tuple[Story | None, list[Problem]]:
    """Read and check one story file; the story is None only when it cannot be used at all."""
    name = f"stories/{path.name}"
    problems: list[Problem] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, None, None, f"unreadable file: {exc}")]
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
    return Story(path.stem, title, summary, tuple(steps)), problems


def load_stories(dataset: Dataset, directory: Path | None = None) -> tuple[dict[str, Story], list[Problem]]:
    """Every readable story of the dataset (by id, in file-name order) and every problem found."""
    folder = directory or stories_dir(dataset)
    stories: dict[str, Story] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.json")) if folder and folder.is_dir() else []:
        story, found = read_story(path, dataset)
        problems.extend(found)
        if story is not None:
            stories[story.id] = story
    return stories, problems
