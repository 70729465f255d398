"""Hostile input gets a clear answer, never a script or a formula: the page title, CSV cells,
the size of a request and the response headers (checked on the WSGI app, without a browser)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from data import DEFAULT_DATA_DIR, read_dataset
from data.export import safe_cell, to_csv

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_a_cell_that_starts_like_a_formula_is_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Bologna", "", "1+1", "DEMO - start-up", "a=b"])
def test_other_cells_are_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_csv_export_neutralises_formulas_and_keeps_numbers() -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.5, 44.5]},
            "properties": {"id": "a", "name": "=cmd|' /C calc'!A0", "note": ["@x", "y"], "year": -3, "ok": True},
        }
    ]
    rows = list(csv.DictReader(io.StringIO(to_csv(features))))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["note"] == "'@x;y"
    assert rows[0]["year"] == "-3" and rows[0]["ok"] == "true"  # numbers and booleans are no formulas
    assert rows[0]["lon"] == "-1.5"


def test_security_headers_on_every_response(client) -> None:
    for path in ("/", "/embed", "/present/", "/export/records.csv"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def test_an_oversized_request_body_is_refused_at_once(client) -> None:
    body = json.dumps({"output": "x", "inputs": [{"id": "a", "property": "b", "value": "x" * (2 * 1024 * 1024)}]})
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


def test_a_dataset_title_is_text_in_the_page_not_markup(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "hostile"
    shutil.copytree(ROOT / "data" / "emilia-romagna", data)
    meta = json.loads((data / "dataset.json").read_text(encoding="utf-8"))
    meta["title"] = "</title><script>window.pwned=1</script>"
    (data / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    code = "import app; print(app.server.test_client().get('/').get_data(as_text=True))"
    page = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**__import__("os").environ, "ATLAS_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "<script>window.pwned" not in page
    assert "&lt;/title&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "file:///etc"]
)
def test_a_record_url_that_is_no_web_address_is_never_a_link(url: str) -> None:
    from components.details import web_link

    assert web_link(url) == url


def test_a_web_address_is_a_link() -> None:
    from components.details import web_link

    link = web_link("https://www.ecmwf.int/")
    assert link.href == "https://www.ecmwf.int/" and link.rel == "noopener noreferrer"


# --- callback requests no page sends ------------------------------------------------------------

MALFORMED_BODIES = [
    "not json",
    "[]",
    "null",
    '{"inputs": []}',
    '{"output": "no-such.children", "outputs": {}, "inputs": []}',
    '{"output": "filter-counts.children", "outputs": {"id": "filter-counts", "property": "children"}, "inputs": 5}',
    '{"output": "filter-counts.children", "outputs": {}, "inputs": [{"id": "x"}]}',
    '{"output": "filter-counts.children", "outputs": {}, "inputs": [], "state": {"a": 1}}',
    '{"output": "filter-counts.children", "outputs": {}, "inputs": [], "changedPropIds": [1]}',
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_a_callback_body_of_the_wrong_shape_gets_400(client, body: str) -> None:
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]


def _dependency(item: dict, value: object) -> object:
    component = item["id"]
    if component.startswith("{"):  # a pattern-matching id: the renderer sends a list of matches
        return []
    return {"id": component, "property": item["property"], "value": value}


def _output(text: str) -> object:
    component, _, prop = text.rpartition(".")
    if component.startswith("{"):  # a pattern-matching output: one entry per match (none here)
        return []
    return {"id": component, "property": prop}


def _body(output: str, spec: dict, values: list[object]) -> dict:
    inputs, state = spec["inputs"], spec.get("state", [])
    given = iter(values)
    return {
        "output": output,
        "outputs": (
            [_output(o) for o in output.strip(".").split("...")] if output.startswith("..") else _output(output)
        ),
        "inputs": [_dependency(i, next(given, None)) for i in inputs],
        "state": [_dependency(s, next(given, None)) for s in state],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs[:1]],
    }


def test_every_callback_given_wrong_kinds_of_values_never_answers_500(client) -> None:
    """Each server callback, given values of every JSON kind (a property-based test: hypothesis
    draws them), answers 200, 204 or 400: no exception escapes as a server error."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    import app

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True) | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=8,
    )
    server_callbacks = {
        output: spec for output, spec in app.app.callback_map.items() if spec.get("callback") is not None
    }
    assert len(server_callbacks) >= 10
    statuses: set[int] = set()

    def checker(output: str, spec: dict, count: int):
        @hypothesis.settings(max_examples=12, deadline=None, derandomize=True, database=None)
        @hypothesis.given(st.lists(json_values, min_size=count, max_size=count))
        def check(values: list[object]) -> None:
            response = client.post("/_dash-update-component", json=_body(output, spec, values))
            statuses.add(response.status_code)
            assert response.status_code in (200, 204, 400), (output, values, response.get_data(as_text=True)[:300])

        return check

    for output, spec in server_callbacks.items():
        checker(output, spec, len(spec["inputs"]) + len(spec.get("state", [])))()
    assert 400 in statuses  # some of the values were refused: the test did reach the callbacks


def test_health_names_the_data_and_its_version(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok" and len(body["version"]) == 16
    shipped = read_dataset(DEFAULT_DATA_DIR)
    assert body["records"]["actors"] == len(shipped.actors) and body["records"]["links"] == len(shipped.links)
    assert body["source"] == "files" and body["cache"] == {"kind": "per process"}


def test_only_the_pages_own_inline_scripts_may_run(client) -> None:
    """The script policy lists a hash for each inline script Dash writes into the page, and no
    'unsafe-inline': a script smuggled in by a text would not run."""
    import base64
    import hashlib
    import re

    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    scripts = next(d for d in policy.split("; ") if d.startswith("script-src ")).split()[1:]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "'self'" in scripts
    # (a script inside an HTML comment, Dash's note for Internet Explorer, never runs)
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline, "the page has inline scripts (Dash's renderer start, clientside callbacks)"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert "object-src 'none'" in policy and "worker-src 'self' blob:" in policy
