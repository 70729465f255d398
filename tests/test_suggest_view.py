"""Suggested partners on the page, called as functions: the network's dashed edges, the details'
list, the legend, and exports that carry them only when asked (``include=suggested``)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from components.details import details_outputs
from components.export import links_response
from components.network_panel import update_network
from core.selection import select
from core.state import ViewState
from core.suggest import suggest_partners
from data import load_dataset

DAMA = "tecnopolo-bologna-dama"


@pytest.fixture(scope="module")
def server():
    from app import create_app

    return create_app().server


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_links_exports_carry_suggestions_only_when_asked(server) -> None:
    with server.test_request_context():
        plain = _csv_rows(links_response(f"?sel={DAMA}&suggest=1", "csv"))
        asked = _csv_rows(links_response(f"?sel={DAMA}&suggest=1&include=suggested", "csv"))
        geo = json.loads(links_response(f"?sel={DAMA}&include=suggested", "geojson").get_data(as_text=True))
    assert not any(row["link_type"] == "suggested" for row in plain)
    extra = [row for row in asked if row["link_type"] == "suggested"]
    dataset = load_dataset()
    expected = suggest_partners(dataset, select(dataset, ViewState()), DAMA, 8)
    assert [row["target_id"] for row in extra] == [s.target_id for s in expected]
    assert all(row["suggested"] == "true" and "not a link" in row["source"] for row in extra)
    assert len(asked) == len(plain) + len(extra)
    assert sum(f["properties"]["link_type"] == "suggested" for f in geo["features"]) == len(expected)


def test_the_network_draws_suggestions_apart_and_never_counts_them() -> None:
    elements, _notice, legend = update_network({}, [], "it", DAMA)
    plain, _, plain_legend = update_network({}, [], "it", "")
    suggested = [e for e in elements if e.get("classes") == "suggested"]
    assert suggested and len(elements) == len(plain) + len(suggested)
    assert all(e["data"]["source"] == DAMA and e["data"]["slabel_it"].startswith("suggerito 0.") for e in suggested)
    text = json.dumps(legend, default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    plain_text = json.dumps(plain_legend, default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Collegamento suggerito" in text and "Collegamento suggerito" not in plain_text
    # every link type's count is the same with the suggestions drawn: they are not counted as links
    assert re.findall(r"\(\d+\)", plain_text) == re.findall(r"\(\d+\)", text)


def test_the_details_list_suggestions_with_score_and_reasons_only_when_on() -> None:
    on = json.dumps(details_outputs([DAMA, {}, True], "en"), default=lambda o: o.to_plotly_json())
    off = json.dumps(details_outputs([DAMA, {}, False], "en"), default=lambda o: o.to_plotly_json())
    assert "Suggested partners" in on and "Score 0." in on and "Both take part in" in on
    assert "Suggested partners" not in off


def test_the_map_draws_suggestions_only_when_on() -> None:
    from components.map_panel import highlight_points
    from layers.links_map import suggested_segments

    dataset = load_dataset()
    on = highlight_points([DAMA, {}, {"scope": "region"}, True])
    off = highlight_points([DAMA, {}, {"scope": "region"}, False])
    expected = suggested_segments(dataset, select(dataset, ViewState()), DAMA, 8)
    assert expected and on["suggested"] == expected and "suggested" not in off
    assert on["customdata"] == off["customdata"]  # the halos are the same


def test_the_suggested_partners_are_highlighted_with_the_selection() -> None:
    from components.network_panel import update_stylesheet

    dataset = load_dataset()
    partners = {s.target_id for s in suggest_partners(dataset, select(dataset, ViewState()), DAMA, 8)}
    with_suggestions = " ".join(r["selector"] for r in update_stylesheet(DAMA, {}, [], "en", "", DAMA))
    without = " ".join(r["selector"] for r in update_stylesheet(DAMA, {}, [], "en", "", ""))
    assert all(f'node[id = "{p}"]' in with_suggestions for p in partners)
    assert not all(f'node[id = "{p}"]' in without for p in partners)
