"""The caption of an exported image, and the ids of an exported selection. Pure (no Dash).

An image leaves the atlas without its filter panel, so its caption says what it shows: the
title, the active filters in words, the counts, the sources of the shown records (kept short),
whether any shown record is synthetic demo data, and the date of the export.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pandas as pd

from core.compare import caption as compare_caption
from core.compare import compare_view
from core.i18n import all_names, day, number, percent, record_name, t
from core.i18n import label as vocabulary_label
from core.metrics import network_metrics
from core.selection import Selection, select
from core.state import ViewState, compress_gvcs
from core.vocabulary import vocabulary
from data import Dataset

#: filter values named one by one before "and N more"
MAX_VALUES = 6
#: sources named in the caption (the most used first)
MAX_SOURCES = 3
_URL = re.compile(r"https?://([^/\s;,)]+)")


def selection_ids(selection: Selection) -> frozenset[str]:
    """Every record id of the selection: shown actors, groupings, areas and links."""
    return (
        frozenset(selection.actors["id"])
        | frozenset(selection.groupings["id"])
        | frozenset(selection.areas["id"])
        | frozenset(selection.links["id"])
    )


def _names(values: list[str], lang: str) -> str:
    if len(values) <= MAX_VALUES:
        return ", ".join(values)
    shown = ", ".join(values[:MAX_VALUES])
    return f"{shown} {t('export.caption.more', lang, count=number(len(values) - MAX_VALUES, lang))}"


def _lookup(dataset: Dataset, lang: str) -> dict[str, str]:
    """Id -> name in ``lang`` for value chains, clusters, sectors and areas (filter values)."""
    names: dict[str, str] = {}
    for frame in (dataset.sectors, dataset.groupings, dataset.gvcs, dataset.areas):
        names.update(
            (row["id"], record_name(row, lang))
            for row in frame.drop(columns="geometry", errors="ignore").to_dict(orient="records")
        )
    return names


def filter_parts(dataset: Dataset, state: ViewState, lang: str = "en") -> list[str]:
    """The active filters in words, e.g. ``["Provinces: Bologna", "Years 2013–2019"]``."""
    names = _lookup(dataset, lang)
    parts: list[str] = []
    if state.gvc:
        # whole clusters or sectors by their name, as the URL shortens them
        groups = compress_gvcs(state.gvc, vocabulary(dataset))
        parts.append(t("export.caption.gvc", lang, values=_names([names.get(g, g) for g in groups], lang)))
    if state.link:
        parts.append(t("export.caption.link", lang, values=_names([t(f"link.{v}", lang) for v in state.link], lang)))
    if state.kind:
        parts.append(t("export.caption.kind", lang, values=_names([t(f"kind.{v}", lang) for v in state.kind], lang)))
    if state.prov:
        parts.append(t("export.caption.prov", lang, values=_names([names.get(p, p) for p in state.prov], lang)))
    if state.year:
        start, end = state.year
        parts.append(
            t("export.caption.year", lang, year=start)
            if start == end
            else t("export.caption.years", lang, start=start, end=end)
        )
    if state.q.strip():
        parts.append(t("export.caption.search", lang, text=state.q.strip()))
    return parts


def source_labels(source: str) -> list[str]:
    """Short names for one ``source`` text: its leading words when it starts with a title (a
    document, a data set, the demo sample), else the web sites it cites."""
    text = source or ""
    # a colon ends a title only before a space or the end ("Natural Earth admin-1 1:10m" is one name)
    lead = re.split(r"[(;,]|:(?=\s|$)|https?://", text, maxsplit=1)[0].strip()
    if lead.count("'") % 2 or lead.count('"') % 2:  # a colon inside a quoted title: keep the title whole
        lead = re.split(r"[(;,]|https?://", text, maxsplit=1)[0].strip()
    if lead:
        return [lead if len(lead) <= 40 else lead[:39].rstrip() + "…"]
    return list(dict.fromkeys(h.lower().removeprefix("www.") for h in _URL.findall(text)))


def sources_line(selection: Selection, lang: str = "en") -> str:
    """``Sources: N sources, incl. a, b, c``: the distinct sources of the shown records, the most used named."""
    texts = pd.concat(
        [frame["source"] for frame in (selection.actors, selection.groupings, selection.areas, selection.links)],
        ignore_index=True,
    ).dropna()
    counts = Counter(texts.astype(str))
    if not counts:
        return ""
    labels: Counter[str] = Counter()
    for text, n in counts.items():
        for label in source_labels(text):
            labels[label] += n
    top = ", ".join(label for label, _ in labels.most_common(MAX_SOURCES))
    if len(counts) == 1:
        return t("export.caption.one_source", lang, top=top)
    return t("export.caption.sources", lang, count=number(len(counts), lang), top=top)


def synthetic_count(selection: Selection) -> int:
    """How many shown records are synthetic demo data."""
    total = 0
    for frame in (selection.actors, selection.groupings, selection.areas, selection.links):
        if "synthetic" in frame and len(frame):
            total += int(frame["synthetic"].fillna(False).astype(bool).sum())
    return total


def selected_line(dataset: Dataset, element_id: str, lang: str = "en") -> str:
    """``Selected: <name> (<kind>)`` for the selected record ("" when none or not in the data); a
    link is named by its two ends, its type and year."""
    if not element_id:
        return ""
    names = all_names(dataset, lang)
    if element_id in names:
        for frame in (dataset.actors, dataset.groupings, dataset.areas):
            kinds = frame.loc[frame["id"] == element_id, "kind"]
            if len(kinds):
                kind = vocabulary_label("kind", kinds.iloc[0], lang)
                return t("export.caption.selected", lang, name=names[element_id], kind=kind)
    links = dataset.links[dataset.links["id"] == element_id]
    if not len(links):
        return ""
    link = links.iloc[0]
    ends = f"{names.get(link['source_id'], link['source_id'])} → {names.get(link['target_id'], link['target_id'])}"
    year = f", {int(link['year'])}" if pd.notna(link["year"]) else ""
    kind = vocabulary_label("link", link["link_type"], lang)
    return t("export.caption.selected_link", lang, name=ends, kind=kind, year=year)


#: ranking -> the metric it sorts by (as components/metrics_panel.py); top entries named in a caption
RANKED_BY = {"hubs": "degree", "brokers": "betweenness", "abroad": "abroad"}
CAPTION_TOP = 5


def metrics_lines(dataset: Dataset, state: ViewState, selection: Selection, lang: str = "en") -> list[str]:
    """What an image drawn with network metrics says of them: the metric the node size follows, and
    the ranking shown with its first :data:`CAPTION_TOP` names and values (none when neither is on)."""
    lines: list[str] = []
    if state.size:
        lines.append(t("export.caption.size", lang, metric=t(f"metrics.size.{state.size}", lang)))
    if state.rank in RANKED_BY:
        metric = RANKED_BY[state.rank]
        metrics = network_metrics(dataset, selection)
        top = metrics.ranking(metric, CAPTION_TOP)
        names = all_names(dataset, lang)
        entries = [
            f"{rank}. {names.get(node, node)} ({metric_text(value, metric, lang)})"
            for node, rank, value in zip(top.index.tolist(), top["rank"].tolist(), top[metric].tolist(), strict=True)
        ]
        lines.append(
            t("export.caption.ranking", lang, ranking=t(f"metrics.rank.{state.rank}", lang), top="; ".join(entries))
            if entries
            else t("export.caption.ranking_empty", lang, ranking=t(f"metrics.rank.{state.rank}", lang))
        )
    return lines


def compare_lines(dataset: Dataset, state: ViewState, lang: str = "en") -> list[str]:
    """With two dates compared: what the image's wide and dashed links are, counted ("Changes between
    2015 and 2024: +21 links since 2015, 7 ended"), and the note on undated links."""
    if not state.compare:
        return []
    first, second = state.compare
    sentence, *notes = compare_caption(compare_view(dataset, state, first, second), lang)
    title = t("compare.title", lang, first=str(first), second=str(second))
    return [f"{title}: {sentence}", *notes]


def metric_text(value: float, metric: str, lang: str = "en") -> str:
    """A metric's value as the page writes it: betweenness as a percentage, the counts whole."""
    return percent(float(value), lang) if metric == "betweenness" else number(int(value), lang)


def caption(
    dataset: Dataset,
    state: ViewState,
    lang: str = "en",
    today: date | None = None,
    memberships: int = 0,
    selected: str = "",
) -> dict:
    """The caption of an image of ``state``: ``title``, the ``lines`` under it, and the view names.

    ``lines``: filters, the selected element (``selected``, an id), counts (with the network's
    ``memberships`` drawn from the actors' records, counted by the caller: the network layer
    sits above this module), sources (the dataset's note, then the records'), the synthetic
    notice when any shown record is synthetic, and the date (``today``, default the server's).
    """
    selection = select(dataset, state)
    title = dataset.text("title", lang) or "Regional Networks Atlas"
    filters = filter_parts(dataset, state, lang)
    counts = {k: number(v, lang) for k, v in selection.counts().items()}
    shown = t(
        "export.caption.shown",
        lang,
        actors=counts["actors"],
        groupings=counts["groupings"],
        areas=counts["areas"],
        links=counts["links"],
    )
    if memberships:
        shown += ", " + t("export.caption.memberships", lang, count=number(memberships, lang))
    lines = [
        t("export.caption.filters", lang, filters="; ".join(filters))
        if filters
        else t("export.caption.no_filters", lang),
        *[line for line in (selected_line(dataset, selected, lang),) if line],
        shown,
        *metrics_lines(dataset, state, selection, lang),
        *compare_lines(dataset, state, lang),
    ]
    sources = sources_line(selection, lang)
    note = dataset.text("sources_note", lang)
    lines += [text for text in (sources, note) if text]
    synthetic = synthetic_count(selection)
    if synthetic:
        lines.append(t("export.caption.synthetic", lang, count=number(synthetic, lang)))
    lines.append(t("export.caption.date", lang, date=day(today or date.today(), lang)))
    return {
        "title": title,
        "lines": lines,
        "synthetic": bool(synthetic),
        "views": {"map": t("export.caption.map", lang), "network": t("export.caption.network", lang)},
        "legend": t("export.caption.legend", lang),
    }
