"""Records by id, and the links of a node, found in a dictionary made once per dataset.

Why: a click asks for one element's record and its links. Comparing a 100k-row string column
with the id costs about 4 ms (pandas' string arrays check for missing values first), and a
click made a dozen such comparisons (details, halos, neighbours): 50-120 ms per click at 100k
start-ups. A dictionary lookup is a fraction of a millisecond.

Positions are those of the dataset's tables (``Dataset.frame``); a selection's frames keep the
dataset's row labels (``core.codes.rows``), so a position is checked against a selection by label.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from data import Dataset

#: the tables whose rows are elements a user can select, in the order an id is looked for
ELEMENT_TABLES = ("actors", "groupings", "areas", "links")

_NONE = np.zeros(0, dtype=np.int64)


@lru_cache(maxsize=32)
def _positions(dataset: Dataset, table: str) -> dict[str, int]:
    ids = dataset.frame(table)["id"].to_numpy(dtype=object)
    # the first row of an id wins, as a boolean mask's first hit did
    return {str(i): p for p, i in reversed(list(enumerate(ids.tolist())))}


def position(dataset: Dataset, table: str, element_id: str) -> int | None:
    """The position of ``element_id`` in the dataset's ``table``, or None."""
    return _positions(dataset, table).get(element_id)


def locate(dataset: Dataset, element_id: str) -> tuple[str, int] | None:
    """(table, position) of ``element_id`` among the selectable tables (:data:`ELEMENT_TABLES`)."""
    for table in ELEMENT_TABLES:
        found = position(dataset, table, element_id)
        if found is not None:
            return table, found
    return None


@lru_cache(maxsize=8)
def _incident(dataset: Dataset) -> dict[str, np.ndarray]:
    links = dataset.frame("links")
    ends = pd.concat([links["source_id"], links["target_id"]], ignore_index=True).astype(str).to_numpy(dtype=object)
    rows = np.concatenate([np.arange(len(links))] * 2)
    out: dict[str, np.ndarray] = {}
    for end, group in pd.Series(rows).groupby(ends, sort=False).indices.items():
        positions = np.unique(rows[group])  # a link from a node to itself counts once
        positions.setflags(write=False)
        out[str(end)] = positions
    return out


def incident_links(dataset: Dataset, element_id: str) -> np.ndarray:
    """Positions (ascending) in the dataset's links of the links with ``element_id`` at one end."""
    return _incident(dataset).get(element_id, _NONE)


def warm(dataset: Dataset) -> None:
    """Build the dictionaries (at start-up: the first click of a worker then pays for none)."""
    for table in ELEMENT_TABLES:
        _positions(dataset, table)
    _incident(dataset)
