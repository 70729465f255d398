"""Two dates compared (``compare=YEAR1,YEAR2``): which links exist at the first date, the second, or both.

Pure computation (no Dash, no text): the views draw and word what this module counts.

Rules:

* A link **exists in year Y** when its ``year`` (the year it started) is blank or ``<= Y`` and its
  ``end_year`` (the last year it existed) is blank or ``>= Y``. Both bounds are inclusive: a link
  with ``end_year`` 2015 still exists in 2015, one with ``year`` 2020 already exists in 2020.
* Each link gets one status (:data:`STATUSES`): ``both`` (exists at both dates: unchanged),
  ``added`` (at the second date only), ``ended`` (at the first only), ``neither`` (at neither:
  started after the second date, ended before the first, or came and went in between; not drawn).
* **A link with no start year** exists at both dates unless its ``end_year`` says it ended: a
  blank start reads as "since before any date asked". Most such links are standing relations
  (memberships, ``part_of``) whose start is not recorded, and the year filter already shows them in
  every year; counting them as added would invent a change. Because this is an assumption, they
  are counted apart (``undated``: those drawn, i.e. present at the first date), so the caption can
  say how many of the unchanged links rest on it.

The year filter (``year=``) and a comparison: the comparison **ignores the year filter** and
compares the links every *other* filter selects (:func:`links_to_compare`). The year filter keeps
links whose *start* falls in a range and knows nothing of end years; applied first, it would hide
exactly the links the comparison is about (``year=2013-2019&compare=2015,2022`` would drop every link
added in 2020-2022 and still say "+N since 2015" as if complete). An official comparing two dates
asks the time question with those two dates; value chain, link type, province, kind and search
still narrow which links are compared. The page should therefore show the year filter as inactive
while a comparison is on (``core/state.py`` may also drop ``year`` from such a state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from core.i18n import number, t
from core.once import OncePerKey
from core.selection import links_existing_in, select
from core.state import ViewState
from data import Dataset
from data.schema import LINK_TYPES

#: a link's status in a comparison, in the order tables and legends list them
STATUSES = ("both", "added", "ended", "neither")
#: the statuses that are changes (the change table's rows)
CHANGES = ("added", "ended")
# status code by (exists at first) + 2 * (exists at second): neither, ended, added, both
_STATUS_BY_PRESENCE = np.array([STATUSES.index(s) for s in ("neither", "ended", "added", "both")], dtype=np.int8)


def _years(links: pd.DataFrame, column: str) -> np.ndarray:
    """A year column as floats with NaN for blank (a missing column: all blank), so that the
    comparisons below are plain numpy (NaN compares False) whatever the column's dtype."""
    if column not in links:
        return np.full(len(links), np.nan)
    values = links[column]
    if not pd.api.types.is_numeric_dtype(values):
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype=float, na_value=np.nan)


def exists_in(links: pd.DataFrame, year: int) -> np.ndarray:
    """Per link (by position), whether it exists in ``year`` (see the module's rules)."""
    return links_existing_in(links, year)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The links compared at two dates, each with its status. Frames are shared: read them only."""

    first: int
    second: int
    #: the links compared, as given
    links: pd.DataFrame
    #: per link (same index as ``links``): its status, a categorical of :data:`STATUSES`
    status: pd.Series
    #: per link (by position): whether it has no start year
    undated_mask: np.ndarray = field(repr=False)

    @property
    def counts(self) -> dict[str, int]:
        """How many links are ``both``, ``added``, ``ended``, ``neither``; and ``undated``: how many
        of those drawn (both or ended) have no start year, so are assumed present at the first date."""
        codes = self.status.cat.codes.to_numpy()
        out = {name: int(n) for name, n in zip(STATUSES, np.bincount(codes, minlength=len(STATUSES)), strict=True)}
        drawn = codes != STATUSES.index("neither")
        out["undated"] = int((self.undated_mask & drawn).sum())
        return out

    @property
    def drawn(self) -> pd.DataFrame:
        """The links that exist at one date at least (every status but ``neither``): what the views draw."""
        return self.links[(self.status != "neither").to_numpy()]

    def of(self, status: str) -> pd.DataFrame:
        """The links with ``status`` (one of :data:`STATUSES`)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})")
        return self.links[(self.status == status).to_numpy()]


def compare_links(links: pd.DataFrame, first: int, second: int) -> Comparison:
    """Compare ``links`` (rows of a links frame: ``year`` and, where the data has it, ``end_year``) at
    ``first`` and ``second`` (``first <= second``; :func:`parse_compare` gives them so ordered)."""
    if first > second:
        raise ValueError(f"the first year ({first}) is after the second ({second})")
    at_first, at_second = exists_in(links, first), exists_in(links, second)
    codes = _STATUS_BY_PRESENCE[at_first.astype(np.int8) + 2 * at_second.astype(np.int8)]
    status = pd.Series(pd.Categorical.from_codes(codes, categories=STATUSES), index=links.index, name="status")
    return Comparison(first, second, links, status, np.isnan(_years(links, "year")))


def links_to_compare(dataset: Dataset, state: ViewState) -> pd.DataFrame:
    """The links a comparison of ``state`` looks at: those every filter but the year filter selects
    (why: the module's docstring). The selection is the cached one of that filter state."""
    return select(dataset, state.with_(year=None)).links


def compare_view(dataset: Dataset, state: ViewState, first: int, second: int) -> Comparison:
    """:func:`compare_links` over :func:`links_to_compare`: the comparison a page with ``state``'s
    filters and ``compare=first,second`` shows. Cached per dataset, filters and years (the counts, the
    legends, the caption and the table all ask for it)."""
    key = (dataset, state.with_(year=None).filters(), first, second)
    return _comparisons.get(key, lambda: compare_links(links_to_compare(dataset, state), first, second))


_comparisons: OncePerKey[Comparison] = OncePerKey(maxsize=16)


#: the change table's columns, in order
CHANGE_COLUMNS = ("id", "link_type", "source_id", "from", "target_id", "to", "year", "end_year", "status")


def change_table(
    comparison: Comparison, names: Mapping[str, str] | None = None, statuses: tuple[str, ...] = CHANGES
) -> pd.DataFrame:
    """The rows of the table of changes: one per link with one of ``statuses`` (default: added and
    ended), columns :data:`CHANGE_COLUMNS`. ``from``/``to`` are the ends' names from ``names`` (e.g.
    ``core.i18n.all_names(dataset, lang)``), else their ids; the link type and status stay codes for
    the page to label (``link.<type>``, ``compare.status.<status>``).

    Sorted as a history reads: added links first, then ended ones (the order of ``statuses``); within
    each, by the year of the change (the start year of an added link, the last year of an ended one;
    none: last), then link type (in the schema's order) and the links' own order, so that the order
    is stable across runs. Sorted on numbers, not strings: 18k changes at 100k take milliseconds.
    """
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r} (expected one of: {', '.join(STATUSES)})")
    codes = comparison.status.cat.codes.to_numpy()
    rank_of = np.full(len(STATUSES), -1)
    rank_of[[STATUSES.index(s) for s in statuses]] = np.arange(len(statuses))
    rank = rank_of[codes]
    keep = np.flatnonzero(rank >= 0)
    links = comparison.links
    start, end = _years(links, "year")[keep], _years(links, "end_year")[keep]
    when = np.where(codes[keep] == STATUSES.index("ended"), end, start)
    when = np.where(np.isnan(when), np.inf, when)
    types = pd.Index(LINK_TYPES).get_indexer(links["link_type"].to_numpy(dtype=object)[keep])
    types = np.where(types < 0, len(LINK_TYPES), types)  # a type the schema does not name: last
    order = keep[np.lexsort((keep, types, when, rank[keep]))]
    rows = links.iloc[order]
    get = (names or {}).get
    sources, targets = rows["source_id"].tolist(), rows["target_id"].tolist()
    blank = pd.array([pd.NA] * len(rows), dtype="Int64")
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(dtype=object),
            "link_type": rows["link_type"].to_numpy(dtype=object),
            "source_id": sources,
            "from": [get(i, i) for i in sources],
            "target_id": targets,
            "to": [get(i, i) for i in targets],
            "year": rows["year"].astype("Int64").array if "year" in rows else blank,
            "end_year": rows["end_year"].astype("Int64").array if "end_year" in rows else blank,
            "status": np.asarray(STATUSES, dtype=object)[codes[order]],
        },
        columns=list(CHANGE_COLUMNS),
    )


class Message(NamedTuple):
    """A text to show, as data: an i18n key and its values (``t(key, lang, **values)`` words it)."""

    key: str
    values: dict[str, int]


def summary(comparison: Comparison) -> list[Message]:
    """The caption of a comparison as data: "+12 links since 2015, 3 ended" is
    ``compare.summary`` joining ``compare.added`` (count 12, first 2015) and ``compare.ended`` (count
    3); then, when some drawn links have no start year, ``compare.undated``. Counts are numbers, not
    text: :func:`caption` words them in a language; a page may also lay them out its own way."""
    counts = comparison.counts
    out = [
        Message("compare.added", {"count": counts["added"], "first": comparison.first}),
        Message("compare.ended", {"count": counts["ended"]}),
    ]
    if counts["undated"]:
        out.append(Message("compare.undated", {"count": counts["undated"], "first": comparison.first}))
    return out


def caption(comparison: Comparison, lang: str = "en") -> list[str]:
    """:func:`summary` in ``lang``: the sentence ("+12 links since 2015, 3 ended"), then the note on
    undated links if any. Counts are grouped as ``lang`` writes numbers; years are not (2015, never 2,015)."""

    def word(message: Message) -> str:
        values: dict[str, object] = dict(message.values)
        values["count"] = number(message.values["count"], lang)
        return t(message.key, lang, **values)

    added, ended, *rest = summary(comparison)
    return [t("compare.summary", lang, added=word(added), ended=word(ended)), *(word(m) for m in rest)]
