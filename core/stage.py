"""The presentation stage: ``/present/<story>`` as a page of its own, and ``/present/`` its index.

Every scene of a story is rendered ahead, each in its own frame: the atlas's ``/embed`` page with
the scene's URL (its filters, selection and cameras) plus ``stage=1``. The frames are stacked in
one place and a key press shows another one. So:

* a transition is a repaint, not a round of requests (no scene waits for the server);
* each scene keeps exactly the camera its URL gives, forward or back (the frame re-applies it
  when shown again after the presenter moved it);
* once every frame has loaded, the presentation goes on through a Wi-Fi drop; a scene that could
  not load says so in the caption band instead of leaving a dead key;
* the caption sits in its own band below the frames, never over the views.

The page is plain HTML (no Dash): built here from the story, served by ``components/present.py``,
driven by ``assets/stage.js``. The parent URL stays what it was: ``?step=N`` plus the step's view
parameters (a link made before the stage existed opens the same step).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl

from core.i18n import LANGUAGE_NAMES, LANGUAGES, all_names, language, t
from core.state import PASSTHROUGH, ViewState, parse_camera, parse_query, to_query
from core.stories import Story
from core.vocabulary import vocabulary
from data import Dataset

#: the longest step number read from a URL (a longer one is no step: step 1 is shown)
MAX_STEP_DIGITS = 6


def step_number(search: str | None, count: int) -> int:
    """The step a presentation URL asks for (``?step=N``, 1-based), clamped to ``1..count``."""
    for key, value in parse_qsl((search or "").lstrip("?")):
        if key == "step":
            if value.isdigit() and len(value) <= MAX_STEP_DIGITS:
                return min(max(int(value), 1), max(count, 1))
            return 1
    return 1


Cameras = dict[str, tuple[float, float, float]]


def _step_state(story: Story, number: int, dataset: Dataset, cameras: Cameras | None = None) -> ViewState:
    state, _ = parse_query(story.steps[number - 1].state, vocabulary(dataset))
    return state.with_(**cameras) if cameras else state


def step_query(
    story: Story, number: int, dataset: Dataset, extra: tuple[tuple[str, str], ...] = (), cameras: Cameras | None = None
) -> str:
    """The URL query of step ``number`` (1-based): the step's view state in its canonical form (with
    ``cameras`` instead of its own, if given), then ``step`` and any ``extra`` pass-through parameters."""
    kept = tuple((k, v) for k, v in extra if k in PASSTHROUGH and k != "step")
    state = _step_state(story, number, dataset, cameras)
    return to_query(state.with_(_extra=(("step", str(number)), *kept)), vocabulary(dataset))


def frame_query(story: Story, number: int, dataset: Dataset, lang: str, cameras: Cameras | None = None) -> str:
    """The ``/embed`` query of scene ``number``'s frame: the step's view state, ``stage=1``, the
    scene number (it names the frame's requests) and the language."""
    state = _step_state(story, number, dataset, cameras)
    return to_query(state.with_(_extra=(("stage", "1"), ("scene", str(number)), ("lang", lang))), vocabulary(dataset))


def url_cameras(search: str | None) -> Cameras:
    """The cameras a presentation URL itself carries (``map``, ``net``): a link to a step as the
    presenter had moved it opens that step so (the URLs of the presentations before the stage did)."""
    out: Cameras = {}
    for key, value in parse_qsl((search or "").lstrip("?")):
        if key in ("map", "net") and key not in out:
            camera = parse_camera(key, value)
            if camera is not None:
                out[key] = camera
    return out


@dataclass(frozen=True)
class Scene:
    """What the stage needs of one step: its frame's query, texts, selection name and cameras."""

    number: int
    query: str
    frame: str
    title: dict[str, str]
    text: dict[str, str]
    selected: dict[str, str]
    map_camera: tuple[float, float, float] | None
    network_viewport: tuple[float, float, float] | None


def scenes(dataset: Dataset, story: Story, lang: str, overrides: dict[int, Cameras] | None = None) -> list[Scene]:
    """Every step of ``story`` as a :class:`Scene` (the frames in ``lang``); ``overrides``: cameras
    by step number that replace the step's own."""
    out = []
    for number, step in enumerate(story.steps, start=1):
        cameras = (overrides or {}).get(number)
        state = _step_state(story, number, dataset, cameras)
        names = {code: all_names(dataset, code).get(state.sel, state.sel) for code in LANGUAGES} if state.sel else {}
        out.append(
            Scene(
                number,
                step_query(story, number, dataset, cameras=cameras),
                frame_query(story, number, dataset, lang, cameras),
                dict(step.title),
                dict(step.text),
                names,
                state.map,
                state.net,
            )
        )
    return out


def _language_links(lang: str, href: str, class_name: str) -> str:
    """Links to the same page in each other language (``href`` + the code), each named in its own
    language (``lang``, ``hreflang``: read out right by a screen reader)."""
    links = []
    for code in (c for c in LANGUAGES if c != lang):
        shown = LANGUAGE_NAMES[code] if code == "zh" else code.upper()
        links.append(
            f'<a class="{class_name}" id="atlas-lang-{code}" href="{escape(href + code)}" hreflang="{code}" '
            f'lang="{code}" title="{escape(LANGUAGE_NAMES[code])}">{escape(shown)}</a>'
        )
    return " ".join(links)


def _said(texts: dict[str, str], lang: str) -> str:
    """A text in ``lang``; one missing falls back to English (a story file may lack a language)."""
    return texts.get(lang) or texts.get("en", "")


def _script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or comment opener can close it)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def stage_page(dataset: Dataset, story: Story, search: str | None, prefix: str) -> str:
    """The HTML of ``/present/<story>``: the frames' place, the caption band, the story's data.

    ``search`` is the page's query (``step``, ``lang``); ``prefix`` the app's path prefix."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    lang = language(params.get("lang"))
    number = step_number(search, len(story.steps))
    all_scenes = scenes(dataset, story, lang, {number: url_cameras(search)})
    current = all_scenes[number - 1]
    atlas_title = dataset.text("title", lang) or "Atlas"
    strings = {
        key: t(key, lang)
        for key in (
            "stage.selected",
            "stage.scene",
            "stage.loading",
            "stage.offline",
            "stage.failed",
            "present.previous",
            "present.next",
        )
    }
    data = {
        "story": story.id,
        "lang": lang,
        # the URL keeps naming its language when it did (a link opened in the other language)
        "keepLang": "lang" in params,
        "prefix": prefix,
        "step": number,
        "title": _said(story.title, lang),
        "strings": strings,
        "scenes": [
            {
                "number": s.number,
                "query": s.query,
                "frame": f"{prefix}embed{s.frame}",
                "title": _said(s.title, lang),
                "text": _said(s.text, lang),
                "selected": _said(s.selected, lang),
                "map": list(s.map_camera) if s.map_camera else None,
                "net": list(s.network_viewport) if s.network_viewport else None,
            }
            for s in all_scenes
        ],
    }
    switch = _language_links(lang, f"?step={number}&lang=", "stage-lang")
    selected = t("stage.selected", lang, name=_said(current.selected, lang)) if current.selected else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_said(story.title, lang))} · {escape(atlas_title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{escape(prefix)}assets/stage.css">
</head>
<body class="stage-page">
<main class="stage" id="stage">
<div class="stage-views" id="stage-views" aria-live="off"></div>
<section class="stage-band" id="present-panel" aria-label="{escape(t("aria.presentation", lang))}">
<div class="stage-caption">
<p class="stage-story" id="present-story">{escape(_said(story.title, lang))}</p>
<h1 class="stage-title" id="present-title">{escape(_said(current.title, lang))}</h1>
<p class="stage-text" id="present-text">{escape(_said(current.text, lang))}</p>
<p class="stage-selected" id="stage-selected">{escape(selected)}</p>
<p class="stage-notice" id="stage-notice" role="alert" hidden></p>
</div>
<nav class="stage-nav">
<button type="button" class="stage-button" id="present-prev">{escape(t("present.previous", lang))}</button>
<span class="stage-counter" id="present-counter" aria-live="polite">{number} / {len(all_scenes)}</span>
<button type="button" class="stage-button" id="present-next">{escape(t("present.next", lang))}</button>
{switch}
</nav>
</section>
</main>
<script type="application/json" id="stage-data">{_script_json(data)}</script>
<script src="{escape(prefix)}assets/stage.js"></script>
</body>
</html>
"""


def index_page(dataset: Dataset, stories: dict[str, Story], search: str | None, prefix: str) -> str:
    """The HTML of ``/present/``: every story of the dataset, its titles in both languages, its steps."""
    lang = language(dict(parse_qsl((search or "").lstrip("?"))).get("lang"))
    atlas_title = dataset.text("title", lang) or "Atlas"
    items = []
    for story in stories.values():
        titles = "".join(
            f'<span class="stage-index-title" lang="{code}">{escape(story.title.get(code, ""))}</span>'
            for code in ([lang] + [c for c in LANGUAGES if c != lang])
            if story.title.get(code)
        )
        summary = _said(story.summary, lang)
        query = "" if lang == "en" else f"?lang={lang}"
        items.append(
            f'<li class="stage-index-item"><a href="{escape(prefix)}present/{escape(story.id)}{query}">{titles}</a>'
            + (f'<span class="stage-index-summary">{escape(summary)}</span>' if summary else "")
            + f'<span class="stage-index-steps">{escape(t("stage.steps", lang, count=len(story.steps)))}</span></li>'
        )
    body = (
        f'<ul class="stage-index" id="stage-index">{"".join(items)}</ul>'
        if items
        else f'<p id="stage-index-empty">{escape(t("stage.index_empty", lang))}</p>'
    )
    switch = _language_links(lang, "?lang=", "stage-index-lang")
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("stage.index_title", lang))} · {escape(atlas_title)}</title>
<link rel="stylesheet" href="{escape(prefix)}assets/stage.css">
</head>
<body class="stage-page stage-index-page">
<main class="stage-index-main">
<p><a href="{escape(prefix)}">{escape(t("stage.back_to_atlas", lang))}</a> ·
{switch}</p>
<h1>{escape(t("stage.index_title", lang))}</h1>
<p>{escape(t("stage.index_intro", lang))}</p>
{body}
<p class="stage-index-keys">{escape(t("stage.keys", lang))}</p>
</main>
</body>
</html>
"""
