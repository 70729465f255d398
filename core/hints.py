"""Why something asked for is not shown: a link type or kind ticked in the filters that no shown
record has, because another filter hides every record of it.

The case officials meet: a value chain and "partner-region agreement" ticked together show no
partner region, because the agreements are region-wide (tied to no value chain), so the
value-chain filter hides them. For each ticked link type and kind with nothing shown, each
other filter is left out in turn (value chains, provinces, years, search); the first one
without which records of it appear is named, with how many would appear. Pure; each selection
it computes is the cached one of ``core.selection``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.codes import tally
from core.selection import Selection, select
from core.state import ViewState
from data import Dataset

#: the filters tried, in this order: the one most often at fault first; the value of each when cleared
CULPRITS: tuple[tuple[str, object], ...] = (("gvc", ()), ("prov", ()), ("year", None), ("q", ""))


@dataclass(frozen=True)
class Hidden:
    """A ticked ``what`` ("link" or "kind") ``value`` that nothing shown has, hidden by ``culprit``
    (a ViewState field, also its URL parameter): ``count`` records of it appear without it."""

    what: str
    value: str
    culprit: str
    count: int


def _count(dataset: Dataset, selection: Selection, what: str, value: str) -> int:
    return _tally(dataset, selection, what).get(value, 0)


def _tally(dataset: Dataset, selection: Selection, what: str) -> dict[str, int]:
    """Records per link type ("link") or per kind (actors, groupings, areas): one count per frame
    on the dataset's integer codes (``core.codes``), not a comparison of every row per ticked
    value (at 110k actors a string ``value_counts`` cost 10 ms a frame)."""
    if what == "link":
        return tally(dataset, "links", selection.links, "link_type")
    out: dict[str, int] = {}
    frames = (("actors", selection.actors), ("groupings", selection.groupings), ("areas", selection.areas))
    for table, frame in frames:
        if "kind" in frame:
            for kind, count in tally(dataset, table, frame, "kind").items():
                if kind:  # a record without a kind is no kind anyone ticked
                    out[kind] = out.get(kind, 0) + count
    return out


def hidden_asked(dataset: Dataset, state: ViewState) -> list[Hidden]:
    """The ticked link types and kinds that no shown record has, each with the filter that hides
    them (see the module docstring); those no single filter explains are left out."""
    asked = [("link", v) for v in state.link] + [("kind", v) for v in state.kind]
    if not asked:
        return []
    selection = select(dataset, state)
    shown = {what: _tally(dataset, selection, what) for what in {w for w, _ in asked}}
    out = []
    for what, value in asked:
        if shown[what].get(value, 0):
            continue
        for culprit, cleared in CULPRITS:
            if getattr(state, culprit) == cleared:
                continue
            count = _count(dataset, select(dataset, state.with_(**{culprit: cleared})), what, value)
            if count:
                out.append(Hidden(what, value, culprit, count))
                break
    return out
