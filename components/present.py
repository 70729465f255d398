"""Presentations: ``/present/<story>`` shows a story full-screen, step by step.

Each step's view state is a URL query (``data/stories``), so a step shows exactly what a
shared link would. The URL follows the step (``?step=N`` plus the step's parameters) and
opening it shows that step. Arrow keys, Page Up/Down and space (what presentation clickers
send) press the on-screen Previous/Next buttons (``assets/present.js``). Between steps only
the filters change: network positions are computed per filter state and the map keeps its
zoom within a scope, so nothing jumps around for its own sake.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import parse_qsl

from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import MissingCallbackContextException

from components import ids
from components.translate import T, aria
from core.i18n import language, t
from core.state import PASSTHROUGH, parse_query, to_query
from core.stories import Story, load_stories
from core.vocabulary import vocabulary
from data import Dataset, load_dataset

PREFIX = "/present/"


def layout() -> html.Section:
    """The story panel, shown only on presentation pages."""
    return html.Section(
        [
            layout_store(),
            html.P(id=ids.PRESENT_STORY, className="present-story"),
            html.H2(id=ids.PRESENT_TITLE, className="present-title"),
            html.P(id=ids.PRESENT_TEXT, className="present-text"),
            html.Div(
                [
                    html.Button(T("present.previous"), id=ids.PRESENT_PREV, n_clicks=0, className="present-button"),
                    html.Span(id=ids.PRESENT_COUNTER, className="present-counter", **{"aria-live": "polite"}),
                    html.Button(T("present.next"), id=ids.PRESENT_NEXT, n_clicks=0, className="present-button"),
                ],
                className="present-nav",
            ),
        ],
        id=ids.PRESENT_PANEL,
        className="present-panel",
        **aria("aria.presentation"),
    )


@lru_cache(maxsize=4)
def _stories(dataset: Dataset) -> dict[str, Story]:
    return load_stories(dataset)[0]


def story_id(pathname: str | None) -> str | None:
    """The story id of a presentation path (``/present/abroad`` -> ``abroad``), else None."""
    path = (pathname or "").rstrip("/")
    return path[len(PREFIX) :] if path.startswith(PREFIX) and len(path) > len(PREFIX) else None


def _step_number(search: str | None) -> int | None:
    for key, value in parse_qsl((search or "").lstrip("?")):
        if key == "step":
            return int(value) if value.isdigit() else None
    return None


def step_query(story: Story, number: int, search: str | None, dataset: Dataset) -> str:
    """The URL query of step ``number`` (1-based): the step's view state plus ``step`` (and ``lang``)."""
    vocab = vocabulary(dataset)
    state, _ = parse_query(story.steps[number - 1].state, vocab)
    keep = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k in PASSTHROUGH and k != "step"]
    return to_query(state.with_(_extra=(("step", str(number)), *keep)), vocab)


def _only_step_and_lang(search: str | None) -> bool:
    return all(k in PASSTHROUGH for k, _ in parse_qsl((search or "").lstrip("?")))


def present(page, _prev=None, _next=None):
    """Show the step the URL asks for, in the page's language; Previous/Next move to the neighbouring
    step's URL. ``page`` is ``{pathname, search, lang}`` (set on presentation pages only)."""
    page = page or {}
    pathname, search, lang = page.get("pathname"), page.get("search"), language(page.get("lang"))
    story_key = story_id(pathname)
    if story_key is None:
        return no_update, "", "", "", "", ""
    dataset = load_dataset()
    story = _stories(dataset).get(story_key)
    if story is None:
        return no_update, "", t("present.missing", lang, name=story_key), "", "", ""
    count = len(story.steps)
    number = min(max(_step_number(search) or 1, 1), count)
    trigger = _trigger()
    moved = trigger in (ids.PRESENT_PREV, ids.PRESENT_NEXT) and bool(ctx.triggered and ctx.triggered[0]["value"])
    if moved:
        number = min(max(number + (1 if trigger == ids.PRESENT_NEXT else -1), 1), count)
    new_search = no_update
    # Move on a button press; fill in a bare "?step=N" link; otherwise keep what the URL shows
    # (the presenter may have clicked an element, which only adds "sel").
    if moved or _only_step_and_lang(search) or _step_number(search) != number:
        query = step_query(story, number, search, dataset)
        new_search = query if query != (search or "") else no_update
    step = story.steps[number - 1]

    def said(texts: dict) -> str:  # a text missing in one language falls back to English
        return texts.get(lang) or texts.get("en", "")

    return (new_search, said(story.title), said(step.title), said(step.text), f"{number} / {count}", "")


def _trigger():
    try:
        return ctx.triggered_id
    except MissingCallbackContextException:  # called as a plain function (tests)
        return None


# Only presentation pages pass the URL on: elsewhere a URL change costs no request here.
PAGE_GATE = """
function(pathname, search, lang, current) {
    const path = (pathname || "").replace(/\\/+$/, "");
    if (!path.startsWith(PREFIX) || path.length <= PREFIX.length) { return window.dash_clientside.no_update; }
    const page = {pathname: pathname, search: search || "", lang: lang || "en"};
    if (current && current.pathname === page.pathname && current.search === page.search
        && current.lang === page.lang) { return window.dash_clientside.no_update; }
    return page;
}
""".replace("PREFIX", json.dumps(PREFIX))


def layout_store() -> dcc.Store:
    """The presentation page's URL and language (see :data:`PAGE_GATE`)."""
    return dcc.Store(id=ids.PRESENT_PAGE)


def register(app) -> None:
    """The step callback (URL in, URL and panel out)."""
    app.clientside_callback(
        PAGE_GATE,
        Output(ids.PRESENT_PAGE, "data"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        Input(ids.LANG, "data"),
        State(ids.PRESENT_PAGE, "data"),
    )
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Output(ids.PRESENT_STORY, "children"),
        Output(ids.PRESENT_TITLE, "children"),
        Output(ids.PRESENT_TEXT, "children"),
        Output(ids.PRESENT_COUNTER, "children"),
        Output(ids.PRESENT_PANEL, "title"),
        Input(ids.PRESENT_PAGE, "data"),
        Input(ids.PRESENT_PREV, "n_clicks"),
        Input(ids.PRESENT_NEXT, "n_clicks"),
        prevent_initial_call=True,
    )(present)
