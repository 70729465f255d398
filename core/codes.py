"""Integer codes of a dataset's categorical columns, made once per dataset.

Why: the frames hold their categories (kind, province, value chain, ...) as strings. At 100k
actors one comparison of such a column costs 3-4 ms, and a filter change made dozens of them
(the legend's kinds, the start-up test of every layer, the network's grouping): on integer
codes, taken for a selection's rows, each is a fraction of a millisecond.

A selection's frames keep the dataset's row labels (``core.selection`` filters by mask, never
re-indexes), so a frame's rows are found in the dataset's by label: :func:`rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from data import Dataset


def _first(items: object) -> str:
    return str(items[0]) if isinstance(items, tuple | list) and len(items) else ""


@lru_cache(maxsize=64)
def _column_codes(dataset: Dataset, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    values = dataset.frame(table)[column]
    if len(values) and values.map(lambda v: isinstance(v, tuple | list)).any():
        text = values.map(_first).to_numpy(dtype=object)  # a list column: its first item
    else:
        text = values.fillna("").astype(str).to_numpy(dtype=object)
    codes, uniques = pd.factorize(text)
    codes.setflags(write=False)
    uniques = np.asarray(uniques, dtype=object)
    uniques.setflags(write=False)
    return codes, uniques


def column_codes(dataset: Dataset, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row of the dataset's ``table`` (by position), the code of its ``column`` value, and the
    value of each code. Missing values are ``""``; of a list column, the first item is coded."""
    return _column_codes(dataset, table, column)


def rows(dataset: Dataset, table: str, frame: pd.DataFrame) -> np.ndarray:
    """The positions in the dataset's ``table`` of the rows of ``frame`` (a subset of it, with its labels)."""
    base = dataset.frame(table).index
    index = frame.index
    if isinstance(base, pd.RangeIndex) and base.start == 0 and base.step == 1 and index.dtype.kind in "iu":
        return index.to_numpy()
    found = base.get_indexer(index)
    if (found < 0).any():
        raise ValueError(f"frame rows are not rows of the dataset's {table}")
    return found


def codes_of(dataset: Dataset, table: str, frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`column_codes` for the rows of ``frame`` (a subset of the dataset's ``table``)."""
    codes, values = _column_codes(dataset, table, column)
    return codes[rows(dataset, table, frame)], values


def equals(dataset: Dataset, table: str, frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Per row of ``frame``, whether its ``column`` is ``value`` (a boolean array)."""
    codes, values = codes_of(dataset, table, frame, column)
    hit = np.flatnonzero(values == value)
    return codes == hit[0] if len(hit) else np.zeros(len(codes), dtype=bool)


def tally(dataset: Dataset, table: str, frame: pd.DataFrame, column: str) -> dict[str, int]:
    """How many rows of ``frame`` have each value of ``column`` (values with none left out)."""
    codes, values = codes_of(dataset, table, frame, column)
    counts = np.bincount(codes, minlength=len(values)) if len(codes) else np.zeros(len(values), dtype=int)
    return {str(values[c]): int(n) for c, n in enumerate(counts.tolist()) if n}


@lru_cache(maxsize=32)
def _exploded(dataset: Dataset, table: str, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    items = dataset.frame(table)[column]
    lengths = items.map(len).to_numpy()
    positions = np.repeat(np.arange(len(items)), lengths)
    codes, uniques = pd.factorize(np.array([v for row in items for v in row], dtype=object))
    for array in (positions, codes):
        array.setflags(write=False)
    return positions, codes, np.asarray(uniques, dtype=object)


def exploded(dataset: Dataset, table: str, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row position, item) pair of the list column ``column`` of the dataset's ``table``:
    the positions, the items' codes, and the item of each code."""
    return _exploded(dataset, table, column)


def contains_any(dataset: Dataset, table: str, frame: pd.DataFrame, column: str, wanted: set[str]) -> np.ndarray:
    """Per row of ``frame``, whether its list column ``column`` holds any of ``wanted``."""
    positions, codes, values = _exploded(dataset, table, column)
    hit = np.zeros(len(dataset.frame(table)), dtype=bool)
    wanted_codes = np.flatnonzero(pd.Series(values, dtype=object).isin(wanted).to_numpy())
    if len(wanted_codes):
        hit[positions[np.isin(codes, wanted_codes)]] = True
    return hit[rows(dataset, table, frame)]


def has_items(dataset: Dataset, table: str, frame: pd.DataFrame, column: str) -> np.ndarray:
    """Per row of ``frame``, whether its list column ``column`` holds anything."""
    positions, _, _ = _exploded(dataset, table, column)
    mark = np.zeros(len(dataset.frame(table)), dtype=bool)
    mark[positions] = True
    return mark[rows(dataset, table, frame)]


@lru_cache(maxsize=32)
def _value_index(dataset: Dataset, table: str, column: str) -> pd.Index:
    # object dtype on purpose: pandas 3 would infer its "str" dtype, whose lookups cost 6x more
    return pd.Index(_column_codes(dataset, table, column)[1], dtype=object)


def code_of_values(dataset: Dataset, table: str, column: str, values: Iterable[str] | np.ndarray) -> np.ndarray:
    """The codes (:func:`column_codes`) of ``values`` in the dataset's ``table.column``; -1 where
    a value is not there. For an id column (unique values) a code is the row's position."""
    return _value_index(dataset, table, column).get_indexer(pd.Index(list(values), dtype=object))


#: what the atlas's layers code: made at start-up (``app.warm_up``) so no visitor's first filter pays
WARM_COLUMNS = (
    ("actors", "id"),
    ("actors", "kind"),
    ("actors", "province"),
    ("actors", "gvcs"),
    ("actors", "clusters"),
    ("links", "link_type"),
    ("links", "source_id"),
    ("links", "target_id"),
)
WARM_LISTS = (("actors", "gvcs"), ("actors", "clusters"), ("links", "gvcs"))


def warm(dataset: Dataset) -> None:
    """Make the codes of :data:`WARM_COLUMNS` and :data:`WARM_LISTS` now (about 0.3 s at 100k actors)."""
    for table, column in WARM_COLUMNS:
        _value_index(dataset, table, column)
    for table, column in WARM_LISTS:
        _exploded(dataset, table, column)
