"""The time the rules compare against, noting the earliest later time at which a comparison would turn."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

NEVER = datetime.max.replace(tzinfo=UTC)


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
