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


def reached(previous: dict) -> datetime | None:
    """How far a saved tickets stream got: its recorded position, or for a state saved before positions
    were recorded, the time of its last save less the minute Zendesk holds back, if it had finished."""
    if previous.get("reached") is not None:
        return previous["reached"]
    if previous.get("done") and previous.get("updated_at"):
        return previous["updated_at"] - timedelta(seconds=MIN_AGE_S)
    return None  # an unfinished legacy run: how far it got is unknown, so nothing joins it


def coverage(previous: dict | None, state: dict | None, start: int) -> datetime:
    """From when the tickets table is complete after this run (it keeps every ticket changed since)."""
    if state is not None:  # resuming: the coverage does not change
        return state["since"] or datetime(1970, 1, 1)
    begin = datetime.fromtimestamp(start, UTC).replace(tzinfo=None)
    # A back-fill joins up with what an earlier run covered only if it starts before where that run's
    # stream got to; starting later would leave the changes in between in neither run.
    end = reached(previous) if previous and previous["since"] else None
    if end is not None and begin <= end:
        return min(begin, previous["since"])
    return begin
