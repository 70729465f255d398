"""Network metrics on the page, called as plain functions: the ranking, the details' network
position, the node size and the caption of an image (the computation is tests/test_metrics.py's)."""

from __future__ import annotations

import json

from components import ids
from components.details import details_children, details_outputs
from components.metrics_panel import ranking_children
from components.network_panel import update_stylesheet
from components.url import DETAILS_LINK
from core.caption import caption, metrics_lines
from core.metrics import network_metrics
from core.selection import select
from core.state import ViewState, state_from_dict
from data import load_dataset
from layers.graph_layout import DIAMETERS
from layers.network_analysis import METRIC_SCALE, metric_sizes


def _text(children) -> str:
    return json.dumps(children, default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _buttons(children) -> list[str]:
    """The ids of the "select this" buttons in the ranking, in order."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "to_plotly_json"):
            return
        props = node.to_plotly_json().get("props", {})
        identity = props.get("id")
        if isinstance(identity, dict) and identity.get("type") == DETAILS_LINK:
            found.append(identity["target"])
        walk(props.get("children"))

    walk(children)
    return found


def _metrics(filters: dict | None = None):
    dataset = load_dataset()
    return network_metrics(dataset, select(dataset, state_from_dict(filters or {})))


def test_the_brokers_ranking_lists_the_highest_betweenness_first_and_selects_on_click() -> None:
    children = ranking_children([{}, "brokers"], "en")
    ranked = _buttons(children)
    expected = _metrics().ranking("betweenness", 15).index.tolist()
    assert ranked == expected and len(ranked) == 15
    text = _text(children)
    assert "Brokers: the top 15 of" in text and "Betweenness" in text and "%" in text


def test_the_ranking_follows_the_filters_and_the_language() -> None:
    everywhere = _buttons(ranking_children([{}, "hubs"], "en"))
    bologna = _buttons(ranking_children([{"prov": ["IT-BO"]}, "hubs"], "it"))
    assert bologna and bologna != everywhere
    assert bologna == _metrics({"prov": ["IT-BO"]}).ranking("degree", 15).index.tolist()
    assert "Collegamenti" in _text(ranking_children([{"prov": ["IT-BO"]}, "hubs"], "it"))


def test_bridges_abroad_rank_only_nodes_with_links_across_the_border() -> None:
    ranked = _buttons(ranking_children([{}, "abroad"], "en"))
    frame = _metrics().frame
    assert ranked and all(frame.at[node, "abroad"] > 0 for node in ranked)
    assert frame.loc[ranked, "abroad"].is_monotonic_decreasing


def test_no_ranking_chosen_builds_nothing() -> None:
    assert ranking_children("", "en") == [] and ranking_children([{}, "best"], "en") == []
    assert "No node scores above zero" in _text(ranking_children([{"q": "zzzz-no-such-name"}, "hubs"], "en"))


def test_the_details_say_the_network_position_under_the_filters() -> None:
    frame = _metrics().frame
    node = frame["betweenness"].idxmax()
    text = _text(details_children(node, "en", {}))
    assert "Network position" in text
    assert f"no. 1 of {len(frame)}" in text
    assert _text(details_outputs([node, {}], "de")).count("Platz") >= 2
    assert details_outputs("", "en") == []
    # filtered out by a search that does not match it: said, not left blank
    assert "Not shown under these filters." in _text(details_children(node, "en", {"q": "zzzz-no-such-name"}))


def test_the_node_size_follows_the_metric_as_a_restyle() -> None:
    dataset = load_dataset()
    selection = select(dataset, ViewState())
    sizes = metric_sizes(dataset, selection, "betweenness")
    top = _metrics().frame["betweenness"].idxmax()
    low, high = METRIC_SCALE
    assert sizes[top] == max(sizes.values())
    assert min(sizes.values()) >= round(DIAMETERS["actor"] * low) and max(sizes.values()) <= DIAMETERS["group"] * high
    sheet = update_stylesheet("", {}, [], "en", "betweenness")
    plain = update_stylesheet("", {}, [], "en", "")
    sized = [rule for rule in sheet if rule not in plain]
    assert sized and all(set(rule["style"]) == {"width", "height"} for rule in sized)
    assert any(f'"{top}"' in rule["selector"] and rule["style"]["width"] == sizes[top] for rule in sized)


def test_an_image_caption_names_the_size_and_the_ranking() -> None:
    dataset = load_dataset()
    state = ViewState(rank="brokers", size="betweenness")
    lines = metrics_lines(dataset, state, select(dataset, state), "en")
    top = _metrics().frame["betweenness"].idxmax()
    assert lines[0] == "Node size: Betweenness"
    assert lines[1].startswith("Ranking, Brokers (betweenness): 1. ") and top in _ids_named(lines[1], dataset)
    assert metrics_lines(dataset, ViewState(), select(dataset, ViewState()), "en") == []
    assert "Classifica" in " ".join(caption(dataset, state, "it")["lines"])


def _ids_named(line: str, dataset) -> set[str]:
    names = {**dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))}
    names.update(zip(dataset.groupings["id"], dataset.groupings["name"], strict=True))
    return {node for node, name in names.items() if f"1. {name} (" in line}


def test_the_metrics_stores_are_in_the_page() -> None:
    assert ids.RANKING != ids.NODE_SIZE and ids.RANKING_REQUEST and ids.DETAILS_REQUEST
