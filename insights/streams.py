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


Coverage = tuple[datetime, datetime | None]  # (since, pending)


def reached(previous: dict) -> datetime | None:
    """How far a saved tickets stream got: its recorded position, or for a state saved before positions
    were recorded, the time of its last save less the minute Zendesk holds back, if it had finished."""
    if previous.get("reached") is not None:
        return previous["reached"]
    if previous.get("done") and previous.get("updated_at"):
        return previous["updated_at"] - timedelta(seconds=MIN_AGE_S)
    return None  # an unfinished legacy run: how far it got is unknown, so nothing joins it


def coverage(previous: dict | None, state: dict | None, start: int) -> Coverage:
    """(since, pending) for a tickets stream starting at start (or resuming state): from when the tickets
    table is complete (it keeps every ticket changed since), and the start of a back-fill from before that,
    which counts only once the stream has read up to since (see joined); None when there is none."""
    if state is not None:  # resuming: the coverage goes on as saved
        return state["since"] or datetime(1970, 1, 1), state.get("pending_since")
    begin = datetime.fromtimestamp(start, UTC).replace(tzinfo=None)
    if not previous or not previous["since"]:
        return begin, None
    since, end = previous["since"], reached(previous)
    if begin < since:
        # A back-fill from before the earlier coverage leaves the changes between where it got and since in
        # no run until it has read up to since. It extends an earlier back-fill still under way (which read
        # from pending_since up to end) only if it starts before where that one got.
        earlier = previous.get("pending_since")
        extends = earlier is not None and end is not None and begin <= end
        return since, min(begin, earlier) if extends else begin
    # Inside it, a back-fill joins up with what the earlier run covered only if it starts before where that
    # run's stream got to; starting later would leave the changes in between in neither run.
    return (since, None) if end is not None and begin <= end else (begin, None)


def joined(since: datetime, pending: datetime | None, reached: datetime | None) -> Coverage:
    """(since, pending) after a page: a back-fill that has read up to since now covers from its start."""
    if pending is not None and reached is not None and reached >= since:
        return pending, None
    return since, pending
