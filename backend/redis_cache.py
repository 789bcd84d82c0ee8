"""The shared cache: Redis with JSON values under a key prefix, degrading to "no cache" on any error."""
from __future__ import annotations

import json
import logging
import time

import redis

from backend.cache import KEY_PREFIX

log = logging.getLogger(__name__)

REDIS_TIMEOUT_S = 0.2  # a slow cache must cost less than the call it saves
REDIS_RETRY_AFTER_S = 5.0  # after a Redis failure, skip it this long instead of paying the timeout again


class SkipWindow:
    """After a Redis failure, Redis is not asked for REDIS_RETRY_AFTER_S: a dead or silent server must
    not cost its timeout on every call (the cache and the rate limit each keep one)."""

    def __init__(self, seconds: float = REDIS_RETRY_AFTER_S) -> None:
        self.seconds = seconds
        self._until = 0.0

    def usable(self) -> bool:
        """False within `seconds` of the last failure."""
        return time.monotonic() >= self._until

    def failed(self) -> None:
        """Note a failure now: Redis is skipped for the next `seconds`."""
        self._until = time.monotonic() + self.seconds


class RedisCache:
    """Redis with JSON values under a key prefix; any Redis error degrades to 'no cache'."""

    def __init__(self, url: str, ttl_s: int, prefix: str = KEY_PREFIX):
        self.ttl_s = ttl_s
        self.prefix = prefix
        self._client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S,
                                            socket_connect_timeout=REDIS_TIMEOUT_S)
        self._skip = SkipWindow()

    def _usable(self) -> bool:
        return self._skip.usable()

    def _failed(self, action: str, exc: Exception) -> None:
        self._skip.failed()
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
