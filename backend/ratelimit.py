"""Per-agent rate limit (iss + sub) with a moving window; Redis storage shares it across workers."""
from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from backend.errors import TooManyRequests
from backend.lookup import Agent
from backend.redis_cache import REDIS_RETRY_AFTER_S, SkipWindow

log = logging.getLogger(__name__)
# The limit is asked before every lookup, outside its deadline: an unresponsive Redis (it accepts and
# never answers) once added a second to each. So a short timeout, then Redis is skipped for a while.
REDIS_TIMEOUT_S = 0.15


class LocalMovingWindow:
    """In-process moving window per key: the times of the hits inside the window, under a lock.

    limits' memory storage does the same but starts a timer thread every 10 ms to expire entries and
    inserts at the head of a list, which under load cost more CPU than the rest of a cached lookup."""

    def __init__(self, amount: int, seconds: int):
        self.amount, self.seconds = amount, seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count a hit and return None, or return when the window frees up (epoch seconds) if full."""
        now = time.time()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.amount:
                return hits[0] + self.seconds
            hits.append(now)
            if len(self._hits) > 10_000:  # forget agents whose window is empty
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.seconds}
            return None

    def reset(self) -> None:
        """Forget every counter."""
        with self._lock:
            self._hits.clear()


def limits_url(redis_url: str) -> str:
    """LC_REDIS_URL as `limits` spells it: redis-py's unix:///path is its redis+unix:///path."""
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


class RateLimiter:
    """Counts lookups per agent; raises TooManyRequests with Retry-After when over the limit."""

    def __init__(self, limit: str, redis_url: str = "", *, key_prefix: str = "lc-rate"):
        self.item = parse(limit)
        self.local = None if redis_url else LocalMovingWindow(self.item.amount, self.item.get_expiry())
        self._redis = SkipWindow(REDIS_RETRY_AFTER_S)  # after a failure, Redis is not asked for a while
        if redis_url:
            self.storage = storage_from_string(limits_url(redis_url), key_prefix=key_prefix,
                                               socket_timeout=REDIS_TIMEOUT_S,
                                               socket_connect_timeout=REDIS_TIMEOUT_S, wrap_exceptions=True)
            self.limiter = MovingWindowRateLimiter(self.storage)

    def check(self, agent: Agent) -> None:
        """Count one hit for agent, or raise 429 when the window is full."""
        key = f"{agent.iss}|{agent.sub}"
        if self.local is not None:
            reset_at = self.local.hit(key)
            if reset_at is None:
                return
            self._refuse(reset_at)
        if not self._redis.usable():
            return  # Redis failed moments ago: fail open without paying its timeout again
        try:
            allowed = self.limiter.hit(self.item, key)
            if allowed:
                return
            reset_at = self.limiter.get_window_stats(self.item, key).reset_time
        except Exception as exc:  # noqa: BLE001 - any storage failure: fail open, a lookup beats a 500
            self._redis.failed()
            log.warning("rate limit storage unavailable; not limiting for %s s", REDIS_RETRY_AFTER_S,
                        extra={"error": type(exc).__name__})
            return
        self._refuse(reset_at)

    def _refuse(self, reset_at: float) -> None:
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise TooManyRequests(f"Too many lookups; retry in {retry_after} s.",
                              headers={"Retry-After": str(retry_after)},
                              details={"retry_after_s": retry_after})

    def reset(self) -> None:
        """Forget every counter (tests)."""
        if self.local is not None:
            self.local.reset()
        else:
            self.storage.reset()
