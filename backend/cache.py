"""Cache of system call results: in-process TTL by default, Redis when LC_REDIS_URL is set."""
from __future__ import annotations

import functools
import hashlib
import threading
import time
from typing import Protocol

KEY_PREFIX = "lc:v1:"
MEMORY_MAXSIZE = 20_000


@functools.lru_cache(maxsize=8192)  # a warm lookup derives the same dozen keys every time
def cache_key(*parts: str) -> str:
    """A fixed-length key, so no email sits in a key name (in Redis' key listings and slow logs). Not a
    secret: an unkeyed hash of a known email is easy to find, and the values hold learners' records."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Cache(Protocol):
    """get/set JSON-able values with a TTL; failures behave as a miss."""

    def get(self, key: str) -> object | None: ...

    def set(self, key: str, value: object, ttl_s: int | None = None) -> None: ...

    def get_many(self, keys: list[str]) -> dict[str, object]: ...

    def set_many(self, items: dict[str, object], ttl_s: int | None = None) -> None: ...

    def close(self) -> None: ...


class MemoryCache:
    """A per-process TTL cache (per-entry TTL), safe across threads.

    A plain dict of (expires_at, value) under a lock: a read is one lookup and one clock read, which
    matters because a warm lookup reads a dozen keys. When full, expired entries go first, then the
    oldest written (every entry expires within its TTL anyway)."""

    def __init__(self, ttl_s: int, maxsize: int = MEMORY_MAXSIZE):
        self.ttl_s = ttl_s
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._data: dict[str, tuple[float, object]] = {}

    def _read(self, key: str, now: float) -> object | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._data[key]
            return None
        return entry[1]

    def _write(self, key: str, value: object, expires_at: float) -> None:
        self._data.pop(key, None)  # re-inserted last: the dict's order is the order of writes
        self._data[key] = (expires_at, value)
        if len(self._data) > self.maxsize:
            now = time.monotonic()
            for stale in [k for k, (at, _) in self._data.items() if at <= now]:
                del self._data[stale]
            # Down to 90 % so that the scan above runs once per many writes, not on every one.
            while len(self._data) > self.maxsize * 0.9:
                del self._data[next(iter(self._data))]

    def get(self, key: str) -> object | None:
        """The value, or None when absent or expired."""
        now = time.monotonic()
        with self._lock:
            return self._read(key, now)

    def set(self, key: str, value: object, ttl_s: int | None = None) -> None:
        """Store value for ttl_s seconds (default: the cache's TTL)."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if ttl <= 0:
            return
        expires_at = time.monotonic() + ttl
        with self._lock:
            self._write(key, value, expires_at)

    def get_many(self, keys: list[str]) -> dict[str, object]:
        """{key: value} for the keys present and unexpired."""
        now = time.monotonic()
        found = {}
        with self._lock:
            for key in keys:
                value = self._read(key, now)
                if value is not None:
                    found[key] = value
        return found

    def set_many(self, items: dict[str, object], ttl_s: int | None = None) -> None:
        """Store every item for ttl_s seconds (default: the cache's TTL)."""
        ttl = self.ttl_s if ttl_s is None else ttl_s
        if ttl <= 0:
            return
        expires_at = time.monotonic() + ttl
        with self._lock:
            for key, value in items.items():
                self._write(key, value, expires_at)

    def close(self) -> None:
        """Drop everything."""
        with self._lock:
            self._data.clear()


def make_cache(settings: object, prefix: str = KEY_PREFIX) -> Cache:
    """RedisCache when settings.redis_url is set, else MemoryCache; TTL from LC_CACHE_TTL_S."""
    ttl = settings.cache_ttl_s  # type: ignore[attr-defined]
    url = settings.redis_url  # type: ignore[attr-defined]
    if not url:
        return MemoryCache(ttl)
    from backend.redis_cache import RedisCache  # the redis client is loaded only when it is used

    return RedisCache(url, ttl, prefix)
