"""Per-agent rate limit (iss + sub) with a moving window; Redis storage shares it across workers."""
from __future__ import annotations

import logging
import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from backend.errors import TooManyRequests
from backend.lookup import Agent

log = logging.getLogger(__name__)


class RateLimiter:
    """Counts lookups per agent; raises TooManyRequests with Retry-After when over the limit."""

    def __init__(self, limit: str, redis_url: str = "", *, key_prefix: str = "lc-rate"):
        self.item = parse(limit)
        if redis_url:
            storage = storage_from_string(redis_url, key_prefix=key_prefix, socket_timeout=1,
                                          socket_connect_timeout=1, wrap_exceptions=True)
        else:
            storage = storage_from_string("memory://")
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)

    def check(self, agent: Agent) -> None:
        """Count one hit for agent, or raise 429 when the window is full."""
        key = f"{agent.iss}|{agent.sub}"
        try:
            allowed = self.limiter.hit(self.item, key)
            if allowed:
                return
            reset_at = self.limiter.get_window_stats(self.item, key).reset_time
        except Exception as exc:  # noqa: BLE001 - any storage failure: fail open, a lookup beats a 500
            log.warning("rate limit storage unavailable; not limiting", extra={"error": type(exc).__name__})
            return
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise TooManyRequests(f"Too many lookups; retry in {retry_after} s.",
                              headers={"Retry-After": str(retry_after)},
                              details={"retry_after_s": retry_after})

    def reset(self) -> None:
        """Forget every counter (tests)."""
        self.storage.reset()
