"""Hardening every response: headers that stop content sniffing and referrer leaks, a cap on
the size of a request body, and 400 (not 500) for a callback request no page of the atlas sends.

Why a cap: the largest request a browser of the atlas sends is about 6 KB (a callback body);
without one, a 50 MB JSON body posted to ``/_dash-update-component`` was parsed in full (21-26 s,
1.7 GB in one worker) before failing. Over :data:`MAX_REQUEST_BYTES` Flask answers 413 at once.

The content security policy: who may frame the atlas (``frame-ancestors``, from
``components/embed.py``), and which scripts run: the atlas's own files, and of inline scripts
only those Dash writes (by their hashes: the renderer's start and the clientside callbacks).
A script that a text from the data or the URL smuggled into a page would not run. MapLibre
draws in workers made from ``blob:`` URLs. Plugins (``object``) and a changed ``<base>`` are
refused.

A callback request is checked for the shape Dash's renderer sends (:func:`body_problem`) before
Dash reads it; one that passes but gives a callback values of the wrong kind (a list where the
filters' dict belongs) ends in the callback's TypeError or the like: that is the request's fault,
answered 400 and logged with its traceback, so a real bug still shows in the server's log.
"""

from __future__ import annotations

from typing import Any

from dash.exceptions import CallbackException, InvalidCallbackReturnValue
from flask import Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from components.embed import frame_ancestors

#: the route of every server callback (below the app's path prefix)
CALLBACK_ROUTE = "_dash-update-component"
#: what a callback raises when its inputs are not what the page sends
MALFORMED_INPUT = (TypeError, AttributeError, ValueError, KeyError, IndexError)

#: a request body larger than this is refused (413): 40 times the largest the atlas's pages send
MAX_REQUEST_BYTES = 256 * 1024

HEADERS = {
    # a file is what its Content-Type says (an export is never run as a script)
    "X-Content-Type-Options": "nosniff",
    # a link out of the atlas tells the other site the atlas's origin, not the view's filters
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def content_security_policy(ancestors: str, scripts: str) -> str:
    """The policy's text: framing by ``ancestors``, scripts from ``scripts`` (sources and hashes)."""
    return (
        f"frame-ancestors {ancestors}; script-src {scripts}; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'"
    )


def _dependencies_ok(items: Any) -> bool:
    """A list of ``{id, property, ...}`` (or, for a pattern-matching input, a list of such)."""
    if not isinstance(items, list):
        return False
    for item in items:
        group = item if isinstance(item, list) else [item]
        for one in group:
            if not isinstance(one, dict) or not isinstance(one.get("property"), str):
                return False
            if not isinstance(one.get("id"), str | dict):
                return False
    return True


def body_problem(body: Any, known_outputs: Any) -> str | None:
    """What is wrong with a callback request's JSON ``body`` (None: it has the renderer's shape
    and names a callback of the app, one of ``known_outputs``)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in known_outputs:
        return "no such callback"
    outputs = body.get("outputs")
    if output.startswith(".."):  # several outputs: one entry (or list of matches) per output
        if not isinstance(outputs, list) or len(outputs) != output.strip(".").count("...") + 1:
            return "'outputs' does not list the callback's outputs"
    elif not isinstance(outputs, dict | list):
        return "'outputs' is missing or not an object"
    if not _dependencies_ok(body.get("inputs")):
        return "'inputs' is not a list of {id, property, value}"
    if "state" in body and not _dependencies_ok(body["state"]):
        return "'state' is not a list of {id, property, value}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' is not a list of texts"
    return None


def _request_fault(error: Exception) -> bool:
    """Whether ``error`` came of the request (a value of the wrong kind, or outputs and inputs that
    do not match the callback: Dash's CallbackException) rather than of the callback's own answer."""
    if isinstance(error, InvalidCallbackReturnValue):
        return False  # the callback answered something Dash cannot send: the atlas's bug
    return isinstance(error, (*MALFORMED_INPUT, CallbackException))


def register(app) -> None:
    """The size cap, the callback checks and the headers, on every route of the app's server."""
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    def is_callback() -> bool:
        return request.method == "POST" and request.path.rstrip("/").endswith(CALLBACK_ROUTE)

    @app.server.before_request
    def _check_callback_body():
        if not is_callback():
            return None
        problem = body_problem(request.get_json(silent=True), app.callback_map)
        if problem:
            return Response(f"Bad callback request: {problem}.\n", status=400, mimetype="text/plain")
        return None

    @app.server.errorhandler(Exception)
    def _malformed_input(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if is_callback() and _request_fault(error):
            app.server.logger.warning("callback input rejected (400): %r", error, exc_info=error)
            return Response("Bad callback request: an input has the wrong kind of value.\n", 400, mimetype="text/plain")
        app.server.logger.error("unhandled error", exc_info=error)
        return InternalServerError(original_exception=error)

    # The inline scripts' hashes are taken at the first response, when every component has registered
    # its clientside callbacks (so the order of the components does not matter); the same for all.
    scripts: list[str] = []

    @app.server.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not scripts:
            scripts.append(" ".join(["'self'", *app.csp_hashes()]))
        response.headers["Content-Security-Policy"] = content_security_policy(frame_ancestors(), scripts[0])
        return response
