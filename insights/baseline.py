"""Volume-spike math (pure): a robust weekday×hour baseline and the alert decision."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

MAD_TO_SIGMA = 1.4826  # makes the MAD estimate a standard deviation for normal data
MIN_WEEKS = 3  # fewer past weeks than this is not a baseline worth alerting on


@dataclass(frozen=True)
class Rule:
    """When a count is a spike: k robust deviations above normal, and big enough to matter."""

    sensitivity: float = 6.0
    min_count: int = 20
    min_elapsed_min: int = 10
    cooldown_min: int = 720


@dataclass(frozen=True)
class Baseline:
    """Expected tickets in one weekday-hour: median and MAD over the same hour of past weeks."""

    median: float
    mad: float
    weeks: int

    @property
    def sigma(self) -> float:
        """Robust spread, floored by Poisson noise: a quiet hour's MAD can be 0."""
        return max(MAD_TO_SIGMA * self.mad, math.sqrt(max(self.median, 1.0)))


@dataclass(frozen=True)
class Decision:
    """The outcome of one check."""

    alert: bool
    count: int
    expected: float
    threshold: float
    reason: str


def baseline(history: Sequence[int]) -> Baseline | None:
    """Median and MAD of past counts; None without history (no alert can be justified)."""
    if not history:
        return None
    mid = float(median(history))
    mad = float(median(abs(x - mid) for x in history))
    return Baseline(median=mid, mad=mad, weeks=len(history))


def threshold(base: Baseline, fraction: float, sensitivity: float) -> float:
    """The count above which the first `fraction` of the hour is a spike (scaled for a partial hour)."""
    return fraction * (base.median + sensitivity * base.sigma)


def evaluate(count: int, base: Baseline | None, elapsed_min: float, rule: Rule) -> Decision:
    """Whether `count` tickets in the first `elapsed_min` minutes of an hour is a spike."""
    fraction = min(max(elapsed_min, 0.0), 60.0) / 60.0
    if base is None:
        return Decision(False, count, 0.0, math.inf, "no history for this weekday and hour")
    expected = fraction * base.median
    limit = threshold(base, fraction, rule.sensitivity)
    if elapsed_min < rule.min_elapsed_min:
        return Decision(False, count, expected, limit, "too early in the hour to judge")
    if count < rule.min_count:
        return Decision(False, count, expected, limit, "below the minimum count")
    if count <= limit:
        return Decision(False, count, expected, limit, "within the normal range")
    return Decision(True, count, expected, limit, "above the threshold")


def cooling_down(last_trigger_at: datetime | None, now: datetime, cooldown_min: int) -> bool:
    """True while the spike already announced is still going on (last seen less than cooldown ago)."""
    return last_trigger_at is not None and now - last_trigger_at < timedelta(minutes=cooldown_min)


def hour_start(moment: datetime) -> datetime:
    """The start of the hour containing moment."""
    return moment.replace(minute=0, second=0, microsecond=0)
