"""One lookup's deadline: a monotonic end time handed down to every call it makes."""
from __future__ import annotations

import time


class Deadline:
    """One monotonic end time for a whole lookup, passed down to every call."""

    def __init__(self, ms: float):
        self.end = time.monotonic() + ms / 1000.0

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        """True once no time is left."""
        return self.remaining() <= 0.0
