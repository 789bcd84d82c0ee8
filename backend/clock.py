"""Time for the rules: ISO 8601 in and out, and a `now` that notes when a comparison would turn."""
from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

NEVER = datetime.max.replace(tzinfo=UTC)


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 (with Z) to an aware datetime; None or garbage gives None."""
    if not value or not isinstance(value, str):
        return None
    return _parse_time(value)


# The rules re-run on every lookup (they depend on the time) over the same cached records, so the
# same few hundred timestamps are parsed and formatted again and again: remembered per process.
@functools.lru_cache(maxsize=16384)
def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


@functools.lru_cache(maxsize=16384)
def iso(moment: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 UTC with Z, seconds precision."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """`now` for the rules in backend.derive. Every time comparison goes through it, so that after a
    match is built, `until` is the first moment at which any of its time-dependent parts (a refund
    window, a deadline passing, "in 2 days") could read differently: until then it can be reused."""

    __slots__ = ("now", "until")

    def __init__(self, now: datetime):
        self.now = now
        self.until = NEVER

    def _turns_at(self, moment: datetime) -> None:
        if moment < self.until:
            self.until = moment

    def reached(self, moment: datetime) -> bool:
        """moment <= now."""
        if moment <= self.now:
            return True
        self._turns_at(moment)
        return False

    def passed(self, moment: datetime) -> bool:
        """now > moment (turns just after moment; moment itself is kept as the bound)."""
        if self.now > moment:
            return True
        self._turns_at(moment)
        return False

    def whole_days_until(self, moment: datetime) -> int:
        """(moment - now).days, which drops by one each time the time left crosses a whole day."""
        left = moment - self.now
        self._turns_at(self.now + (left - timedelta(days=left.days)))
        return left.days


def clock_of(now: datetime | Clock) -> Clock:
    """The Clock for now (the rules also take a plain datetime, e.g. in tests)."""
    return now if isinstance(now, Clock) else Clock(now)
