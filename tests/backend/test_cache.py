"""The cache: in-process TTL and Redis behave alike; Redis trouble degrades to no cache."""
from __future__ import annotations

import time
import uuid

import pytest

from backend.cache import MemoryCache, cache_key, make_cache
from backend.redis_cache import RedisCache
from tests.servers import free_port


@pytest.fixture
def redis_cache(redis_url):
    cache = RedisCache(redis_url, ttl_s=60, prefix=f"lc:test:cache:{uuid.uuid4().hex}:")
    yield cache
    keys = cache._client.keys(cache.prefix + "*")
    if keys:
        cache._client.delete(*keys)
    cache.close()


@pytest.fixture(params=["memory", "redis"])
def cache(request):
    if request.param == "memory":
        return MemoryCache(ttl_s=60)
    return request.getfixturevalue("redis_cache")


def test_round_trip_of_json_values(cache):
    value = {"as_of": "2026-11-23T12:00:00Z", "data": [{"id": "L-0000001", "emails": ["a@b.c"]}]}
    cache.set("k1", value)
    assert cache.get("k1") == value
    assert cache.get("other") is None


def test_entries_expire_after_their_ttl(cache):
    cache.set("short", {"x": 1}, ttl_s=1)
    cache.set("long", {"x": 2}, ttl_s=60)
    time.sleep(1.2)
    assert cache.get("short") is None
    assert cache.get("long") == {"x": 2}


def test_many_at_once_with_their_own_ttl(cache):
    cache.set_many({"a": {"x": 1}, "b": {"x": 2}}, ttl_s=1)
    cache.set_many({"c": {"x": 3}}, ttl_s=60)
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": {"x": 2}}
    time.sleep(1.2)
    assert cache.get_many(["a", "b", "c"]) == {"c": {"x": 3}}
    assert cache.get_many([]) == {}


def test_zero_ttl_stores_nothing(cache):
    cache.set("none", {"x": 1}, ttl_s=0)
    assert cache.get("none") is None


def test_memory_cache_is_bounded_and_drops_the_oldest_writes_first():
    cache = MemoryCache(ttl_s=60, maxsize=10)
    for i in range(11):
        cache.set(f"k{i}", i)
    assert cache.get("k10") == 10 and cache.get("k9") == 9
    assert cache.get("k0") is None
    assert len(cache.get_many([f"k{i}" for i in range(11)])) <= 10


def test_redis_keys_carry_the_prefix_and_no_plain_identifier(redis_cache):
    key = cache_key("learners", "email", "amelie.durand@example.fr")
    redis_cache.set(key, {"x": 1})
    stored = [k.decode() for k in redis_cache._client.keys(redis_cache.prefix + "*")]
    assert stored == [redis_cache.prefix + key]
    assert "amelie" not in stored[0]
    assert redis_cache._client.ttl(stored[0]) > 0


def test_unreachable_redis_is_a_miss_not_an_error():
    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0", ttl_s=60)
    cache.set("k", {"x": 1})
    assert cache.get("k") is None
    cache.set_many({"k": {"x": 1}})
    assert cache.get_many(["k"]) == {}
    cache.close()


def test_make_cache_picks_by_settings(redis_url):
    class S:
        cache_ttl_s = 30
        redis_url = ""
    assert isinstance(make_cache(S()), MemoryCache)
    S.redis_url = redis_url
    made = make_cache(S())
    assert isinstance(made, RedisCache) and made.ttl_s == 30
    made.close()


def test_keys_are_stable_and_distinct():
    assert cache_key("a", "b") == cache_key("a", "b")
    assert cache_key("a", "bc") != cache_key("ab", "c")
