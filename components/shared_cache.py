"""Computed views shared by every worker and machine, through Redis, when ``ATLAS_REDIS_URL`` is set.

Each worker keeps its own in-memory caches (the selection, figures, layouts: see
``core/once.py`` and the ``lru_cache``s of the panels). With several workers on several
machines behind a load balancer, each would compute the same filter state once more; with
``ATLAS_REDIS_URL`` (e.g. ``redis://cache.internal:6379/0``), the map figure and the network
elements of a filter state are computed by the first worker that needs them and read by the
others (flask-caching's ``RedisCache``). Without it nothing is shared and nothing changes.

Keys hold the dataset's version (:attr:`data.Dataset.fingerprint`): a new version never
reads an old one's views. Values expire after ``ATLAS_REDIS_TIMEOUT`` seconds (default a day).
Redis going away costs speed, not answers: a failed read or write computes locally and is
logged once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

from flask_caching import Cache

from core.once import OncePerKey
from data import Dataset

URL_ENV = "ATLAS_REDIS_URL"
TIMEOUT_ENV = "ATLAS_REDIS_TIMEOUT"
PREFIX = "atlas:"

T = TypeVar("T")
_log = logging.getLogger("atlas.cache")
cache = Cache()


def redis_url() -> str | None:
    """``ATLAS_REDIS_URL``, or None: nothing shared."""
    return os.environ.get(URL_ENV, "").strip() or None


def config(url: str | None) -> dict[str, Any]:
    """flask-caching's configuration for ``url`` (None: the null cache, which stores nothing)."""
    if not url:
        return {"CACHE_TYPE": "NullCache"}
    try:
        timeout = int(os.environ.get(TIMEOUT_ENV, "86400"))
    except ValueError:
        timeout = 86400
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": url,
        "CACHE_KEY_PREFIX": PREFIX,
        "CACHE_DEFAULT_TIMEOUT": timeout,
        # a Redis that stops answering must not hold a request for long
        "CACHE_OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }


def key(kind: str, dataset: Dataset, *parts: object) -> str:
    """A short key for ``kind`` (e.g. "map") of ``dataset`` and JSON-able ``parts``."""
    body = json.dumps([kind, dataset.fingerprint, *parts], sort_keys=True, default=str, separators=(",", ":"))
    return f"{kind}:{hashlib.sha256(body.encode()).hexdigest()[:32]}"


class _State:
    """Whether a failure was logged already (once per process, not once per request)."""

    warned = False


#: what this worker read or computed lately, so a repeated view asks Redis nothing
_local: OncePerKey[Any] = OncePerKey(maxsize=64)


def remember(name: str, compute: Callable[[], T]) -> T:
    """The value stored under ``name`` by any worker, else ``compute()`` (then stored for the others).
    Without Redis, just ``compute()``: the callers' own caches serve repeats."""
    if getattr(cache, "app", None) is None or not redis_url():
        return compute()
    return _local.get(name, lambda: _shared(name, compute))


def _shared(name: str, compute: Callable[[], T]) -> T:
    try:
        value = cache.get(name)
    except Exception as exc:  # redis's connection and timeout errors: compute locally
        _warn(exc)
        value = None
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(name, value)
    except Exception as exc:
        _warn(exc)
    return value


def _warn(exc: Exception) -> None:
    if not _State.warned:
        _State.warned = True
        _log.warning("shared cache unavailable, computing locally: %s", exc)


def status() -> dict[str, str]:
    """For ``/healthz``: the cache in use and whether it answers."""
    url = redis_url()
    if not url:
        return {"kind": "per process"}
    try:
        client = cache.cache._write_client  # flask-caching's RedisCache keeps its redis client there
        client.ping()
        return {"kind": "redis", "redis": "reachable"}
    except Exception:
        return {"kind": "redis", "redis": "unreachable"}


def register(app) -> None:
    """Bind the cache to the app's server (before any callback runs)."""
    cache.init_app(app.server, config=config(redis_url()))
    # also outside a request (the start-up warm-up): one atlas per process, so one app to bind
    cache.app = app.server
