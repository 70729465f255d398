"""A bounded cache that computes each key once, with a lock per key.

The map, network, counts and table callbacks of one filter change run in parallel threads
and ask for the same selection: the first computes it, the others wait for *that* key only.
A single global lock would make every user's cache hit wait for any user's first
computation; here a hit never waits, and two different keys compute side by side.
Per process (each gunicorn worker has its own); nothing here is shared across machines.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class OncePerKey(Generic[V]):
    """``get(key, compute)``: the cached value of ``key``, computed by ``compute()`` at most once
    at a time per key; the least recently used entries beyond ``maxsize`` are dropped."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()  # held only for dictionary updates, never while computing
        self.misses = 0
        self.hits = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for ``key``, computing it (once, even when asked from several threads) if needed."""
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:  # computed by the thread we waited for
                    self.hits += 1
                    return self._values[key]
            value = compute()
            with self._guard:
                self.misses += 1
                self._values[key] = value
                while len(self._values) > self.maxsize:
                    self._values.popitem(last=False)
                self._locks.pop(key, None)
        return value

    def clear(self) -> None:
        """Forget every value (tests)."""
        with self._guard:
            self._values.clear()
