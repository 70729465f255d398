"""Embeds: ``/embed`` shows the views alone, and the framing policy says who may frame the atlas.

``/embed`` is the same page and reads the same query parameters as the main one (``view``
picks the map, the network or both); a clientside class switch hides everything but the
views, a compact legend and an "open in the atlas" link, and the views fill the frame.

Every response carries ``Content-Security-Policy: frame-ancestors ...`` from the environment
variable ``ATLAS_FRAME_ANCESTORS`` (space-separated CSP sources, e.g.
``'self' https://www.regione.emilia-romagna.it``); the default ``'self'`` lets only the atlas's
own pages frame it.
"""

from __future__ import annotations

import os

from dash import Input, Output, html

from components import ids
from components.translate import T

DEFAULT_FRAME_ANCESTORS = "'self'"


def frame_ancestors() -> str:
    """The CSP ``frame-ancestors`` sources, read per request so a restart is not needed in tests."""
    value = os.environ.get("ATLAS_FRAME_ANCESTORS", "").strip()
    return value or DEFAULT_FRAME_ANCESTORS


def open_link() -> html.A:
    """The embed's only chrome besides the legend: a link to the same view in the full atlas."""
    return html.A(T("embed.open"), id=ids.EMBED_OPEN, href="/", target="_blank", rel="noopener", className="embed-open")


# The page's class follows its path: "/embed" is the embedded page; "/embed?stage=1" a scene of a
# presentation (components/present.py), in a frame of the stage.
PAGE_CLASS = """
function(pathname, lang, search) {
    const path = (pathname || "").replace(/\\/+$/, "");
    const language = lang && lang !== "en" ? " lang-" + lang : "";
    const params = new URLSearchParams(search || "");
    const details = params.get("details") === "1" ? " embed-details" : "";
    const stage = params.get("stage") === "1" ? " stage" : "";
    if (path.endsWith("/embed")) { return "page embed" + stage + details + language; }
    return "page" + language;
}
"""
# The full atlas's URL for the same view: same query, path without "/embed".
OPEN_HREF = """
function(search, pathname) {
    const base = (pathname || "/").replace(/\\/?embed\\/?$/, "/");
    return base + (search || "");
}
"""


def register(app) -> None:
    """The page class and link switches (the framing header is sent by ``components/security.py``)."""
    app.clientside_callback(
        PAGE_CLASS,
        Output(ids.PAGE, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.LANG, "data"),
        Input(ids.URL, "search"),
    )
    app.clientside_callback(
        OPEN_HREF, Output(ids.EMBED_OPEN, "href"), Input(ids.URL, "search"), Input(ids.URL, "pathname")
    )
