"""The areas' outlines, sent to the browser once per page instead of inside every map figure.

The map layers draw areas from one collection per scope (``layers.base_areas.area_collection``:
every province, region, partner region and country, simplified for the scope). Here that
collection is swapped, in the figure sent to the browser, for the URL of a route that serves it:
plotly fetches a trace's ``geojson`` URL once and keeps it (``window.PlotlyGeoAssets``), so a
filter change sends only which areas to draw (their ids), not their outlines. The URL holds a
digest of the content, so it can be cached for good and a changed dataset gets a new one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache

from flask import Response, abort, request

from data import Dataset, load_dataset
from layers.base_areas import ASSET_KEY, REFERENCE_PREFIX, TOLERANCE, area_collection

ROUTE = "_atlas/geo/"


@lru_cache(maxsize=8)
def _asset(dataset: Dataset, scope: str) -> tuple[bytes, str]:
    """The collection of ``scope`` as JSON bytes, and the digest that names it."""
    collection = {k: v for k, v in area_collection(dataset, scope).items() if k != ASSET_KEY}
    body = json.dumps(collection, separators=(",", ":")).encode()
    return body, hashlib.sha1(body).hexdigest()[:12]


@lru_cache(maxsize=8)
def _gzipped(dataset: Dataset, scope: str) -> bytes:
    """The collection of ``scope``, gzip-compressed once (outlines shrink to about a fifth)."""
    return gzip.compress(_asset(dataset, scope)[0], compresslevel=6, mtime=0)


def asset_path(dataset: Dataset, scope: str) -> str:
    """The route path (below the app's prefix) of the outlines of ``scope``."""
    return f"{ROUTE}areas-{scope}-{_asset(dataset, scope)[1]}.geojson"


def externalise(figure: dict, dataset: Dataset, prefix: str) -> dict:
    """``figure`` (plotly JSON) with each area reference (or shared area collection) replaced by its
    URL. A new dict; the traces that change are copied, the rest shared."""
    traces = []
    for trace in figure.get("data") or []:
        geojson = trace.get("geojson")
        name = ""
        if isinstance(geojson, str) and geojson.startswith(REFERENCE_PREFIX):
            name = geojson.removeprefix(REFERENCE_PREFIX)
        elif isinstance(geojson, dict) and ASSET_KEY in geojson:
            name = geojson[ASSET_KEY]
        if name:
            trace = {**trace, "geojson": prefix + asset_path(dataset, name.removeprefix("areas-"))}
        traces.append(trace)
    return {**figure, "data": traces}


def serve(name: str) -> Response:
    """The outlines named ``areas-<scope>-<digest>.geojson``; 404 for any other name or an old digest."""
    dataset = load_dataset()
    for scope in TOLERANCE:
        if name == asset_path(dataset, scope).removeprefix(ROUTE):
            if "gzip" in request.headers.get("Accept-Encoding", ""):
                response = Response(_gzipped(dataset, scope), mimetype="application/geo+json")
                response.headers["Content-Encoding"] = "gzip"
            else:
                response = Response(_asset(dataset, scope)[0], mimetype="application/geo+json")
            response.headers["Vary"] = "Accept-Encoding"
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
    abort(404)


def register(app) -> None:
    """The route that serves the outlines."""
    prefix = app.config.routes_pathname_prefix or "/"
    app.server.add_url_rule(prefix + ROUTE + "<name>", "atlas_geo_assets", serve)
