"""Presentations: the routes of the stage (``/present/<story>``) and of the stories' index (``/present/``).

The stage is a page of its own (``core/stage.py`` builds it, ``assets/stage.js`` drives it): every
scene is the atlas's ``/embed`` page with the step's URL and ``stage=1``, rendered ahead in its
own frame. Inside such a frame ``assets/stage_frame.js`` reports when the scene is drawn, passes
the clicker's keys up to the stage and puts the scene's camera back when it is shown again.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from flask import Response, request

from core.i18n import language, t
from core.stage import index_page, stage_page
from core.stories import Story, load_stories
from data import Dataset, load_dataset

PREFIX = "present/"


@lru_cache(maxsize=4)
def _stories(dataset: Dataset) -> dict[str, Story]:
    return load_stories(dataset)[0]


def _html(text: str, status: int = 200) -> Response:
    response = Response(text, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"  # a story file edited on the server shows on reload
    return response


def story_page(story: str, prefix: str) -> Response:
    """``/present/<story>``: the stage, at the step of ``?step=N``; a 404 page listing the stories
    when there is no such story. ``prefix`` is the path prefix the browser sees."""
    dataset = load_dataset()
    query = request.query_string.decode("latin-1")
    found = _stories(dataset).get(story)
    if found is None:
        lang = language(request.args.get("lang"))
        notice = f'<p class="stage-missing" role="alert">{escape(t("present.missing", lang, name=story))}</p>'
        page = index_page(dataset, _stories(dataset), query, prefix).replace("<h1>", notice + "<h1>", 1)
        return _html(page, status=404)
    return _html(stage_page(dataset, found, query, prefix))


def stories_index(prefix: str) -> Response:
    """``/present/``: every story of the dataset, with its titles in both languages."""
    dataset = load_dataset()
    return _html(index_page(dataset, _stories(dataset), request.query_string.decode("latin-1"), prefix))


def register(app) -> None:
    """The stage's and the index's routes (below the app's path prefix)."""
    routes = app.config.routes_pathname_prefix or "/"
    # links in the pages use the prefix the browser sees (behind a proxy it can differ from the routes')
    prefix = app.config.requests_pathname_prefix or "/"

    def index() -> Response:
        return stories_index(prefix)

    def one(story: str) -> Response:
        return story_page(story, prefix)

    for rule, name in ((PREFIX, "index"), ("present", "index_bare")):
        app.server.add_url_rule(routes + rule, f"atlas_present_{name}", index)
    for rule, name in ((PREFIX + "<story>", "story"), (PREFIX + "<story>/", "story_slash")):
        app.server.add_url_rule(routes + rule, f"atlas_present_{name}", one)
