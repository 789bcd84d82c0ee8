"""Cache of system call results: in-process TTL by default, Redis when LC_REDIS_URL is set."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Protocol

import redis
from cachetools import TLRUCache

log = logging.getLogger(__name__)

KEY_PREFIX = "lc:v1:"
MEMORY_MAXSIZE = 20_000
REDIS_TIMEOUT_S = 0.2  # a slow cache must cost less than the call it saves
REDIS_RETRY_AFTER_S = 5.0  # after a Redis failure, skip it this long instead of paying the timeout again


def cache_key(*parts: str) -> str:
    """A fixed-length key: the query may hold emails, which must not sit in plain text in Redis."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Cache(Protocol):
    """get/set JSON-able values with a TTL; failures behave as a miss."""

    def get(self, key: str) -> object | None: ...

    def set(self, key: str, value: object, ttl_s: int | None = None) -> None: ...

    def get_many(self, keys: list[str]) -> dict[str, object]: ...

    def set_many(self, items: dict[str, object], ttl_s: int | None = None) -> None: ...

    def close(self) -> None: ...


class MemoryCache:
    """A per-process TTL cache (per-entry TTL), safe across threads."""

    def __init__(self, ttl_s: int, maxsize: int = MEMORY_MAXSIZE):
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        # Each entry is (ttl, value) so callers may give a shorter TTL than the default.
        self._data: TLRUCache = TLRUCache(maxsize=maxsize, ttu=lambda _k, v, now: now + v[0],
                                          timer=time.monotonic)

    def get(self, key: str) -> object | None:
        """The value, or None when absent or expired."""
        with self._lock:
            entry = self._data.get(key)
        return None if entry is None else entry[1]

    def set(self, key: str, value: object, ttl_s: int | None = None) -> None:
        """Store value for ttl_s seconds (default: the cache's TTL)."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if ttl <= 0:
            return
        with self._lock:
            self._data[key] = (ttl, value)

    def get_many(self, keys: list[str]) -> dict[str, object]:
        """{key: value} for the keys present and unexpired."""
        with self._lock:
            entries = [(key, self._data.get(key)) for key in keys]
        return {key: entry[1] for key, entry in entries if entry is not None}

    def set_many(self, items: dict[str, object], ttl_s: int | None = None) -> None:
        """Store every item for ttl_s seconds (default: the cache's TTL)."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if ttl <= 0:
            return
        with self._lock:
            for key, value in items.items():
                self._data[key] = (ttl, value)

    def close(self) -> None:
        """Drop everything."""
        with self._lock:
            self._data.clear()


class RedisCache:
    """Redis with JSON values under a key prefix; any Redis error degrades to 'no cache'."""

    def __init__(self, url: str, ttl_s: int, prefix: str = KEY_PREFIX):
        self.ttl_s = ttl_s
        self.prefix = prefix
        self._client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S,
                                            socket_connect_timeout=REDIS_TIMEOUT_S)
        self._down_until = 0.0

    def _usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, action: str, exc: Exception) -> None:
        self._down_until = time.monotonic() + REDIS_RETRY_AFTER_S
        log.warning("cache %s failed, continuing without cache: %s", action, type(exc).__name__)

    def get(self, key: str) -> object | None:
        """The decoded value, or None on a miss or any Redis/JSON problem."""
        if not self._usable():
            return None
        try:
            raw = self._client.get(self.prefix + key)
        except redis.RedisError as exc:
            self._failed("get", exc)
            return None
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def set(self, key: str, value: object, ttl_s: int | None = None) -> None:
        """Store value as JSON for ttl_s seconds; errors are logged and swallowed."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if ttl <= 0 or not self._usable():
            return
        try:
            self._client.set(self.prefix + key, json.dumps(value, separators=(",", ":")), ex=ttl)
        except redis.RedisError as exc:
            self._failed("set", exc)

    def get_many(self, keys: list[str]) -> dict[str, object]:
        """{key: decoded value} for the keys present, in one MGET; {} on any Redis problem."""
        if not keys or not self._usable():
            return {}
        try:
            raws = self._client.mget([self.prefix + key for key in keys])
        except redis.RedisError as exc:
            self._failed("get", exc)
            return {}
        found = {}
        for key, raw in zip(keys, raws, strict=True):
            if raw is not None:
                try:
                    found[key] = json.loads(raw)
                except ValueError:
                    continue
        return found

    def set_many(self, items: dict[str, object], ttl_s: int | None = None) -> None:
        """Store every item as JSON for ttl_s seconds in one round trip; errors are logged and swallowed."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if not items or ttl <= 0 or not self._usable():
            return
        try:
            pipe = self._client.pipeline(transaction=False)
            for key, value in items.items():
                pipe.set(self.prefix + key, json.dumps(value, separators=(",", ":")), ex=ttl)
            pipe.execute()
        except redis.RedisError as exc:
            self._failed("set", exc)

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()


def make_cache(settings: object, prefix: str = KEY_PREFIX) -> Cache:
    """RedisCache when settings.redis_url is set, else MemoryCache; TTL from LC_CACHE_TTL_S."""
    ttl = settings.cache_ttl_s  # type: ignore[attr-defined]
    url = settings.redis_url  # type: ignore[attr-defined]
    return RedisCache(url, ttl, prefix) if url else MemoryCache(ttl)
