"""Where an export stream starts and what it covers: start times, look-back, coverage (pure)."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

RATING_LOOKBACK = timedelta(days=7)  # a survey answered this long after it was offered is still caught
MIN_AGE_S = 61  # Zendesk refuses a start_time less than a minute old


def usable_start(start_time: int) -> int:
    """start_time moved back to more than a minute ago (re-reading that minute is harmless: upserts)."""
    return min(start_time, int(time.time()) - MIN_AGE_S)


def epoch(moment: datetime) -> int:
    """Naive-UTC datetime to Unix seconds."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def coverage(previous: dict | None, state: dict | None, start: int) -> datetime:
    """From when the tickets table is complete after this run (it keeps every ticket changed since)."""
    if state is not None:  # resuming: the coverage does not change
        return state["since"] or datetime(1970, 1, 1)
    begin = datetime.fromtimestamp(start, UTC).replace(tzinfo=None)
    # A back-fill joins up with what an earlier run covered if it starts before that run's last page.
    if previous and previous["since"] and previous["updated_at"] and begin <= previous["updated_at"]:
        return min(begin, previous["since"])
    return begin
