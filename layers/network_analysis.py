"""What the analyses (issue 14) add over the drawn network: node sizes by a metric, links marked
added or ended between two dates, and suggested partners as dashed edges.

Pure (no Dash). Each works on what ``layers.network`` built (cached), never rebuilding it: a size is
a stylesheet rule (``layers.network_style.size_rules``), a change a class on an edge, a suggestion
an edge appended to the elements.
"""

from __future__ import annotations

import numpy as np

from core.compare import CHANGES, compare_view
from core.i18n import LANGUAGES, t
from core.metrics import network_metrics
from core.selection import Selection
from core.state import ViewState
from core.suggest import suggest_partners
from data import Dataset
from layers.graph_layout import DIAMETERS
from layers.network import MAX_NODES, drawn_nodes

#: suggested partners drawn for the selected element (the details list the same)
SUGGESTED = 8
#: a node sized by a metric: its kind's base diameter times this at zero, up to the top value's
METRIC_SCALE = (0.7, 3.0)


def metric_sizes(
    dataset: Dataset,
    selection: Selection,
    metric: str,
    expanded: frozenset[str] = frozenset(),
    max_nodes: int = MAX_NODES,
) -> dict[str, float]:
    """The diameter of each drawn node (not group nodes: their members have their own values) when
    the size follows ``metric`` of ``core.metrics``: the square root of its share of the top value,
    so areas grow with the metric."""
    frame = network_metrics(dataset, selection).frame
    drawn = [d for d in drawn_nodes(dataset, selection, expanded, max_nodes) if d["entity"] != "group"]
    ids = [d["id"] for d in drawn]
    values = frame[metric].reindex(ids, fill_value=0).to_numpy(dtype=float)
    top = float(values.max()) if len(values) else 0.0
    share = np.sqrt(values / top) if top > 0 else np.zeros(len(values))
    low, high = METRIC_SCALE
    return {
        d["id"]: float(round(DIAMETERS.get(d["entity"], DIAMETERS["actor"]) * (low + (high - low) * float(part))))
        for d, part in zip(drawn, share, strict=True)
    }


def mark_changes(elements: list[dict], status: dict[str, str]) -> list[dict]:
    """``elements`` with each edge of a link added or ended between two dates (``status``: link id ->
    "added" | "ended", from ``core.compare``) classed ``cmp-added`` / ``cmp-ended`` and its status in
    ``data.change``: the stylesheet draws them apart. Bundles and derived edges stand for no one link."""
    out = []
    for element in elements:
        change = status.get(element["data"].get("id", "")) if "source" in element["data"] else None
        if change:
            element = {
                **element,
                "data": {**element["data"], "change": change},
                "classes": f"{element.get('classes', '')} cmp-{change}".strip(),
            }
        out.append(element)
    return out


def suggested_edges(dataset: Dataset, selection: Selection, element_id: str, drawn: set[str]) -> list[dict]:
    """The suggested partners of ``element_id`` (``core.suggest``) as edges between drawn nodes, class
    ``suggested``: drawn dashed and labelled in each language (``slabel_<lang>``), never a link record
    (no link type of the data, left out of every count and of the link exports)."""
    if element_id not in drawn:
        return []
    found = suggest_partners(dataset, selection, element_id, SUGGESTED)
    edges = []
    for suggestion in found:
        if suggestion.source_id not in drawn or suggestion.target_id not in drawn:
            continue  # a partner drawn inside a group: listed in the details, not drawn
        score = f"{suggestion.score:.2f}"
        labels = {f"slabel_{code}": f"{t('suggest.edge', code)} {score}" for code in LANGUAGES}
        edges.append(
            {
                "data": {
                    "id": f"suggested:{suggestion.source_id}:{suggestion.target_id}",
                    "source": suggestion.source_id,
                    "target": suggestion.target_id,
                    "link_type": "suggested",
                    "suggested": True,
                    "score": suggestion.score,
                    **labels,
                },
                "classes": "suggested",
            }
        )
    return edges


def change_status(dataset: Dataset, state: ViewState) -> dict[str, str]:
    """Link id -> "added" or "ended" for the two dates ``state`` compares (empty when it compares none)."""
    if not state.compare:
        return {}
    comparison = compare_view(dataset, state, *state.compare)
    changed = comparison.status[comparison.status.isin(CHANGES)]
    ids = comparison.links.loc[changed.index, "id"].tolist()
    return dict(zip(ids, changed.astype(str).tolist(), strict=True))
