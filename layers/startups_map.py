"""Map layer: start-ups, aggregated into one bubble per (province, municipality).

Why aggregate: start-ups are placed at municipality precision (the business register gives
the municipality, not the address), so all start-ups of a municipality sit on exactly the
same point; hundreds of identical points cannot be told apart or clicked, and would cost
a marker each. One bubble per municipality says what is known (how many, where) and stays
small: at most one bubble per municipality (~330 in Emilia-Romagna) even for 100,000
start-ups. Individual start-ups are listed in the table and in the hover (up to 5 names).

Bubble size: diameter = ``min_size + size_span * sqrt(count / largest)``, where *largest* is
the biggest municipality of the whole dataset, so bubbles keep their scale when filters
change (a filtered-down Bologna shrinks rather than staying the biggest).

customdata: ``"agg:<id of the first start-up listed>"`` (:data:`AGG_PREFIX`). A bubble is
not one element: the ``agg:`` prefix tells click handlers so (``components/url.py``
ignores such clicks); :func:`element_id` strips it for a handler that wants the first
start-up instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.i18n import number, t
from core.selection import Selection
from core.state import ViewState
from data import Dataset
from layers.actors_map import actor_positions
from layers.style import HOVERLABEL, STARTUP_STYLE

AGG_PREFIX = "agg:"
#: names listed in a bubble's hover
MAX_NAMES = 5


def element_id(customdata: str) -> str:
    """The element id inside a bubble's customdata (the first start-up listed); others unchanged."""
    return customdata[len(AGG_PREFIX) :] if customdata.startswith(AGG_PREFIX) else customdata


@lru_cache(maxsize=4)
def largest_count(dataset: Dataset) -> int:
    """Start-ups in the dataset's most populated municipality (the bubbles' fixed scale)."""
    startups = dataset.actors
    startups = startups[startups["kind"] == "startup"]
    if not len(startups):
        return 1
    return int(startups.groupby([startups["province"].fillna(""), startups["municipality"].fillna("")]).size().max())


@dataclass(frozen=True)
class _StartupIndex:
    """Per-dataset arrays (row = position in ``dataset.actors``) so aggregation is a few numpy calls."""

    is_startup: np.ndarray
    codes: np.ndarray  # municipality group code per row (-1 for non-start-ups)
    places: list[tuple[str, str]]  # code -> (province, municipality)
    ids: np.ndarray
    names: np.ndarray
    synthetic: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


@lru_cache(maxsize=4)
def _startup_index(dataset: Dataset) -> _StartupIndex:
    actors = dataset.actors
    is_startup = (actors["kind"] == "startup").to_numpy()
    keys = pd.Series(list(zip(actors["province"].fillna(""), actors["municipality"].fillna(""), strict=True)))
    codes, uniques = pd.factorize(keys.where(is_startup, None), sort=True)
    drawn = actor_positions(dataset).reindex(actors["id"])
    return _StartupIndex(
        is_startup,
        codes,
        list(uniques),
        actors["id"].to_numpy(),
        actors["name"].to_numpy(),
        actors["synthetic"].fillna(False).astype(bool).to_numpy(),
        drawn["lon"].to_numpy(dtype=float),
        drawn["lat"].to_numpy(dtype=float),
    )


def aggregate(dataset: Dataset, selection: Selection) -> list[dict]:
    """One record per municipality with start-ups in the selection.

    Keys: ``province``, ``municipality``, ``lon``, ``lat``, ``count``, ``synthetic`` (how many
    are synthetic), ``names`` (the first :data:`MAX_NAMES` in data order, sorted), ``first_id``.
    """
    ix = _startup_index(dataset)
    # The selection's frames keep dataset.actors' row positions as their index.
    rows = selection.actors.index.to_numpy()
    rows = rows[ix.is_startup[rows]]
    if not len(rows):
        return []
    # Group by municipality with one stable sort instead of a pandas groupby over 100k strings.
    order = np.argsort(ix.codes[rows], kind="stable")
    rows = rows[order]
    codes, starts, counts = np.unique(ix.codes[rows], return_index=True, return_counts=True)
    synthetic = np.add.reduceat(ix.synthetic[rows].astype(int), starts)
    records = []
    for code, start, count, n_synthetic in zip(codes, starts, counts, synthetic, strict=True):
        members = rows[start : start + count]
        first = members[0]
        province, municipality = ix.places[code]
        records.append(
            {
                "province": province,
                "municipality": municipality,
                "lon": float(ix.lon[first]),
                "lat": float(ix.lat[first]),
                "count": int(count),
                "synthetic": int(n_synthetic),
                "names": sorted(str(n) for n in ix.names[members[:MAX_NAMES]]),
                "first_id": str(ix.ids[first]),
            }
        )
    return records


def _hover(record: dict, lang: str) -> str:
    place = escape(record["municipality"] or t("hover.no_municipality", lang))
    if record["province"]:
        place += f" ({escape(record['province'])})"
    count, synthetic = record["count"], record["synthetic"]
    lines = [
        f"<b>{place}</b>",
        t("hover.startup_one" if count == 1 else "hover.startup_many", lang, count=number(count, lang)),
    ]
    if synthetic:
        text = t("hover.synthetic_of", lang, count=number(synthetic, lang), badge=t("badge.synthetic", lang))
        lines.append(f"<b>{text}</b>")
    lines += [f"• {escape(str(n))}" for n in record["names"]]
    if count > len(record["names"]):
        lines.append(t("hover.more", lang, count=number(count - len(record["names"]), lang)))
    lines.append(f"<i>{t('hover.startup_location', lang)}</i>")
    return "<br>".join(lines)


def build(dataset: Dataset, selection: Selection, state: ViewState, lang: str = "en") -> list[go.Scattermap]:
    """One ``Scattermap`` trace of start-up bubbles (empty list when no start-up is selected)."""
    records = aggregate(dataset, selection)
    if not records:
        return []
    counts = np.array([r["count"] for r in records], dtype=float)
    sizes = STARTUP_STYLE["min_size"] + STARTUP_STYLE["size_span"] * np.sqrt(counts / largest_count(dataset))
    return [
        go.Scattermap(
            name=t("trace.startups", lang),
            mode="markers",
            lon=[r["lon"] for r in records],
            lat=[r["lat"] for r in records],
            customdata=[AGG_PREFIX + r["first_id"] for r in records],
            hovertext=[_hover(r, lang) for r in records],
            hovertemplate="%{hovertext}<extra></extra>",
            hoverlabel=HOVERLABEL,
            marker={
                "color": STARTUP_STYLE["colour"],
                "opacity": STARTUP_STYLE["opacity"],
                "size": np.round(sizes, 1),
                "sizemode": "diameter",
            },
        )
    ]
