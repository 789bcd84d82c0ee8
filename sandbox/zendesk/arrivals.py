"""When tickets arrive: hourly rates with weekly, daily and time-zone seasonality plus labelled spikes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.zendesk.timeutil import DAY, WEEK

HOUR = 3_600
WEEKS = 52
TICKETS_PER_WEEK = 2_800
YEAR = 365.25 * DAY

# Where requesters write from: (UTC offset in hours, language, share of the volume).
REGIONS = [(-5, "en", 0.42), (0, "en", 0.13), (5, "en", 0.07), (1, "fr", 0.20), (8, "zh", 0.18)]
# Relative arrivals by local hour (office hours peak late morning and mid-afternoon) and local weekday.
HOUR_PROFILE = np.array([0.06, 0.03, 0.02, 0.02, 0.02, 0.04, 0.10, 0.30, 0.60, 0.90, 1.00, 1.00,
                         0.85, 0.90, 1.00, 0.95, 0.85, 0.65, 0.45, 0.38, 0.32, 0.25, 0.16, 0.10])
WEEKDAY_PROFILE = np.array([1.15, 1.10, 1.05, 1.00, 0.90, 0.42, 0.48])  # Monday .. Sunday


@dataclass(frozen=True)
class Spike:
    """A labelled burst: start at `hour` of the week `week` (0 = current), multiply volume by factor."""

    kind: str
    label: str
    week: int
    hour: int
    duration_h: int
    factor: float
    topic: str
    decay_h: float | None = None  # exponential decay of the extra volume (launch buzz fades)


SPIKES = [
    Spike("course_launch", "Launch of the Generative AI for Everyone course", -44, 14, 72, 3.2, "launch",
          24.0),
    Spike("exam_deadline", "Spring term final exams close", -27, 24 + 6, 36, 1.8, "exam_deadline"),
    Spike("payment_bug", "Duplicate card charges after a payment provider update", -23, 3 * 24 + 8, 30, 2.2,
          "payment_bug"),
    Spike("outage", "Video platform outage", -9, 2 * 24 + 13, 5, 5.0, "outage"),
]


@dataclass
class Arrivals:
    """Generated arrivals: creation time, language and topic (None = ordinary) per ticket."""

    created: np.ndarray
    lang: np.ndarray
    spike: np.ndarray  # index into SPIKES or -1


def hour_grid(anchor: int) -> np.ndarray:
    """Start times of every hour of the 52 weeks ending with the week that starts at anchor."""
    first = anchor - (WEEKS - 1) * WEEK
    return first + np.arange(WEEKS * 168, dtype=np.int64) * HOUR


def region_rates(hours: np.ndarray, anchor: int) -> np.ndarray:
    """Unscaled expected arrivals per hour and region (shape hours x regions)."""
    index = (hours - hours[0]) // HOUR  # hours since a Monday 00:00 UTC
    week = index // 168
    trend = (0.94 + 0.12 * week / (WEEKS - 1)) * (1 + 0.08 * np.cos(2 * np.pi * (hours - anchor) / YEAR))
    rates = np.empty((len(hours), len(REGIONS)))
    for r, (offset, _lang, share) in enumerate(REGIONS):
        local = index + offset
        rates[:, r] = share * HOUR_PROFILE[local % 24] * WEEKDAY_PROFILE[(local // 24) % 7]
    return rates * trend[:, None]


def spike_multipliers(hours: np.ndarray, anchor: int) -> np.ndarray:
    """Extra volume of each spike as a multiple of the ordinary rate (shape spikes x hours)."""
    extra = np.zeros((len(SPIKES), len(hours)))
    for s, spike in enumerate(SPIKES):
        start, end = spike_window(spike, anchor)
        inside = (hours >= start) & (hours < end)
        since = (hours - start) / HOUR
        shape = np.exp(-since / spike.decay_h) if spike.decay_h else np.ones_like(since)
        extra[s] = np.where(inside, (spike.factor - 1) * shape, 0.0)
    return extra


def spike_window(spike: Spike, anchor: int) -> tuple[int, int]:
    """Absolute [start, end) of a spike in epoch seconds."""
    start = anchor + spike.week * WEEK + spike.hour * HOUR
    return start, start + spike.duration_h * HOUR


def generate(rng: np.random.Generator, anchor: int) -> Arrivals:
    """Draw every arrival of the 52 weeks (the current one in full; the caller cuts at "now").

    Everything is relative to anchor, so the same seed gives the same offsets in any week.
    """
    hours = hour_grid(anchor)
    rates = region_rates(hours, anchor)
    extra = spike_multipliers(hours, anchor)
    ordinary = rates.sum(axis=1)
    scale = WEEKS * TICKETS_PER_WEEK / (ordinary.sum() + (extra * ordinary).sum())
    rates *= scale
    created, region, spike_of = [], [], []
    counts = rng.poisson(rates)
    for r in range(len(REGIONS)):
        hour_of = np.repeat(hours, counts[:, r])
        created.append(hour_of)
        region.append(np.full(len(hour_of), r))
        spike_of.append(np.full(len(hour_of), -1))
    shares = rates / np.maximum(rates.sum(axis=1, keepdims=True), 1e-12)
    for s in range(len(SPIKES)):
        spike_counts = rng.poisson(rates.sum(axis=1) * extra[s])
        hour_index = np.repeat(np.arange(len(hours)), spike_counts)
        cumulative = shares[hour_index].cumsum(axis=1)
        drawn = (rng.random(len(hour_index))[:, None] > cumulative).sum(axis=1)
        created.append(hours[hour_index])
        region.append(np.minimum(drawn, len(REGIONS) - 1))
        spike_of.append(np.full(len(hour_index), s))
    start = np.concatenate(created)
    times = start + rng.integers(0, HOUR, len(start))
    regions = np.concatenate(region)
    spikes = np.concatenate(spike_of)
    order = np.argsort(times, kind="stable")
    langs = np.array([lang for _o, lang, _s in REGIONS])[regions]
    return Arrivals(created=times[order], lang=langs[order], spike=spikes[order])
