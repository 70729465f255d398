"""Regional Networks Atlas: assemble the page and register the components.

Run: ``python app.py`` (serves on 127.0.0.1:$PORT, default 8050); ``app.server`` is the
WSGI application for gunicorn. The Flask debugger is on only with ``ATLAS_DEBUG=1``.
"""

from __future__ import annotations

import gc
import os
from functools import lru_cache
from html import escape

from dash import Dash, html
from werkzeug.serving import WSGIRequestHandler

from components import (
    details,
    embed,
    export,
    filters,
    geo_assets,
    health,
    ids,
    map_panel,
    metrics_panel,
    network_panel,
    present,
    security,
    share,
    shared_cache,
    strengths_panel,
    summary,
    sundial_panel,
    table,
    translate,
    url,
    views,
)
from core import codes, lookup, metrics
from core.i18n import LANGUAGES, all_names
from core.state import SCOPES, ViewState, state_to_dict
from core.suggest_profiles import profiles
from data import Dataset, load_dataset
from layers.actors_map import hover_texts
from layers.base_areas import TOLERANCE

COMPONENTS = (
    shared_cache,  # first: the others' callbacks and the warm-up read through it
    url,
    translate,
    filters,
    geo_assets,
    map_panel,
    network_panel,
    metrics_panel,
    strengths_panel,
    sundial_panel,
    details,
    table,
    views,
    embed,
    share,
    export,
    present,
    security,
    health,
)


def create_app() -> Dash:
    """Build the Dash app on the dataset chosen by ``ATLAS_DATA_DIR`` (default: shipped)."""
    title = load_dataset().text("title") or "Regional Networks Atlas"
    # compress: gzip every response; plotly.js alone is 4.8 MB raw, ~1.4 MB compressed.
    # Dash writes the title into the page's <title> as it is: a dataset's text must not become markup
    # stage.css and stage.js belong to the presentation stage's own page (core/stage.py links them):
    # the atlas's pages need not load them (still served under /assets/)
    app = Dash(
        __name__,
        title=escape(title),
        serve_locally=True,
        update_title=None,
        compress=True,
        assets_ignore=r"^stage\.(css|js)$",
    )
    # A function: each page load lays out the dataset being served (a database's new version
    # brings its own title, counts and filter choices without a restart).
    app.layout = page_layout
    for component in COMPONENTS:
        component.register(app)
    warm_up()
    # What start-up built (the dataset, its indexes, the caches) lives as long as the process: taken
    # out of the collector's reach, so a full collection no longer walks it. Measured: such a
    # collection paused a filter change by 40-55 ms on the shipped data, and more at 100k.
    gc.freeze()
    return app


def page_layout() -> html.Div:
    """The page, for the dataset served now."""
    return _layout_of(load_dataset())


@lru_cache(maxsize=2)
def _layout_of(dataset: Dataset) -> html.Div:
    title = dataset.text("title") or "Regional Networks Atlas"
    titles = {lang: dataset.text("title", lang) or title for lang in LANGUAGES}
    return html.Div(
        [
            # WCAG 2.4.1: past the filters' many controls in one key press (shown when focused)
            html.Nav(
                [
                    html.A(translate.T("skip.network"), href="#atlas-network", className="skip-link"),
                    html.A(translate.T("skip.map"), href="#atlas-map", className="skip-link"),
                ],
                className="skip-links",
            ),
            *url.stores(),
            *translate.stores(titles),
            html.Header(
                [
                    html.Div(
                        [
                            html.H1(translate.both(titles)),
                            html.Div(
                                [filters.drawer_button(), translate.language_switch(), export.button(), share.button()],
                                className="header-tools",
                            ),
                        ],
                        className="header-row",
                    ),
                    summary.layout(dataset),
                ],
                className="page-header",
            ),
            share.layout(),
            export.layout(),
            embed.open_link(),
            html.Div([filters.layout(dataset), views.layout()], className="page-body"),
        ],
        id=ids.PAGE,
        className="page",
    )


def warm_up() -> None:
    """Build the default view once at start-up (per worker), so the first visitor and every
    "reset" get it from the cache instead of waiting for the selection, figure and layout."""
    default = state_to_dict(ViewState())
    map_panel.update_map(default)
    network_panel.update_network(default, [])
    # What every later view shares: the outlines of each scope and every record's name per language
    # (the first world view and the first click of a worker no longer pay for them).
    dataset = load_dataset()
    codes.warm(dataset)
    lookup.warm(dataset)
    # the analyses' per-dataset parts: the first ranking or suggestion of a worker does not wait for them
    metrics.warm(dataset)
    profiles(dataset)
    for scope in TOLERANCE:
        geo_assets.asset_path(dataset, scope)
    for lang in LANGUAGES:
        all_names(dataset, lang)
        for scope in SCOPES:  # the markers' hovers: 0.1 s per language and scope at 10k actors
            hover_texts(dataset, lang, scope)


app = create_app()
server = app.server


class _QuietHandler(WSGIRequestHandler):
    """Flask's server without its version banner (``Server: Werkzeug/x Python/y`` tells an attacker
    which flaws to try)."""

    def version_string(self) -> str:
        return "atlas"


if __name__ == "__main__":
    app.run(
        host="127.0.0.1",
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("ATLAS_DEBUG") == "1",
        request_handler=_QuietHandler,
    )
