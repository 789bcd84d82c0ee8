"""Time helpers: ISO 8601 formatting, the ISO-week anchor and business-hours minutes."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np

DAY = 86_400
WEEK = 7 * DAY
MONDAY_EPOCH = 4 * DAY  # 1970-01-05 00:00 UTC was a Monday
# The support account's business schedule: Monday to Friday, 08:00-20:00 UTC.
BUSINESS_START_MIN = 8 * 60
BUSINESS_MINUTES_PER_DAY = 12 * 60


def iso(ts: int | float | None) -> str | None:
    """Epoch seconds -> '2026-11-23T10:00:00Z' (Zendesk's format), None stays None."""
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def week_start(ts: float) -> int:
    """Epoch seconds of Monday 00:00 UTC of the ISO week containing ts."""
    return int(ts - ((int(ts) - MONDAY_EPOCH) % WEEK))


_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_iso(text: str) -> int:
    """'2026-11-23', '2026-11-23T10:00:00Z' or with an offset -> epoch seconds; ValueError otherwise."""
    match = _ISO_RE.match(text.strip())
    if not match:
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    value = text.strip().replace("Z", "+00:00")
    if match.group(4) is None:
        value = value + "T00:00:00+00:00"
    elif match.group(7) is None:
        value = value + "+00:00"
    return int(datetime.fromisoformat(value).timestamp())


def business_minutes_since_epoch(ts: np.ndarray) -> np.ndarray:
    """Business minutes from the first Monday of 1970 up to each timestamp (vectorised)."""
    shifted = ts.astype(np.int64) - MONDAY_EPOCH
    weeks, rest = np.divmod(shifted, WEEK)
    days, in_day = np.divmod(rest, DAY)
    minutes = in_day // 60
    today = np.where(days < 5, np.clip(minutes - BUSINESS_START_MIN, 0, BUSINESS_MINUTES_PER_DAY), 0)
    return weeks * 5 * BUSINESS_MINUTES_PER_DAY + np.minimum(days, 5) * BUSINESS_MINUTES_PER_DAY + today


def add_business_minutes(ts: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """The moment `minutes` business minutes after each ts (a start outside hours waits for opening)."""
    target = business_minutes_since_epoch(ts) + np.maximum(minutes.astype(np.int64), 1)
    weeks, rest = np.divmod(target - 1, 5 * BUSINESS_MINUTES_PER_DAY)
    days, in_day = np.divmod(rest, BUSINESS_MINUTES_PER_DAY)
    seconds = (BUSINESS_START_MIN + in_day + 1) * 60
    return MONDAY_EPOCH + weeks * WEEK + days * DAY + seconds
