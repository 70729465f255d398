"""Views shared through Redis (``ATLAS_REDIS_URL``), against a real throw-away redis-server: what
one worker computed another reads, a new dataset never reads an old one's views, and a Redis
that goes away costs speed, never an answer."""

from __future__ import annotations

import json
import urllib.request
from types import SimpleNamespace

import pytest
import redis
from flask import Flask

from components import shared_cache
from data import DEFAULT_DATA_DIR, read_dataset


@pytest.fixture
def bound(redis_server: object, monkeypatch: pytest.MonkeyPatch):
    """The shared cache bound to a bare Flask app on the test server (restored afterwards)."""
    url = redis_server.url  # type: ignore[attr-defined]
    monkeypatch.setenv(shared_cache.URL_ENV, url)
    previous = getattr(shared_cache.cache, "app", None)
    shared_cache.register(SimpleNamespace(server=Flask("shared-cache-test")))
    client = redis.Redis.from_url(url)
    client.flushdb()
    shared_cache._local.clear()
    yield client
    shared_cache._local.clear()
    shared_cache.cache.app = previous


def test_a_value_computed_by_one_worker_is_read_by_another(bound: redis.Redis) -> None:
    dataset = read_dataset(DEFAULT_DATA_DIR)
    name = shared_cache.key("map", dataset, {"gvc": ["mech-auto"]}, "en")
    calls: list[int] = []
    first = shared_cache.remember(name, lambda: calls.append(1) or {"data": [1, 2, 3]})
    shared_cache._local.clear()  # another worker: nothing of its own yet
    second = shared_cache.remember(name, lambda: calls.append(1) or {"data": ["never"]})
    assert first == second == {"data": [1, 2, 3]}
    assert calls == [1]
    assert bound.exists(shared_cache.PREFIX + name)


def test_keys_differ_by_dataset_content_and_state(tmp_path) -> None:
    import shutil

    shipped = read_dataset(DEFAULT_DATA_DIR)
    copy = tmp_path / "copy"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    same = read_dataset(copy)
    same_key = shared_cache.key("map", same, {"q": ""})  # before the copy's files change
    meta = json.loads((copy / "dataset.json").read_text())
    meta["title"] = "Another region"
    (copy / "dataset.json").write_text(json.dumps(meta))
    changed = read_dataset(copy)
    key = shared_cache.key
    assert key("map", shipped, {"q": ""}) == same_key  # same files, same key anywhere
    assert key("map", shipped, {"q": ""}) != key("map", changed, {"q": ""})
    assert key("map", shipped, {"q": ""}) != key("map", shipped, {"q": "x"})
    assert key("map", shipped, {"q": ""}) != key("network", shipped, {"q": ""})


def test_a_redis_that_does_not_answer_costs_an_answer_nothing(bound: redis.Redis, monkeypatch, tmp_path) -> None:
    dead = f"unix://{tmp_path / 'nobody.sock'}?db=0"
    monkeypatch.setenv(shared_cache.URL_ENV, dead)
    shared_cache.register(SimpleNamespace(server=Flask("dead-redis")))
    assert shared_cache.remember("map:x", lambda: {"computed": True}) == {"computed": True}
    assert shared_cache.status() == {"kind": "redis", "redis": "unreachable"}


def test_without_redis_nothing_is_shared(monkeypatch) -> None:
    monkeypatch.delenv(shared_cache.URL_ENV, raising=False)
    calls: list[int] = []
    for _ in range(2):
        shared_cache.remember("map:y", lambda: calls.append(1) or 1)
    assert calls == [1, 1]  # computed each time here: the callers' own caches serve repeats
    assert shared_cache.status() == {"kind": "per process"}


def test_two_app_processes_share_their_views_through_redis(redis_server: object) -> None:
    from tests.browser.conftest import start_app, stop
    from tests.sessions import play

    url = redis_server.url  # type: ignore[attr-defined]
    client_redis = redis.Redis.from_url(url)
    client_redis.flushdb()
    env = {shared_cache.URL_ENV: url}
    first, first_url = start_app(env)
    try:
        with urllib.request.urlopen(first_url + "/healthz", timeout=10) as response:
            assert json.loads(response.read())["cache"] == {"kind": "redis", "redis": "reachable"}
        answers: list[list[tuple[dict, bytes]]] = []
        counts = []
        second = None
        stats = []
        for base in (first_url, None):
            before = client_redis.info("stats")
            if base is None:
                second, base = start_app(env)
            answers.append(play(base, changes=3))
            counts.append(len(client_redis.keys(shared_cache.PREFIX + "*")))
            after = client_redis.info("stats")
            stats.append({k: after[k] - before[k] for k in ("keyspace_hits", "keyspace_misses")})
        # the first process stored its views; the second, doing the same, found them all
        assert counts[0] >= 4
        assert counts[1] == counts[0]
        assert stats[1]["keyspace_misses"] == 0, stats  # it asked only for what the first had stored
        assert stats[1]["keyspace_hits"] >= counts[0], stats
        assert [a for _, a in answers[0]] == [a for _, a in answers[1]]
    finally:
        stop(first)
        if second is not None:
            stop(second)
