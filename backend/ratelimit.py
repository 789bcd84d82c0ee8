"""Per-agent rate limit (iss + sub) under a per-account ceiling (iss), moving windows; Redis shares them."""
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
    """Counts lookups per agent and per account; raises TooManyRequests with Retry-After when over.

    The proxy signs whatever agent id (`sub`) the browser writes, so the per-agent limit alone can be
    dodged with a new `sub` per call; the account's ceiling (per `iss`, which the backend accepts
    only from LC_JWT_ISSUERS) still bounds the load on Zendesk and the internal systems."""

    def __init__(self, limit: str, redis_url: str = "", *, account_limit: str = "",
                 key_prefix: str = "lc-rate"):
        self.item = parse(limit)
        self.account_item = parse(account_limit) if account_limit else None
        self.local = None if redis_url else LocalMovingWindow(self.item.amount, self.item.get_expiry())
        self.account_local = (LocalMovingWindow(self.account_item.amount, self.account_item.get_expiry())
                              if self.account_item and not redis_url else None)
        self._redis = SkipWindow(REDIS_RETRY_AFTER_S)  # after a failure, Redis is not asked for a while
        if redis_url:
            self.storage = storage_from_string(limits_url(redis_url), key_prefix=key_prefix,
                                               socket_timeout=REDIS_TIMEOUT_S,
                                               socket_connect_timeout=REDIS_TIMEOUT_S, wrap_exceptions=True)
            self.limiter = MovingWindowRateLimiter(self.storage)

    def check(self, agent: Agent) -> None:
        """Count one hit for agent and its account, or raise 429 when either window is full (a lookup
        the agent's own limit refuses is not counted against the account)."""
        self._hit(self.item, self.local, f"{agent.iss}|{agent.sub}", "this agent")
        if self.account_item is not None:
            self._hit(self.account_item, self.account_local, f"account|{agent.iss}", "this Zendesk account")

    def _hit(self, item, local: LocalMovingWindow | None, key: str, whose: str) -> None:
        if local is not None:
            reset_at = local.hit(key)
            if reset_at is not None:
                self._refuse(reset_at, whose)
            return
        if not self._redis.usable():
            return  # Redis failed moments ago: fail open without paying its timeout again
        try:
            if self.limiter.hit(item, key):
                return
            reset_at = self.limiter.get_window_stats(item, key).reset_time
        except Exception as exc:  # noqa: BLE001 - any storage failure: fail open, a lookup beats a 500
            self._redis.failed()
            log.warning("rate limit storage unavailable; not limiting for %s s", REDIS_RETRY_AFTER_S,
                        extra={"error": type(exc).__name__})
            return
        self._refuse(reset_at, whose)

    def _refuse(self, reset_at: float, whose: str) -> None:
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise TooManyRequests(f"Too many lookups from {whose}; retry in {retry_after} s.",
                              headers={"Retry-After": str(retry_after)},
                              details={"retry_after_s": retry_after})

    def reset(self) -> None:
        """Forget every counter (tests)."""
        if self.local is not None:
            self.local.reset()
            if self.account_local is not None:
                self.account_local.reset()
        else:
            self.storage.reset()
